"""Settings refuse insecure production setups; the `openkyc` command manages apps, keys and
admin tokens on a database brought up by `openkyc migrate`, and starts quietly.

The commands run as real subprocesses where the process itself matters (exit codes, what
scripts read from stdout, the server starting); the rest through Typer's runner, in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from tests.databases import empty_database
from tests.servers import closed_port, wait_for
from typer.testing import CliRunner

from openkyc.app import create_app
from openkyc.cli import cli, main
from openkyc.settings import DEFAULT_SECRET_KEY, Settings

OPENKYC = str(Path(sys.executable).parent / "openkyc")
STRONG_SECRET = "k" * 48


def production(**values: Any) -> Settings:
    return Settings(_env_file=None, environment="production", **values)  # type: ignore[call-arg]


def test_production_refuses_the_default_secret_key() -> None:
    for secret in (DEFAULT_SECRET_KEY, "short-but-not-default"):
        with pytest.raises(ValidationError, match="OPENKYC_SECRET_KEY must be set"):
            production(secret_key=secret)


def test_production_refuses_a_short_admin_token() -> None:
    with pytest.raises(ValidationError, match="OPENKYC_ADMIN_TOKEN must be at least 32"):
        production(secret_key=STRONG_SECRET, admin_token="letmein")
    assert production(secret_key=STRONG_SECRET, admin_token="t" * 32).environment == "production"
    assert production(secret_key=STRONG_SECRET).admin_token == ""  # tokens from the CLI only


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of an operator's shell: a fresh database, files and queue in tmp."""
    with empty_database(tmp_path) as url:
        values = {k: v for k, v in os.environ.items() if not k.startswith("OPENKYC_")}
        values.update(
            OPENKYC_DATABASE_URL=url,
            OPENKYC_STORAGE_URL=f"file://{tmp_path}/files",
            OPENKYC_QUEUE_URL=f"sqlite:///{tmp_path}/queue.db",
            OPENKYC_EMAIL_URL="memory://",
            OPENKYC_SMS_URL="memory://",
        )
        yield values


