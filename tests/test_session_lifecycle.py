"""A session's life seen by the operator: status roll-up, reset (with its webhook), and the
append-only event log, all through the admin API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import decide, error_message, init_session, manual, png_bytes, step_ids, upload
from tests.servers import Receiver, http_receiver, signed_with

from openkyc.bootstrap import System
from openkyc.domain.app import service as apps

FIELD = {"ID_DOCUMENT": "front", "PROOF_OF_ADDRESS": "document", "PVID": "front"}


def _submit(client: TestClient, sid: str, step: str, step_type: str) -> None:
    files = {FIELD[step_type]: ("f.png", png_bytes(), "image/png")}
    r = upload(client, sid, step, files)
    assert r.status_code == 200, r.text


def _v4(client: TestClient, doc: dict[str, str], step: str | None = None) -> dict[str, Any]:
    path = f"/v4/individual/session/{doc['session_id']}"
    r = client.get(path + (f"/step/{step}" if step else ""), headers={"Api-Key": doc["api_key"]})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _pending_document(client: TestClient, system: System) -> dict[str, str]:
    app = new_app(system, "acme", flow=manual("ID_DOCUMENT", "EMAIL"))
    sid = init_session(client, app["api_key"])
    step = step_ids(client, app["api_key"], sid)["ID_DOCUMENT"]
    _submit(client, sid, step, "ID_DOCUMENT")
    return {**app, "session_id": sid, "step_id": step}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as server:
        yield server


# ---- the session roll-up ------------------------------------------------------------------


def test_session_status_rolls_up_by_the_documented_rule(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    """REJECTED > RESUBMISSION_REQUIRED > SUBMISSION_REQUIRED > PENDING_VERIFICATION > APPROVED:
    the first status any step holds, in that order, is the session's."""
    app = new_app(system, "rollup", flow=manual("ID_DOCUMENT", "PROOF_OF_ADDRESS", "PVID"))
    sid = init_session(client, app["api_key"])
    ids = step_ids(client, app["api_key"], sid)
    doc = {**app, "session_id": sid}

    def session_status() -> str:
        return str(_v4(client, doc)["session"]["status"])

    def act(step_type: str, action: str, code: str | None = None) -> None:
        r = decide(client, admin_headers, app["app_id"], ids[step_type], action, code)
        assert r.status_code == 200, r.text

    assert session_status() == "SUBMISSION_REQUIRED"
    _submit(client, sid, ids["ID_DOCUMENT"], "ID_DOCUMENT")
    assert session_status() == "SUBMISSION_REQUIRED"  # two steps still need the applicant
    _submit(client, sid, ids["PROOF_OF_ADDRESS"], "PROOF_OF_ADDRESS")
    _submit(client, sid, ids["PVID"], "PVID")
    assert session_status() == "PENDING_VERIFICATION"
    act("ID_DOCUMENT", "approve")
    assert session_status() == "PENDING_VERIFICATION"
    act("PROOF_OF_ADDRESS", "resubmit", "DOCUMENT_COMPLIANCE")
    assert session_status() == "RESUBMISSION_REQUIRED"
    act("PVID", "reject", "FORGED_REJECTION")
    assert session_status() == "REJECTED"
    act("PVID", "approve")
    assert session_status() == "RESUBMISSION_REQUIRED"
    _submit(client, sid, ids["PROOF_OF_ADDRESS"], "PROOF_OF_ADDRESS")
    assert session_status() == "PENDING_VERIFICATION"
    act("PROOF_OF_ADDRESS", "approve")
    assert session_status() == "APPROVED"


# ---- reset and webhooks ---------------------------------------------------------------------


