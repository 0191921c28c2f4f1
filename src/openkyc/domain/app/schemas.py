"""Flows: an app's ordered list of step types, each with its own settings."""

from __future__ import annotations

from typing import Any

from openkyc.domain.step.schemas import StepType
from openkyc.errors import Invalid

MAX_SETTINGS_KEYS = 50
# Settings every step understands are checked here: a wrong value is refused when the
# flow is set, not discovered as a crash when an applicant submits.
#   max_file_bytes  lowers the per-file upload limit of the step
#   manual_review   true: every submission waits for a reviewer; the check is not run
MAX_FILE_BYTES = 1024 * 1024 * 1024


def _step_type(value: Any) -> str:
    if not isinstance(value, str) or value not in StepType.__members__:
        shown = repr(value) if isinstance(value, str | int | float | None) else type(value).__name__
        raise Invalid(f"unknown step type {shown[:80]}; known: {', '.join(StepType)}")
    return value


def _settings(step_type: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_SETTINGS_KEYS:
        raise Invalid(f"settings of {step_type} must be an object of at most 50 keys")
    limit = value.get("max_file_bytes")
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_FILE_BYTES
    ):
        raise Invalid(f"settings.max_file_bytes of {step_type} is an integer of bytes, at least 1")
    if not isinstance(value.get("manual_review", False), bool):
        raise Invalid(f"settings.manual_review of {step_type} is true or false")
    return dict(value)


def parse_flow(raw: Any) -> list[dict[str, Any]]:
    """Validate a flow given by an operator; raise Invalid with a clear message."""
    if not isinstance(raw, list) or not raw:
        raise Invalid("a flow is a non-empty list of steps")
    steps: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in raw:
        entry = {"type": item} if isinstance(item, str) else item
        if not isinstance(entry, dict):
            raise Invalid("each flow step is a step type or {type, settings}")
        unknown = set(entry) - {"type", "settings"}
        if unknown:
            name = sorted(map(str, unknown))[0][:80]
            raise Invalid(f"a flow step holds only type and settings, not {name!r}")
        step_type = _step_type(entry.get("type"))
        if step_type in seen:
            raise Invalid(f"a flow holds each step type at most once; {step_type} is repeated")
        seen.add(step_type)
        steps.append({"type": step_type, "settings": _settings(step_type, entry.get("settings"))})
    return steps
