"""Sandbox magic values: integrators force any outcome with a document whose surname is
SANDBOX and whose first given name names the outcome (docs/document-check.md has the
table; `openkyc check sample` draws such documents). Live sessions ignore them."""

from __future__ import annotations

from typing import Any

from openkyc.checks.base import Decision

SURNAME = "SANDBOX"
OUTCOMES: dict[str, tuple[Decision, str | None]] = {
    "APPROVED": (Decision.APPROVE, None),
    "REVIEW": (Decision.REVIEW, None),
    "EXPIRED": (Decision.REJECT, "IDENTITY_DOCUMENT_EXPIRED"),
    "MINOR": (Decision.REJECT, "IDENTITY_DOCUMENT_DOB_DATE_MINOR"),
    "RESTRICTED": (Decision.REJECT, "RESTRICTED_NATIONALITY_TYPE"),
    "FORGED": (Decision.REJECT, "FORGED_REJECTION"),
    "SPECIMEN": (Decision.REJECT, "DOCUMENT_SPECIMEN"),
    "COMPLIANCE": (Decision.RESUBMIT, "DOCUMENT_COMPLIANCE"),
    "BLURRY": (Decision.RESUBMIT, "BAD_QUALITY"),
    "HIDDEN": (Decision.RESUBMIT, "DOCUMENT_HIDDEN"),
    "BLACKWHITE": (Decision.RESUBMIT, "BLACK_WHITE_PICTURE"),
    "FRONT": (Decision.RESUBMIT, "DOCUMENT_INVALID_FRONT_SIDE"),
    "BACK": (Decision.RESUBMIT, "DOCUMENT_INVALID_BACK_SIDE"),
}


def magic(fields: dict[str, Any]) -> str | None:
    """The outcome keyword a document carries, if it is a sandbox document."""
    if str(fields.get("lastname", "")).strip().upper() != SURNAME:
        return None
    first = str(fields.get("firstname", "")).strip().upper().split()
    keyword = first[0] if first else ""
    return keyword if keyword in OUTCOMES else None
