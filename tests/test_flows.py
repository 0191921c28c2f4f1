"""Flows: the ordered step types an app gives its sessions, set through the admin API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import (
    decide,
    error_message,
    init_session,
    last_code,
    manual,
    png_bytes,
    set_flow,
    step_ids,
    upload,
)

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.bootstrap import System
from openkyc.checks.registry import has_check
from openkyc.domain.step.schemas import StepType

ALL_TYPES = [t.value for t in StepType]
COMMON = {"id", "type", "metadata", "status", "reason"}


@pytest.fixture
def tenant(system: System) -> dict[str, str]:
    """A live app with a PHONE and EMAIL flow (the default flow grows as checks are added)."""
    return new_app(system, flow=["PHONE", "EMAIL"])


def _details(client: TestClient, key: str, session_id: str) -> Any:
    return client.get(f"/v4/individual/session/{session_id}", headers={"Api-Key": key})


def _step(client: TestClient, key: str, session_id: str, step_id: str) -> Any:
    return client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": key}
    )


def test_an_app_can_be_given_every_step_type(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    flow = list(reversed(ALL_TYPES))
    set_flow(client, admin_headers, tenant["app_id"], flow)
    sid = init_session(client, tenant["api_key"])
    steps = _details(client, tenant["api_key"], sid).json()["session"]["steps"]
    assert [s["type"] for s in steps] == flow
    for step in steps:
        body = _step(client, tenant["api_key"], sid, step["id"]).json()
        assert set(body) >= COMMON
        assert body["type"] == step["type"]
    # AML and DUPLICATE wait for the ID document and the liveness they read from.
    assert {s["type"]: s["status"] for s in steps}["AML"] == "SUBMISSION_REQUIRED"


def test_flow_steps_may_carry_settings(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    flow = [
        {"type": "EMAIL", "settings": {"blocked_domains": ["mailinator.com"]}},
        "PHONE",
        {"type": "ID_DOCUMENT"},
    ]
    r = client.put(
        f"/admin/apps/{tenant['app_id']}/flow", json={"flow": flow}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["flow"] == [
        {"type": "EMAIL", "settings": {"blocked_domains": ["mailinator.com"]}},
        {"type": "PHONE", "settings": {}},
        {"type": "ID_DOCUMENT", "settings": {}},
    ]


INVALID_FLOWS: list[tuple[list[Any], str]] = [
    (["PHONE", "SELFIE"], "unknown step type 'SELFIE'"),
    (["phone"], "unknown step type 'phone'"),
    ([{"type": "NOPE", "settings": {}}], "unknown step type 'NOPE'"),
    ([{"type": ["PHONE"]}], "unknown step type"),
    ([{"type": {"a": 1}}], "unknown step type"),
    ([{"settings": {}}], "unknown step type"),
    ([12], "each flow step"),
    ([None], "each flow step"),
    (["PHONE", "EMAIL", "PHONE"], "PHONE is repeated"),
    (["EMAIL", {"type": "EMAIL"}], "EMAIL is repeated"),
    (["PHONE"] * 10_000, "PHONE is repeated"),
    ([], "non-empty"),
    ([{"type": "PHONE", "settings": ["x"]}], "settings"),
    ([{"type": "ID_DOCUMENT", "settings": {"max_file_bytes": "big"}}], "max_file_bytes"),
    ([{"type": "ID_DOCUMENT", "settings": {"max_file_bytes": 0}}], "max_file_bytes"),
    ([{"type": "ID_DOCUMENT", "settings": {"max_file_bytes": True}}], "max_file_bytes"),
    ([{"type": "PHONE", "colour": "red"}], "colour"),
]


def test_invalid_flows_are_422_with_a_clear_message(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str], subtests: Any
) -> None:
    url = f"/admin/apps/{tenant['app_id']}/flow"
    for flow, fragment in INVALID_FLOWS:
        with subtests.test(flow=repr(flow)[:60]):
            message = error_message(
                client.put(url, json={"flow": flow}, headers=admin_headers), 422
            )
            assert fragment in message
            if "unknown step type" in fragment:
                assert all(t in message for t in ALL_TYPES)  # it says what is known
    kept = client.get(f"/admin/apps/{tenant['app_id']}", headers=admin_headers).json()
    assert [s["type"] for s in kept["flow"]] == ["PHONE", "EMAIL"]


def test_a_new_app_with_an_invalid_flow_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    r = client.post("/admin/apps", json={"name": "x", "flow": ["KYB"]}, headers=admin_headers)
    assert "KYB" in error_message(r, 422)
    r = client.post("/admin/apps", json={"name": "x", "flow": "PHONE"}, headers=admin_headers)
    error_message(r, 422)


def test_setting_a_flow_needs_the_admin_token_and_a_known_app(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    body = {"flow": ["PHONE"]}
    error_message(client.put(f"/admin/apps/{tenant['app_id']}/flow", json=body), 401)
    error_message(client.put("/admin/apps/99999999/flow", json=body, headers=admin_headers), 404)


def test_a_new_flow_applies_to_new_sessions_only(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    before = init_session(client, tenant["api_key"])
    set_flow(client, admin_headers, tenant["app_id"], manual("PROOF_OF_ADDRESS"))
    after = init_session(client, tenant["api_key"])
    assert list(step_ids(client, tenant["api_key"], before)) == ["PHONE", "EMAIL"]
    assert list(step_ids(client, tenant["api_key"], after)) == ["PROOF_OF_ADDRESS"]


@pytest.mark.parametrize(
    ("step_type", "field"),
    [("ID_DOCUMENT", "front"), ("PROOF_OF_ADDRESS", "document"), ("PVID", "front")],
)
def test_a_step_set_to_manual_review_waits_for_a_reviewer(
    client: TestClient,
    tenant: dict[str, str],
    admin_headers: dict[str, str],
    step_type: str,
    field: str,
) -> None:
    # Every step type has a check today; `manual_review` is the way to keep one for a person
    # (and what a type without a check does).
    set_flow(client, admin_headers, tenant["app_id"], manual(step_type))
    key = tenant["api_key"]
    sid = init_session(client, key)
    step = step_ids(client, key, sid)[step_type]
    r = upload(client, sid, step, {field: ("f.png", png_bytes(), "image/png")})
    assert r.json() == {"id": step, "status": "PENDING_VERIFICATION"}
    assert _details(client, key, sid).json()["session"]["status"] == "PENDING_VERIFICATION"
    queue = client.get("/admin/review", headers=admin_headers).json()["steps"]
    assert [(s["id"], s["needs_review"]) for s in queue] == [(step, True)]


def test_aml_without_an_id_document_starts_at_once(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    # With no ID document to wait for, the server submits AML itself (on the applicant's
    # declared data) as the session is created; manual review keeps it for a person.
    flow = ["PHONE", {"type": "AML", "settings": {"manual_review": True}}]
    set_flow(client, admin_headers, tenant["app_id"], flow)
    sid = init_session(client, tenant["api_key"])
    steps = _details(client, tenant["api_key"], sid).json()["session"]["steps"]
    assert {s["type"]: s["status"] for s in steps} == {
        "PHONE": "SUBMISSION_REQUIRED",
        "AML": "PENDING_VERIFICATION",
    }
    queue = client.get("/admin/review?type=AML", headers=admin_headers).json()["steps"]
    assert [s["session_id"] for s in queue] == [sid]


def test_manual_review_sends_a_checked_step_to_a_reviewer(
    client: TestClient,
    tenant: dict[str, str],
    admin_headers: dict[str, str],
    sms: MemoryMessenger,
) -> None:
    flow = [{"type": "PHONE", "settings": {"manual_review": True}}, "EMAIL"]
    set_flow(client, admin_headers, tenant["app_id"], flow)
    sid = init_session(client, tenant["api_key"])
    phone = step_ids(client, tenant["api_key"], sid)["PHONE"]
    headers = {"Session-Id": sid}
    client.post(
        f"/v3/phone/send?step_id={phone}", json={"phone_number": "+33686521748"}, headers=headers
    )
    r = client.post(
        f"/v3/phone/verify?step_id={phone}", json={"code": last_code(sms)}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert _step(client, tenant["api_key"], sid, phone).json()["status"] == "PENDING_VERIFICATION"
    record = client.get(f"/admin/apps/{tenant['app_id']}/steps/{phone}", headers=admin_headers)
    assert record.json()["needs_review"] is True
    assert record.json()["evidence"] == {}  # the phone check did not run
    queue = client.get("/admin/review", headers=admin_headers).json()["steps"]
    assert [s["id"] for s in queue] == [phone]
    decide(client, admin_headers, tenant["app_id"], phone, "approve")
    assert _step(client, tenant["api_key"], sid, phone).json()["status"] == "APPROVED"


def test_the_default_flow_holds_only_step_types_with_a_check(
    client: TestClient, system: System
) -> None:
    app = new_app(system, "defaults")
    steps = _details(client, app["api_key"], init_session(client, app["api_key"]))
    types = [s["type"] for s in steps.json()["session"]["steps"]]
    assert {"PHONE", "EMAIL"} <= set(types)
    assert all(has_check(t) for t in types)
    assert types == sorted(types, key=ALL_TYPES.index)  # in the canonical order
