"""Helpers of the back office tests: accounts, signing in over plain HTTP, forms' tokens."""

from __future__ import annotations

import re
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from openkyc.bootstrap import System
from openkyc.domain.user import service as users

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def make_user(system: System, email: str, role: str = "reviewer", totp: bool = False) -> str:
    """Create an account; return its TOTP secret when one is enabled, else ""."""
    with system.runtime.transaction(actor="test") as ctx:
        users.create_user(ctx, email, role, PASSWORD)
        if totp:
            return users.enable_totp(ctx, email)[1]
    return ""


def csrf_of(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD, totp: str = "") -> Any:
    """Sign in through the login form (and the TOTP form); return the last response."""
    page = client.get("/backoffice/login")
    assert page.status_code == 200, page.text
    response = client.post(
        "/backoffice/login",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": password},
        follow_redirects=False,
    )
    if totp and response.status_code == 303:
        assert response.headers["location"].startswith("/backoffice/login/totp")
        page = client.get(response.headers["location"])
        response = client.post(
            "/backoffice/login/totp",
            data={"csrf_token": csrf_of(page.text), "code": pyotp.TOTP(totp).now()},
            follow_redirects=False,
        )
    return response


def post_form(client: TestClient, page_path: str, target: str, **fields: str) -> Any:
    """Submit a form the way a browser does: the CSRF token from the page it is on."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(
        target, data={"csrf_token": csrf_of(page.text), **fields}, follow_redirects=False
    )


def reviewable_session(
    client: TestClient, api_key: str, alias: str = "jane", address: str = "1 rue de la Paix"
) -> tuple[str, str]:
    """A session whose proof-of-address step waits for a reviewer (its app's flow sends it
    to one), submitted through the end-user API; returns (session id, step id)."""
    from tests.helpers import init_session, png_bytes, step_ids, upload

    session_id = init_session(client, api_key, alias)
    step_id = step_ids(client, api_key, session_id)["PROOF_OF_ADDRESS"]
    response = upload(
        client,
        session_id,
        step_id,
        {"document": ("bill.png", png_bytes(5, 8), "image/png")},
        {"address": address, "city": "Paris", "zip_code": "75002", "country": "FRA"},
    )
    assert response.status_code == 200, response.text
    return session_id, step_id


MANUAL_ADDRESS = [{"type": "PROOF_OF_ADDRESS", "settings": {"manual_review": True}}]
