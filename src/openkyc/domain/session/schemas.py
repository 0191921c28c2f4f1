"""Session status and how it is rolled up from the steps."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from openkyc.domain.step.schemas import StepStatus


class SessionStatus(StrEnum):
    SUBMISSION_REQUIRED = "SUBMISSION_REQUIRED"
    PENDING_VERIFICATION = "PENDING_VERIFICATION"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RESUBMISSION_REQUIRED = "RESUBMISSION_REQUIRED"


def rollup(statuses: Iterable[str]) -> SessionStatus:
    """The session's status from its steps, first rule that holds wins:

    1. any step REJECTED -> REJECTED (a final no);
    2. any RESUBMISSION_REQUIRED -> RESUBMISSION_REQUIRED (the applicant must redo one);
    3. any SUBMISSION_REQUIRED -> SUBMISSION_REQUIRED (the applicant has work left);
    4. any PENDING_VERIFICATION -> PENDING_VERIFICATION (the server or a reviewer has);
    5. otherwise (all APPROVED) -> APPROVED.
    """
    present = set(statuses)
    for status in (
        StepStatus.REJECTED,
        StepStatus.RESUBMISSION_REQUIRED,
        StepStatus.SUBMISSION_REQUIRED,
        StepStatus.PENDING_VERIFICATION,
    ):
        if status in present:
            return SessionStatus(status.value)
    return SessionStatus.APPROVED


MAX_METADATA_KEYS = 5
MAX_METADATA_VALUE = 255
MAX_ALIAS = 255
