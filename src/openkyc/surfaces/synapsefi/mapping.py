"""Pure functions between SynapseFI's vocabulary and the core's: document types onto step
types, data URLs onto checked bytes, base documents onto declared data."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from typing import Any

import pycountry

from openkyc.domain.applicant.schemas import ApplicantKind, validate_data
from openkyc.domain.credential.documents import NewSub
from openkyc.domain.file.service import LIMITS, MB, sniff
from openkyc.errors import ErrorKind, Invalid, OpenKYCError
from openkyc.surfaces.synapsefi.wire import BaseDocument, SubDocument

IMAGES = frozenset({"image/png", "image/jpeg"})
IMAGES_PDF = IMAGES | {"application/pdf"}
VIDEOS = frozenset({"video/quicktime", "video/mp4", "video/webm"})
# The seed's table: the file kinds each physical document type accepts.
PHYSICAL_KINDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ["GOVT_ID", "GOVT_ID_BACK", "GOVT_ID_INT", "GOVT_ID_INT_BACK", "SELFIE"], IMAGES
    ),
    **dict.fromkeys(["AUTHORIZATION", "VOIDED_CHECK"], IMAGES),
    "VIDEO_AUTHORIZATION": VIDEOS,
    **dict.fromkeys(
        [
            "PROOF_OF_ADDRESS", "PROOF_OF_INCOME", "PROOF_OF_ACCOUNT", "BG_CHECK", "SSN_CARD",
            "EIN_DOC", "W9_DOC", "W2_DOC", "W8_DOC", "AOI", "BYLAWS_DOC", "LOE", "CIP_DOC",
            "SUBSCRIPTION_AGREEMENT", "PROMISSORY_NOTE", "LEGAL_AGREEMENT", "REG_GG",
            "DBA_DOC", "DEPOSIT_AGREEMENT", "OTHER",
        ],
        IMAGES_PDF,
    ),
}  # fmt: skip
# Physical type -> (step type, file field, checked by the step's check or by a reviewer)
CHECKED = {
    "GOVT_ID": ("ID_DOCUMENT", "front"),
    "GOVT_ID_INT": ("ID_DOCUMENT", "front"),
    "SELFIE": ("LIVENESS", "selfie"),
    "PROOF_OF_ADDRESS": ("PROOF_OF_ADDRESS", "document"),
}
REVIEWED = {
    "GOVT_ID_BACK": ("ID_DOCUMENT", "front"),  # a back side alone: nothing to read a face from
    "GOVT_ID_INT_BACK": ("ID_DOCUMENT", "front"),
    "VIDEO_AUTHORIZATION": ("LIVENESS", "video"),  # no challenges were given to follow
}
VIRTUAL_TYPES = (
    "SSN",
    "PASSPORT",
    "DRIVERS_LICENSE",
    "PERSONAL_IDENTIFICATION",
    "TIN",
    "DUNS",
    "OTHER",
)
SOCIAL_TYPES = (
    "EMAIL", "PHONE_NUMBER", "IP", "FACEBOOK", "LINKEDIN", "TWITTER", "OTHER",
    "EMAIL_2FA", "PHONE_NUMBER_2FA",
)  # fmt: skip
TWO_FACTOR = {"EMAIL_2FA": "EMAIL", "PHONE_NUMBER_2FA": "PHONE"}
DELETE = "DELETE_DOCUMENT"
PDF_LIMIT = 10 * MB
DATA_URL = re.compile(r"data:([a-z0-9.+-]+/[a-z0-9.+-]+)((?:;[a-z0-9=._-]+)*);base64,", re.I)
ALIASES = {
    "image/jpg": "image/jpeg",
    "video/mov": "video/quicktime",
    "application/x-pdf": "application/pdf",
}
MAX_VALUE = 64


def decode_data_url(value: str | None, doc_type: str) -> bytes:
    """The bytes of a padded base64 data URL, checked against the declared type and the
    kinds the document type accepts (sniffed from the bytes, never trusted)."""
    accepted = PHYSICAL_KINDS[doc_type]
    found = DATA_URL.match(value or "")
    if found is None:
        raise Invalid(f"{doc_type}: document_value is a data URL, data:<type>;base64,<data>")
    declared = ALIASES.get(found.group(1).lower(), found.group(1).lower())
    try:
        data = base64.b64decode(value[found.end() :], validate=True) if value else b""
    except (binascii.Error, ValueError):
        raise Invalid(f"{doc_type}: document_value is not padded base64") from None
    if not data:
        raise Invalid(f"{doc_type}: document_value holds no data")
    sniffed = sniff(data)
    if sniffed != declared or sniffed not in accepted:
        kinds = ", ".join(sorted(accepted))
        raise OpenKYCError(
            f"{doc_type}: the data is {sniffed}, declared {declared[:40]}; accepted: {kinds}",
            kind=ErrorKind.UNSUPPORTED,
        )
    limit = (
        4 * MB if doc_type == "PROOF_OF_ADDRESS" else LIMITS.get(sniffed.split("/")[0], PDF_LIMIT)
    )
    if len(data) > limit:
        raise OpenKYCError(
            f"{doc_type}: the document is {len(data)} bytes; the limit is {limit}",
            kind=ErrorKind.TOO_LARGE,
        )
    return data


def physical_sub(doc: SubDocument, base: dict[str, Any] | None = None) -> NewSub:
    doc_type = doc.document_type
    if doc_type not in PHYSICAL_KINDS:
        raise Invalid(f"unknown physical document_type {doc_type!r}")
    data = decode_data_url(doc.document_value, doc_type)
    step_type, field = (
        CHECKED.get(doc_type) or REVIEWED.get(doc_type) or ("PROOF_OF_ADDRESS", "document")
    )
    settings: dict[str, Any] = {} if doc_type in CHECKED else {"manual_review": True}
    submitted: dict[str, Any] = {}
    if step_type == "ID_DOCUMENT":
        # A government ID of any kind: the check reads which from the document itself.
        settings["infer_document_type"] = True
        submitted = {"document_type": "", "country": ""}
    if step_type == "PROOF_OF_ADDRESS" and doc_type in CHECKED:
        submitted = address_submission(base or {})
    return NewSub("physical", doc_type, step_type, settings, files={field: data}, data=submitted)


def address_submission(fields: dict[str, Any]) -> dict[str, str]:
    """The declared address a proof of address is compared with, as the core names it."""
    alpha2 = str(fields.get("address_country_code") or "")
    found = pycountry.countries.get(alpha_2=alpha2) if len(alpha2) == 2 else None
    return {
        "country": found.alpha_3 if found else "",
        "address": str(fields.get("address_street") or ""),
        "city": str(fields.get("address_city") or ""),
        "zip_code": str(fields.get("address_postal_code") or ""),
    }


def _value(doc: SubDocument) -> str:
    value = (doc.document_value or "").strip()
    if not value or len(value) > MAX_VALUE:
        raise Invalid(f"{doc.document_type}: document_value is 1 to {MAX_VALUE} characters")
    return value


def virtual_sub(doc: SubDocument, country: str) -> NewSub:
    if doc.document_type not in VIRTUAL_TYPES:
        raise Invalid(f"unknown virtual document_type {doc.document_type!r}")
    data = {
        "category": "virtual",
        "document_type": doc.document_type,
        "value": _value(doc),
        "country": country,
    }
    return NewSub("virtual", doc.document_type, "IDENTIFIER", data=data)


def social_sub(doc: SubDocument, country: str) -> NewSub:
    doc_type = doc.document_type
    if doc_type not in SOCIAL_TYPES:
        raise Invalid(f"unknown social document_type {doc_type!r}")
    value = _value(doc) if doc_type not in ("FACEBOOK", "LINKEDIN", "TWITTER") else _url(doc)
    if doc_type in TWO_FACTOR:
        return NewSub(
            "social", doc_type, TWO_FACTOR[doc_type], otp_target=value, otp_country=country or "US"
        )
    data = {"category": "social", "document_type": doc_type, "value": value, "country": country}
    return NewSub("social", doc_type, "IDENTIFIER", data=data)


def _url(doc: SubDocument) -> str:
    value = (doc.document_value or "").strip()
    if not value or len(value) > 2000:
        raise Invalid(f"{doc.document_type}: document_value is a URL of at most 2000 characters")
    return value


def base_fields(doc: BaseDocument) -> dict[str, Any]:
    fields = doc.model_dump(
        exclude={"id", "physical_docs", "virtual_docs", "social_docs"}, exclude_none=True
    )
    if "address_country_code" in fields:
        fields["address_country_code"] = fields["address_country_code"].upper()
    return fields


def implied_socials(fields: dict[str, Any]) -> list[SubDocument]:
    """A base document's email, phone number and IP are social documents of their own."""
    pairs = (("email", "EMAIL"), ("phone_number", "PHONE_NUMBER"), ("ip", "IP"))
    return [
        SubDocument(document_type=doc_type, document_value=str(fields[key]))
        for key, doc_type in pairs
        if fields.get(key)
    ]


