"""Pure functions from core rows to the admin API's JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def app(row: Any) -> dict[str, Any]:
    return {"app_id": row.id, "name": row.name, "flow": row.flow, "created_at": iso(row.created_at)}


def key(row: Any) -> dict[str, Any]:
    return {
        "key_id": row.id,
        "prefix": row.prefix,
        "sandbox": row.sandbox,
        "created_at": iso(row.created_at),
        "revoked_at": iso(row.revoked_at),
    }


def endpoint(row: Any) -> dict[str, Any]:
    return {"id": row.id, "url": row.url, "active": row.active, "created_at": iso(row.created_at)}


def step(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "type": row.type,
        "status": row.status,
        "needs_review": row.needs_review,
        "reason_code": row.reason_code,
        "attempt": row.attempt_count,
        "submitted_at": iso(row.submitted_at),
        "decided_at": iso(row.decided_at),
    }


def session(row: Any, steps: list[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "app_id": row.app_id,
        "alias": row.alias,
        "status": row.status,
        "sandbox": row.sandbox,
        "metadata": row.meta,
        "created_at": iso(row.created_at),
        "steps": [step(s) for s in steps],
    }


def event(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "actor": row.actor,
        "step_id": row.step_id,
        "data": row.data,
        "created_at": iso(row.created_at),
    }


def decision(row: Any) -> dict[str, Any]:
    return {
        "reviewer": row.reviewer,
        "action": row.action,
        "reason_code": row.reason_code,
        "message": row.message,
        "created_at": iso(row.created_at),
    }


def attempt(row: Any) -> dict[str, Any]:
    return {
        "number": row.number,
        "status": row.status,
        "reason_code": row.reason_code,
        "submitted_at": iso(row.submitted_at),
        "verified_at": iso(row.verified_at),
    }
