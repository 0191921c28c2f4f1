"""The Synaps v4 tenant API: session init, session and step details, auth, tenancy, flows."""

from __future__ import annotations

import re
import uuid
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
from openkyc.domain.step.reasons import REASONS
from openkyc.domain.step.schemas import StepType

ALL_TYPES = [t.value for t in StepType]
FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:114.0) Gecko/20100101 Firefox/114.0"


@pytest.fixture
def tenant(system: System) -> dict[str, str]:
    """A live app with the PHONE and EMAIL flow these tests are written against (the
    default flow grows as checks are added)."""
    return new_app(system, flow=["PHONE", "EMAIL"])


def _init(client: TestClient, key: str, body: Any, **kwargs: Any) -> Any:
    return client.post("/v4/session/init", json=body, headers={"Api-Key": key}, **kwargs)


def _details(client: TestClient, key: str, session_id: str) -> Any:
    return client.get(f"/v4/individual/session/{session_id}", headers={"Api-Key": key})


def _step(client: TestClient, key: str, session_id: str, step_id: str) -> Any:
    return client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": key}
    )


# ---- POST /v4/session/init ------------------------------------------------------------


def test_init_returns_a_uuid_and_the_live_flag(
    client: TestClient, tenant: dict[str, str], system: System
) -> None:
    metadata = {f"k{i}": "v" * 255 for i in range(5)}
    r = _init(client, tenant["api_key"], {"alias": "customer-42", "metadata": metadata})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"session_id", "sandbox"}
    assert str(uuid.UUID(body["session_id"])) == body["session_id"]
    assert body["sandbox"] is False
    kept = client.get(
        f"/admin/apps/{tenant['app_id']}/sessions/{body['session_id']}",
        headers={"Authorization": f"Bearer {system.runtime.ports.settings.admin_token}"},
    ).json()
    assert kept["metadata"] == metadata
    assert kept["alias"] == "customer-42"


def test_a_sandbox_key_makes_sandbox_sessions(client: TestClient, system: System) -> None:
    sandbox = new_app(system, "sandboxed", sandbox=True)
    r = _init(client, sandbox["api_key"], {"alias": "a"})
    assert r.status_code == 200, r.text
    assert r.json()["sandbox"] is True
    details = _details(client, sandbox["api_key"], r.json()["session_id"]).json()
    assert details["session"]["sandbox"] is True


INVALID_INIT_BODIES: list[tuple[Any, str]] = [
    ({"alias": "a", "metadata": {f"k{i}": "v" for i in range(6)}}, "5 keys"),
    ({"alias": "a", "metadata": {"age": 42}}, "string"),
    ({"alias": "a", "metadata": {"flag": True}}, "string"),
    ({"alias": "a", "metadata": {"none": None}}, "string"),
    ({"alias": "a", "metadata": {"nested": {"x": "y"}}}, "string"),
    ({"alias": "a", "metadata": {"list": ["x"]}}, "string"),
    ({"alias": "a", "metadata": {"long": "v" * 256}}, "255"),
    ({"alias": "a", "metadata": {"k" * 256: "v"}}, "255"),
    ({"alias": "a", "metadata": ["k", "v"]}, "metadata"),
    ({"alias": "a", "metadata": "k=v"}, "metadata"),
    ({}, "alias"),
    ({"alias": ""}, "alias"),
    ({"alias": "   "}, "alias"),
    ({"alias": "a" * 256}, "alias"),
    ({"alias": 12}, "alias"),
    ({"alias": None}, "alias"),
    ({"alias": "a\x00b"}, "NUL"),
    ({"alias": "a", "metadata": {"k": "v\x00"}}, "NUL"),
    (["alias", "a"], "object"),
]


def test_init_refuses_invalid_bodies_with_422(
    client: TestClient, tenant: dict[str, str], subtests: Any
) -> None:
    for body, fragment in INVALID_INIT_BODIES:
        with subtests.test(body=repr(body)[:60]):
            r = _init(client, tenant["api_key"], body)
            assert fragment.lower() in error_message(r, 422).lower()