def declared(fields: dict[str, Any], kind: ApplicantKind, virtual: list[NewSub]) -> dict[str, Any]:
    """What the core keeps of a base document (names, birth date, address, contact,
    identifiers); a field the core's rules refuse (a non-E.164 phone...) is left out."""
    candidates: dict[str, Any] = {}
    name = str(fields.get("name") or "").strip()
    if kind is ApplicantKind.BUSINESS:
        candidates["legal_name"] = name or None
    elif name:
        first, _, last = name.rpartition(" ")
        candidates.update(first_name=first or last, last_name=last if first else None)
    try:
        born = date(int(fields["year"]), int(fields["month"]), int(fields["day"]))
        candidates["birth_date"] = born.isoformat()
    except (KeyError, ValueError, TypeError):
        pass
    candidates["email"] = fields.get("email")
    country = fields.get("address_country_code")
    if fields.get("address_street") and country:
        candidates["legal_address"] = {
            "line1": fields["address_street"],
            "city": fields.get("address_city"),
            "state": fields.get("address_subdivision"),
            "postal_code": fields.get("address_postal_code"),
            "country": country,
        }
    candidates["identifiers"] = [
        {"type": sub.document_type, "value": sub.data["value"]} for sub in virtual
    ] or None
    return _accepted(kind, candidates)


def _accepted(kind: ApplicantKind, candidates: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in candidates.items():
        if value is None:
            continue
        try:
            validate_data(kind, {key: value})
        except Invalid:
            continue
        out[key] = value
    return out
