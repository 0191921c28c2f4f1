"""The end-user API (Synaps v3 style): the Session-Id header is the applicant's credential."""

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
from openkyc.domain.step.reasons import REASONS

PHONE = {"phone_number": "+33686521748"}
EMAIL = {"email": "jane@example.com"}


@pytest.fixture
def tenant(system: System) -> dict[str, str]:
    """A live app with the PHONE and EMAIL flow these tests are written against (the
    default flow grows as checks are added)."""
    return new_app(system, flow=["PHONE", "EMAIL"])


def _post(client: TestClient, path: str, session_id: str | None, body: Any) -> Any:
    headers = {"Session-Id": session_id} if session_id is not None else {}
    return client.post(path, json=body, headers=headers)


def test_the_overview_shows_only_this_sessions_steps(
    client: TestClient, tenant: dict[str, str], system: System
) -> None:
    key = tenant["api_key"]
    mine = init_session(client, key, alias="me")
    init_session(client, key, alias="someone else")
    other = new_app(system, "other", flow=["PHONE", "EMAIL"])
    init_session(client, other["api_key"], alias="elsewhere")
    ids = step_ids(client, key, mine)

    r = client.get("/v3/session", headers={"Session-Id": mine})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "session_id": mine,
        "status": "SUBMISSION_REQUIRED",
        "sandbox": False,
        "steps": [
            {"id": ids["PHONE"], "type": "PHONE", "status": "SUBMISSION_REQUIRED"},
            {"id": ids["EMAIL"], "type": "EMAIL", "status": "SUBMISSION_REQUIRED"},
        ],
    }
    # The alias and metadata are the tenant's, not something the applicant is shown.
    assert "me" not in r.text


