"""POST/GET /v0/verifications: evidence upload, validation, filters, pages and history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from openkyc.bootstrap import System
from openkyc.models import Verification

from .conftest import Headers, create_business, create_person, evidence, record

RESULTS = ["ACCEPTED", "PENDING", "PROVISIONAL", "REJECTED", "REVIEW", "UNVERIFIED", "VENDOR_ERROR"]
TYPES = [
    "DOCUMENT_VERIFICATION",
    "IDENTITY",
    "LICENSE",
    "MANUAL_REVIEW",
    "RELATED_ENTITIES",
    "WATCHLIST",
]
CATEGORIES = {
    "ADDRESS": "Address",
    "BANKRUPTCIES": "Bankruptcies",
    "BUSINESS_NAME": "Business name",
    "CIP": "Customer identification",
    "DEVICE": "Device",
    "DOC_DETAILS": "Document details",
    "DOC_VERIFICATION": "Document",
    "EMAIL": "Email",
    "FRAUD": "Fraud",
    "LICENSE": "License",
    "OFFICE_ADDRESS": "Office address",
    "OTHER": "Other",
    "PHONE": "Phone",
    "SELFIE_CAPTURE": "Selfie",
    "SELFIE_DOCUMENT": "Selfie to document",
    "SOS_DOMESTIC": "Secretary of State (domestic)",
    "SOS_FILINGS": "Secretary of State filings",
    "SYNTHETIC": "Synthetic identity",
    "TIN_MATCH": "TIN match",
    "WATCHLIST": "Watchlist",
    "WEBSITE": "Website",
}


def test_the_seed_example_is_recorded_as_shown(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    body = record(client, headers, person_id=person["id"])
    assert body["person_id"] == person["id"] and "business_id" not in body
    assert body["result"] == "ACCEPTED" and body["verification_type"] == "IDENTITY"
    assert body["verification_time"] == "2023-11-07T05:31:56.000Z"
    assert body["details"] == [{**evidence()["details"][0], "label": "Address"}]
    assert body["vendor_info"] == {
        "content_type": "application/json",
        "json": {},
        "vendor": "SOCURE",
    }
    assert body["metadata"] == {}
    for key in ("id", "creation_time", "last_updated_time"):
        assert body[key]
    assert client.get(f"/v0/verifications/{body['id']}", headers=headers).json() == body


@pytest.mark.parametrize("kind", ["person", "business"])
def test_every_result_for_both_subject_kinds(
    client: TestClient, headers: Headers, kind: str
) -> None:
    subject = (
        create_person(client, headers) if kind == "person" else create_business(client, headers)
    )
    for result in RESULTS:
        body = record(client, headers, **{f"{kind}_id": subject["id"]}, result=result)
        assert body["result"] == result and body[f"{kind}_id"] == subject["id"]


def test_every_type_and_every_detail_category(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    outcomes = ["FAIL", "INFO", "PASS", "WARN"]
    details = [{"category": c, "result": outcomes[i % 4]} for i, c in enumerate(CATEGORIES)]
    for type_ in TYPES:
        body = record(
            client, headers, person_id=person["id"], verification_type=type_, details=details
        )
        assert body["verification_type"] == type_
        assert [d["label"] for d in body["details"]] == list(CATEGORIES.values())


def test_vendor_info_as_xml_is_parsed_safely(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    xml = {
        "content_type": "text/xml",
        "vendor": "IDOLOGY",
        "xml": "<response><id>1</id></response>",
    }
    assert record(client, headers, person_id=person["id"], vendor_info=xml)["vendor_info"] == xml
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    external = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    for text, words in ((bomb, "DTD"), (external, "DTD"), ("<a><b></a>", "well-formed")):
        body = evidence(person_id=person["id"], vendor_info={**xml, "xml": text})
        response = client.post("/v0/verifications", json=body, headers=headers)
        assert response.status_code == 400 and words in response.json()["detail"], response.text


INVALID = [
    ({"result": "MAYBE"}, "result"),
    ({"verification_type": "CREDIT"}, "verification_type"),
    ({"verification_time": "yesterday"}, "verification_time"),
    ({"verification_time": "2023-11-07T05:31:56"}, "verification_time"),
    ({"verification_time": 1699335116}, "verification_time"),
    ({"person_id": None}, "exactly one"),
    ({"business_id": "7d943c51-e4ff-4e57-9558-08cab6b963c7"}, "exactly one"),
    ({"person_id": "not-a-uuid"}, "person_id"),
    ({"details": [{"category": "HOROSCOPE"}]}, "category"),
    ({"details": [{"result": "OK"}]}, "result"),
    ({"details": [{"score": "high"}]}, "score"),
    ({"details": "none"}, "details"),
    ({"metadata": []}, "metadata"),
    ({"vendor_info": {"content_type": "text/csv", "vendor": "X"}}, "content_type"),
    ({"vendor_info": {"content_type": "application/json", "vendor": "X"}}, "json"),
    ({"vendor_info": {"content_type": "text/xml", "vendor": "X", "xml": 5}}, "xml"),
    ({"vendor_info": {"content_type": "application/json", "json": {}}}, "vendor"),
]


def test_invalid_evidence_is_a_clear_400(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    for change, words in INVALID:
        body = evidence(person_id=person["id"])
        body.update(change)
        body = {k: v for k, v in body.items() if v is not None}
        response = client.post("/v0/verifications", json=body, headers=headers)
        assert response.status_code == 400, (change, response.text)
        problem = response.json()
        assert set(problem) == {"type", "title", "status", "detail", "code"}
        assert words in problem["detail"], (change, problem)


def test_required_fields_missing(client: TestClient, headers: Headers) -> None:
    person = create_person(client, headers)
    for field in ("result", "verification_type", "verification_time"):
        body = evidence(person_id=person["id"])
        del body[field]
        response = client.post("/v0/verifications", json=body, headers=headers)
        assert response.status_code == 400 and field in response.json()["detail"]
    response = client.post("/v0/verifications", json=[1, 2], headers=headers)
    assert response.status_code == 400


def test_unknown_or_foreign_subjects_and_records_are_not_found(
    client: TestClient, headers: Headers, other_headers: Headers
) -> None:
    person = create_person(client, headers)
    business = create_business(client, headers)
    mine = record(client, headers, person_id=person["id"])
    for subject in ({"person_id": person["id"]}, {"business_id": business["id"]}):
        response = client.post("/v0/verifications", json=evidence(**subject), headers=other_headers)
        assert response.status_code == 404, response.text
    # a person id given as a business id is not found either
    response = client.post(
        "/v0/verifications", json=evidence(business_id=person["id"]), headers=headers
    )
    assert response.status_code == 404
    assert client.get(f"/v0/verifications/{mine['id']}", headers=other_headers).status_code == 404
    listed = client.get("/v0/verifications", params={"id": mine["id"]}, headers=other_headers)
    assert listed.json() == {"verifications": []}
    assert client.get("/v0/verifications/nope", headers=headers).status_code == 404


def _all_pages(client: TestClient, headers: Headers, **params: Any) -> tuple[list[str], int]:
    ids: list[str] = []
    token, pages = None, 0
    while True:
        query = {**params, **({"page_token": token} if token else {})}
        response = client.get("/v0/verifications", params=query, headers=headers)
        assert response.status_code == 200, response.text
        ids += [v["id"] for v in response.json()["verifications"]]
        pages += 1
        token = response.json().get("next_page_token")
        if not token:
            return ids, pages


def test_filters_and_pagination_across_pages(client: TestClient, headers: Headers) -> None:
    jane, john = create_person(client, headers), create_person(client, headers, first_name="John")
    acme = create_business(client, headers)
    made = []
    for i, type_ in enumerate(TYPES):
        made.append(
            record(
                client, headers, person_id=jane["id"], verification_type=type_, result=RESULTS[i]
            )["id"]
        )
    made.append(record(client, headers, person_id=john["id"], result="REJECTED")["id"])
    made.append(
        record(client, headers, business_id=acme["id"], verification_type="WATCHLIST")["id"]
    )
    ids, pages = _all_pages(client, headers, limit=2)
    assert ids == made and pages == 4
    assert _all_pages(client, headers, person_id=jane["id"])[0] == made[:6]
    both = f"{john['id']},{acme['id']}"
    assert _all_pages(client, headers, person_id=both)[0] == [made[6]]
    assert _all_pages(client, headers, person_id=john["id"], business_id=acme["id"])[0] == made[6:]
    watch = _all_pages(client, headers, verification_type="WATCHLIST,LICENSE")[0]
    assert watch == [made[2], made[5], made[7]]
    assert _all_pages(client, headers, result="REJECTED,PENDING")[0] == [made[1], made[3], made[6]]
    assert _all_pages(client, headers, id=f"{made[0]},{made[7]}")[0] == [made[0], made[7]]


BAD_PARAMS = [
    {"limit": 0},
    {"limit": "ten"},
    {"page_token": "garbage!"},
    {"id": "nope"},
    {"verification_type": "CREDIT"},
    {"result": "MAYBE"},
    {"include_history": "perhaps"},
]


def test_bad_list_parameters_are_400(client: TestClient, headers: Headers) -> None:
    for params in [*BAD_PARAMS, {"person": "typo"}, {"id": ""}, {"result": "REVIEW,,PENDING"}]:
        response = client.get("/v0/verifications", params=params, headers=headers)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def test_a_limit_over_100_reads_as_100(
    client: TestClient, headers: Headers, system: System
) -> None:
    person = create_person(client, headers)
    for _ in range(101):
        record(client, headers, person_id=person["id"], verification_type="LICENSE")
    body = client.get(
        "/v0/verifications", params={"limit": 500, "include_history": "true"}, headers=headers
    ).json()
    assert len(body["verifications"]) == 100 and body["next_page_token"]


def test_a_new_record_of_a_type_keeps_the_old_one_as_history(
    client: TestClient, headers: Headers, system: System
) -> None:
    person = create_person(client, headers)
    first = record(client, headers, person_id=person["id"], result="REVIEW")
    second = record(client, headers, person_id=person["id"], result="ACCEPTED")
    other = record(client, headers, person_id=person["id"], verification_type="WATCHLIST")
    current = client.get("/v0/verifications", params={"person_id": person["id"]}, headers=headers)
    assert [v["id"] for v in current.json()["verifications"]] == [second["id"], other["id"]]
    everything = client.get(
        "/v0/verifications",
        params={"person_id": person["id"], "include_history": "true"},
        headers=headers,
    ).json()["verifications"]
    assert [v["id"] for v in everything] == [first["id"], second["id"], other["id"]]
    assert all(v["history"] == [] for v in everything)
    # the superseded record stays readable by id
    assert (
        client.get(f"/v0/verifications/{first['id']}", headers=headers).json()["result"] == "REVIEW"
    )
    with system.runtime.transaction(readonly=True) as ctx:
        rows = ctx.db.scalars(select(Verification).order_by(Verification.created_at)).all()
    assert [r.active for r in rows] == [False, True, True]
    assert all(b"SOCURE" not in r.content for r in rows)  # details and vendor_info encrypted
