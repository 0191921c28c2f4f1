"""Request bodies in Synctera's spelling. Strict types (a number is not a string); fields
the spec marks read-only (id, creation_time, label...) and unknown ones are ignored."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from openkyc.surfaces.http import WireModel

Text = Field(default=None, max_length=2000)

Category = Literal[
    "ADDRESS",
    "BANKRUPTCIES",
    "BUSINESS_NAME",
    "CIP",
    "DEVICE",
    "DOC_DETAILS",
    "DOC_VERIFICATION",
    "EMAIL",
    "FRAUD",
    "LICENSE",
    "OFFICE_ADDRESS",
    "OTHER",
    "PHONE",
    "SELFIE_CAPTURE",
    "SELFIE_DOCUMENT",
    "SOS_DOMESTIC",
    "SOS_FILINGS",
    "SYNTHETIC",
    "TIN_MATCH",
    "WATCHLIST",
    "WEBSITE",
]
ResultName = Literal[
    "ACCEPTED", "PENDING", "PROVISIONAL", "REJECTED", "REVIEW", "UNVERIFIED", "VENDOR_ERROR"
]
TypeName = Literal[
    "DOCUMENT_VERIFICATION", "IDENTITY", "LICENSE", "MANUAL_REVIEW", "RELATED_ENTITIES", "WATCHLIST"
]
PersonStatus = Literal[
    "ACTIVE",
    "DECEASED",
    "DENIED",
    "DORMANT",
    "ESCHEAT",
    "FROZEN",
    "INACTIVE",
    "PROSPECT",
    "SANCTION",
]
BusinessStatus = Literal[
    "PROSPECT",
    "ACTIVE",
    "FROZEN",
    "SANCTION",
    "DISSOLVED",
    "CANCELLED",
    "SUSPENDED",
    "MERGED",
    "INACTIVE",
    "CONVERTED",
]


class Wire(WireModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class Detail(Wire):
    category: Category | None = None
    description: str | None = Text
    result: Literal["FAIL", "INFO", "PASS", "WARN"] | None = None
    score: float | None = None
    url: str | None = Text
    vendor_code: str | None = Field(default=None, max_length=200)


class VerificationIn(Wire):
    result: ResultName
    verification_type: TypeName
    verification_time: str = Field(max_length=64)
    person_id: str | None = Field(default=None, max_length=64)
    business_id: str | None = Field(default=None, max_length=64)
    details: list[Detail] | None = Field(default=None, max_length=200)
    metadata: dict[str, Any] | None = None
    vendor_info: dict[str, Any] | None = None


class VerifyIn(Wire):
    customer_consent: bool
    person_id: str | None = Field(default=None, max_length=64)
    business_id: str | None = Field(default=None, max_length=64)
    customer_ip_address: str | None = Field(default=None, max_length=64)
    document_id: str | None = Field(default=None, max_length=200)
    # openkyc's extension: which types to run (default: all it can for the subject kind)
    verification_types: list[TypeName] | None = Field(default=None, max_length=6)


class AdhocIn(Wire):
    payee_id: str = Field(max_length=64)
    payer_id: str = Field(max_length=64)


class AddressIn(Wire):
    address_line_1: str = Field(min_length=1, max_length=200)
    address_line_2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country_code: str = Field(min_length=2, max_length=2)


class PersonalIdIn(Wire):
    id_type: str = Field(min_length=2, max_length=32)
    identifier: str = Field(min_length=1, max_length=64)
    country_code: str | None = Field(default=None, min_length=2, max_length=2)


class PartyIn(Wire):
    email: str | None = Field(default=None, max_length=320)
    phone_number: str | None = Field(default=None, max_length=20)
    legal_address: AddressIn | None = None
    is_customer: bool | None = None
    metadata: dict[str, Any] | None = None


class PersonIn(PartyIn):
    first_name: str | None = Field(default=None, max_length=200)
    middle_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    dob: str | None = Field(default=None, max_length=10)
    shipping_address: AddressIn | None = None
    ssn: str | None = Field(default=None, max_length=11)
    personal_ids: list[PersonalIdIn] | None = Field(default=None, max_length=19)
    # openkyc's extension: ISO 3166-1 alpha-2, used by the watchlist screening
    nationality: str | None = Field(default=None, max_length=2)
    status: PersonStatus | None = None


class BusinessIn(PartyIn):
    entity_name: str | None = Field(default=None, max_length=200)
    trade_names: list[str] | None = Field(default=None, max_length=10)
    formation_date: str | None = Field(default=None, max_length=10)
    formation_state: str | None = Field(default=None, max_length=100)
    ein: str | None = Field(default=None, max_length=10)
    structure: str | None = Field(default=None, max_length=64)
    website: str | None = Field(default=None, max_length=2000)
    # openkyc's extension: the country of formation (default: the legal address's)
    country_code: str | None = Field(default=None, max_length=2)
    status: BusinessStatus | None = None