def test_reset_sends_every_step_back_and_notifies_reset(
    client: TestClient, system: System, admin_headers: dict[str, str], receiver: Receiver
) -> None:
    app = new_app(system, "resettable", flow=manual("ID_DOCUMENT", "PROOF_OF_ADDRESS"))
    r = client.post(
        f"/admin/apps/{app['app_id']}/webhooks", json={"url": receiver.url}, headers=admin_headers
    )
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    sid = init_session(client, app["api_key"])
    ids = step_ids(client, app["api_key"], sid)
    _submit(client, sid, ids["ID_DOCUMENT"], "ID_DOCUMENT")
    decide(client, admin_headers, app["app_id"], ids["ID_DOCUMENT"], "reject", "BAD_QUALITY")
    _submit(client, sid, ids["PROOF_OF_ADDRESS"], "PROOF_OF_ADDRESS")

    r = client.post(f"/admin/apps/{app['app_id']}/sessions/{sid}/reset", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "SUBMISSION_REQUIRED"
    assert {s["status"] for s in r.json()["steps"]} == {"SUBMISSION_REQUIRED"}
    assert {s["reason_code"] for s in r.json()["steps"]} == {None}
    details = _v4(client, {**app, "session_id": sid})["session"]
    assert details["status"] == "SUBMISSION_REQUIRED"
    assert {s["status"] for s in details["steps"]} == {"SUBMISSION_REQUIRED"}

    reset = {
        "reason": "",
        "service": "INDIVIDUAL",
        "session_id": sid,
        "status": "RESET",
        "step_id": "",
    }
    deliveries = client.get(
        f"/admin/apps/{app['app_id']}/deliveries", headers=admin_headers
    ).json()["deliveries"]
    rows = [d for d in deliveries if d["payload"] == reset]
    assert len(rows) == 1 and rows[0]["status"] == "delivered"
    sent = [q for q in receiver.requests if q.json() == reset]
    assert len(sent) == 1 and signed_with(sent[0], secret)
    # The applicant may submit again: attempt 2 of the document.
    _submit(client, sid, ids["ID_DOCUMENT"], "ID_DOCUMENT")
    record = client.get(
        f"/admin/apps/{app['app_id']}/steps/{ids['ID_DOCUMENT']}", headers=admin_headers
    ).json()
    assert record["attempt"] == 2


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        # AML with no ID document to wait for is submitted by the server itself.
        (
            ["PHONE", *manual("AML")],
            {"PHONE": "SUBMISSION_REQUIRED", "AML": "PENDING_VERIFICATION"},
        ),
        # DUPLICATE waits for the liveness it reads from.
        (
            manual("LIVENESS", "DUPLICATE"),
            {"LIVENESS": "SUBMISSION_REQUIRED", "DUPLICATE": "SUBMISSION_REQUIRED"},
        ),
    ],
)
def test_reset_starts_server_run_steps_again(
    client: TestClient,
    system: System,
    admin_headers: dict[str, str],
    flow: list[Any],
    expected: dict[str, str],
) -> None:
    app = new_app(system, "automatic", flow=flow)
    doc = {**app, "session_id": init_session(client, app["api_key"])}

    def statuses() -> dict[str, str]:
        return {s["type"]: s["status"] for s in _v4(client, doc)["session"]["steps"]}

    assert statuses() == expected
    path = f"/admin/apps/{app['app_id']}/sessions/{doc['session_id']}/reset"
    assert client.post(path, headers=admin_headers).status_code == 200
    assert statuses() == expected


def test_reset_of_another_apps_session_is_404(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    doc = _pending_document(client, system)
    other = new_app(system, "other")
    r = client.post(
        f"/admin/apps/{other['app_id']}/sessions/{doc['session_id']}/reset", headers=admin_headers
    )
    error_message(r, 404)
    assert _v4(client, doc, doc["step_id"])["status"] == "PENDING_VERIFICATION"


# ---- the event log ------------------------------------------------------------------------


def test_events_are_the_append_only_log_in_order_with_actors(
    client: TestClient, system: System
) -> None:
    doc = _pending_document(client, system)
    with system.runtime.transaction() as ctx:
        alice = {"Authorization": f"Bearer {apps.create_admin_token(ctx, 'alice')}"}
    decide(client, alice, doc["app_id"], doc["step_id"], "reject", "BAD_QUALITY")
    client.post(f"/admin/apps/{doc['app_id']}/sessions/{doc['session_id']}/reset", headers=alice)
    path = f"/admin/apps/{doc['app_id']}/sessions/{doc['session_id']}/events"
    events = client.get(path, headers=alice).json()["events"]
    step = doc["step_id"]
    assert [(e["kind"], e["actor"], e["step_id"]) for e in events] == [
        ("session.created", "api", None),
        ("step.status", "applicant", step),
        ("step.status", "alice", step),
        ("session.status", "alice", None),
        ("review.decision", "alice", step),
        ("session.reset", "alice", None),
    ]
    assert events[1]["data"] == {
        "from": "SUBMISSION_REQUIRED",
        "to": "PENDING_VERIFICATION",
        "reason_code": None,
    }
    assert events[4]["data"] == {"action": "reject", "reason_code": "BAD_QUALITY"}
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    times = [datetime.fromisoformat(e["created_at"]) for e in events]
    assert times == sorted(times)
    # Appending more never rewrites what was logged.
    _submit(client, doc["session_id"], step, "ID_DOCUMENT")
    again = client.get(path, headers=alice).json()["events"]
    assert again[: len(events)] == events
    assert again[len(events)]["kind"] == "step.status"
    other = new_app(system, "other")
    r = client.get(
        f"/admin/apps/{other['app_id']}/sessions/{doc['session_id']}/events", headers=alice
    )
    error_message(r, 404)