def run(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OPENKYC, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def invoke(env: dict[str, str], *args: str, code: int = 0) -> str:
    """The command in-process; returns its output after checking its exit code."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("OPENKYC_")}
    result = CliRunner().invoke(cli, list(args), env={**unset, **env})
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


@pytest.fixture
def migrated(env: dict[str, str]) -> dict[str, str]:
    assert invoke(env, "migrate").strip() == "database is up to date"
    return env


@pytest.fixture
def api(env: dict[str, str]) -> Iterator[TestClient]:
    """The server, in-process, on the database the commands wrote to."""
    names = {k[len("OPENKYC_") :].lower(): v for k, v in env.items() if "OPENKYC_" in k}
    settings = Settings(_env_file=None, **names)  # type: ignore[call-arg]
    with TestClient(create_app(settings, workers=False)) as client:
        yield client


def session_is_sandbox(api: TestClient, key: str) -> bool:
    response = api.post("/v4/session/init", json={"alias": "a"}, headers={"Api-Key": key})
    assert response.status_code == 200, response.text
    return bool(response.json()["sandbox"])


def test_apps_create_json_prints_one_object(
    env: dict[str, str], api: TestClient, tmp_path: Path
) -> None:
    migrated = run(env, "migrate", cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == "database is up to date"
    done = run(env, "apps", "create", "Acme Bank", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)  # the whole stdout is the one JSON object
    assert isinstance(created, dict)
    assert created["name"] == "Acme Bank" and created["sandbox"] is False
    assert created["api_key"].startswith("sk_live") and created["app_id"]
    assert session_is_sandbox(api, created["api_key"]) is False

    sandbox = json.loads(invoke(env, "apps", "create", "Acme Test", "--sandbox", "--json"))
    assert sandbox["sandbox"] is True and sandbox["api_key"].startswith("sk_test")
    assert session_is_sandbox(api, sandbox["api_key"]) is True

    plain = invoke(env, "apps", "create", "Other")
    assert "API key (shown once): sk_live" in plain


def test_apps_list_rotate_revoke(migrated: dict[str, str], api: TestClient) -> None:
    app = json.loads(invoke(migrated, "apps", "create", "Acme", "--json"))
    app_id, key_id, key = app["app_id"], app["key_id"], app["api_key"]

    rotated = invoke(migrated, "apps", "rotate", app_id, key_id)
    new_key = rotated.strip().rsplit(" ", 1)[-1]
    assert new_key.startswith("sk_live") and new_key != key
    new_key_id = rotated.split("new key ", 1)[1].split(" ", 1)[0]
    assert session_is_sandbox(api, new_key) is False
    old = api.post("/v4/session/init", json={"alias": "a"}, headers={"Api-Key": key})
    assert old.status_code == 401

    listed = invoke(migrated, "apps", "list")
    [line] = listed.splitlines()
    assert line.split("\t")[:2] == [app_id, "Acme"]
    assert f"{key_id}(live, revoked)" in line and f"{new_key_id}(live)" in line

    assert invoke(migrated, "apps", "revoke", app_id, new_key_id).strip().endswith("revoked")
    gone = api.post("/v4/session/init", json={"alias": "a"}, headers={"Api-Key": new_key})
    assert gone.status_code == 401


def test_unknown_ids_and_an_unmigrated_database_give_messages_not_tracebacks(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    early = invoke(env, "apps", "list", code=2)
    assert "the database schema is not up to date: run `openkyc migrate`" in early

    invoke(env, "migrate")
    # Through main(), the console script's entry point, which turns domain errors into
    # a message and exit status 1.
    for name in [k for k in os.environ if k.startswith("OPENKYC_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["openkyc", "apps", "revoke", "00000000", "0000000000"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert err == "openkyc: key 0000000000 not found\n"


def test_admin_tokens_create_prints_a_working_token(
    migrated: dict[str, str], api: TestClient
) -> None:
    token = invoke(migrated, "admin-tokens", "create", "alice").strip()
    assert len(token) >= 32 and "\n" not in token
    ok = api.get("/admin/apps", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200, ok.text
    wrong = api.get("/admin/apps", headers={"Authorization": f"Bearer {token}x"})
    assert wrong.status_code == 401


def test_serve_refuses_production_with_default_secrets(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "OPENKYC_ENVIRONMENT": "production"}
    refused = run(env, "serve", "--port", str(closed_port()), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == (
        "openkyc: configuration error: OPENKYC_SECRET_KEY must be set to a random value of "
        "at least 32 characters in production\n"
    )
    short_token = {**env, "OPENKYC_SECRET_KEY": STRONG_SECRET, "OPENKYC_ADMIN_TOKEN": "short"}
    refused_token = invoke(short_token, "serve", code=2)
    assert "OPENKYC_ADMIN_TOKEN must be at least 32 characters" in refused_token
    # Every command reads the same settings, and names the variable at fault.
    bad_port = invoke({**env, "OPENKYC_PORT": "eighty"}, "migrate", code=2)
    assert "configuration error: OPENKYC_PORT: Input should be a valid integer" in bad_port
    # Production with good secrets still wants a migrated database before serving.
    unmigrated = invoke({**env, "OPENKYC_SECRET_KEY": STRONG_SECRET}, "serve", code=2)
    assert "run `openkyc migrate`" in unmigrated


def test_serve_starts_quietly_in_development(env: dict[str, str], tmp_path: Path) -> None:
    port = closed_port()
    server = subprocess.Popen(
        [OPENKYC, "serve", "--port", str(port)],
        env={**env, "OPENKYC_DEMO": "true"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def healthy() -> bool:
            assert server.poll() is None, server.communicate()
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            except httpx.TransportError:
                return False

        # A deadline, not a pause: generous because a loaded CI machine starts Python slowly.
        wait_for(healthy, "openkyc serve to answer", deadline=90)
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert "created the demo app" in out and f"listening on http://127.0.0.1:{port}" in out
    assert "alembic" not in err and "Context impl" not in err  # no migration chatter
