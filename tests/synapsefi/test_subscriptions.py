"""Subscriptions: USER|POST and USER|PATCH webhooks with the full user object, signed as
SynapseFI signed them, delivered to a real local receiver."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.servers import Receiver, http_receiver, wait_for
from tests.synapsefi.conftest import (
    Gateway,
    base_document,
    create_user,
    error_of,
    new_gateway,
    patch,
)

from openkyc.bootstrap import System


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


def subscribe(client: TestClient, gw: Gateway, url: str, scope: list[str]) -> dict[str, object]:
    response = client.post(
        "/v3.1/subscriptions", json={"url": url, "scope": scope}, headers=gw.headers()
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def synapse_signed(headers: dict[str, str], body: bytes, object_id: str, gw: Gateway) -> bool:
    """Computed here, independently: HMAC of "<object id>+<client id>" with the secret."""
    message = f"{object_id}+{gw.client_id}".encode()
    key = gw.client_secret.encode()
    sha1 = hmac.new(key, message, hashlib.sha1).hexdigest()
    sha256 = hmac.new(key, message, hashlib.sha256).hexdigest()
    full = hmac.new(key, body, hashlib.sha256).hexdigest()
    return (
        headers["x-synapse-signature"] == sha1
        and headers["x-synapse-signature-sha256"] == sha256
        and headers["x-synapse-signature-sha256-fullbody"] == full
    )


def test_user_webhooks_arrive_signed(
    client: TestClient, sandbox: Gateway, receiver: Receiver
) -> None:
    sub = subscribe(client, sandbox, receiver.url + "/hook", ["USER|POST", "USER|PATCH"])
    assert sub["is_active"] is True and sub["client_id"] == sandbox.client_id
    user = create_user(client, sandbox)
    wait_for(lambda: len(receiver.requests) >= 1, "the USER|POST webhook")
    created = receiver.requests[0]
    assert created.path == "/hook" and created.query == {}
    payload = created.json()
    assert payload["_id"] == user.id and payload["webhook_meta"]["function"] == "USER|POST"
    assert synapse_signed(created.headers, created.body, user.id, sandbox)
    patch(client, sandbox, user, {"documents": [base_document()], "permission": "LOCKED"})
    # One delivery per change: the PATCH and then each check's decision.
    wait_for(
        lambda: any(r.json()["permission"] == "LOCKED" for r in receiver.requests), "USER|PATCH"
    )
    patched = [r.json() for r in receiver.requests[1:]]
    assert all(p["webhook_meta"]["function"] == "USER|PATCH" for p in patched)
    last = patched[-1]["documents"][0]["social_docs"]
    assert {s["status"] for s in last} == {"SUBMITTED|VALID"}


def test_subscriptions_list_update_and_scopes(
    client: TestClient, sandbox: Gateway, receiver: Receiver, system: System
) -> None:
    sub = subscribe(client, sandbox, receiver.url, ["USER|PATCH"])
    listed = client.get("/v3.1/subscriptions", headers=sandbox.headers()).json()
    assert listed["subscriptions_count"] == 1 and listed["subscriptions"][0]["_id"] == sub["_id"]
    one = client.get(f"/v3.1/subscriptions/{sub['_id']}", headers=sandbox.headers()).json()
    assert one["scope"] == ["USER|PATCH"]
    create_user(client, sandbox)  # USER|POST is not subscribed
    off = client.patch(
        f"/v3.1/subscriptions/{sub['_id']}",
        json={"is_active": False, "url": receiver.url + "/v2"},
        headers=sandbox.headers(),
    )
    assert off.json()["is_active"] is False and off.json()["url"].endswith("/v2")
    user = create_user(client, sandbox)
    patch(client, sandbox, user, {"permission": "LOCKED"})
    assert receiver.requests == []
    error_of(
        client.post(
            "/v3.1/subscriptions",
            json={"url": receiver.url, "scope": ["EVERYTHING"]},
            headers=sandbox.headers(),
        ),
        400,
        "200",
    )
    error_of(
        client.post(
            "/v3.1/subscriptions",
            json={"url": "ftp://x", "scope": ["USER|POST"]},
            headers=sandbox.headers(),
        ),
        400,
        "200",
    )
    other = new_gateway(system, "other")
    error_of(client.get(f"/v3.1/subscriptions/{sub['_id']}", headers=other.headers()), 404, "404")


def test_other_dialects_endpoints_do_not_get_user_webhooks(
    client: TestClient, sandbox: Gateway, receiver: Receiver, admin_headers: dict[str, str]
) -> None:
    """An admin webhook endpoint hears the session and step events, in Synaps' payload."""
    client.post(
        f"/admin/apps/{sandbox.app_id}/webhooks",
        json={"url": receiver.url + "/synaps"},
        headers=admin_headers,
    )
    subscribe(client, sandbox, receiver.url + "/synapsefi", ["USER|PATCH"])
    user = create_user(client, sandbox)
    patch(client, sandbox, user, {"documents": [base_document()]})
    wait_for(lambda: any(r.path == "/synapsefi" for r in receiver.requests), "a user webhook")
    for request in receiver.requests:
        if request.path == "/synaps":
            assert "webhook_meta" not in request.json() and "session_id" in request.json()
        else:
            assert "webhook_meta" in request.json()
