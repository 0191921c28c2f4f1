"""Persons and businesses: the applicants the Synctera dialect verifies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from openkyc.bootstrap import System
from openkyc.models import Applicant

from .conftest import JANE, Headers, create_business, create_person


def test_a_person_round_trips_with_its_identifiers_masked(
    client: TestClient, headers: Headers
) -> None:
    person = create_person(
        client,
        headers,
        nationality="FR",
        middle_name="Q",
        personal_ids=[{"id_type": "PASSPORT", "identifier": "X1234567", "country_code": "FR"}],
        metadata={"crm": "42"},
    )
    assert person["first_name"] == "Jane" and person["dob"] == "1990-02-03"
    assert person["ssn"] == "6789"
    assert person["personal_ids"] == [
        {"id_type": "PASSPORT", "identifier": "4567", "country_code": "FR"}
    ]
    assert person["legal_address"] == JANE["legal_address"]
    assert person["status"] == "ACTIVE" and person["is_customer"] is True
    assert person["verification_status"] == "UNVERIFIED"
    assert person["metadata"] == {"crm": "42"}
    fetched = client.get(f"/v0/persons/{person['id']}", headers=headers).json()
    assert fetched == person


def test_declared_data_is_encrypted_at_rest(
    client: TestClient, headers: Headers, system: System
) -> None:
    person = create_person(client, headers, first_name="Zebulon")
    with system.runtime.transaction(readonly=True) as ctx:
        row = ctx.db.scalars(select(Applicant).where(Applicant.id == person["id"])).one()
    assert row.kind == "person" and row.declared is not None
    assert b"Zebulon" not in row.declared and b"6789" not in row.declared


def test_patch_merges_fields_and_clears_with_null(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    response = client.patch(
        f"/v0/persons/{person['id']}",
        json={"last_name": "Roe", "email": None, "ssn": "987-65-4321", "status": "FROZEN"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["last_name"] == "Roe" and body["first_name"] == "Jane"
    assert "email" not in body and body["ssn"] == "4321" and body["status"] == "FROZEN"
    assert body["last_updated_time"] >= person["last_updated_time"]


def test_bad_fields_are_named_in_the_wire_spelling(client: TestClient, headers: Headers) -> None:
    cases = [
        ({"dob": "1990-13-01"}, "dob"),
        ({"dob": "2999-01-01"}, "dob"),
        ({"phone_number": "555"}, "phone_number"),
        ({"legal_address": {"address_line_1": "x", "country_code": "ZZ"}}, "country_code"),
        ({"first_name": 7}, "first_name"),
        ({"status": "HAPPY"}, "status"),
        ({"email": "not-an-email"}, "email"),
    ]
    for fields, name in cases:
        response = client.post("/v0/persons", json={**JANE, **fields}, headers=headers)
        assert response.status_code == 400, (fields, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert name in problem["detail"], problem
        assert problem["code"] == "BAD_REQUEST_BODY" and problem["status"] == 400


def test_a_business_round_trips(client: TestClient, headers: Headers) -> None:
    business = create_business(client, headers, trade_names=["Acme"], status="PROSPECT")
    assert business["entity_name"] == "Acme Widgets LLC" and business["ein"] == "6789"
    assert business["country_code"] == "US" and business["trade_names"] == ["Acme"]
    assert business["status"] == "PROSPECT"
    response = client.patch(
        f"/v0/businesses/{business['id']}", json={"website": "https://acme.test"}, headers=headers
    )
    assert response.status_code == 200 and response.json()["website"] == "https://acme.test"
    # a business is not a person, and the other way round
    assert client.get(f"/v0/persons/{business['id']}", headers=headers).status_code == 404
    person = create_person(client, headers)
    assert client.get(f"/v0/businesses/{person['id']}", headers=headers).status_code == 404


def test_lists_page_through_every_party_once(client: TestClient, headers: Headers) -> None:
    made = [create_person(client, headers, first_name=f"P{i}")["id"] for i in range(7)]
    create_business(client, headers)
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"limit": 3, **({"page_token": token} if token else {})}
        body = client.get("/v0/persons", params=params, headers=headers).json()
        seen += [p["id"] for p in body["persons"]]
        pages += 1
        token = body.get("next_page_token")
        if not token:
            break
    assert seen == made and pages == 3
    some = client.get("/v0/persons", params={"id": f"{made[2]},{made[5]}"}, headers=headers).json()
    assert [p["id"] for p in some["persons"]] == [made[2], made[5]]
    assert len(client.get("/v0/businesses", headers=headers).json()["businesses"]) == 1


def test_another_apps_parties_are_not_found(
    client: TestClient, headers: Headers, other_headers: Headers
) -> None:
    person = create_person(client, headers)
    business = create_business(client, headers)
    assert client.get(f"/v0/persons/{person['id']}", headers=other_headers).status_code == 404
    assert client.get(f"/v0/businesses/{business['id']}", headers=other_headers).status_code == 404
    patched = client.patch(
        f"/v0/persons/{person['id']}", json={"first_name": "X"}, headers=other_headers
    )
    assert patched.status_code == 404
    assert client.get("/v0/persons", headers=other_headers).json() == {"persons": []}


def test_the_synaps_applicant_is_the_same_person(
    client: TestClient, tenant: dict[str, str], headers: Headers, system: System
) -> None:
    """A session's applicant, created by the Synaps dialect, is a person here."""
    from tests.helpers import init_session

    session_id = init_session(client, tenant["api_key"])
    with system.runtime.transaction(readonly=True) as ctx:
        from openkyc.models import Session

        applicant_id = ctx.db.get(Session, session_id).applicant_id  # type: ignore[union-attr]
    response = client.get(f"/v0/persons/{applicant_id}", headers=headers)
    assert response.status_code == 200 and response.json()["id"] == applicant_id
    patched = client.patch(f"/v0/persons/{applicant_id}", json=JANE, headers=headers)
    assert patched.status_code == 200 and patched.json()["last_name"] == "Doe"


def test_authentication_is_a_bearer_api_key(client: TestClient) -> None:
    for auth in (None, "Bearer", "Basic abc", "Bearer sk_live_nope"):
        headers = {"Authorization": auth} if auth else {}
        response = client.get("/v0/persons", headers=headers)
        assert response.status_code == 401, auth
        assert response.json()["type"].endswith("/unauthorized")


PERSON_STATUSES = ["ACTIVE", "DECEASED", "DENIED", "DORMANT", "ESCHEAT", "FROZEN", "INACTIVE"]
BUSINESS_STATUSES = ["PROSPECT", "ACTIVE", "FROZEN", "SANCTION", "DISSOLVED", "CANCELLED"]


def test_every_status_value(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers, status="PROSPECT")
    for status in [*PERSON_STATUSES, "SANCTION"]:
        response = client.patch(
            f"/v0/persons/{person['id']}", json={"status": status}, headers=headers
        )
        assert response.status_code == 200 and response.json()["status"] == status
    business = create_business(client, headers)
    for status in [*BUSINESS_STATUSES, "SUSPENDED", "MERGED", "INACTIVE", "CONVERTED"]:
        response = client.patch(
            f"/v0/businesses/{business['id']}", json={"status": status}, headers=headers
        )
        assert response.status_code == 200 and response.json()["status"] == status
    wrong = client.patch(
        f"/v0/businesses/{business['id']}", json={"status": "DECEASED"}, headers=headers
    )
    assert wrong.status_code == 400
