"""Step vocabulary: types, statuses, the state machine's allowed moves."""

from __future__ import annotations

from enum import StrEnum

import pycountry


class StepType(StrEnum):
    ID_DOCUMENT = "ID_DOCUMENT"
    LIVENESS = "LIVENESS"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    PROOF_OF_ADDRESS = "PROOF_OF_ADDRESS"
    PVID = "PVID"
    AML = "AML"
    DUPLICATE = "DUPLICATE"
    # A declared identifier (tax or ID number, email, phone...): SynapseFI virtual and
    # social documents. Never in a default flow.
    IDENTIFIER = "IDENTIFIER"


# Canonical order used when building a default flow.
STEP_ORDER = list(StepType)


class StepStatus(StrEnum):
    SUBMISSION_REQUIRED = "SUBMISSION_REQUIRED"
    PENDING_VERIFICATION = "PENDING_VERIFICATION"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RESUBMISSION_REQUIRED = "RESUBMISSION_REQUIRED"


# Which status a step may move to from which. Reviewers may also overturn a decision
# (approve a rejected step, reject an approved one), and a reset returns any step to
# SUBMISSION_REQUIRED; those go through their own service functions.
TRANSITIONS: dict[StepStatus, set[StepStatus]] = {
    StepStatus.SUBMISSION_REQUIRED: {StepStatus.PENDING_VERIFICATION},
    StepStatus.RESUBMISSION_REQUIRED: {StepStatus.PENDING_VERIFICATION},
    StepStatus.PENDING_VERIFICATION: {
        StepStatus.APPROVED,
        StepStatus.REJECTED,
        StepStatus.RESUBMISSION_REQUIRED,
    },
    StepStatus.APPROVED: set(),
    StepStatus.REJECTED: set(),
}

# Steps the server runs by itself, once the step they read from is approved (or at once
# when that step is not in the flow: the check then works from the applicant's declared data).
DEPENDS_ON: dict[StepType, StepType] = {
    StepType.AML: StepType.ID_DOCUMENT,
    StepType.DUPLICATE: StepType.LIVENESS,
}

# Files each document-type step accepts, by field name, with their allowed sniffed types.
IMAGE_TYPES = {"image/jpeg", "image/png"}
PDF_TYPES = {"application/pdf"}
VIDEO_TYPES = {"video/webm", "video/mp4", "video/quicktime"}
FILE_KINDS: dict[StepType, dict[str, set[str]]] = {
    StepType.ID_DOCUMENT: {"front": IMAGE_TYPES | PDF_TYPES, "back": IMAGE_TYPES | PDF_TYPES},
    StepType.PVID: {
        "front": IMAGE_TYPES,
        "back": IMAGE_TYPES,
        "face": IMAGE_TYPES,
        "video": VIDEO_TYPES,
    },
    StepType.LIVENESS: {"video": VIDEO_TYPES, "selfie": IMAGE_TYPES},
    StepType.PROOF_OF_ADDRESS: {
        "document": IMAGE_TYPES | PDF_TYPES,
        "accomodation_proof": PDF_TYPES,
        "host_id_front_document": IMAGE_TYPES,
        "host_id_back_document": IMAGE_TYPES,
    },
}
# The field every document submission must carry.
REQUIRED_FILE: dict[StepType, str] = {
    StepType.ID_DOCUMENT: "front",
    StepType.PVID: "front",
    StepType.LIVENESS: "video",
    StepType.PROOF_OF_ADDRESS: "document",
}

# Document types an applicant may declare (the Synaps v3 vocabulary, shared by the hosted pages).
ID_DOCUMENT_TYPES = ("PASSPORT", "NATIONAL_ID", "DRIVER_LICENSE", "RESIDENT_PERMIT")
ADDRESS_DOCUMENT_TYPES = (
    "BANK_STATEMENT",
    "ELECTRICITY_BILL",
    "INTERNET_BILL",
    "LANDLINE_BILL",
    "WATER_BILL",
    "GAS_BILL",
)


def is_alpha3(value: str) -> bool:
    """An ISO 3166 alpha-3 country code (what the v3 forms declare)."""
    code = value.strip().upper()
    return len(code) == 3 and code.isalpha() and pycountry.countries.get(alpha_3=code) is not None
