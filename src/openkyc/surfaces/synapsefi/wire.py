"""Request bodies in SynapseFI's spelling. Unknown keys are ignored (the SDKs and old
integrations send more than openkyc reads); known ones are type- and size-checked."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from openkyc.surfaces.http import WireModel

Text = Field(default=None, max_length=200)
MAX_SUBS = 20


class Wire(WireModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Login(Wire):
    email: str = Field(min_length=3, max_length=320)
    password: str | None = Field(default=None, max_length=200)
    scope: Literal["READ_AND_WRITE", "READ"] | None = None
    read_only: bool | None = None


class SubDocument(Wire):
    document_type: str = Field(min_length=1, max_length=40)
    # A physical document's value is a base64 data URL: the body limit bounds it.
    document_value: str | None = None
    id: str | None = Field(default=None, max_length=64)
    mfa_answer: str | None = Field(default=None, max_length=16)


class BaseDocument(Wire):
    id: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320)
    phone_number: str | None = Field(default=None, max_length=40)
    ip: str | None = Field(default=None, max_length=64)
    name: str | None = Text
    alias: str | None = Text
    entity_type: str | None = Field(default=None, max_length=40)
    entity_scope: str | None = Text
    day: int | None = Field(default=None, ge=1, le=31)
    month: int | None = Field(default=None, ge=1, le=12)
    year: int | None = Field(default=None, ge=1800, le=2200)
    address_street: str | None = Text
    address_city: str | None = Field(default=None, max_length=100)
    address_subdivision: str | None = Field(default=None, max_length=100)
    address_postal_code: str | None = Field(default=None, max_length=20)
    address_country_code: str | None = Field(default=None, max_length=2)
    physical_docs: list[SubDocument] = Field(default_factory=list, max_length=MAX_SUBS)
    virtual_docs: list[SubDocument] = Field(default_factory=list, max_length=MAX_SUBS)
    social_docs: list[SubDocument] = Field(default_factory=list, max_length=MAX_SUBS)


class Extra(Wire):
    cip_tag: int | None = Field(default=None, ge=1, le=3)
    supp_id: str | None = Text
    is_business: bool | None = None
    public_note: str | None = Field(default=None, max_length=1000)


class CreateUser(Wire):
    logins: list[Login] = Field(min_length=1, max_length=10)
    phone_numbers: list[str] = Field(default_factory=list, max_length=10)
    legal_names: list[str] = Field(min_length=1, max_length=10)
    documents: list[BaseDocument] = Field(default_factory=list, max_length=5)
    extra: Extra | None = None


class EmailOnly(Wire):
    email: str = Field(min_length=3, max_length=320)


class Update(Wire):
    legal_name: str | None = Text
    login: Login | None = None
    phone_number: str | None = Field(default=None, max_length=320)
    remove_login: EmailOnly | None = None
    remove_phone_number: str | None = Field(default=None, max_length=320)
    remove_legal_name: str | None = Text
    cip_tag: int | None = Field(default=None, ge=1, le=3)
    is_hidden: bool | None = None
    public_note: str | None = Field(default=None, max_length=1000)


class PatchUser(Wire):
    documents: list[BaseDocument] = Field(default_factory=list, max_length=5)
    update: Update | None = None
    permission: str | None = Field(default=None, max_length=40)
    refresh_token: str | None = Field(default=None, max_length=200)


class OAuthBody(Wire):
    refresh_token: str | None = Field(default=None, max_length=200)
    scope: list[str] | None = Field(default=None, max_length=40)
    phone_number: str | None = Field(default=None, max_length=320)
    validation_pin: str | None = Field(default=None, max_length=16)


class NewSubscription(Wire):
    url: str = Field(min_length=1, max_length=2000)
    scope: list[str] = Field(min_length=1, max_length=20)


class SubscriptionChanges(Wire):
    url: str | None = Field(default=None, max_length=2000)
    scope: list[str] | None = Field(default=None, max_length=20)
    is_active: bool | None = None
