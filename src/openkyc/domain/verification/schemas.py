"""Verification vocabulary and the rules that turn step states into results.

The result table (docs/synctera.md repeats it):

| source | state | result |
|---|---|---|
| ID document step | SUBMISSION_REQUIRED, RESUBMISSION_REQUIRED (applicant to act) | PENDING |
| ID document step | PENDING_VERIFICATION, its check running | PENDING |
| ID document step | PENDING_VERIFICATION, waiting for a reviewer | REVIEW |
| ID document step | APPROVED | ACCEPTED |
| ID document step | REJECTED | REJECTED |
| any step | undecided, its check could not run (evidence has `error`) | VENDOR_ERROR |
| identity (document + face) | both ACCEPTED | ACCEPTED |
| identity | either REJECTED / VENDOR_ERROR / REVIEW | that one, in this order |
| identity | document ACCEPTED, face not done yet | PROVISIONAL |
| identity | otherwise | PENDING |
| screening | no hit | ACCEPTED |
| screening | hits a reviewer must look at | REVIEW |
| screening | the screening failed (no list loaded, engine error) | VENDOR_ERROR |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from openkyc.domain.step.schemas import StepStatus


class VerificationType(StrEnum):
    DOCUMENT_VERIFICATION = "DOCUMENT_VERIFICATION"
    IDENTITY = "IDENTITY"
    LICENSE = "LICENSE"
    MANUAL_REVIEW = "MANUAL_REVIEW"
    RELATED_ENTITIES = "RELATED_ENTITIES"
    WATCHLIST = "WATCHLIST"


class Result(StrEnum):
    ACCEPTED = "ACCEPTED"
    PENDING = "PENDING"
    PROVISIONAL = "PROVISIONAL"
    REJECTED = "REJECTED"
    REVIEW = "REVIEW"
    UNVERIFIED = "UNVERIFIED"
    VENDOR_ERROR = "VENDOR_ERROR"


class Source(StrEnum):
    UPLOAD = "upload"
    VERIFY = "verify"


@dataclass(frozen=True)
class Outcome:
    """A computed or uploaded result with what explains it."""

    result: Result
    details: list[dict[str, Any]] = field(default_factory=list)
    vendor_info: dict[str, Any] | None = None


@dataclass(frozen=True)
class VerificationView:
    id: str
    app_id: str
    applicant_id: str
    subject_kind: str
    type: VerificationType
    result: Result
    verification_time: datetime
    details: list[dict[str, Any]]
    metadata: dict[str, Any]
    vendor_info: dict[str, Any] | None
    active: bool
    history: list[dict[str, Any]]
    session_id: str | None
    created_at: datetime
    updated_at: datetime


def step_result(status: str, needs_review: bool, evidence: dict[str, Any] | None) -> Result:
    """One step's state as a verification result (the first rows of the table)."""
    if status == StepStatus.APPROVED:
        return Result.ACCEPTED
    if status == StepStatus.REJECTED:
        return Result.REJECTED
    if status == StepStatus.PENDING_VERIFICATION and evidence and evidence.get("error"):
        return Result.VENDOR_ERROR
    if status == StepStatus.PENDING_VERIFICATION and needs_review:
        return Result.REVIEW
    return Result.PENDING


def identity_result(document: Result, face: Result | None) -> Result:
    """Document and face combined; `face` None means the face check has not run yet."""
    results = [document] if face is None else [document, face]
    for worst in (Result.REJECTED, Result.VENDOR_ERROR, Result.REVIEW):
        if worst in results:
            return worst
    if document == Result.ACCEPTED and face == Result.ACCEPTED:
        return Result.ACCEPTED
    if document == Result.ACCEPTED:
        return Result.PROVISIONAL
    return Result.PENDING


# The subject's overall status has no VENDOR_ERROR: a check that did not run needs a human.
_OVERALL_ORDER = (
    (Result.REJECTED, Result.REJECTED),
    (Result.REVIEW, Result.REVIEW),
    (Result.VENDOR_ERROR, Result.REVIEW),
    (Result.PENDING, Result.PENDING),
    (Result.PROVISIONAL, Result.PROVISIONAL),
    (Result.UNVERIFIED, Result.UNVERIFIED),
)


def overall_status(records: Iterable[tuple[VerificationType, Result, datetime]]) -> Result:
    """A subject's status from its active records; the latest MANUAL_REVIEW overrides them."""
    rows = list(records)
    manual = [r for r in rows if r[0] == VerificationType.MANUAL_REVIEW]
    if manual:
        latest = max(manual, key=lambda r: r[2])[1]
        return Result.REVIEW if latest == Result.VENDOR_ERROR else latest
    present = {r[1] for r in rows}
    if not present:
        return Result.UNVERIFIED
    for found, status in _OVERALL_ORDER:
        if found in present:
            return status
    return Result.ACCEPTED


# Each detail gets a human label from its category.
LABELS: dict[str, str] = {
    "ADDRESS": "Address",
    "BANKRUPTCIES": "Bankruptcies",
    "BUSINESS_NAME": "Business name",
    "CIP": "Customer identification",
    "DEVICE": "Device",
    "DOC_DETAILS": "Document details",
    "DOC_VERIFICATION": "Document",
    "EMAIL": "Email",
    "FRAUD": "Fraud",
    "LICENSE": "License",
    "OFFICE_ADDRESS": "Office address",
    "OTHER": "Other",
    "PHONE": "Phone",
    "SELFIE_CAPTURE": "Selfie",
    "SELFIE_DOCUMENT": "Selfie to document",
    "SOS_DOMESTIC": "Secretary of State (domestic)",
    "SOS_FILINGS": "Secretary of State filings",
    "SYNTHETIC": "Synthetic identity",
    "TIN_MATCH": "TIN match",
    "WATCHLIST": "Watchlist",
    "WEBSITE": "Website",
}
DETAIL_RESULTS = ("FAIL", "INFO", "PASS", "WARN")


def label_for(category: str | None) -> str:
    return LABELS.get(category or "OTHER", "Other")
