"""Synaps' error envelope: {"code": <http status>, "message": str} (synaps-go reads `message`)."""

from __future__ import annotations

from typing import Any


def envelope(status: int, message: str, details: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"code": status, "message": message}
    if "attempts_left" in details:
        body["attempts_left"] = details["attempts_left"]
    if "retry_after" in details:
        body["retry_after"] = details["retry_after"]
    return body
