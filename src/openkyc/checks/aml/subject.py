"""Who is screened: the customer_info of the AML payload, and the query made of it.

customer_info comes from the approved ID document's fields, else from what the tenant
declared for the applicant (a person or a business).
"""

from __future__ import annotations

from typing import Any

from openkyc.checks.aml.match import Query
from openkyc.checks.aml.text import analyze
from openkyc.checks.aml.values import country_code, gender, parse_date


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def from_document(fields: dict[str, Any]) -> dict[str, str]:
    """The seed's customer_info shape from an ID document's extracted fields."""
    return {
        "firstname": _text(fields.get("firstname")),
        "lastname": _text(fields.get("lastname")),
        "birth_date": _text(fields.get("birth_date")),
        "nationality": _text(fields.get("nationality")),
        "country": _text(fields.get("country") or fields.get("document_country")),
    }


def from_declared(kind: str, data: dict[str, Any]) -> dict[str, str]:
    """customer_info from an applicant's declared data (no ID document in the flow)."""
    address = data.get("legal_address") if isinstance(data.get("legal_address"), dict) else {}
    country = _text(data.get("country") or (address or {}).get("country"))
    if kind == "business":
        return {"name": _text(data.get("legal_name")), "country": country}
    given = " ".join(_text(data.get(k)) for k in ("first_name", "middle_name") if data.get(k))
    return {
        "firstname": given,
        "lastname": _text(data.get("last_name")),
        "birth_date": _text(data.get("birth_date")),
        "nationality": _text(data.get("nationality")),
        "country": country,
    }


def query_of(info: dict[str, Any], identifiers: list[str] | None = None) -> Query | None:
    """The screening query for a customer_info; None when it holds no name."""
    if info.get("name"):
        names = (str(info["name"]),)
        schema, family = "Company", frozenset[str]()
    else:
        full = " ".join(p for p in (info.get("firstname"), info.get("lastname")) if p)
        if not full.strip():
            return None
        names, schema = (full,), "Person"
        family = frozenset(analyze(str(info.get("lastname") or "")).tokens)
    countries = {country_code(info.get(k)) for k in ("nationality", "country")}
    return Query(
        schema=schema,
        names=names,
        birth_dates=tuple(parse_date(info.get("birth_date"))),
        countries=tuple(sorted(c for c in countries if c)),
        identifiers=tuple(identifiers or ()),
        gender=gender(info.get("gender")),
        family=family,
    )
