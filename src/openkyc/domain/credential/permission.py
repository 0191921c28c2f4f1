"""Sub-document statuses, base document permission scopes and the user's permission, from
the steps' statuses: pure functions (the table is in docs/synapsefi.md)."""

from __future__ import annotations

from collections.abc import Iterable

from openkyc.domain.step.schemas import StepStatus

VALID = "SUBMITTED|VALID"
INVALID = "SUBMITTED|INVALID"
BLOCKED = "SUBMITTED|INVALID|BLOCKED"
REVIEWING = "SUBMITTED|REVIEWING"
MFA_PENDING = "SUBMITTED|MFA_PENDING"

UNVERIFIED = "UNVERIFIED"
RECEIVE = "RECEIVE|200|DAILY"
SEND_RECEIVE = "SEND|RECEIVE|1000|DAILY"
SEND_RECEIVE_HIGH = "SEND|RECEIVE|10000|DAILY"
LEVELS = [UNVERIFIED, RECEIVE, SEND_RECEIVE, SEND_RECEIVE_HIGH]

IDENTITY_NUMBERS = {
    "SSN",
    "TIN",
    "PASSPORT",
    "DRIVERS_LICENSE",
    "PERSONAL_IDENTIFICATION",
    "DUNS",
    "OTHER",
}
PHOTO_IDS = {"GOVT_ID", "GOVT_ID_INT"}
BUSINESS_DOCS = {"EIN_DOC", "AOI", "BYLAWS_DOC", "W9_DOC", "CIP_DOC", "DBA_DOC", "OTHER"}

# CIP tag -> what each level needs VALID, beyond the previous level.
REQUIREMENTS: dict[int, list[set[str]]] = {
    1: [{"identity|photo_id"}, {"identity", "photo_id"}, {"selfie"}],
    2: [{"identity", "photo_id"}, {"selfie"}, {"address"}],
    3: [{"identity"}, {"business"}, {"address"}],
}


def sub_status(step_status: str, otp_sent: bool) -> str:
    if step_status == StepStatus.APPROVED:
        return VALID
    if step_status == StepStatus.REJECTED:
        return BLOCKED
    if step_status == StepStatus.RESUBMISSION_REQUIRED:
        return INVALID
    if step_status == StepStatus.SUBMISSION_REQUIRED:
        return MFA_PENDING if otp_sent else "SUBMITTED"
    return REVIEWING


def _kinds(category: str, doc_type: str) -> set[str]:
    kinds = set()
    if category == "virtual" and doc_type in IDENTITY_NUMBERS:
        kinds.add("identity")
    if category == "physical":
        if doc_type in PHOTO_IDS:
            kinds.add("photo_id")
        if doc_type == "SELFIE":
            kinds.add("selfie")
        if doc_type == "PROOF_OF_ADDRESS":
            kinds.add("address")
        if doc_type in BUSINESS_DOCS:
            kinds.add("business")
    return kinds


def _holds(need: str, valid: set[str]) -> bool:
    return any(option in valid for option in need.split("|"))


def scope(cip_tag: int, subs: Iterable[tuple[str, str, str]]) -> str:
    """A base document's permission_scope from its (category, type, status) sub-documents.

    A blocked sub-document (a forged document, a failed social profile, a duplicate)
    leaves it UNVERIFIED; otherwise each level holds when its requirements and those of
    the levels below are met by VALID sub-documents."""
    valid: set[str] = set()
    for category, doc_type, status in subs:
        if status == BLOCKED:
            return UNVERIFIED
        if status == VALID:
            valid |= _kinds(category, doc_type)
    level = 0
    for needs in REQUIREMENTS.get(cip_tag, REQUIREMENTS[1]):
        if not all(_holds(need, valid) for need in needs):
            break
        level += 1
    return LEVELS[level]


def user_permission(override: str, scopes: Iterable[str]) -> str:
    """LOCKED and MAKE-IT-GO-AWAY are set by the tenant; otherwise the best base document
    decides: SEND -> SEND-AND-RECEIVE, RECEIVE -> RECEIVE, else UNVERIFIED."""
    if override:
        return override
    found = list(scopes)
    if any(s.startswith("SEND|") for s in found):
        return "SEND-AND-RECEIVE"
    if any(s.startswith("RECEIVE|") for s in found):
        return "RECEIVE"
    return UNVERIFIED


def doc_status(subs: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """The deprecated summary: per category of physical and virtual documents, VALID when
    one is valid, else the latest status, else MISSING|INVALID."""
    out = {"physical_doc": "MISSING|INVALID", "virtual_doc": "MISSING|INVALID"}
    for category, _, status in subs:
        key = f"{category}_doc"
        if key not in out or out[key] == VALID:
            continue
        out[key] = status
    return out
