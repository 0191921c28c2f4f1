"""The Check protocol: what a check is given and what it answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RESUBMIT = "resubmit"
    REVIEW = "review"  # borderline: a human decides


@dataclass(frozen=True)
class CheckInput:
    step_type: str
    settings: dict[str, Any]
    submission: dict[str, Any]
    sandbox: bool
    # kind -> a loader of the decrypted bytes, so checks read only what they need
    files: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    # Evidence of the session's other steps, by step type (e.g. AML reads ID_DOCUMENT's fields)
    session_evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Loaders of files other checks of the session produced, by "<STEP_TYPE>:<kind>"
    # (e.g. "ID_DOCUMENT:face" for the face match)
    session_files: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    session_id: str = ""
    app_id: str = ""


@dataclass(frozen=True)
class CheckOutcome:
    decision: Decision
    reason_code: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    # Files the check produced (cropped document, face...): stored encrypted as the
    # step's processed files, served in the dialects' `files` objects.
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # kind -> (bytes, type)


class Check(Protocol):
    """A check recomputes from stored inputs: running it twice gives the same outcome."""

    def run(self, data: CheckInput) -> CheckOutcome: ...
