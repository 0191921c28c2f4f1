"""Webhooks against a real local receiver: signatures and secret rotation, retries with
exponential backoff for 24 hours, replay, and the admin API that manages them.

Time is driven by giving the delivery function a transaction whose `now` we choose; the
queue is the immediate in-memory one, so a change's first attempt runs at its commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import init_session
from tests.servers import Receiver, closed_port, http_receiver, signed_with

from openkyc.bootstrap import System
from openkyc.domain.webhook import service as webhooks
from openkyc.kit.clock import utcnow
from openkyc.worker.tasks import deliver

Headers = dict[str, str]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


def add_endpoint(client: TestClient, admin: Headers, app_id: str, url: str) -> tuple[str, str]:
    response = client.post(f"/admin/apps/{app_id}/webhooks", json={"url": url}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.json()["secret"]


def reset_session(client: TestClient, admin: Headers, tenant: dict[str, str]) -> str:
    """A real change that writes one delivery per endpoint (status RESET)."""
    session_id = init_session(client, tenant["api_key"])
    response = client.post(
        f"/admin/apps/{tenant['app_id']}/sessions/{session_id}/reset", headers=admin
    )
    assert response.status_code == 200, response.text
    return session_id


def deliveries(client: TestClient, admin: Headers, app_id: str, **query: Any) -> list[Any]:
    response = client.get(f"/admin/apps/{app_id}/deliveries", params=query, headers=admin)
    assert response.status_code == 200, response.text
    return list(response.json()["deliveries"])


def attempt_at(system: System, delivery_id: str, now: datetime) -> dict[str, Any]:
    with system.runtime.transaction(actor="worker") as ctx:
        ctx.now = now
        row = webhooks.attempt(ctx, delivery_id)
        assert row is not None
        return webhooks.describe(row)


def due(row: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(row["next_attempt_at"])


def test_a_failing_receiver_is_retried_with_exponential_backoff(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    app_id = tenant["app_id"]
    add_endpoint(client, admin_headers, app_id, receiver.url)
    receiver.status = 500
    reset_session(client, admin_headers, tenant)
    [row] = deliveries(client, admin_headers, app_id)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, 500)
    assert row["last_error"] == "HTTP 500"
    created = datetime.fromisoformat(row["created_at"])
    assert due(row) - created == pytest.approx(timedelta(seconds=30), abs=timedelta(seconds=2))

    # Too early: nothing is sent.
    assert attempt_at(system, row["id"], due(row) - timedelta(seconds=5))["attempts"] == 1
    assert len(receiver.requests) == 1

    gaps = []
    for _ in range(3):
        before = due(row)
        row = attempt_at(system, row["id"], before)
        gaps.append((due(row) - before).total_seconds())
    assert gaps == [60, 120, 240]  # doubling from the 30 s of the first retry
    assert row["attempts"] == 4

    receiver.status = 200
    row = attempt_at(system, row["id"], due(row))
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("delivered", 5, None)
    assert len(receiver.requests) == 5
    # Every try is the same delivery with the same body.
    assert {r.headers["x-openkyc-delivery"] for r in receiver.requests} == {row["id"]}
    assert len({r.body for r in receiver.requests}) == 1


def test_a_delivery_failing_for_more_than_24_hours_ends_failed(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    app_id = tenant["app_id"]
    add_endpoint(client, admin_headers, app_id, receiver.url)
    receiver.status = 503
    reset_session(client, admin_headers, tenant)
    [row] = deliveries(client, admin_headers, app_id)
    created = datetime.fromisoformat(row["created_at"])
    while row["status"] == "pending":
        last_try = due(row)
        assert last_try - created < timedelta(hours=24)
        row = attempt_at(system, row["id"], last_try)
    assert row["status"] == "failed" and row["next_attempt_at"] is None
    # Backoff capped at 2 hours: 30 s, 1, 2, 4 ... 64 min, then every 2 h until a day is over.
    assert timedelta(hours=22) < last_try - created < timedelta(hours=24)
    assert row["attempts"] == len(receiver.requests) == 19
    # A failed delivery is not tried again, even when asked.
    attempt_at(system, row["id"], last_try + timedelta(days=1))
    assert len(receiver.requests) == 19
    failed = deliveries(client, admin_headers, app_id, status="failed")
    assert [r["id"] for r in failed] == [row["id"]]


def test_an_unreachable_receiver_is_a_retry_not_a_crash(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers
) -> None:
    app_id = tenant["app_id"]
    add_endpoint(client, admin_headers, app_id, f"http://127.0.0.1:{closed_port()}/hook")
    reset_session(client, admin_headers, tenant)  # the request itself succeeds
    [row] = deliveries(client, admin_headers, app_id)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, None)
    assert row["last_error"] == "ConnectionError"
    assert "secret" not in row["last_error"]
    row = attempt_at(system, row["id"], due(row))
    assert (row["status"], row["attempts"]) == ("pending", 2)


def test_secret_rotation_signs_with_both_secrets_during_the_overlap(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    app_id = tenant["app_id"]
    endpoint_id, old = add_endpoint(client, admin_headers, app_id, f"{receiver.url}/h?x=1")
    rotated = client.post(
        f"/admin/apps/{app_id}/webhooks/{endpoint_id}/rotate-secret", headers=admin_headers
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new != old

    reset_session(client, admin_headers, tenant)
    [during] = receiver.requests
    assert len(during.headers["x-openkyc-signature"].split(" ")) == 2
    assert signed_with(during, new) and signed_with(during, old)
    assert during.query == {"x": ["1"], "secret": [new]}  # Synaps' own check: the new one

    # A day and an hour later the old secret no longer signs.
    receiver.status = 500
    reset_session(client, admin_headers, tenant)
    pending = deliveries(client, admin_headers, app_id, status="pending")[0]
    receiver.status = 200
    later = utcnow() + timedelta(hours=25)
    assert attempt_at(system, pending["id"], later)["status"] == "delivered"
    after = receiver.requests[-1]
    assert len(after.headers["x-openkyc-signature"].split(" ")) == 1
    assert signed_with(after, new) and not signed_with(after, old)


def test_replay_creates_a_new_delivery(
    client: TestClient, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    app_id = tenant["app_id"]
    add_endpoint(client, admin_headers, app_id, receiver.url)
    session_id = reset_session(client, admin_headers, tenant)
    [first] = deliveries(client, admin_headers, app_id)
    response = client.post(
        f"/admin/apps/{app_id}/deliveries/{first['id']}/replay", headers=admin_headers
    )
    assert response.status_code == 201, response.text
    replayed = response.json()
    assert replayed["id"] != first["id"]
    assert replayed["payload"] == first["payload"]
    assert replayed["payload"]["session_id"] == session_id
    rows = {r["id"]: r for r in deliveries(client, admin_headers, app_id)}
    assert set(rows) == {first["id"], replayed["id"]}
    assert rows[replayed["id"]]["status"] == "delivered"
    assert [r.headers["x-openkyc-delivery"] for r in receiver.requests] == [
        first["id"],
        replayed["id"],
    ]
    assert receiver.requests[0].body == receiver.requests[1].body


def test_deliveries_and_endpoints_through_the_admin_api(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    app_id = tenant["app_id"]
    endpoint_id, _ = add_endpoint(client, admin_headers, app_id, receiver.url)
    reset_session(client, admin_headers, tenant)
    receiver.status = 500
    reset_session(client, admin_headers, tenant)
    reset_session(client, admin_headers, tenant)
    assert [r["status"] for r in deliveries(client, admin_headers, app_id)].count("pending") == 2
    assert len(deliveries(client, admin_headers, app_id, status="delivered")) == 1
    assert deliveries(client, admin_headers, app_id, status="failed") == []
    page = deliveries(client, admin_headers, app_id, limit=2)
    rest = deliveries(client, admin_headers, app_id, limit=2, offset=2)
    assert len(page) == 2 and len(rest) == 1
    assert {r["id"] for r in page} | {rest[0]["id"]} == {
        r["id"] for r in deliveries(client, admin_headers, app_id)
    }
    for bad in ({"status": "lost"}, {"limit": 0}, {"offset": -1}):
        response = client.get(f"/admin/apps/{app_id}/deliveries", params=bad, headers=admin_headers)
        assert response.status_code == 422, (bad, response.text)

    listed = client.get(f"/admin/apps/{app_id}/webhooks", headers=admin_headers).json()
    assert [(e["id"], e["url"], e["active"]) for e in listed["webhooks"]] == [
        (endpoint_id, receiver.url, True)
    ]
    assert "secret" not in listed["webhooks"][0]
    removed = client.delete(f"/admin/apps/{app_id}/webhooks/{endpoint_id}", headers=admin_headers)
    assert removed.status_code == 200 and removed.json()["active"] is False

    # A disabled endpoint gets no new deliveries, and its pending ones end failed.
    sent = len(receiver.requests)
    reset_session(client, admin_headers, tenant)
    assert len(deliveries(client, admin_headers, app_id)) == 3
    for row in deliveries(client, admin_headers, app_id, status="pending"):
        assert attempt_at(system, row["id"], due(row))["status"] == "failed"
    assert len(receiver.requests) == sent
    failed = deliveries(client, admin_headers, app_id, status="failed")
    assert {r["last_error"] for r in failed} == {"endpoint disabled"}


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "javascript:alert(1)//",
        "file:///etc/passwd",
        "http:///no-host",
        "https://exa mple.com/hook",
        "https://example.com:99999/hook",
        "https://example.com/hook#part",
        "example.com/hook",
    ],
)
def test_webhook_urls_must_be_absolute_http(
    client: TestClient, tenant: Headers, admin_headers: Headers, url: str
) -> None:
    response = client.post(
        f"/admin/apps/{tenant['app_id']}/webhooks", json={"url": url}, headers=admin_headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["message"]


def test_another_apps_endpoints_and_deliveries_are_not_found(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    other = new_app(system, "other")
    endpoint_id, _ = add_endpoint(client, admin_headers, other["app_id"], receiver.url)
    reset_session(client, admin_headers, other)
    [delivery] = deliveries(client, admin_headers, other["app_id"])
    mine = f"/admin/apps/{tenant['app_id']}"
    for method, path in (
        ("POST", f"{mine}/webhooks/{endpoint_id}/rotate-secret"),
        ("DELETE", f"{mine}/webhooks/{endpoint_id}"),
        ("POST", f"{mine}/deliveries/{delivery['id']}/replay"),
        ("GET", "/admin/apps/99999999/deliveries"),
        ("POST", "/admin/apps/99999999/webhooks"),
    ):
        response = client.request(
            method, path, headers=admin_headers, json={"url": "https://example.com/h"}
        )
        assert response.status_code == 404, (method, path, response.text)
    assert deliveries(client, admin_headers, tenant["app_id"]) == []
    # Nothing of the other app moved.
    assert len(deliveries(client, admin_headers, other["app_id"])) == 1
    listed = client.get(f"/admin/apps/{other['app_id']}/webhooks", headers=admin_headers)
    assert listed.json()["webhooks"][0]["active"] is True


def test_a_slow_receiver_does_not_hold_the_database(
    client: TestClient, system: System, tenant: Headers, admin_headers: Headers, receiver: Receiver
) -> None:
    """The worker sends outside any transaction: other writers go on meanwhile (on SQLite
    an open write transaction would block every one of them)."""
    app_id = tenant["app_id"]
    add_endpoint(client, admin_headers, app_id, receiver.url)
    receiver.status = 500
    reset_session(client, admin_headers, tenant)
    [row] = deliveries(client, admin_headers, app_id)
    with system.runtime.transaction() as ctx:
        delivery = ctx.db.get(webhooks.Delivery, row["id"])
        assert delivery is not None
        delivery.next_attempt_at = ctx.now  # due now

    receiver.arrived.clear()
    receiver.hold.clear()
    receiver.status = 200
    sent = len(receiver.requests)
    worker = threading.Thread(target=deliver, args=(system.runtime, row["id"]))
    worker.start()
    try:
        assert receiver.arrived.wait(10)
        started = time.monotonic()
        init_session(client, tenant["api_key"])  # a write while the POST is in flight
        assert time.monotonic() - started < 3
        # Meanwhile the delivery is leased: a duplicate message does not send it twice.
        deliver(system.runtime, row["id"])
        assert len(receiver.requests) == sent + 1
    finally:
        receiver.hold.set()
        worker.join(10)
    [row] = deliveries(client, admin_headers, app_id)
    assert (row["status"], row["attempts"]) == ("delivered", 2)
