"""The admin review API: auth, the queue, decisions, session roll-up, reset, the event log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from tests.conftest import new_app
from tests.helpers import (
    decide,
    error_message,
    init_session,
    manual,
    png_bytes,
    step_ids,
    upload,
)

from openkyc.bootstrap import System
from openkyc.domain.app import service as apps
from openkyc.domain.step.reasons import REASONS
from openkyc.kit.clock import utcnow
from openkyc.models import AdminToken

FIELD = {"ID_DOCUMENT": "front", "PROOF_OF_ADDRESS": "document", "PVID": "front"}


def _submit(client: TestClient, sid: str, step: str, step_type: str) -> None:
    files = {FIELD[step_type]: ("f.png", png_bytes(), "image/png")}
    r = upload(client, sid, step, files)
    assert r.status_code == 200, r.text


def _pending_document(
    client: TestClient, system: System, name: str = "acme", sandbox: bool = False
) -> dict[str, str]:
    """An app with an ID_DOCUMENT flow and one submitted document waiting for review."""
    app = new_app(system, name, sandbox=sandbox, flow=manual("ID_DOCUMENT", "EMAIL"))
    sid = init_session(client, app["api_key"])
    step = step_ids(client, app["api_key"], sid)["ID_DOCUMENT"]
    _submit(client, sid, step, "ID_DOCUMENT")
    return {**app, "session_id": sid, "step_id": step}


def _admin_token(system: System, name: str) -> str:
    with system.runtime.transaction() as ctx:
        return apps.create_admin_token(ctx, name)


def _v4(client: TestClient, doc: dict[str, str], step: str | None = None) -> dict[str, Any]:
    path = f"/v4/individual/session/{doc['session_id']}"
    r = client.get(path + (f"/step/{step}" if step else ""), headers={"Api-Key": doc["api_key"]})
    assert r.status_code == 200, r.text
    return dict(r.json())


# ---- authentication ---------------------------------------------------------------------


def test_the_admin_api_needs_a_valid_bearer_token(
    client: TestClient, system: System, engine: Engine, subtests: Any
) -> None:
    doc = _pending_document(client, system)
    calls = [
        ("GET", "/review", None),
        ("GET", f"/apps/{doc['app_id']}/steps/{doc['step_id']}", None),
        ("POST", f"/apps/{doc['app_id']}/steps/{doc['step_id']}/decision", {"action": "approve"}),
        ("POST", f"/apps/{doc['app_id']}/sessions/{doc['session_id']}/reset", None),
        ("GET", f"/apps/{doc['app_id']}/sessions/{doc['session_id']}/events", None),
    ]
    revoked = _admin_token(system, "former")
    with engine.begin() as conn:
        conn.execute(update(AdminToken).values(revoked_at=utcnow()))
    for headers in (
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Basic dGVzdDp0ZXN0"},
        {"Authorization": doc["api_key"]},
        {"Authorization": f"Bearer {doc['api_key']}"},
        {"Authorization": f"Bearer {revoked}"},
    ):
        for method, path, body in calls:
            with subtests.test(headers=headers, path=path):
                r = client.request(method, f"/admin{path}", json=body, headers=headers)
                error_message(r, 401)
    assert _v4(client, doc, doc["step_id"])["status"] == "PENDING_VERIFICATION"


# ---- the queue --------------------------------------------------------------------------


def test_the_queue_lists_steps_waiting_for_review_with_filters(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    live = _pending_document(client, system, "live")
    sandbox = _pending_document(client, system, "sandbox", sandbox=True)
    poa_app = new_app(system, "poa", flow=manual("PROOF_OF_ADDRESS", "PHONE"))
    poa_sid = init_session(client, poa_app["api_key"])
    poa = step_ids(client, poa_app["api_key"], poa_sid)["PROOF_OF_ADDRESS"]
    _submit(client, poa_sid, poa, "PROOF_OF_ADDRESS")
    # Not waiting: an unsubmitted step, and a decided one.
    decided = _pending_document(client, system, "decided")
    decide(client, admin_headers, decided["app_id"], decided["step_id"], "approve")

    def queue(query: str = "") -> list[str]:
        r = client.get(f"/admin/review{query}", headers=admin_headers)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["steps"]]

    assert queue() == [live["step_id"], sandbox["step_id"], poa]
    assert queue(f"?app_id={sandbox['app_id']}") == [sandbox["step_id"]]
    assert queue("?type=PROOF_OF_ADDRESS") == [poa]
    assert queue("?sandbox=true") == [sandbox["step_id"]]
    assert queue("?sandbox=false") == [live["step_id"], poa]
    assert queue(f"?sandbox=false&type=ID_DOCUMENT&app_id={live['app_id']}") == [live["step_id"]]
    assert queue("?app_id=12345678") == []
    assert queue("?limit=1&offset=1") == [sandbox["step_id"]]
    item = client.get("/admin/review?limit=1", headers=admin_headers).json()["steps"][0]
    assert item == {
        "id": live["step_id"],
        "session_id": live["session_id"],
        "app_id": live["app_id"],
        "sandbox": False,
        "type": "ID_DOCUMENT",
        "status": "PENDING_VERIFICATION",
        "needs_review": True,
        "reason_code": None,
        "attempt": 1,
        "submitted_at": item["submitted_at"],
        "decided_at": None,
    }
    datetime.fromisoformat(item["submitted_at"])


def test_queue_filters_are_validated(
    client: TestClient, admin_headers: dict[str, str], subtests: Any
) -> None:
    for query in (
        "?type=SELFIE",
        "?type=" + "A" * 40,
        "?sandbox=maybe",
        "?limit=0",
        "?limit=201",
        "?offset=-1",
        "?offset=99999999999999999999",
        "?app_id=1%002",
    ):
        with subtests.test(query=query):
            error_message(client.get(f"/admin/review{query}", headers=admin_headers), 422)


# ---- decisions --------------------------------------------------------------------------


def test_approve_is_recorded_with_reviewer_and_time(client: TestClient, system: System) -> None:
    doc = _pending_document(client, system)
    alice = {"Authorization": f"Bearer {_admin_token(system, 'alice')}"}
    before = utcnow()
    r = decide(client, alice, doc["app_id"], doc["step_id"], "approve")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "APPROVED"
    record = client.get(f"/admin/apps/{doc['app_id']}/steps/{doc['step_id']}", headers=alice)
    decision = record.json()["decisions"][0]
    assert decision["reviewer"] == "alice"
    assert decision["action"] == "approve"
    assert decision["reason_code"] is None
    made = datetime.fromisoformat(decision["created_at"])
    assert before - timedelta(seconds=1) <= made <= utcnow() + timedelta(seconds=1)
    step = _v4(client, doc, doc["step_id"])
    assert (step["status"], step["reason"]) == ("APPROVED", None)
    assert client.get("/admin/review", headers=alice).json()["steps"] == []


def test_reject_with_a_reason_shows_in_v4(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    doc = _pending_document(client, system)
    r = decide(
        client,
        admin_headers,
        doc["app_id"],
        doc["step_id"],
        "reject",
        "IDENTITY_DOCUMENT_EXPIRED",
        "Expired in 2019",
    )
    assert r.status_code == 200, r.text
    assert r.json()["reason_code"] == "IDENTITY_DOCUMENT_EXPIRED"
    step = _v4(client, doc, doc["step_id"])
    assert step["status"] == "REJECTED"
    assert step["reason"] == {
        "code": "IDENTITY_DOCUMENT_EXPIRED",
        "message": {
            "original": "Expired in 2019",
            "translated": REASONS["IDENTITY_DOCUMENT_EXPIRED"]["en"],
        },
    }
    record = client.get(
        f"/admin/apps/{doc['app_id']}/steps/{doc['step_id']}", headers=admin_headers
    ).json()
    assert record["decisions"][0]["message"] == "Expired in 2019"
    assert record["decisions"][0]["reviewer"] == "admin"
    assert _v4(client, doc)["session"]["status"] == "REJECTED"


def test_reject_without_a_reason_is_a_manual_rejection(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    doc = _pending_document(client, system)
    decide(client, admin_headers, doc["app_id"], doc["step_id"], "reject")
    assert _v4(client, doc, doc["step_id"])["reason"]["code"] == "MANUAL_REJECTION"


def test_a_resubmission_request_lets_the_applicant_submit_again(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    doc = _pending_document(client, system)
    r = decide(client, admin_headers, doc["app_id"], doc["step_id"], "resubmit", "BAD_QUALITY")
    assert r.json()["status"] == "RESUBMISSION_REQUIRED"
    assert _v4(client, doc)["session"]["status"] == "RESUBMISSION_REQUIRED"
    _submit(client, doc["session_id"], doc["step_id"], "ID_DOCUMENT")
    record = client.get(
        f"/admin/apps/{doc['app_id']}/steps/{doc['step_id']}", headers=admin_headers
    ).json()
    assert record["attempt"] == 2
    assert record["status"] == "PENDING_VERIFICATION"
    assert record["reason_code"] is None
    assert [(a["number"], a["status"], a["reason_code"]) for a in record["attempts"]] == [
        (1, "RESUBMISSION_REQUIRED", "BAD_QUALITY"),
        (2, "PENDING_VERIFICATION", None),
    ]
    queued = client.get("/admin/review", headers=admin_headers).json()["steps"]
    assert [(s["id"], s["attempt"]) for s in queued] == [(doc["step_id"], 2)]


def test_invalid_decisions_are_refused(
    client: TestClient, system: System, admin_headers: dict[str, str], subtests: Any
) -> None:
    doc = _pending_document(client, system)
    path = f"/admin/apps/{doc['app_id']}/steps/{doc['step_id']}/decision"
    for body, status in (
        ({"action": "reject", "reason_code": "NOT_A_CODE"}, 422),
        ({"action": "reject", "reason_code": "bad_quality"}, 422),
        ({"action": "resubmit"}, 422),
        ({"action": "resubmit", "reason_code": "WHATEVER"}, 422),
        ({"action": "delete"}, 422),
        ({"action": "approve", "message": "x" * 2001}, 422),
        ({"action": "reject", "reason_code": "BAD_QUALITY", "message": "a\x00b"}, 422),
        ({}, 422),
    ):
        with subtests.test(body=repr(body)[:60]):
            error_message(client.post(path, json=body, headers=admin_headers), status)
    assert (
        client.get("/admin/review", headers=admin_headers).json()["steps"][0]["id"]
        == (doc["step_id"])
    )
    # A step with nothing submitted cannot be decided; another app's step is not found.
    email = step_ids(client, doc["api_key"], doc["session_id"])["EMAIL"]
    r = decide(client, admin_headers, doc["app_id"], email, "approve")
    assert "no submission" in error_message(r, 409)
    other = new_app(system, "other")
    error_message(decide(client, admin_headers, other["app_id"], doc["step_id"], "approve"), 404)
    error_message(decide(client, admin_headers, doc["app_id"], "999999999999", "approve"), 404)


def test_a_reviewer_may_overturn_a_decision(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    doc = _pending_document(client, system)
    decide(client, admin_headers, doc["app_id"], doc["step_id"], "reject", "FORGED_REJECTION")
    r = decide(client, admin_headers, doc["app_id"], doc["step_id"], "approve")
    assert r.json()["status"] == "APPROVED"
    step = _v4(client, doc, doc["step_id"])
    assert (step["status"], step["reason"]) == ("APPROVED", None)
    record = client.get(
        f"/admin/apps/{doc['app_id']}/steps/{doc['step_id']}", headers=admin_headers
    ).json()
    assert [d["action"] for d in record["decisions"]] == ["reject", "approve"]


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


class Receiver:
    """A real local HTTP server that records the webhooks it is sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_reset_sends_every_step_back_and_notifies_reset(
    client: TestClient, system: System, admin_headers: dict[str, str], receiver: Receiver
) -> None:
    app = new_app(system, "resettable", flow=manual("ID_DOCUMENT", "PROOF_OF_ADDRESS"))
    r = client.post(
        f"/admin/apps/{app['app_id']}/webhooks", json={"url": receiver.url}, headers=admin_headers
    )
    assert r.status_code == 201, r.text
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
    assert reset in receiver.received
    # The applicant may submit again: attempt 2 of the document.
    _submit(client, sid, ids["ID_DOCUMENT"], "ID_DOCUMENT")
    record = client.get(
        f"/admin/apps/{app['app_id']}/steps/{ids['ID_DOCUMENT']}", headers=admin_headers
    ).json()
    assert record["attempt"] == 2


@pytest.mark.parametrize("flow", [["PHONE", "AML"], ["LIVENESS", "DUPLICATE"]])
def test_reset_starts_server_run_steps_again(
    client: TestClient, system: System, admin_headers: dict[str, str], flow: list[str]
) -> None:
    app = new_app(system, "automatic", flow=flow)
    sid = init_session(client, app["api_key"])
    before = {
        s["type"]: s["status"] for s in _v4(client, {**app, "session_id": sid})["session"]["steps"]
    }
    r = client.post(f"/admin/apps/{app['app_id']}/sessions/{sid}/reset", headers=admin_headers)
    assert r.status_code == 200, r.text
    after = {
        s["type"]: s["status"] for s in _v4(client, {**app, "session_id": sid})["session"]["steps"]
    }
    # Right after a reset, what the server runs by itself is where it was at creation.
    assert after == before


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
    alice = {"Authorization": f"Bearer {_admin_token(system, 'alice')}"}
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
