"""Pure functions between Synctera persons / businesses and the domain's applicants."""

from __future__ import annotations

from typing import Any

from openkyc.domain.applicant.schemas import ApplicantView
from openkyc.domain.verification.schemas import Result
from openkyc.surfaces.synctera.mapping import timestamp
from openkyc.surfaces.synctera.wire import AddressIn, BusinessIn, PersonalIdIn, PersonIn

# wire name -> domain name, for the plain fields
PERSON_FIELDS = {
    "first_name": "first_name",
    "middle_name": "middle_name",
    "last_name": "last_name",
    "dob": "birth_date",
    "email": "email",
    "phone_number": "phone",
    "nationality": "nationality",
    "legal_address": "legal_address",
    "shipping_address": "shipping_address",
}
BUSINESS_FIELDS = {
    "entity_name": "legal_name",
    "trade_names": "trade_names",
    "formation_date": "formation_date",
    "formation_state": "formation_state",
    "structure": "structure",
    "website": "website",
    "email": "email",
    "phone_number": "phone",
    "country_code": "country",
    "legal_address": "legal_address",
}
ADDRESS_FIELDS = {
    "address_line_1": "line1",
    "address_line_2": "line2",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
    "country_code": "country",
}
# The identifier types that have a field of their own in the wire format.
OWN_FIELD = {"ssn": "SSN", "ein": "EIN"}


def address_in(address: AddressIn | None) -> dict[str, Any] | None:
    if address is None:
        return None
    raw = address.model_dump(exclude_none=True)
    return {ADDRESS_FIELDS[k]: v for k, v in raw.items()}


def address_out(address: dict[str, Any] | None) -> dict[str, Any] | None:
    if not address:
        return None
    back = {v: k for k, v in ADDRESS_FIELDS.items()}
    return {back[k]: v for k, v in address.items()}


def _plain(body: PersonIn | BusinessIn, names: dict[str, str]) -> dict[str, Any]:
    """The fields the request set (None clears one), in domain names."""
    out: dict[str, Any] = {}
    for wire_name in body.model_fields_set & names.keys():
        value = getattr(body, wire_name)
        if wire_name.endswith("_address"):
            value = address_in(value)
        out[names[wire_name]] = value
    return out


def _identifiers(
    body: PersonIn | BusinessIn, current: list[dict[str, Any]], own: str
) -> list[dict[str, Any]] | None:
    """Identifiers after this request: its own-field one (ssn / ein) and the listed ones
    replace what was stored for them; None when the request touches neither."""
    sets_own = own in body.model_fields_set
    sets_list = "personal_ids" in body.model_fields_set
    if not sets_own and not sets_list:
        return None
    kind = OWN_FIELD[own]
    own_items = [i for i in current if i["type"] == kind]
    others = [i for i in current if i["type"] != kind]
    if sets_own:
        value = getattr(body, own)
        own_items = [{"type": kind, "value": value, "country": "US"}] if value else []
    if sets_list:
        ids: list[PersonalIdIn] = getattr(body, "personal_ids", None) or []
        others = [_personal_id(i) for i in ids]
    return own_items + others


def _personal_id(item: PersonalIdIn) -> dict[str, Any]:
    out = {"type": item.id_type.upper(), "value": item.identifier}
    if item.country_code:
        out["country"] = item.country_code
    return out


def person_changes(body: PersonIn, current: list[dict[str, Any]]) -> dict[str, Any]:
    changes = _plain(body, PERSON_FIELDS)
    identifiers = _identifiers(body, current, "ssn")
    if identifiers is not None:
        changes["identifiers"] = identifiers
    return changes


def business_changes(body: BusinessIn, current: list[dict[str, Any]]) -> dict[str, Any]:
    changes = _plain(body, BUSINESS_FIELDS)
    identifiers = _identifiers(body, current, "ein")
    if identifiers is not None:
        changes["identifiers"] = identifiers
    return changes


def last4(value: str) -> str:
    """Identifiers are shown by their last four characters only, as Synctera shows SSNs."""
    return value[-4:]


def _common_out(view: ApplicantView, status: Result, last_run: str | None) -> dict[str, Any]:
    out = {
        "id": view.id,
        "status": view.status,
        "is_customer": view.is_customer,
        "metadata": view.metadata,
        "verification_status": status.value,
        "creation_time": timestamp(view.created_at),
        "last_updated_time": timestamp(view.updated_at),
    }
    if last_run:
        out["verification_last_run"] = last_run
    return out


def _fields_out(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    out = {}
    for wire_name, name in names.items():
        if name in data:
            value = data[name]
            out[wire_name] = address_out(value) if wire_name.endswith("_address") else value
    return out


def person(view: ApplicantView, status: Result, last_run: str | None = None) -> dict[str, Any]:
    data = view.data
    out = {**_common_out(view, status, last_run), **_fields_out(data, PERSON_FIELDS)}
    ids = data.get("identifiers", [])
    ssn = next((i["value"] for i in ids if i["type"] == "SSN"), None)
    if ssn:
        out["ssn"] = last4(ssn)
    listed = [i for i in ids if i["type"] != "SSN"]
    if listed:
        out["personal_ids"] = [_id_out(i) for i in listed]
    return out


def _id_out(item: dict[str, Any]) -> dict[str, Any]:
    out = {"id_type": item["type"], "identifier": last4(item["value"])}
    if item.get("country"):
        out["country_code"] = item["country"]
    return out


def business(view: ApplicantView, status: Result, last_run: str | None = None) -> dict[str, Any]:
    data = view.data
    out = {**_common_out(view, status, last_run), **_fields_out(data, BUSINESS_FIELDS)}
    ein = next((i["value"] for i in data.get("identifiers", []) if i["type"] == "EIN"), None)
    if ein:
        out["ein"] = last4(ein)
    if "country_code" not in out and data.get("legal_address"):
        # no country of formation given: the legal address's, as screening reads it
        out["country_code"] = data["legal_address"]["country"]
    return out


WIRE_NAMES = {
    **{v: k for k, v in PERSON_FIELDS.items()},
    **{v: k for k, v in BUSINESS_FIELDS.items()},
    **{v: k for k, v in ADDRESS_FIELDS.items()},
    "identifiers": "personal_ids",
}


def wire_message(message: str) -> str:
    """A domain validation message ("birth_date: ...; legal_address.line1: ...") with the
    field names the client sent ("dob", "legal_address.address_line_1")."""
    parts = []
    for part in message.split("; "):
        where, separator, text = part.partition(": ")
        if separator:
            where = ".".join(WIRE_NAMES.get(p, p) for p in where.split("."))
        parts.append(where + separator + text)
    return "; ".join(parts)


def wire_fields(names: list[str]) -> list[str]:
    return [WIRE_NAMES.get(n, n) for n in names]
