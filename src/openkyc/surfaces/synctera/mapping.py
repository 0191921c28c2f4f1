"""Pure functions between Synctera's verification vocabulary and the domain's."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from openkyc.domain.applicant.schemas import ApplicantKind
from openkyc.domain.verification.schemas import Outcome, Result, VerificationView, label_for
from openkyc.errors import Invalid
from openkyc.surfaces.synctera.common import uuid_text
from openkyc.surfaces.synctera.wire import Detail, VerificationIn

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")
MAX_VENDOR_BYTES = 1024 * 1024
MAX_METADATA_BYTES = 16 * 1024


def bad(message: str) -> Invalid:
    return Invalid(message, code="BAD_REQUEST_BODY")


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as Synctera writes times."""
    u = moment.astimezone(UTC)
    # strftime's %Y does not pad years before 1000 everywhere: spell every part out
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
        f".{u.microsecond // 1000:03d}Z"
    )


def parse_time(text: str, what: str) -> datetime:
    if not RFC3339.match(text):
        raise bad(f"{what} is an RFC 3339 date-time, e.g. 2023-11-07T05:31:56Z")
    digits = re.sub(r"\.(\d{6})\d+", r".\1", text)  # Python keeps microseconds only
    try:
        moment = datetime.fromisoformat(digits.replace("z", "Z").replace(" ", "T"))
        return moment.astimezone(UTC)  # year 1 at +23:59 is before year 1 in UTC
    except (ValueError, OverflowError):
        raise bad(f"{what} is not a valid date-time (years 0001 to 9999, in UTC)") from None


def subject(person_id: str | None, business_id: str | None) -> tuple[ApplicantKind, str]:
    """Exactly one of person_id and business_id."""
    if (person_id is None) == (business_id is None):
        raise bad("exactly one of person_id or business_id must be set")
    if person_id is not None:
        return ApplicantKind.PERSON, uuid_text(person_id, "person_id")
    assert business_id is not None
    return ApplicantKind.BUSINESS, uuid_text(business_id, "business_id")


def detail_in(detail: Detail) -> dict[str, Any]:
    """A detail as given, with its label (read-only in the spec: we set it)."""
    out = detail.model_dump(exclude_none=True)
    out["label"] = label_for(detail.category)
    return out


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))


def vendor_info_in(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The spec's oneOf vendor_json / vendor_xml, picked by `content_type`."""
    if raw is None:
        return None
    kind, vendor = raw.get("content_type"), raw.get("vendor")
    if not isinstance(vendor, str) or not 0 < len(vendor) <= 1000:
        raise bad("vendor_info.vendor is a string of 1 to 1000 characters")
    if kind == "application/json":
        document = raw.get("json")
        if not isinstance(document, dict):
            raise bad("vendor_info.json is an object when content_type is application/json")
        if _size(document) > MAX_VENDOR_BYTES:
            raise bad(f"vendor_info.json is at most {MAX_VENDOR_BYTES} bytes")
        return {"content_type": kind, "vendor": vendor, "json": document}
    if kind == "text/xml":
        text = raw.get("xml")
        if not isinstance(text, str):
            raise bad("vendor_info.xml is a string when content_type is text/xml")
        if len(text.encode()) > MAX_VENDOR_BYTES:
            raise bad(f"vendor_info.xml is at most {MAX_VENDOR_BYTES} bytes")
        check_xml(text)
        return {"content_type": kind, "vendor": vendor, "xml": text}
    raise bad("vendor_info.content_type is application/json or text/xml")


def check_xml(text: str) -> None:
    """Well-formed XML, parsed safely: no entity expansion, no external references."""
    try:
        fromstring(text, forbid_dtd=True)
    except DefusedXmlException:
        raise bad("vendor_info.xml may not declare a DTD or entities") from None
    except (ParseError, ValueError):
        raise bad("vendor_info.xml is not well-formed XML") from None


def metadata_in(metadata: dict[str, Any] | None) -> dict[str, Any]:
    if metadata is None:
        return {}
    if _size(metadata) > MAX_METADATA_BYTES:
        raise bad(f"metadata is at most {MAX_METADATA_BYTES} bytes of JSON")
    return metadata


def outcome_in(body: VerificationIn) -> Outcome:
    return Outcome(
        result=Result(body.result),
        details=[detail_in(d) for d in body.details or []],
        vendor_info=vendor_info_in(body.vendor_info),
    )


def verification(item: VerificationView, with_history: bool = False) -> dict[str, Any]:
    subject_key = "person_id" if item.subject_kind == ApplicantKind.PERSON else "business_id"
    out: dict[str, Any] = {
        "id": item.id,
        subject_key: item.applicant_id,
        "verification_type": item.type.value,
        "result": item.result.value,
        "verification_time": timestamp(item.verification_time),
        "details": item.details,
        "metadata": item.metadata,
        "creation_time": timestamp(item.created_at),
        "last_updated_time": timestamp(item.updated_at),
    }
    if item.vendor_info is not None:
        out["vendor_info"] = item.vendor_info
    if with_history:
        # openkyc's addition: the earlier states of a record updated in place
        out["history"] = item.history
    return out


def overall(result: Result) -> str:
    """The verify response's verification_status has no VENDOR_ERROR value."""
    return Result.REVIEW.value if result == Result.VENDOR_ERROR else result.value
