"""Flows: an app's ordered list of step types, each with its own settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from openkyc.domain.step.schemas import StepType
from openkyc.errors import Invalid


class FlowStep(BaseModel):
    type: str
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in StepType.__members__:
            raise ValueError(f"unknown step type {value!r}; known: {', '.join(StepType)}")
        return value


def parse_flow(raw: Any) -> list[dict[str, Any]]:
    """Validate a flow given by an operator; raise Invalid with a clear message."""
    if not isinstance(raw, list) or not raw:
        raise Invalid("a flow is a non-empty list of steps")
    steps: list[dict[str, Any]] = []
    for item in raw:
        entry = {"type": item} if isinstance(item, str) else item
        if not isinstance(entry, dict):
            raise Invalid("each flow step is a step type or {type, settings}")
        if entry.get("type") not in StepType.__members__:
            raise Invalid(f"unknown step type {entry.get('type')!r}; known: {', '.join(StepType)}")
        steps.append(FlowStep.model_validate(entry).model_dump())
    types = [s["type"] for s in steps]
    if len(set(types)) != len(types):
        raise Invalid("a flow holds each step type at most once")
    return steps
