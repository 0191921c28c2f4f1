"""PHONE: the number is valid for its country and the applicant proved they receive it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers
import pycountry

from openkyc.checks.base import CheckInput, CheckOutcome, Decision

METHODS = ("sms", "call")
# phonenumbers' type ids -> the names we record as evidence
_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
}


class PhoneNumberInvalid(ValueError):
    pass


@dataclass(frozen=True)
class PhoneInfo:
    number: str  # E.164
    calling_code: str
    country: str  # ISO-3166 alpha-3
    line_type: str


def alpha3(region: str | None) -> str:
    if not region:
        return ""
    country = pycountry.countries.get(alpha_2=region)
    return country.alpha_3 if country else ""


def parse_phone(raw: str, default_country: str | None = None) -> PhoneInfo:
    """Parse a number given in international form (or national form with a country)."""
    region = None
    if default_country:
        found = pycountry.countries.get(alpha_3=default_country.upper()) or (
            pycountry.countries.get(alpha_2=default_country.upper())
        )
        region = found.alpha_2 if found else None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneNumberInvalid("the phone number could not be read") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNumberInvalid("the phone number is not a valid number for its country")
    number_type = phonenumbers.number_type(parsed)
    return PhoneInfo(
        number=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        calling_code=str(parsed.country_code),
        country=alpha3(phonenumbers.region_code_for_number(parsed)),
        line_type=_TYPES.get(number_type, "unknown"),
    )


def decide(evidence: dict[str, Any], settings: dict[str, Any]) -> CheckOutcome:
    """Pure rule: a confirmed, valid number of an accepted kind and country is approved.

    Step settings: `blocked_line_types` (default ["premium_rate"]) and
    `allowed_countries` (alpha-3 list; empty means all).
    """
    if not evidence.get("valid"):
        return CheckOutcome(Decision.RESUBMIT, "PHONE_NUMBER_INVALID", evidence)
    if not evidence.get("code_verified"):
        return CheckOutcome(Decision.RESUBMIT, "CODE_NOT_VERIFIED", evidence)
    blocked = settings.get("blocked_line_types", ["premium_rate"])
    allowed = settings.get("allowed_countries") or []
    if evidence.get("line_type") in blocked or (allowed and evidence.get("country") not in allowed):
        return CheckOutcome(Decision.REJECT, "PHONE_NUMBER_RESTRICTED", evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


class PhoneCheck:
    def run(self, data: CheckInput) -> CheckOutcome:
        sub = data.submission
        evidence: dict[str, Any] = {
            "code_verified": bool(sub.get("verified_at")),
            "method": sub.get("method", "sms"),
        }
        try:
            info = parse_phone(str(sub.get("number", "")))
        except PhoneNumberInvalid as exc:
            evidence.update(valid=False, error=str(exc))
        else:
            evidence.update(
                valid=True,
                calling_code=info.calling_code,
                country=info.country,
                line_type=info.line_type,
            )
        return decide(evidence, data.settings)
