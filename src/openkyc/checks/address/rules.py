"""The PROOF_OF_ADDRESS decision: a pure function of the evidence, the step's settings and
today's date. What the applicant can fix asks for a new document (RESUBMIT with a reason);
what only a person can judge (red flags, an accommodation letter, no name to compare)
waits for a reviewer.

Step settings: `max_age_months` (the issuing-date window, default 3), `document_types`
(the kinds accepted, default all), `future_tolerance_days` (clock skew allowed, default 2).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from openkyc.checks.address.match import ADDRESS_THRESHOLD, NAME_THRESHOLD
from openkyc.checks.base import Decision

DEFAULT_MONTHS = 3
# Red flags a whole-file signature that is intact answers for: the issuer signed the file
# as it is, whichever tool produced it and however many times it was saved before.
SIGNED_AWAY = {"editor_metadata", "incremental_update"}

Verdict = tuple[Decision, str | None]
Json = dict[str, Any]


def window_start(today: date, months: int) -> date:
    """The oldest issuing date accepted: the same day `months` months ago."""
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    return today - timedelta(days=31 * months)


def _number(settings: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    """A whole-number step setting, clamped; a malformed one falls back to the default."""
    try:
        return min(max(int(settings.get(name, default)), low), high)
    except (TypeError, ValueError):
        return default


def months_setting(settings: dict[str, Any]) -> int:
    return _number(settings, "max_age_months", DEFAULT_MONTHS, 1, 24)


def decide(evidence: dict[str, Any], settings: dict[str, Any], today: date) -> Verdict:
    document = evidence.get("document") or {}
    for rule in (_readable, _kind, _issued, _holder):
        verdict = rule(evidence, document, settings, today)
        if verdict is not None:
            return verdict
    if routed_flags(evidence):
        return Decision.REVIEW, "POA_TAMPERING_SUSPECTED"
    if evidence.get("host") is not None:
        return Decision.REVIEW, None  # the accommodation letter is read by a person
    return Decision.APPROVE, None


def routed_flags(evidence: dict[str, Any]) -> list[str]:
    flags = list((evidence.get("document") or {}).get("red_flags") or [])
    signatures = ((evidence.get("document") or {}).get("file") or {}).get("signatures") or []
    if any(s.get("intact") and s.get("valid") and s.get("covers_whole_file") for s in signatures):
        flags = [f for f in flags if f not in SIGNED_AWAY]
    return flags


def _readable(
    ev: dict[str, Any], doc: dict[str, Any], s: dict[str, Any], t: date
) -> Verdict | None:
    if doc.get("error") or int(doc.get("text_chars") or 0) < 40:
        return Decision.RESUBMIT, "POA_DOCUMENT_UNREADABLE"
    return None


def _kind(ev: Json, doc: Json, s: Json, t: date) -> Verdict | None:
    declared = ev.get("declared_type", "")
    accepted = s.get("document_types")
    if isinstance(accepted, list) and accepted and declared not in accepted:
        return Decision.RESUBMIT, "DOCUMENT_COMPLIANCE"
    detected = doc.get("document_kind", "")
    if not detected:
        return Decision.RESUBMIT, "DOCUMENT_COMPLIANCE"
    if detected != declared:
        return Decision.RESUBMIT, "POA_DOCUMENT_TYPE_MISMATCH"
    return None


def _issued(ev: Json, doc: Json, s: Json, t: date) -> Verdict | None:
    raw = doc.get("issuing_date") or ""
    if not raw:
        return Decision.REVIEW, "POA_ISSUING_DATE_MISSING"
    issued = date.fromisoformat(raw)
    tolerance = _number(s, "future_tolerance_days", 2, 0, 31)
    if issued > t + timedelta(days=tolerance):
        return Decision.RESUBMIT, "POA_ISSUING_DATE_INVALID"
    if issued < window_start(t, months_setting(s)):
        return Decision.RESUBMIT, "POA_DOCUMENT_TOO_OLD"
    return None


def _holder(ev: Json, doc: Json, s: Json, t: date) -> Verdict | None:
    host = ev.get("host")
    if host is not None and not host.get("usable"):
        return Decision.RESUBMIT, "POA_HOST_ID_INVALID"
    if not doc.get("holder"):
        return Decision.RESUBMIT, "POA_ADDRESS_MISMATCH"
    scores = ev.get("match") or {}
    if scores.get("name") is None:
        return Decision.REVIEW, None  # no ID name to compare with: a person compares
    if scores["name"] < NAME_THRESHOLD:
        return Decision.RESUBMIT, "POA_NAME_MISMATCH"
    if scores.get("address", 0) < ADDRESS_THRESHOLD or scores.get("city", 0) < ADDRESS_THRESHOLD:
        return Decision.RESUBMIT, "POA_ADDRESS_MISMATCH"
    if scores.get("zipcode") is False:
        return Decision.RESUBMIT, "POA_ADDRESS_MISMATCH"
    return None