def test_init_answers_400_to_malformed_json(
    client: TestClient, tenant: dict[str, str], subtests: Any
) -> None:
    for raw in (b'{"alias": "a",', b"{alias: a}", b"\xff\xfe", b"nul", b'{"alias": "a"} x'):
        with subtests.test(raw=raw):
            r = client.post(
                "/v4/session/init",
                content=raw,
                headers={"Api-Key": tenant["api_key"], "Content-Type": "application/json"},
            )
            assert "json" in error_message(r, 400).lower()


def test_init_creates_no_session_when_refused(client: TestClient, system: System) -> None:
    app = new_app(system, "counted")
    _init(client, app["api_key"], {"alias": "a", "metadata": {"x": 1}})
    with system.runtime.transaction(readonly=True) as ctx:
        from sqlalchemy import func, select

        from openkyc.models import Session

        count = ctx.db.scalar(select(func.count()).select_from(Session))
    assert count == 0


# ---- authentication ---------------------------------------------------------------


def test_missing_unknown_and_revoked_keys_are_401(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    sid = init_session(client, tenant["api_key"])
    for headers in ({}, {"Api-Key": ""}, {"Api-Key": "sk_live_not-a-key"}):
        r = client.post("/v4/session/init", json={"alias": "a"}, headers=headers)
        error_message(r, 401)
        error_message(client.get(f"/v4/individual/session/{sid}", headers=headers), 401)
    revoked = client.delete(
        f"/admin/apps/{tenant['app_id']}/keys/{tenant['key_id']}", headers=admin_headers
    )
    assert revoked.status_code == 200, revoked.text
    assert "revoked" in error_message(_details(client, tenant["api_key"], sid), 401)
    assert "revoked" in error_message(_init(client, tenant["api_key"], {"alias": "b"}), 401)


def test_a_rotated_key_replaces_the_old_one(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    r = client.post(
        f"/admin/apps/{tenant['app_id']}/keys/{tenant['key_id']}/rotate", headers=admin_headers
    )
    assert r.status_code == 201, r.text
    new_key = r.json()["api_key"]
    error_message(_init(client, tenant["api_key"], {"alias": "a"}), 401)
    assert _init(client, new_key, {"alias": "a"}).json()["sandbox"] is False


# ---- GET session details ------------------------------------------------------------


def test_session_details_have_exactly_the_seed_shape(
    client: TestClient, tenant: dict[str, str]
) -> None:
    sid = init_session(client, tenant["api_key"], alias="shape")
    r = _details(client, tenant["api_key"], sid)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"app", "session"}
    assert body["app"] == {"name": "acme", "id": tenant["app_id"]}
    session = body["session"]
    assert set(session) == {"alias", "id", "status", "sandbox", "steps"}
    assert session["alias"] == "shape"
    assert session["id"] == sid
    assert session["status"] == "SUBMISSION_REQUIRED"
    assert session["sandbox"] is False
    assert [s["type"] for s in session["steps"]] == ["PHONE", "EMAIL"]
    for step in session["steps"]:
        assert set(step) == {"id", "status", "type"}
        assert re.fullmatch(r"[1-9]\d{11}", step["id"])
        assert step["status"] == "SUBMISSION_REQUIRED"


def test_another_apps_session_and_steps_are_404(
    client: TestClient, tenant: dict[str, str], system: System
) -> None:
    other = new_app(system, "other")
    mine = init_session(client, tenant["api_key"])
    theirs = init_session(client, other["api_key"])
    my_steps = step_ids(client, tenant["api_key"], mine)
    their_steps = step_ids(client, other["api_key"], theirs)
    key = tenant["api_key"]
    error_message(_details(client, key, theirs), 404)
    error_message(_step(client, key, theirs, their_steps["PHONE"]), 404)
    # Their step under my session id, and my step under their session id.
    error_message(_step(client, key, mine, their_steps["PHONE"]), 404)
    error_message(_step(client, key, theirs, my_steps["PHONE"]), 404)
    # The owner still sees them.
    assert _step(client, other["api_key"], theirs, their_steps["PHONE"]).status_code == 200


def test_a_step_of_another_session_of_the_same_app_is_404(
    client: TestClient, tenant: dict[str, str]
) -> None:
    first = init_session(client, tenant["api_key"], alias="first")
    second = init_session(client, tenant["api_key"], alias="second")
    second_steps = step_ids(client, tenant["api_key"], second)
    error_message(_step(client, tenant["api_key"], first, second_steps["EMAIL"]), 404)


def test_unknown_sessions_are_404(
    client: TestClient, tenant: dict[str, str], subtests: Any
) -> None:
    for session_id in (str(uuid.uuid4()), "not-a-uuid", "x" * 300, "1' OR '1'='1", "é"):
        with subtests.test(session_id=session_id[:40]):
            error_message(_details(client, tenant["api_key"], session_id), 404)
            error_message(_step(client, tenant["api_key"], session_id, "123456789012"), 404)


def test_nul_in_a_path_is_refused_not_a_crash(client: TestClient, tenant: dict[str, str]) -> None:
    sid = init_session(client, tenant["api_key"])
    assert "NUL" in error_message(_details(client, tenant["api_key"], "abc%00def"), 422)
    error_message(_step(client, tenant["api_key"], sid, "12%0034"), 422)


# ---- GET step details -----------------------------------------------------------------

COMMON = {"id", "type", "metadata", "status", "reason"}
METADATA = {
    "ip",
    "user_agent",
    "platform",
    "browser_name",
    "browser_version",
    "device",
    "customer_language",
}


def test_an_unsubmitted_step_has_the_common_payload_with_empty_metadata(
    client: TestClient, tenant: dict[str, str]
) -> None:
    sid = init_session(client, tenant["api_key"])
    ids = step_ids(client, tenant["api_key"], sid)
    body = _step(client, tenant["api_key"], sid, ids["EMAIL"]).json()
    assert set(body) == COMMON | {"verification"}
    assert body["id"] == ids["EMAIL"]
    assert body["type"] == "EMAIL"
    assert body["status"] == "SUBMISSION_REQUIRED"
    assert body["reason"] is None
    assert body["metadata"] == dict.fromkeys(METADATA, "")
    assert body["verification"] == {"email": {"value": ""}}


def test_phone_step_payload_and_submission_metadata(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger
) -> None:
    key = tenant["api_key"]
    sid = init_session(client, key)
    phone = step_ids(client, key, sid)["PHONE"]
    browser = {"Session-Id": sid, "User-Agent": FIREFOX, "Accept-Language": "de-DE,de;q=0.9"}
    r = client.post(
        f"/v3/phone/send?step_id={phone}",
        json={"phone_number": "06 86 52 17 48", "country": "FRA", "method": "call"},
        headers=browser,
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"/v3/phone/verify?step_id={phone}", json={"code": last_code(sms)}, headers=browser
    )
    assert r.status_code == 200, r.text
    body = _step(client, key, sid, phone).json()
    assert set(body) == COMMON | {"verification"}
    assert body["status"] == "APPROVED"
    assert body["reason"] is None
    assert body["verification"] == {
        "phone": {
            "number": "+33686521748",
            "calling_code": "33",
            "method": "call",
            "country": "FRA",
        }
    }
    assert body["metadata"] == {
        "ip": "testclient",
        "user_agent": FIREFOX,
        "platform": "Mac OS X 10.15",
        "browser_name": "Firefox",
        "browser_version": "114.0",
        "device": "Mac",
        "customer_language": "de",
    }


def test_email_step_payload(
    client: TestClient, tenant: dict[str, str], email: MemoryMessenger
) -> None:
    key = tenant["api_key"]
    sid = init_session(client, key)
    step = step_ids(client, key, sid)["EMAIL"]
    headers = {"Session-Id": sid}
    r = client.post(
        f"/v3/email/send?step_id={step}", json={"email": "Jane.Doe@Example.COM"}, headers=headers
    )
    assert r.status_code == 200, r.text
    client.post(
        f"/v3/email/verify?step_id={step}", json={"code": last_code(email)}, headers=headers
    )
    body = _step(client, key, sid, step).json()
    assert body["status"] == "APPROVED"
    # The domain is normalised to lower case; the local part is the applicant's own.
    assert body["verification"] == {"email": {"value": "Jane.Doe@example.com"}}


def test_reason_only_when_rejected_translated_in_the_applicants_language(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str], subtests: Any
) -> None:
    set_flow(client, admin_headers, tenant["app_id"], manual("ID_DOCUMENT"))
    key = tenant["api_key"]
    for lang in ("en", "fr", "de", "es"):
        with subtests.test(lang=lang):
            sid = init_session(client, key)
            doc = step_ids(client, key, sid)["ID_DOCUMENT"]
            r = upload(
                client,
                sid,
                doc,
                {"front": ("front.png", png_bytes(), "image/png")},
                headers={"Accept-Language": f"{lang};q=0.9, it;q=0.1"},
            )
            assert r.status_code == 200, r.text
            assert _step(client, key, sid, doc).json()["reason"] is None  # pending
            decided = decide(client, admin_headers, tenant["app_id"], doc, "reject", "BAD_QUALITY")
            assert decided.status_code == 200, decided.text
            body = _step(client, key, sid, doc).json()
            assert body["status"] == "REJECTED"
            assert body["metadata"]["customer_language"] == lang
            assert body["reason"] == {
                "code": "BAD_QUALITY",
                "message": {
                    "original": REASONS["BAD_QUALITY"]["en"],
                    "translated": REASONS["BAD_QUALITY"][lang],
                },
            }


