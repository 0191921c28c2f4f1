"""`openkyc apps create --json` prints the app's SynapseFI gateway credentials, which work."""

from __future__ import annotations

import json
import os
from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient
from tests.synapsefi.conftest import user_body
from typer.testing import CliRunner

from openkyc.cli import cli
from openkyc.db.engine import make_engine
from openkyc.db.migrate import alembic_config


def test_apps_create_prints_a_working_client_id_and_secret(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    # The tables come from the models (tests build them so); mark them as migrated.
    engine = make_engine(database_url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.stamp(config, "head")
    engine.dispose()
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("OPENKYC_")}
    env = {
        **unset,
        "OPENKYC_DATABASE_URL": database_url,
        "OPENKYC_STORAGE_URL": f"file://{tmp_path}/files",
        "OPENKYC_QUEUE_URL": "memory://",
    }
    result = CliRunner().invoke(cli, ["apps", "create", "Acme", "--sandbox", "--json"], env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    created = json.loads(result.output)
    assert created["client_id"].startswith("client_id_")
    assert created["client_secret"].startswith("client_secret_")
    gateway = f"{created['client_id']}|{created['client_secret']}"
    headers = {"X-SP-GATEWAY": gateway, "X-SP-USER": "|device", "X-SP-USER-IP": "127.0.0.1"}
    response = client.post("/v3.1/users", json=user_body(), headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["client"] == {"id": created["client_id"], "name": "Acme"}
    plain = CliRunner().invoke(cli, ["apps", "create", "Other"], env=env)
    assert "X-SP-GATEWAY (shown once): client_id_" in plain.output
