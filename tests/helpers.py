"""Small helpers for tests that drive the HTTP API."""

from __future__ import annotations

import re
import struct
import zlib
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


def error_message(response: Any, status: int) -> str:
    """Assert an error answer in the Synaps envelope {"code", "message"}; return the message."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert body["code"] == status, body
    assert isinstance(body["message"], str) and body["message"], body
    return str(body["message"])


def png_bytes(seed: int = 0, size: int = 2) -> bytes:
    """A real, decodable PNG; different seeds give different bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(
        b"\x00" + bytes((seed + x + y) % 256 for x in range(size * 3)) for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# The start of a JPEG/JFIF file: what content sniffing reads.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def set_flow(
    client: TestClient, admin_headers: dict[str, str], app_id: str, flow: list[Any]
) -> None:
    response = client.put(f"/admin/apps/{app_id}/flow", json={"flow": flow}, headers=admin_headers)
    assert response.status_code == 200, response.text


def upload(
    client: TestClient,
    session_id: str,
    step_id: str,
    files: dict[str, tuple[str, bytes, str]],
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST a multipart submission of a document-type step through the end-user API."""
    return client.post(
        f"/v3/step/submit?step_id={step_id}",
        files=files,
        data=data or {},
        headers={"Session-Id": session_id, **(headers or {})},
    )


def decide(
    client: TestClient,
    admin_headers: dict[str, str],
    app_id: str,
    step_id: str,
    action: str,
    reason_code: str | None = None,
    message: str | None = None,
) -> Any:
    return client.post(
        f"/admin/apps/{app_id}/steps/{step_id}/decision",
        json={"action": action, "reason_code": reason_code, "message": message},
        headers=admin_headers,
    )


def manual(*step_types: str) -> list[dict[str, Any]]:
    """A flow whose steps all wait for a reviewer, whatever checks exist."""
    return [{"type": t, "settings": {"manual_review": True}} for t in step_types]
