"""The decision: a pure function over the evidence and the step's settings.

Re-deciding a stored step with other thresholds is calling `decide` again on its evidence.
Step settings (all optional): `min_age` (18), `accepted_types` (all four),
`allowed_countries` / `restricted_countries` / `restricted_nationalities` (alpha-3 lists),
`expiry_grace_days` (0), `accept_black_white` (false), `forged_min_confidence` (0.9),
`review_min_confidence` (0.75), and the quality thresholds of quality.DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from openkyc.checks.base import Decision
from openkyc.checks.document import sandbox

TYPES = ("PASSPORT", "NATIONAL_ID", "DRIVER_LICENSE", "RESIDENT_PERMIT")
# MRZ document codes each declared type may carry (ICAO 9303: P passports, I/A/C cards,
# V visas; ISO 18013 driving licences open with D).
CODES = {
    "PASSPORT": ("P",),
    "NATIONAL_ID": ("I", "A", "C"),
    "RESIDENT_PERMIT": ("I", "A", "C", "R"),
    "DRIVER_LICENSE": ("D",),
}
REQUIRED_FIELDS = ("lastname", "birth_date", "document_number", "document_expiration")
Verdict = tuple[Decision, str | None]
Rule = Callable[[dict[str, Any], dict[str, Any], bool, date], Verdict | None]


def decide(
    evidence: dict[str, Any], settings: dict[str, Any], is_sandbox: bool, today: date
) -> Verdict:
    for rule in RULES:
        verdict = rule(evidence, settings, is_sandbox, today)
        if verdict is not None:
            return verdict
    return Decision.APPROVE, None


def _magic(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    if not sbx or not ev.get("sandbox_magic"):
        return None
    return sandbox.OUTCOMES[ev["sandbox_magic"]]


def _files(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    for side in ("front", "back"):
        if (ev.get("sides", {}).get(side) or {}).get("error"):
            return Decision.RESUBMIT, "DOCUMENT_FILE_INVALID"
    return None


def _type(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    accepted = st.get("accepted_types") or TYPES
    if ev.get("document_type") not in accepted:
        return Decision.RESUBMIT, "DOCUMENT_COMPLIANCE"
    return None


def _presence(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    sides = [s for s in (ev.get("sides") or {}).values() if s]
    if any(s.get("documents", 0) > 1 or s.get("mrz_blocks", 0) > 1 for s in sides):
        return Decision.RESUBMIT, "MULTIPLE_DOCUMENTS"
    front = ev.get("sides", {}).get("front") or {}
    if not front.get("has_document"):
        return Decision.RESUBMIT, "DOCUMENT_HIDDEN"
    return None


def _picture(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    problems = {p for s in (ev.get("sides") or {}).values() if s for p in s.get("problems", [])}
    if "black_white" in problems and not st.get("accept_black_white"):
        return Decision.RESUBMIT, "BLACK_WHITE_PICTURE"
    if "too_small" in problems:
        return Decision.RESUBMIT, "BAD_QUALITY"
    return None


def _compliance(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    mrz = ev.get("mrz")
    declared = ev.get("document_type")
    if mrz:
        code = str(mrz.get("fields", {}).get("document_code", ""))[:1]
        if code and code not in CODES.get(str(declared), ()):
            return Decision.RESUBMIT, "DOCUMENT_COMPLIANCE"
    return _sides(ev, mrz)


def _sides(ev: dict[str, Any], mrz: dict[str, Any] | None) -> Verdict | None:
    """ID-1 cards (TD1) carry the MRZ on the back: both sides are needed, each once."""
    if ev.get("document_type") == "PASSPORT":
        if mrz and mrz.get("side") == "back" and not _side_mrz(ev, "front"):
            return Decision.RESUBMIT, "DOCUMENT_INVALID_FRONT_SIDE"
        return None
    if ev.get("document_type") == "DRIVER_LICENSE":
        return None
    if mrz and mrz.get("format") == "TD1":
        back = ev.get("sides", {}).get("back")
        if _side_mrz(ev, "front") and (back is None or _side_mrz(ev, "back")):
            return Decision.RESUBMIT, "DOCUMENT_INVALID_FRONT_SIDE"
        if back is None:
            return Decision.RESUBMIT, "DOCUMENT_INVALID_BACK_SIDE"
    if not mrz and ev.get("sides", {}).get("back") is None:
        return Decision.RESUBMIT, "DOCUMENT_INVALID_BACK_SIDE"
    return None


def _side_mrz(ev: dict[str, Any], side: str) -> bool:
    return bool((ev.get("sides", {}).get(side) or {}).get("mrz_format"))


def _reading(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    """Check digits and MRZ/printed conflicts: forged when read clearly, else a person or
    a better picture decides."""
    mrz = ev.get("mrz")
    forged_at = float(st.get("forged_min_confidence", 0.9))
    review_at = float(st.get("review_min_confidence", 0.75))
    problems = {p for s in (ev.get("sides") or {}).values() if s for p in s.get("problems", [])}
    if mrz and not mrz.get("valid"):
        confidence = float(mrz.get("ocr_confidence", 0.0))
        if confidence >= forged_at and not problems:
            return Decision.REJECT, "FORGED_REJECTION"
        if confidence >= review_at and not problems:
            return Decision.REVIEW, "FORGED_REJECTION"
        return Decision.RESUBMIT, "BAD_QUALITY"
    conflicts = ev.get("conflicts") or []
    if conflicts:
        sure = (
            all(ev["crosscheck"][f]["ocr_confidence"] >= forged_at for f in conflicts)
            and float((mrz or {}).get("ocr_confidence", 0.0)) >= forged_at
        )
        return (Decision.REJECT if sure else Decision.REVIEW), "FORGED_REJECTION"
    if not mrz:
        return _without_mrz(ev, problems, review_at)
    return None


def _without_mrz(ev: dict[str, Any], problems: set[str], review_at: float) -> Verdict | None:
    fields = ev.get("fields") or {}
    complete = all(fields.get(name) for name in REQUIRED_FIELDS)
    confidence = min((ev.get("visual") or {}).get("confidence", {}).values(), default=0.0)
    if ev.get("document_type") == "PASSPORT" or not complete:
        return (
            Decision.RESUBMIT,
            "BAD_QUALITY" if problems or not complete else "DOCUMENT_INVALID_FRONT_SIDE",
        )
    if ev.get("document_type") != "DRIVER_LICENSE" or confidence < max(review_at, 0.85):
        return Decision.REVIEW, None  # no check digits to lean on: a person looks
    return None


def _specimen(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    if ev.get("specimen") and not sbx:
        return Decision.REJECT, "DOCUMENT_SPECIMEN"
    return None


def _dates(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    fields = ev.get("fields") or {}
    expiry = _date(fields.get("document_expiration"))
    grace = timedelta(days=int(st.get("expiry_grace_days", 0)))
    # Specimens are usually long expired; in a sandbox they are accepted as they are.
    if expiry and expiry + grace < today and not (sbx and ev.get("specimen")):
        return Decision.REJECT, "IDENTITY_DOCUMENT_EXPIRED"
    born = _date(fields.get("birth_date"))
    if born and age(born, today) < int(st.get("min_age", 18)):
        return Decision.REJECT, "IDENTITY_DOCUMENT_DOB_DATE_MINOR"
    return None


def _countries(ev: dict[str, Any], st: dict[str, Any], sbx: bool, today: date) -> Verdict | None:
    country = ev.get("country") or ""
    nationality = (ev.get("fields") or {}).get("nationality") or ""
    allowed = st.get("allowed_countries") or []
    if allowed and country not in allowed:
        return Decision.REJECT, "RESTRICTED_NATIONALITY_TYPE"
    if country in (st.get("restricted_countries") or []):
        return Decision.REJECT, "RESTRICTED_NATIONALITY_TYPE"
    if nationality in (st.get("restricted_nationalities") or []):
        return Decision.REJECT, "RESTRICTED_NATIONALITY_TYPE"
    return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


RULES: tuple[Rule, ...] = (
    _magic,
    _files,
    _type,
    _presence,
    _picture,
    _compliance,
    _reading,
    _specimen,
    _dates,
    _countries,
)
