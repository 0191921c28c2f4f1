"""Accounts: `openkyc users`, argon2 hashes, the TOTP second factor and its replay guard."""

from __future__ import annotations

import os
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.backoffice.helpers import PASSWORD, csrf_of, make_user, sign_in
from typer.testing import CliRunner

from openkyc.bootstrap import System
from openkyc.cli import cli
from openkyc.domain.user import service as users
from openkyc.errors import Conflict, Invalid
from openkyc.models import User


def invoke(env: dict[str, str], *args: str, stdin: str = "", code: int = 0) -> str:
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("OPENKYC_")}
    result = CliRunner().invoke(cli, list(args), input=stdin, env={**unset, **env})
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


def test_users_commands_create_list_and_enable_totp(
    tmp_path: Path, database_url: str, system: System, client: TestClient
) -> None:
    env = {
        "OPENKYC_DATABASE_URL": database_url,
        "OPENKYC_STORAGE_URL": f"file://{tmp_path}/files",
        "OPENKYC_QUEUE_URL": "memory://",
        "OPENKYC_SECRET_KEY": system.runtime.ports.settings.secret_key,
    }
    out = invoke(env, "users", "create", "Ada@Example.com", "--role", "admin", stdin=PASSWORD)
    assert "(admin) created" in out and PASSWORD not in out
    invoke(env, "users", "create", "ada@example.com", stdin=PASSWORD, code=1)  # exists
    invoke(env, "users", "create", "bob@example.com", "--role", "boss", stdin=PASSWORD, code=1)
    invoke(env, "users", "create", "bob@example.com", stdin="short", code=1)
    listed = invoke(env, "users", "list")
    assert "ada@example.com\tadmin\t-\tactive" in listed and "bob@" not in listed
    with system.runtime.transaction(readonly=True) as ctx:
        row = ctx.db.query(User).one()
        assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    totp = invoke(env, "users", "totp", "ada@example.com")
    secret = totp.split("(shown once): ")[1].split()[0]
    assert "otpauth://totp/" in totp
    assert "\ttotp\t" in invoke(env, "users", "list")
    done = sign_in(client, "ada@example.com", totp=secret)
    assert (done.status_code, done.headers["location"]) == (303, "/backoffice/queue")
    assert client.get("/backoffice/admin/apps", follow_redirects=False).status_code == 200
    assert "disabled" in invoke(env, "users", "disable", "ada@example.com")
    # The open session ends at its next request, and signing in again is refused.
    assert client.get("/backoffice/admin/apps", follow_redirects=False).status_code == 303
    assert sign_in(client, "ada@example.com").status_code == 401


def test_accounts_refuse_bad_input(system: System) -> None:
    with system.runtime.transaction() as ctx:
        for email, role, password in (
            ("not-an-email", "reviewer", PASSWORD),
            ("a@example.com", "root", PASSWORD),
            ("a@example.com", "reviewer", "x" * 11),
            ("a@example.com", "reviewer", "x" * 257),
        ):
            with pytest.raises(Invalid):
                users.create_user(ctx, email, role, password)
        users.create_user(ctx, "a@example.com", "reviewer", PASSWORD)
        with pytest.raises(Conflict):
            users.create_user(ctx, " A@example.com ", "admin", PASSWORD)


def test_totp_is_required_checked_and_good_once(client: TestClient, system: System) -> None:
    secret = make_user(system, "tom@example.com", "reviewer", totp=True)
    page = client.get("/backoffice/login")
    step = client.post(
        "/backoffice/login",
        data={"csrf_token": csrf_of(page.text), "email": "tom@example.com", "password": PASSWORD},
        follow_redirects=False,
    )
    assert step.headers["location"].startswith("/backoffice/login/totp")
    # The password alone signs nobody in.
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303
    form = client.get("/backoffice/login/totp")
    wrong = client.post(
        "/backoffice/login/totp", data={"csrf_token": csrf_of(form.text), "code": "12345x"}
    )
    assert wrong.status_code == 401
    code = pyotp.TOTP(secret).now()
    right = client.post(
        "/backoffice/login/totp",
        data={"csrf_token": csrf_of(form.text), "code": code},
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 200
    # The same code, replayed by another browser with the password, is refused.
    other = TestClient(client.app)
    page = other.get("/backoffice/login")
    other.post(
        "/backoffice/login",
        data={"csrf_token": csrf_of(page.text), "email": "tom@example.com", "password": PASSWORD},
    )
    form = other.get("/backoffice/login/totp")
    replay = other.post(
        "/backoffice/login/totp", data={"csrf_token": csrf_of(form.text), "code": code}
    )
    assert replay.status_code == 401 and "already used" in replay.text
    assert other.get("/backoffice/queue", follow_redirects=False).status_code == 303
    # Without a password first, the TOTP page sends back to the login page.
    third = TestClient(client.app)
    assert third.get("/backoffice/login/totp", follow_redirects=False).status_code == 303
