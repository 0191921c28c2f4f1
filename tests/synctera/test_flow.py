"""The issue's journey: persons verified with real screening against a fixture list, a
reviewer's MANUAL_REVIEW, and the list of every record with its history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from openkyc.bootstrap import System
from openkyc.checks.aml.lists import parse_file
from openkyc.domain.aml import lists

from .conftest import Headers, create_business, create_person, record

OFAC = Path(__file__).resolve().parents[1] / "fixtures" / "aml" / "ofac_sdn.xml"
# On the fixture list: OFAC SDN uid 7553, born 28 Apr 1937.
LISTED = {"first_name": "Saddam", "last_name": "Hussein Al-Tikriti", "dob": "1937-04-28"}


def load_ofac(system: System) -> None:
    with system.runtime.transaction(actor="admin") as ctx:
        lists.load(ctx, parse_file(OFAC, "ofac_sdn"), lists.file_digest(OFAC))


def verify(client: TestClient, headers: Headers, person_id: str) -> dict[str, Any]:
    response = client.post(
        "/v0/verifications/verify",
        json={"person_id": person_id, "customer_consent": True, "customer_ip_address": "1.2.3.4"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def by_type(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["verification_type"]: v for v in body["verifications"]}


def test_screening_review_and_history(client: TestClient, headers: Headers, system: System) -> None:
    load_ofac(system)
    listed = create_person(client, headers, **LISTED, nationality="IQ")
    clear = create_person(client, headers)

    flagged = verify(client, headers, listed["id"])
    watch = by_type(flagged)["WATCHLIST"]
    assert watch["result"] == "REVIEW"
    assert watch["details"][0]["category"] == "WATCHLIST"
    assert "HUSSEIN" in watch["details"][0]["description"].upper()
    hits = watch["vendor_info"]["json"]["hits"]
    assert hits and hits[0]["dataset"] == "us_ofac_sdn"
    assert flagged["verification_status"] == "REVIEW"
    assert by_type(flagged)["DOCUMENT_VERIFICATION"]["result"] == "PENDING"

    passed = verify(client, headers, clear["id"])
    assert by_type(passed)["WATCHLIST"]["result"] == "ACCEPTED"
    assert by_type(passed)["WATCHLIST"]["details"][0]["result"] == "PASS"
    assert passed["verification_status"] == "PENDING"  # the documents are still to come

    # verified again (a retry, another day): the new records supersede the old ones
    again = verify(client, headers, listed["id"])
    assert by_type(again)["WATCHLIST"]["result"] == "REVIEW"
    # the tenant's reviewer looked at the hit and decided
    manual = record(
        client,
        headers,
        person_id=listed["id"],
        verification_type="MANUAL_REVIEW",
        result="REJECTED",
        details=[{"category": "WATCHLIST", "result": "FAIL", "description": "confirmed match"}],
    )
    person = client.get(f"/v0/persons/{listed['id']}", headers=headers).json()
    assert person["verification_status"] == "REJECTED"

    current = client.get(
        "/v0/verifications", params={"person_id": listed["id"]}, headers=headers
    ).json()["verifications"]
    # records made by one request share their creation time: their order among them is by id
    assert sorted(v["verification_type"] for v in current) == [
        "DOCUMENT_VERIFICATION",
        "IDENTITY",
        "MANUAL_REVIEW",
        "WATCHLIST",
    ]
    assert current[-1]["id"] == manual["id"]
    everything = client.get(
        "/v0/verifications",
        params={"person_id": listed["id"], "include_history": "true"},
        headers=headers,
    ).json()["verifications"]
    assert len(everything) == 7  # 3 of the first verify, 3 of the second, the manual review
    assert [v["id"] for v in everything][-1] == manual["id"]
    first_ids = {v["id"] for v in flagged["verifications"]}
    assert first_ids <= {v["id"] for v in everything}
    assert not first_ids & {v["id"] for v in current}


def test_without_a_loaded_list_screening_is_a_vendor_error(
    client: TestClient, headers: Headers
) -> None:
    person = create_person(client, headers)
    body = verify(client, headers, person["id"])
    watch = by_type(body)["WATCHLIST"]
    assert watch["result"] == "VENDOR_ERROR"
    assert "no sanctions list is loaded" in watch["details"][0]["description"]
    assert body["verification_status"] == "REVIEW"  # no VENDOR_ERROR in the overall status


def test_a_business_is_screened_by_its_legal_name(
    client: TestClient, headers: Headers, system: System
) -> None:
    load_ofac(system)
    airline = create_business(client, headers, entity_name="Aerocaribbean Airlines")
    response = client.post(
        "/v0/verifications/verify",
        json={"business_id": airline["id"], "customer_consent": True},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    records = response.json()["verifications"]
    assert [(v["verification_type"], v["result"]) for v in records] == [("WATCHLIST", "REVIEW")]
    assert records[0]["business_id"] == airline["id"]


def test_adhoc_screens_a_payee_before_a_payment(
    client: TestClient, headers: Headers, other_headers: Headers, system: System
) -> None:
    load_ofac(system)
    payer = create_person(client, headers)
    payee = create_person(client, headers, **LISTED, is_customer=False)
    fine = create_person(client, headers, first_name="Ann", last_name="Lee", is_customer=False)
    response = client.post(
        "/v0/verifications/adhoc",
        json={"payer_id": payer["id"], "payee_id": payee["id"]},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == "REVIEW" and body["matching_watchlists"] == ["US_OFAC"]
    assert body["vendor_info"]["json"]["total_hits"] >= 1
    record_ = client.get(f"/v0/verifications/{body['id']}", headers=headers).json()
    assert record_["person_id"] == payee["id"] and record_["metadata"]["adhoc"] is True
    ok = client.post(
        "/v0/verifications/adhoc",
        json={"payer_id": payer["id"], "payee_id": fine["id"]},
        headers=headers,
    ).json()
    assert ok["result"] == "ACCEPTED" and ok["matching_watchlists"] == []
    # unknown or foreign parties are a bad request here (the spec lists no 404)
    for ids in (
        {"payer_id": payer["id"], "payee_id": "7d943c51-e4ff-4e57-9558-08cab6b963c7"},
        {"payer_id": "not-a-uuid", "payee_id": payee["id"]},
    ):
        response = client.post("/v0/verifications/adhoc", json=ids, headers=headers)
        assert response.status_code == 400, response.text
    nameless = create_business(client, headers, entity_name=None, is_customer=False)
    response = client.post(
        "/v0/verifications/adhoc",
        json={"payer_id": payer["id"], "payee_id": nameless["id"]},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "missing required fields: entity_name"
    foreign = client.post(
        "/v0/verifications/adhoc",
        json={"payer_id": payer["id"], "payee_id": payee["id"]},
        headers=other_headers,
    )
    assert foreign.status_code == 400
