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


@dataclass(frozen=True)
class CheckOutcome:
    decision: Decision
    reason_code: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


class Check(Protocol):
    """A check recomputes from stored inputs: running it twice gives the same outcome."""

    def run(self, data: CheckInput) -> CheckOutcome: ...