def test_a_reviewers_own_words_are_the_original_message(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    set_flow(client, admin_headers, tenant["app_id"], manual("ID_DOCUMENT"))
    key = tenant["api_key"]
    sid = init_session(client, key)
    doc = step_ids(client, key, sid)["ID_DOCUMENT"]
    upload(
        client,
        sid,
        doc,
        {"front": ("f.png", png_bytes(), "image/png")},
        headers={"Accept-Language": "es"},
    )
    decide(client, admin_headers, tenant["app_id"], doc, "reject", "DOCUMENT_HIDDEN", "Thumb on it")
    reason = _step(client, key, sid, doc).json()["reason"]
    assert reason["code"] == "DOCUMENT_HIDDEN"
    assert reason["message"] == {
        "original": "Thumb on it",
        "translated": REASONS["DOCUMENT_HIDDEN"]["es"],
    }


def test_no_reason_for_a_resubmission_request(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    set_flow(client, admin_headers, tenant["app_id"], manual("ID_DOCUMENT"))
    key = tenant["api_key"]
    sid = init_session(client, key)
    doc = step_ids(client, key, sid)["ID_DOCUMENT"]
    upload(client, sid, doc, {"front": ("f.png", png_bytes(), "image/png")})
    decide(client, admin_headers, tenant["app_id"], doc, "resubmit", "BAD_QUALITY")
    body = _step(client, key, sid, doc).json()
    assert body["status"] == "RESUBMISSION_REQUIRED"
    assert body["reason"] is None


def test_the_status_poll_refuses_odd_ids_and_methods_in_the_envelope(
    client: TestClient, tenant: dict[str, str]
) -> None:
    key = tenant["api_key"]
    assert "NUL" in error_message(_details(client, key, "a%00b"), 422)
    error_message(_details(client, key, "x" * 5000), 404)
    error_message(_details(client, key, "%E2%80%AE-not-an-id"), 404)
    sid = init_session(client, key)
    r = client.post(f"/v4/individual/session/{sid}", headers={"Api-Key": key})
    assert r.status_code in (404, 405), r.text
    assert r.json()["code"] == r.status_code
