"""Check evidence and request metadata are sealed at rest (webhook bodies and idempotent
responses use the same column type): the database holds ciphertext, the code reading a
row sees plain values."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from tests.conftest import new_app
from tests.helpers import init_session, last_code, step_ids

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.bootstrap import System
from openkyc.db.engine import make_engine
from openkyc.models import Step

DOMAIN = "sealed-test-domain.com"
ADDRESS = f"jane@{DOMAIN}"
USER_AGENT = "SealedTestBrowser/1.0"


def _verify_email(client: TestClient, system: System, email: MemoryMessenger) -> str:
    key = new_app(system, flow=["EMAIL"])["api_key"]
    sid = init_session(client, key)
    step_id = step_ids(client, key, sid)["EMAIL"]
    headers = {"Session-Id": sid, "User-Agent": USER_AGENT}
    r = client.post(f"/v3/email/send?step_id={step_id}", json={"email": ADDRESS}, headers=headers)
    assert r.status_code == 200, r.text
    r = client.post(
        f"/v3/email/verify?step_id={step_id}", json={"code": last_code(email)}, headers=headers
    )
    assert r.status_code == 200, r.text
    return step_id


def test_evidence_and_client_are_ciphertext_in_the_database(
    client: TestClient, system: System, email: MemoryMessenger, database_url: str
) -> None:
    step_id = _verify_email(client, system, email)
    with system.runtime.engine.connect() as connection:
        step = connection.execute(select(Step).where(Step.id == step_id)).one()
    assert step.evidence and DOMAIN in str(step.evidence)
    assert step.client and USER_AGENT in str(step.client)

    with system.runtime.engine.connect() as connection:
        raw = connection.execute(
            text("SELECT evidence, client FROM step WHERE id = :id"), {"id": step_id}
        ).one()
    for blob in raw:
        data = bytes(blob)
        assert DOMAIN.encode() not in data and USER_AGENT.encode() not in data
        assert data[:1] == b"\x01"  # the sealed format's version byte


def test_an_engine_without_the_key_refuses_to_read_sealed_columns(
    client: TestClient, system: System, email: MemoryMessenger, database_url: str
) -> None:
    step_id = _verify_email(client, system, email)
    bare = make_engine(system.runtime.engine.url.render_as_string(hide_password=False))
    try:
        with bare.connect() as connection, pytest.raises(RuntimeError, match="field key"):
            connection.execute(select(Step.evidence).where(Step.id == step_id)).one()
    finally:
        bare.dispose()
