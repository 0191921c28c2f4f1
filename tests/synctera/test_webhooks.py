"""Verification webhooks, signed the Synctera way, against a real local receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.servers import Receiver, http_receiver, wait_for

from openkyc.bootstrap import System
from openkyc.domain.verification import repository
from openkyc.domain.verification import service as records
from openkyc.domain.verification.schemas import Outcome, Result

from .conftest import Headers, create_person, record


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


def synctera_signed(timestamp: str, body: bytes, secret: str) -> str:
    """Computed here, independently of openkyc: hex HMAC-SHA256 over f"{ts}.{body}"."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def endpoint(client: TestClient, admin: Headers, app_id: str, url: str) -> tuple[str, str]:
    response = client.post(f"/admin/apps/{app_id}/webhooks", json={"url": url}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.json()["secret"]


def test_created_and_updated_events_are_signed_the_synctera_way(
    client: TestClient,
    headers: Headers,
    tenant: dict[str, str],
    admin_headers: Headers,
    receiver: Receiver,
    system: System,
) -> None:
    person = create_person(client, headers)
    hook_id, secret = endpoint(client, admin_headers, tenant["app_id"], receiver.url + "/hooks")
    made = record(client, headers, person_id=person["id"], result="REVIEW")
    wait_for(lambda: len(receiver.requests) == 1, "the created event")
    sent = receiver.requests[0]
    assert sent.path == "/hooks" and sent.query == {}  # no Synaps-style ?secret=
    assert sent.headers["synctera-signature"] == synctera_signed(
        sent.headers["request-timestamp"], sent.body, secret
    )
    event = sent.json()
    assert event["type"] == "VERIFICATION.CREATED" and event["webhook_id"] == hook_id
    assert event["url"] == receiver.url + "/hooks" and event["id"] and event["event_time"]
    resource = json.loads(event["event_resource"])
    assert resource["id"] == made["id"] and resource["person_id"] == person["id"]
    assert resource["result"] == "REVIEW" and resource["verification_type"] == "IDENTITY"
    assert "details" not in resource and "vendor_info" not in resource  # fetched, not pushed

    with system.runtime.transaction() as ctx:
        row = repository.get(ctx.db, tenant["app_id"], made["id"])
        assert row is not None
        assert records.update(ctx, row, Outcome(Result.ACCEPTED)) is True
        assert records.update(ctx, row, Outcome(Result.ACCEPTED)) is False  # no change, no event
    wait_for(lambda: len(receiver.requests) == 2, "the updated event")
    updated = receiver.requests[1].json()
    assert updated["type"] == "VERIFICATION.UPDATED"
    assert json.loads(updated["event_resource"])["result"] == "ACCEPTED"
    fetched = client.get(f"/v0/verifications/{made['id']}", headers=headers).json()
    assert fetched["result"] == "ACCEPTED" and fetched["id"] == made["id"]


def test_during_a_secret_rotation_both_signatures_are_sent(
    client: TestClient,
    headers: Headers,
    tenant: dict[str, str],
    admin_headers: Headers,
    receiver: Receiver,
) -> None:
    person = create_person(client, headers)
    hook_id, old = endpoint(client, admin_headers, tenant["app_id"], receiver.url)
    rotated = client.post(
        f"/admin/apps/{tenant['app_id']}/webhooks/{hook_id}/rotate-secret", headers=admin_headers
    )
    new = rotated.json()["secret"]
    record(client, headers, person_id=person["id"])
    wait_for(lambda: len(receiver.requests) == 1, "the event")
    sent = receiver.requests[0]
    stamp = sent.headers["request-timestamp"]
    assert sent.headers["synctera-signature"].split(".") == [
        synctera_signed(stamp, sent.body, new),
        synctera_signed(stamp, sent.body, old),
    ]
