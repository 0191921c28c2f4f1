"""Fixtures for the Synctera dialect: bearer headers of two apps and small builders."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app

from openkyc.bootstrap import System

Headers = dict[str, str]

JANE: dict[str, Any] = {
    "first_name": "Jane",
    "last_name": "Doe",
    "dob": "1990-02-03",
    "email": "jane@example.com",
    "phone_number": "+14155550123",
    "ssn": "123-45-6789",
    "legal_address": {
        "address_line_1": "1 Main St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country_code": "US",
    },
}
ACME: dict[str, Any] = {
    "entity_name": "Acme Widgets LLC",
    "formation_date": "2001-05-06",
    "formation_state": "DE",
    "ein": "12-3456789",
    "legal_address": {"address_line_1": "9 Market St", "country_code": "US"},
}


def bearer(app: dict[str, str]) -> Headers:
    return {"Authorization": f"Bearer {app['api_key']}"}


@pytest.fixture
def headers(tenant: dict[str, str]) -> Headers:
    return bearer(tenant)


@pytest.fixture
def other_headers(system: System) -> Headers:
    """A second app: none of the first app's ids may be visible to it."""
    return bearer(new_app(system, "other"))


def create_person(client: TestClient, headers: Headers, **fields: Any) -> dict[str, Any]:
    response = client.post("/v0/persons", json={**JANE, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def create_business(client: TestClient, headers: Headers, **fields: Any) -> dict[str, Any]:
    response = client.post("/v0/businesses", json={**ACME, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def evidence(**fields: Any) -> dict[str, Any]:
    """A POST /v0/verifications body (the seed's example, with one subject)."""
    body: dict[str, Any] = {
        "result": "ACCEPTED",
        "verification_type": "IDENTITY",
        "verification_time": "2023-11-07T05:31:56Z",
        "details": [
            {
                "category": "ADDRESS",
                "description": "Email address is correlated with the individual's name",
                "result": "PASS",
                "score": 0.25,
                "url": "http://example.com/additional-information",
                "vendor_code": "R940",
            }
        ],
        "metadata": {},
        "vendor_info": {"content_type": "application/json", "json": {}, "vendor": "SOCURE"},
    }
    body.update(fields)
    return body


def record(client: TestClient, headers: Headers, **fields: Any) -> dict[str, Any]:
    response = client.post("/v0/verifications", json=evidence(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())
