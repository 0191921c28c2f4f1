"""What an applicant declared, in openkyc's own vocabulary (the dialects map onto it).

Every field is optional: a tenant fills a person or business in over several calls, and
each check says which fields it needs (see `missing`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from openkyc.errors import Invalid

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$")
Name = Field(default=None, min_length=1, max_length=200)


class ApplicantKind(StrEnum):
    PERSON = "person"
    BUSINESS = "business"


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 2 or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value.upper()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Address(Strict):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str

    _check_country = field_validator("country")(_country)


class Identifier(Strict):
    """A document or tax number: SSN, EIN, PASSPORT, NATIONAL_ID, DRIVERS_LICENSE, ..."""

    type: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,31}$")
    value: str = Field(min_length=1, max_length=64)
    country: str | None = None

    _check_country = field_validator("country")(_country)


class Contact(Strict):
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = None
    legal_address: Address | None = None
    identifiers: list[Identifier] = Field(default_factory=list, max_length=20)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not E164.match(value):
            raise ValueError("a phone number is in E.164 format, e.g. +14155550123")
        return value


def _past_date(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} is a date in YYYY-MM-DD format") from None
    if len(value) != 10 or parsed < date(1900, 1, 1) or parsed > datetime.now().date():
        raise ValueError(f"{what} is a YYYY-MM-DD date between 1900-01-01 and today")
    return value


class PersonData(Contact):
    first_name: str | None = Name
    middle_name: str | None = Name
    last_name: str | None = Name
    birth_date: str | None = None
    nationality: str | None = None
    shipping_address: Address | None = None

    _check_nationality = field_validator("nationality")(_country)

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: str | None) -> str | None:
        return _past_date(value, "a birth date")


class BusinessData(Contact):
    legal_name: str | None = Name
    trade_names: list[str] = Field(default_factory=list, max_length=10)
    formation_date: str | None = None
    formation_state: str | None = Field(default=None, max_length=100)
    country: str | None = None
    structure: str | None = Field(default=None, max_length=64)
    website: str | None = Field(default=None, max_length=2000)

    _check_country = field_validator("country")(_country)

    @field_validator("formation_date")
    @classmethod
    def _formation_date(cls, value: str | None) -> str | None:
        return _past_date(value, "a formation date")

    @field_validator("trade_names")
    @classmethod
    def _trade_names(cls, value: list[str]) -> list[str]:
        if any(not name or len(name) > 200 for name in value):
            raise ValueError("trade names are 1 to 200 characters")
        return value


MODELS: dict[ApplicantKind, type[Contact]] = {
    ApplicantKind.PERSON: PersonData,
    ApplicantKind.BUSINESS: BusinessData,
}


def validate_data(kind: ApplicantKind, data: dict[str, Any]) -> dict[str, Any]:
    """Validated declared data with empty fields left out; Invalid names each bad field."""
    try:
        model = MODELS[kind].model_validate(data)
    except ValidationError as exc:
        raise Invalid(describe(exc)) from None
    return model.model_dump(exclude_none=True, exclude_defaults=True)


def describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


@dataclass(frozen=True)
class ApplicantView:
    """An applicant with its declared data decrypted."""

    id: str
    kind: ApplicantKind
    data: dict[str, Any]
    status: str
    is_customer: bool
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime


# What a screening or a verification needs declared, per kind.
REQUIRED_FOR_SCREENING: dict[ApplicantKind, tuple[str, ...]] = {
    ApplicantKind.PERSON: ("first_name", "last_name", "birth_date"),
    ApplicantKind.BUSINESS: ("legal_name",),
}


def missing(view: ApplicantView, fields: tuple[str, ...]) -> list[str]:
    return [name for name in fields if not view.data.get(name)]
