"""Idempotency-Key: replays, conflicts, app scope, retention and concurrent retries."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.servers import serve

from openkyc.app import create_app
from openkyc.bootstrap import System
from openkyc.domain.verification import idempotency
from openkyc.errors import Invalid
from openkyc.models import IdempotencyKey, Verification
from openkyc.settings import Settings

from .conftest import Headers, create_person, evidence

KEY = "7d943c51-e4ff-4e57-9558-08cab6b963c7"


def count(system: System, model: Any = Verification) -> int:
    with system.runtime.transaction(readonly=True) as ctx:
        return int(ctx.db.scalar(select(func.count()).select_from(model)) or 0)


def post(
    client: TestClient, headers: Headers, body: dict[str, Any], key: str = KEY
) -> httpx.Response:
    return client.post("/v0/verifications", json=body, headers={**headers, "Idempotency-Key": key})


def test_the_same_key_and_body_replays_the_first_response(
    client: TestClient, headers: Headers, system: System
) -> None:
    person = create_person(client, headers)
    body = evidence(person_id=person["id"])
    first = post(client, headers, body)
    again = post(client, headers, dict(reversed(list(body.items()))))  # key order is no change
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert count(system) == 1


def test_the_same_key_with_another_body_is_refused(
    client: TestClient, headers: Headers, system: System
) -> None:
    person = create_person(client, headers)
    assert post(client, headers, evidence(person_id=person["id"])).status_code == 201
    response = post(client, headers, evidence(person_id=person["id"], result="REJECTED"))
    assert response.status_code == 400
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    # nor may the key be reused on another endpoint
    other = client.post("/v0/persons", json={}, headers={**headers, "Idempotency-Key": KEY})
    assert other.status_code == 400 and other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert count(system) == 1


def test_keys_belong_to_one_app(
    client: TestClient, headers: Headers, other_headers: Headers, system: System
) -> None:
    mine = post(client, headers, evidence(person_id=create_person(client, headers)["id"]))
    theirs_person = create_person(client, other_headers)
    theirs = post(client, other_headers, evidence(person_id=theirs_person["id"]))
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert count(system) == 2


def test_a_failed_request_leaves_its_key_free(
    client: TestClient, headers: Headers, system: System
) -> None:
    missing = evidence(person_id="7d943c51-e4ff-4e57-9558-08cab6b963c7")
    assert post(client, headers, missing).status_code == 404
    assert post(client, headers, missing).status_code == 404  # not replayed: retried
    person = create_person(client, headers)
    assert post(client, headers, evidence(person_id=person["id"])).status_code == 201
    assert count(system) == 1 and count(system, IdempotencyKey) == 1


def test_creates_of_persons_and_verify_calls_are_idempotent_too(
    client: TestClient, headers: Headers, system: System
) -> None:
    body = {"first_name": "Ann", "last_name": "Lee"}
    first = client.post("/v0/persons", json=body, headers={**headers, "Idempotency-Key": "p-1"})
    again = client.post("/v0/persons", json=body, headers={**headers, "Idempotency-Key": "p-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    listed = client.get("/v0/persons", headers=headers).json()["persons"]
    assert [p["id"] for p in listed] == [first.json()["id"]]
    too_long = client.post(
        "/v0/persons", json=body, headers={**headers, "Idempotency-Key": "k" * 256}
    )
    assert too_long.status_code == 400


def test_keys_are_kept_48_hours_then_purged(
    client: TestClient, headers: Headers, tenant: dict[str, str], system: System
) -> None:
    person = create_person(client, headers)
    assert post(client, headers, evidence(person_id=person["id"])).status_code == 201
    fingerprint = idempotency.request_hash("POST", "/v0/persons", {})
    with pytest.raises(Invalid), system.runtime.transaction() as ctx:
        ctx.now += timedelta(hours=47)
        idempotency.claim(ctx, tenant["app_id"], KEY, fingerprint)  # still held: refused
    with system.runtime.transaction() as ctx:
        ctx.now += timedelta(hours=49)
        claimed = idempotency.claim(ctx, tenant["app_id"], KEY, fingerprint)
        assert isinstance(claimed, IdempotencyKey)


def test_concurrent_retries_with_one_key_create_one_record(
    settings: Settings, system: System, tenant: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Eight clients send the same request at the same moment to a live server."""
    caplog.set_level(logging.INFO, logger="openkyc.domain.verification.idempotency")
    auth = {"Authorization": f"Bearer {tenant['api_key']}"}
    answers: list[httpx.Response] = []
    with serve(create_app(settings, system, workers=False)) as base:
        person = httpx.post(f"{base}/v0/persons", json={"first_name": "Jo"}, headers=auth)
        assert person.status_code == 201, person.text
        body = evidence(person_id=person.json()["id"])
        start = threading.Barrier(8)

        def send() -> None:
            with httpx.Client(base_url=base, timeout=30) as own:
                start.wait()
                key = {**auth, "Idempotency-Key": "concurrent"}
                answers.append(own.post("/v0/verifications", json=body, headers=key))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert count(system) == 1
    # one request did the work; the seven others found its key and replayed its answer
    replays = [r for r in caplog.records if r.getMessage().startswith("idempotent replay")]
    assert len(replays) == 7
