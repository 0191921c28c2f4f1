"""The admin review API: auth, the queue, and decisions with reviewer and time.

Roll-up, reset and the event log are in test_session_lifecycle.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

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
