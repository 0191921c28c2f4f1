"""Validation of one declared identifier, pure: python-stdnum where it has a validator,
email-validator, phonenumbers and ipaddress for the contact values, and the sandbox's
documented test values."""

from __future__ import annotations

import importlib
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from stdnum.exceptions import ValidationError

from openkyc.checks.email.check import EmailInvalid, normalise_email
from openkyc.checks.phone.check import PhoneNumberInvalid, parse_phone

# Document type -> the stdnum module that validates it (None: no validator exists).
VIRTUAL: dict[str, str | None] = {
    "SSN": "us.ssn",
    "TIN": "us.tin",
    "PASSPORT": None,
    "DRIVERS_LICENSE": None,
    "PERSONAL_IDENTIFICATION": None,  # chosen by country, see NATIONAL_ID
    "DUNS": None,
    "OTHER": None,
}
# National identity numbers python-stdnum validates, by ISO 3166 alpha-2 country.
NATIONAL_ID = {
    "FR": "fr.nir",
    "ES": "es.dni",
    "IT": "it.codicefiscale",
    "DE": "de.idnr",
    "NL": "nl.bsn",
    "BE": "be.nn",
    "PL": "pl.pesel",
    "SE": "se.personnummer",
    "DK": "dk.cpr",
    "NO": "no.fodselsnummer",
    "FI": "fi.hetu",
    "BR": "br.cpf",
    "MX": "mx.curp",
    "IN": "in_.aadhaar",
    "CN": "cn.ric",
    "CA": "ca.sin",
    "US": "us.ssn",
}
SOCIAL_HOSTS = {
    "FACEBOOK": ("facebook.com",),
    "LINKEDIN": ("linkedin.com",),
    "TWITTER": ("twitter.com", "x.com"),
}
# Sandbox: a virtual document is valid when its last four digits are these.
SANDBOX_VALID_SUFFIX = "2222"
# Sandbox: these social values fail (identity information is a complete fail).
SANDBOX_FAILING_IP = "255.255.255.0"
SANDBOX_FAILING_PHONE = "5417543010"
SANDBOX_FAILING_WORD = "invalid"  # facebook.com/invalid, invalid@example.com ...
MAX_VALUE = 256


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def normalised(category: str, doc_type: str, value: str) -> str:
    """The form compared in the duplicate search: same number, same hash."""
    if category == "virtual" and doc_type in ("SSN", "TIN", "DUNS"):
        return digits(value)
    return re.sub(r"[\s\-.]", "", value).upper()


def sandbox_result(category: str, doc_type: str, value: str) -> tuple[bool, str]:
    if category == "virtual":
        return digits(value)[-4:] == SANDBOX_VALID_SUFFIX, "sandbox"
    if doc_type == "IP":
        return value.strip() != SANDBOX_FAILING_IP, "sandbox"
    if doc_type == "PHONE_NUMBER":
        return digits(value)[-10:] != SANDBOX_FAILING_PHONE, "sandbox"
    if doc_type in ("EMAIL", *SOCIAL_HOSTS):
        words = re.split(r"[/@.?#]", value.strip().lower().rstrip("/"))
        return SANDBOX_FAILING_WORD not in words, "sandbox"
    return True, "sandbox"


def _stdnum(module: str, value: str) -> bool:
    validator: Any = importlib.import_module(f"stdnum.{module}")
    try:
        validator.validate(value)
    except ValidationError:
        return False
    return True


def validate_virtual(doc_type: str, value: str, country: str) -> tuple[bool | None, str]:
    """(valid, validator); valid is None when no validator exists for the type."""
    module = VIRTUAL.get(doc_type)
    if doc_type == "PERSONAL_IDENTIFICATION":
        module = NATIONAL_ID.get(country.upper())
    if doc_type == "DUNS":
        return len(digits(value)) == 9 and digits(value) == re.sub(r"[\s\-]", "", value), "duns"
    if module is None:
        return None, ""
    return _stdnum(module, value), f"stdnum.{module}"


def validate_social(doc_type: str, value: str, country: str) -> tuple[bool | None, str]:
    if doc_type == "EMAIL":
        try:
            normalise_email(value)
        except EmailInvalid:
            return False, "email-validator"
        return True, "email-validator"
    if doc_type == "PHONE_NUMBER":
        try:
            parse_phone(value, country or "US")
        except PhoneNumberInvalid:
            return False, "phonenumbers"
        return True, "phonenumbers"
    if doc_type == "IP":
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            return False, "ipaddress"
        return address.is_global or address.is_loopback, "ipaddress"
    if doc_type in SOCIAL_HOSTS:
        host = (urlsplit(value.strip()).hostname or "").removeprefix("www.")
        if host not in SOCIAL_HOSTS[doc_type]:
            return False, "url"
        return None, "url"  # a profile exists or not: only a person can tell
    return None, ""


def assess(category: str, doc_type: str, value: str, country: str, sandbox: bool) -> dict[str, Any]:
    """Evidence about one value, without the value itself (it is personal data)."""
    if not value or len(value) > MAX_VALUE:
        return {"valid": False, "validator": "length", "sandbox": sandbox}
    valid: bool | None
    if sandbox:
        valid, validator = sandbox_result(category, doc_type, value)
    elif category == "virtual":
        valid, validator = validate_virtual(doc_type, value, country)
    else:
        valid, validator = validate_social(doc_type, value, country)
    return {"valid": valid, "validator": validator or None, "sandbox": sandbox}
