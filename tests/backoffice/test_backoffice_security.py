"""Back office security over plain HTTP: sign-in redirects, CSRF, roles, escaping, tenant
isolation, cookie flags and expiry, the Content-Security-Policy, hostile input."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.backoffice.helpers import (
    MANUAL_ADDRESS,
    csrf_of,
    post_form,
    reviewable_session,
    sign_in,
)
from tests.conftest import ADMIN_TOKEN, make_settings, new_app

from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.web.backoffice.security import (
    COOKIE,
    IDLE_SECONDS,
    BackofficeSession,
    Keys,
    SourceThrottle,
)

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def step_status(client: TestClient, session_id: str, step_id: str, key: str) -> str:
    response = client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": key}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def test_a_signed_out_browser_is_sent_to_the_login_page(client: TestClient) -> None:
    for path in ("/backoffice/queue", "/backoffice/admin/apps", "/backoffice/apps/1/sessions/2"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/backoffice/login?next=%2Fbackoffice%2F")
    assert client.get("/backoffice/", follow_redirects=False).status_code == 303


def test_sign_in_goes_back_where_it_was_asked_and_never_off_site(
    client: TestClient, reviewer: str
) -> None:
    page = client.get("/backoffice/login?next=https://evil.example/x")
    assert 'value="/backoffice/queue"' in page.text  # the foreign target is dropped
    response = client.post(
        "/backoffice/login",
        data={"csrf_token": csrf_of(page.text), "email": reviewer, "password": "wrong password!"},
    )
    assert response.status_code == 401 and "invalid email or password" in response.text
    response = sign_in(client, reviewer)
    assert (response.status_code, response.headers["location"]) == (303, "/backoffice/queue")
    assert client.get("/backoffice/queue").status_code == 200


def test_forms_without_the_right_csrf_token_are_refused(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system, flow=MANUAL_ADDRESS)
    session_id, step_id = reviewable_session(client, tenant["api_key"])
    action = f"/backoffice/apps/{tenant['app_id']}/steps/{step_id}/decision"
    # Signed out, and without a token at all.
    assert client.post(action, data={"action": "approve"}).status_code == 403
    assert sign_in(client, reviewer).status_code == 303
    assert client.post(action, data={"action": "approve"}).status_code == 403
    wrong = {"action": "approve", "csrf_token": "0" * 64}
    assert client.post(action, data=wrong).status_code == 403
    # Another browser's token: valid for its own session, not for this one.
    other = TestClient(client.app)
    foreign = csrf_of(other.get("/backoffice/login").text)
    assert client.post(action, data={"action": "approve", "csrf_token": foreign}).status_code == 403
    assert step_status(client, session_id, step_id, tenant["api_key"]) == "PENDING_VERIFICATION"
    page = f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}"
    response = post_form(client, page, action, action="approve")
    assert response.status_code == 303
    assert step_status(client, session_id, step_id, tenant["api_key"]) == "APPROVED"
    # Signing out needs the token too.
    assert client.post("/backoffice/logout").status_code == 403


def test_a_reviewer_cannot_reach_admin_pages(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system)
    sign_in(client, reviewer)
    app_id = tenant["app_id"]
    for path in (
        "/backoffice/admin/apps",
        f"/backoffice/admin/apps/{app_id}",
        f"/backoffice/admin/apps/{app_id}/deliveries",
        "/backoffice/admin/lists",
    ):
        assert client.get(path).status_code == 403, path
    token = csrf_of(client.get("/backoffice/queue").text)
    created = client.post(
        f"/backoffice/admin/apps/{app_id}/keys", data={"csrf_token": token, "sandbox": "yes"}
    )
    assert created.status_code == 403
    keys = client.get(f"/admin/apps/{app_id}", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert len(keys.json()["keys"]) == 1  # nothing was created
    assert "/backoffice/admin/apps" not in client.get("/backoffice/queue").text


def test_applicant_text_is_escaped(client: TestClient, system: System, reviewer: str) -> None:
    tenant = new_app(system, flow=MANUAL_ADDRESS)
    session_id, _ = reviewable_session(client, tenant["api_key"], alias=XSS, address=XSS)
    sign_in(client, reviewer)
    for path in ("/backoffice/queue", f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}"):
        html = client.get(path).text
        assert "<script>window.__xss" not in html and "<img src=x" not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_a_session_of_one_app_is_not_found_under_another(
    client: TestClient, system: System, reviewer: str
) -> None:
    mine, theirs = new_app(system, "mine", flow=MANUAL_ADDRESS), new_app(system, "theirs")
    session_id, step_id = reviewable_session(client, mine["api_key"])
    sign_in(client, reviewer)
    response = client.get(f"/backoffice/apps/{theirs['app_id']}/sessions/{session_id}")
    assert response.status_code == 404 and "jane" not in response.text
    good_page = f"/backoffice/apps/{mine['app_id']}/sessions/{session_id}"
    action = f"/backoffice/apps/{theirs['app_id']}/steps/{step_id}/decision"
    response = post_form(client, good_page, action, action="approve")
    assert response.status_code == 303
    assert "not found" in client.get(response.headers["location"]).text
    assert step_status(client, session_id, step_id, mine["api_key"]) == "PENDING_VERIFICATION"


def test_every_page_has_a_strict_policy_and_the_cookie_is_locked_down(
    client: TestClient, reviewer: str
) -> None:
    response = client.get("/backoffice/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in response.text and "style=" not in response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/backoffice" in cookie
    assert "Secure" not in cookie  # plain http here


def test_the_cookie_is_secure_over_https(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, public_url="https://kyc.example")
    with TestClient(create_app(settings, build_system(settings), workers=False)) as https:
        cookie = https.get("/backoffice/login").headers["set-cookie"]
    assert "Secure" in cookie


def test_forged_and_idle_sessions_are_signed_out(
    client: TestClient, system: System, reviewer: str
) -> None:
    sign_in(client, reviewer)
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 200
    keys = Keys(system.runtime.ports.settings.secret_key)
    current = keys.decode(client.cookies.get(COOKIE), int(time.time()))
    assert current is not None and current.user_id is not None
    client.cookies.clear()
    client.cookies.set(COOKIE, keys.encode(current), path="/backoffice")
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 200
    stale = replace(current, seen=int(time.time()) - IDLE_SECONDS - 5)
    client.cookies.clear()
    client.cookies.set(COOKIE, keys.encode(stale), path="/backoffice")
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303
    forged = BackofficeSession.anonymous(int(time.time())).signed_in(current.user_id, 0)
    forged = replace(forged, issued=int(time.time()), seen=int(time.time()))
    value = Keys("another secret entirely, 32 chars+").encode(forged)
    client.cookies.clear()
    client.cookies.set(COOKIE, value, path="/backoffice")
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303


def test_repeated_wrong_passwords_lock_the_account(client: TestClient, reviewer: str) -> None:
    for _ in range(5):
        assert sign_in(client, reviewer, password="not the password").status_code == 401
    locked = sign_in(client, reviewer)
    assert locked.status_code == 429 and "too many failed attempts" in locked.text
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303
    # An unknown account answers exactly like a wrong password.
    assert sign_in(client, "nobody@example.com").status_code == 401


@pytest.mark.parametrize(
    ("query", "status"),
    [("status=NOPE", 422), ("type=<b>", 422), ("offset=-1", 422), ("sandbox=maybe", 422),
     ("age=3y", 422), ("app=" + "9" * 40, 422), ("offset=abc", 422)],
)  # fmt: skip
def test_bad_queue_filters_are_refused_with_a_page(
    client: TestClient, reviewer: str, query: str, status: int
) -> None:
    sign_in(client, reviewer)
    response = client.get(f"/backoffice/queue?{query}")
    assert response.status_code == status
    assert "text/html" in response.headers["content-type"]


def test_hostile_forms_and_ids_get_clear_errors(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system, flow=MANUAL_ADDRESS)
    session_id, step_id = reviewable_session(client, tenant["api_key"])
    sign_in(client, reviewer)
    page = f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}"
    token = csrf_of(client.get(page).text)
    action = f"/backoffice/apps/{tenant['app_id']}/steps/{step_id}/decision"
    upload = client.post(
        action, data={"csrf_token": token}, files={"evil": ("x.txt", b"x", "text/plain")}
    )
    assert upload.status_code == 400
    huge_answer = client.post(
        action, data={"csrf_token": token, "action": "reject", "message": "x" * 70_000}
    )
    assert huge_answer.status_code == 400  # over the form's part size
    for fields in (
        {"action": "explode"},
        {"action": "reject", "reason_code": "NOPE"},
        {"action": "reject", "message": "x" * 3000},
    ):
        response = client.post(
            action, data={"csrf_token": token, "next": page, **fields}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "flash-error" in client.get(response.headers["location"]).text
    assert step_status(client, session_id, step_id, tenant["api_key"]) == "PENDING_VERIFICATION"
    assert client.get(f"/backoffice/apps/{tenant['app_id']}/sessions/nope").status_code == 404
    unknown = client.get("/backoffice/nowhere")
    assert unknown.status_code == 404 and "text/html" in unknown.headers["content-type"]


def test_one_address_trying_many_accounts_is_held_back(client: TestClient, reviewer: str) -> None:
    for n in range(SourceThrottle.LIMIT):
        assert sign_in(client, f"guess{n}@example.com", password="Winter2026!!").status_code == 401
    held = sign_in(client, reviewer)  # even the right password, from this address
    assert held.status_code == 429 and "too many failed sign-ins" in held.text


def test_the_address_throttle_forgets_after_its_window() -> None:
    throttle = SourceThrottle()
    for second in range(SourceThrottle.LIMIT):
        throttle.failed("192.0.2.1", 1000.0 + second)
    assert throttle.wait_for("192.0.2.1", 1030.0) == SourceThrottle.WINDOW - 30 + 1
    assert throttle.wait_for("192.0.2.2", 1030.0) == 0  # another address
    assert throttle.wait_for("192.0.2.1", 1000.0 + SourceThrottle.WINDOW - 1) > 0
    assert throttle.wait_for("192.0.2.1", 1000.0 + SourceThrottle.WINDOW + 30) == 0