def test_the_overview_explains_a_rejection_in_the_applicants_language(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    set_flow(client, admin_headers, tenant["app_id"], manual("ID_DOCUMENT", "EMAIL"))
    sid = init_session(client, tenant["api_key"])
    doc = step_ids(client, tenant["api_key"], sid)["ID_DOCUMENT"]
    upload(client, sid, doc, {"front": ("f.png", png_bytes(), "image/png")})
    decide(client, admin_headers, tenant["app_id"], doc, "resubmit", "BLACK_WHITE_PICTURE")
    r = client.get("/v3/session", headers={"Session-Id": sid, "Accept-Language": "fr-FR,fr"})
    assert r.json()["status"] == "RESUBMISSION_REQUIRED"
    assert r.json()["steps"][0] == {
        "id": doc,
        "type": "ID_DOCUMENT",
        "status": "RESUBMISSION_REQUIRED",
        "reason": {
            "code": "BLACK_WHITE_PICTURE",
            "message": REASONS["BLACK_WHITE_PICTURE"]["fr"],
        },
    }
    english = client.get("/v3/session", headers={"Session-Id": sid}).json()
    assert english["steps"][0]["reason"]["message"] == REASONS["BLACK_WHITE_PICTURE"]["en"]


def test_a_missing_or_invalid_session_id_is_401_everywhere(
    client: TestClient, tenant: dict[str, str], subtests: Any
) -> None:
    sid = init_session(client, tenant["api_key"])
    ids = step_ids(client, tenant["api_key"], sid)
    calls = [
        ("GET", "/v3/session", None),
        ("POST", f"/v3/phone/send?step_id={ids['PHONE']}", PHONE),
        ("POST", f"/v3/phone/verify?step_id={ids['PHONE']}", {"code": "123456"}),
        ("POST", f"/v3/email/send?step_id={ids['EMAIL']}", EMAIL),
        ("POST", f"/v3/email/verify?step_id={ids['EMAIL']}", {"code": "123456"}),
        ("POST", f"/v3/step/submit?step_id={ids['EMAIL']}", None),
    ]
    for bad in (None, "", "   ", "0c0b2a4e-0000-4000-8000-000000000000", ids["PHONE"], "x" * 400):
        for method, path, body in calls:
            with subtests.test(session_id=bad, path=path):
                headers = {"Session-Id": bad} if bad is not None else {}
                r = client.request(method, path, json=body, headers=headers)
                message = error_message(r, 401)
                assert "Session-Id" in message


def test_a_step_of_another_session_is_404(
    client: TestClient, tenant: dict[str, str], system: System, subtests: Any
) -> None:
    mine = init_session(client, tenant["api_key"])
    theirs = init_session(client, tenant["api_key"])
    other_app = new_app(system, "other", flow=["PHONE", "EMAIL"])
    elsewhere = init_session(client, other_app["api_key"])
    for owner, key in ((theirs, tenant["api_key"]), (elsewhere, other_app["api_key"])):
        ids = step_ids(client, key, owner)
        for path, body in (
            (f"/v3/phone/send?step_id={ids['PHONE']}", PHONE),
            (f"/v3/phone/verify?step_id={ids['PHONE']}", {"code": "123456"}),
            (f"/v3/email/send?step_id={ids['EMAIL']}", EMAIL),
            (f"/v3/email/verify?step_id={ids['EMAIL']}", {"code": "123456"}),
        ):
            with subtests.test(path=path):
                error_message(_post(client, path, mine, body), 404)
        r = upload(client, mine, ids["PHONE"], {"front": ("f.png", png_bytes(), "image/png")})
        error_message(r, 404)
    # Nothing was sent for the other sessions' steps.
    assert system.runtime.ports.sms.sent == []  # type: ignore[attr-defined]


def test_phone_endpoints_on_an_email_step_and_back_are_409(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    sid = init_session(client, tenant["api_key"])
    ids = step_ids(client, tenant["api_key"], sid)
    for path, body in (
        (f"/v3/phone/send?step_id={ids['EMAIL']}", PHONE),
        (f"/v3/phone/verify?step_id={ids['EMAIL']}", {"code": "123456"}),
        (f"/v3/email/send?step_id={ids['PHONE']}", EMAIL),
        (f"/v3/email/verify?step_id={ids['PHONE']}", {"code": "123456"}),
    ):
        message = error_message(_post(client, path, sid, body), 409)
        assert "not" in message
    r = upload(client, sid, ids["PHONE"], {"front": ("f.png", png_bytes(), "image/png")})
    assert "no file upload" in error_message(r, 409)
    assert sms.sent == [] and email.sent == []


def test_the_step_id_query_is_validated(
    client: TestClient, tenant: dict[str, str], subtests: Any
) -> None:
    sid = init_session(client, tenant["api_key"])
    for query, status in (
        ("", 422),
        ("?step_id=", 422),
        ("?step_id=" + "1" * 33, 422),
        ("?step_id=12%0034", 422),
        ("?step_id=999999999999", 404),
        ("?step_id=%27%20OR%201%3D1", 404),
    ):
        with subtests.test(query=query):
            error_message(_post(client, f"/v3/phone/send{query}", sid, PHONE), status)


def test_bodies_are_validated(client: TestClient, tenant: dict[str, str], subtests: Any) -> None:
    sid = init_session(client, tenant["api_key"])
    ids = step_ids(client, tenant["api_key"], sid)
    send = f"/v3/phone/send?step_id={ids['PHONE']}"
    for body in (None, {}, {"phone_number": ""}, {"phone_number": 33686521748}, ["+33"]):
        with subtests.test(body=body):
            error_message(_post(client, send, sid, body), 422)
    r = client.post(
        send, content=b"{", headers={"Session-Id": sid, "Content-Type": "application/json"}
    )
    error_message(r, 400)
    verify = f"/v3/email/verify?step_id={ids['EMAIL']}"
    for code in ("", "12345", "1234567", "abcdef", "12 345", "1" * 17, 123456):
        with subtests.test(code=code):
            error_message(_post(client, verify, sid, {"code": code}), 422)


def test_a_submission_records_the_applicants_client(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger
) -> None:
    sid = init_session(client, tenant["api_key"])
    phone = step_ids(client, tenant["api_key"], sid)["PHONE"]
    android = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.6099.144 Mobile Safari/537.36"
    )
    headers = {"Session-Id": sid, "User-Agent": android, "Accept-Language": "en;q=0.2, es;q=0.8"}
    client.post(f"/v3/phone/send?step_id={phone}", json=PHONE, headers=headers)
    code = last_code(sms)
    r = client.post(f"/v3/phone/verify?step_id={phone}", json={"code": code}, headers=headers)
    assert r.status_code == 200, r.text
    # The answer is written before the check runs (it is enqueued after the commit).
    assert r.json() == {"id": phone, "status": "PENDING_VERIFICATION"}
    step = client.get(
        f"/v4/individual/session/{sid}/step/{phone}", headers={"Api-Key": tenant["api_key"]}
    ).json()
    assert step["status"] == "APPROVED"
    assert step["metadata"] == {
        "ip": "testclient",
        "user_agent": android,
        "platform": "Android 14",
        "browser_name": "Chrome Mobile",
        "browser_version": "120.0",
        "device": "Pixel 8",
        "customer_language": "es",
    }
    # The code message was written in the applicant's language too.
    assert sms.sent[-1].text.startswith("Su código de verificación es ")


def test_overview_follows_the_steps_through_approval(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    sid = init_session(client, tenant["api_key"])
    ids = step_ids(client, tenant["api_key"], sid)
    headers = {"Session-Id": sid}

    def statuses() -> tuple[str, list[str]]:
        body = client.get("/v3/session", headers=headers).json()
        return body["status"], [s["status"] for s in body["steps"]]

    client.post(f"/v3/phone/send?step_id={ids['PHONE']}", json=PHONE, headers=headers)
    code = {"code": last_code(sms)}
    client.post(f"/v3/phone/verify?step_id={ids['PHONE']}", json=code, headers=headers)
    assert statuses() == ("SUBMISSION_REQUIRED", ["APPROVED", "SUBMISSION_REQUIRED"])
    client.post(f"/v3/email/send?step_id={ids['EMAIL']}", json=EMAIL, headers=headers)
    code = {"code": last_code(email)}
    client.post(f"/v3/email/verify?step_id={ids['EMAIL']}", json=code, headers=headers)
    assert statuses() == ("APPROVED", ["APPROVED", "APPROVED"])
    # A decided step takes no more codes.
    r = client.post(f"/v3/phone/send?step_id={ids['PHONE']}", json=PHONE, headers=headers)
    assert "APPROVED" in error_message(r, 409)
