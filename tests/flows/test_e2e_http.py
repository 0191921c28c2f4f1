"""The whole journey over real HTTP: a uvicorn server with the embedded SQLite queue and its
consumer threads, codes sent through the console adapter into a file, and signed webhooks
received by a real local HTTP server.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import ADMIN_TOKEN, make_settings
from tests.servers import Received, Receiver, http_receiver, serve, signed_with, wait_for

from openkyc.adapters.http import HttpxPoster
from openkyc.app import create_app
from openkyc.bootstrap import build_system

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[httpx.Client]:
    settings = make_settings(
        tmp_path,
        database_url,
        queue_url=f"sqlite:///{tmp_path}/queue.db",
        email_url=f"console:///{tmp_path}/messages.log",
        sms_url=f"console:///{tmp_path}/messages.log",
    )
    system = build_system(settings)
    try:
        with (
            serve(create_app(settings, system)) as base_url,
            httpx.Client(base_url=base_url, timeout=10) as client,
        ):
            yield client
    finally:
        http = system.runtime.ports.http
        assert isinstance(http, HttpxPoster)
        http.close()  # the webhook sender's pooled connections


def code_from(log: Path, channel: str, already: int) -> str:
    """The newest code sent on `channel` once more than `already` were (read from the file)."""

    def codes() -> list[str]:
        text = log.read_text() if log.exists() else ""
        return re.findall(rf"^\[openkyc {channel} to [^\]]+\] .*?\b(\d{{6}})\b", text, re.M)

    wait_for(lambda: len(codes()) > already, f"a code by {channel}")
    return codes()[-1]


def verify_signature(request: Received, secret: str) -> None:
    timestamp = request.headers["x-openkyc-timestamp"]
    assert abs(int(timestamp) - time.time()) < 300
    assert len(request.headers["x-openkyc-signature"].split(" ")) == 1  # no rotation here
    assert signed_with(request, secret)
    assert not signed_with(request, secret + "x")
    assert request.query == {"secret": [secret]}
    assert request.headers["content-type"] == "application/json"


def wait_status(client: httpx.Client, url: str, key: str, status: str, pick: Any) -> None:
    def reached() -> bool:
        response = client.get(url, headers={"Api-Key": key})
        assert response.status_code == 200, response.text
        return bool(pick(response.json()) == status)

    wait_for(reached, f"{url} to be {status}")


def test_phone_and_email_journey_over_http_with_signed_webhooks(
    server: httpx.Client, receiver: Receiver, tmp_path: Path
) -> None:
    client, log = server, tmp_path / "messages.log"
    flow = ["PHONE", "EMAIL"]
    created = client.post("/admin/apps", json={"name": "acme", "flow": flow}, headers=ADMIN)
    assert created.status_code == 201, created.text
    app_id, key = created.json()["app_id"], created.json()["api_key"]
    assert key.startswith("sk_live")
    hook = client.post(
        f"/admin/apps/{app_id}/webhooks", json={"url": f"{receiver.url}/hooks"}, headers=ADMIN
    )
    assert hook.status_code == 201, hook.text
    secret = hook.json()["secret"]

    init = client.post("/v4/session/init", json={"alias": "jane"}, headers={"Api-Key": key})
    assert init.status_code == 200, init.text
    assert init.json()["sandbox"] is False
    sid = init.json()["session_id"]
    session_url = f"/v4/individual/session/{sid}"
    steps = client.get(session_url, headers={"Api-Key": key}).json()["session"]["steps"]
    ids = {s["type"]: s["id"] for s in steps}
    assert list(ids) == flow
    applicant = {"Session-Id": sid, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}

    for step_type, channel, target in (
        ("PHONE", "sms", {"phone_number": "+33686521748"}),
        ("EMAIL", "email", {"email": "jane@example.com"}),
    ):
        path, step_id = step_type.lower(), ids[step_type]
        sent = client.post(f"/v3/{path}/send?step_id={step_id}", json=target, headers=applicant)
        assert sent.status_code == 200, sent.text
        code = code_from(log, channel, 0)
        verified = client.post(
            f"/v3/{path}/verify?step_id={step_id}", json={"code": code}, headers=applicant
        )
        assert verified.status_code == 200, verified.text
        wait_status(
            client, f"{session_url}/step/{step_id}", key, "APPROVED", lambda body: body["status"]
        )

    wait_status(client, session_url, key, "APPROVED", lambda body: body["session"]["status"])
    # The console adapter never writes a full recipient out.
    assert "+33686521748" not in log.read_text()
    assert "jane@example.com" not in log.read_text()

    expected = Counter(
        [
            (ids["PHONE"], "PENDING_VERIFICATION"),
            (ids["PHONE"], "APPROVED"),
            (ids["EMAIL"], "PENDING_VERIFICATION"),
            (ids["EMAIL"], "APPROVED"),
            ("", "PENDING_VERIFICATION"),  # the session, once every step was submitted
            ("", "APPROVED"),
        ]
    )
    wait_for(lambda: len(receiver.requests) >= sum(expected.values()), "every webhook")
    got = [r.json() for r in receiver.requests]
    assert Counter((p["step_id"], p["status"]) for p in got) == expected
    for request, payload in zip(receiver.requests, got, strict=True):
        assert request.path == "/hooks"
        assert payload == {
            "reason": "",
            "service": "INDIVIDUAL",
            "session_id": sid,
            "status": payload["status"],
            "step_id": payload["step_id"],
        }
        verify_signature(request, secret)
    assert len({r.headers["x-openkyc-delivery"] for r in receiver.requests}) == len(got)

    # The admin API shows each delivery delivered, and the event log agrees with the webhooks.
    def all_delivered() -> bool:
        rows = client.get(f"/admin/apps/{app_id}/deliveries", headers=ADMIN).json()["deliveries"]
        return len(rows) == len(got) and all(r["status"] == "delivered" for r in rows)

    wait_for(all_delivered, "the deliveries to be marked delivered")
    events = client.get(f"/admin/apps/{app_id}/sessions/{sid}/events", headers=ADMIN).json()
    changes = Counter(
        (e["step_id"] or "", e["data"]["to"])
        for e in events["events"]
        if e["kind"] in ("step.status", "session.status")
    )
    assert changes == expected
