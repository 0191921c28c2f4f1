"""Small helpers for tests that drive the HTTP API."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from openkyc.adapters.messaging import MemoryMessenger


def init_session(client: TestClient, api_key: str, alias: str = "user-1", **extra: Any) -> str:
    response = client.post(
        "/v4/session/init", json={"alias": alias, **extra}, headers={"Api-Key": api_key}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["session_id"])


def step_ids(client: TestClient, api_key: str, session_id: str) -> dict[str, str]:
    response = client.get(f"/v4/individual/session/{session_id}", headers={"Api-Key": api_key})
    assert response.status_code == 200, response.text
    return {s["type"]: s["id"] for s in response.json()["session"]["steps"]}


def last_code(messenger: MemoryMessenger) -> str:
    match = re.search(r"\b(\d{6})\b", messenger.sent[-1].text)
    assert match, messenger.sent[-1].text
    return match.group(1)
