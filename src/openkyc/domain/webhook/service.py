"""Webhooks: delivery rows written with the change they report, then sent with retries.

Signature: X-Openkyc-Signature holds `v1=<hex>` of HMAC-SHA256(secret, f"{ts}.{body}"),
once per valid secret (the previous secret keeps signing during its overlap window),
and X-Openkyc-Timestamp holds ts. Synaps' own `?secret=` query parameter is appended.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit

from openkyc.domain.context import Ctx
from openkyc.domain.webhook import repository as repo
from openkyc.errors import Invalid, NotFound
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_numeric_id
from openkyc.kit.signing import webhook_signature
from openkyc.models import Delivery, Endpoint

log = logging.getLogger(__name__)

SERVICE = "INDIVIDUAL"
# The previous secret still signs for this long after a rotation.
ROTATION_OVERLAP = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=2)


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("a webhook URL must be an absolute http(s) URL")
    return url


def create_endpoint(ctx: Ctx, app_id: str, url: str) -> tuple[Endpoint, str]:
    secret = secrets.token_hex(24)
    row = Endpoint(
        id=new_numeric_id(10),
        app_id=app_id,
        url=_check_url(url),
        secret=ctx.ports.crypto.encrypt_json(secret),
        previous_secret=None,
        previous_until=None,
        active=True,
        created_at=ctx.now,
    )
    ctx.db.add(row)
    ctx.db.flush()
    return row, secret


def get_endpoint(ctx: Ctx, app_id: str, endpoint_id: str) -> Endpoint:
    row = repo.endpoint(ctx.db, app_id, endpoint_id)
    if row is None:
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    return row


def rotate_secret(ctx: Ctx, app_id: str, endpoint_id: str) -> str:
    row = get_endpoint(ctx, app_id, endpoint_id)
    secret = secrets.token_hex(24)
    row.previous_secret = row.secret
    row.previous_until = ctx.now + ROTATION_OVERLAP
    row.secret = ctx.ports.crypto.encrypt_json(secret)
    ctx.db.flush()
    return secret


def disable_endpoint(ctx: Ctx, app_id: str, endpoint_id: str) -> Endpoint:
    row = get_endpoint(ctx, app_id, endpoint_id)
    row.active = False
    ctx.db.flush()
    return row


def notify(ctx: Ctx, app_id: str, session_id: str, step_id: str, status: str, reason: str) -> None:
    """Write one delivery per active endpoint; send them once the transaction commits."""
    payload = {
        "reason": reason,
        "service": SERVICE,
        "session_id": session_id,
        "status": status,
        "step_id": step_id,
    }
    for endpoint in repo.active_endpoints(ctx.db, app_id):
        delivery = Delivery(
            id=new_numeric_id(14),
            app_id=app_id,
            endpoint_id=endpoint.id,
            session_id=session_id,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=ctx.now,
            created_at=ctx.now,
        )
        ctx.db.add(delivery)
        ctx.after_commit(partial(ctx.ports.queue.deliver_webhook, delivery.id))


def _signatures(ctx: Ctx, endpoint: Endpoint, timestamp: int, body: bytes) -> tuple[str, str]:
    current: str = ctx.ports.crypto.decrypt_json(endpoint.secret)
    signed = [f"v1={webhook_signature(current, timestamp, body)}"]
    overlap = endpoint.previous_until and as_utc(endpoint.previous_until) > ctx.now
    if endpoint.previous_secret and overlap:
        previous: str = ctx.ports.crypto.decrypt_json(endpoint.previous_secret)
        signed.append(f"v1={webhook_signature(previous, timestamp, body)}")
    return " ".join(signed), current


def backoff(attempts: int, first_seconds: int) -> timedelta:
    """Exponential: first, 2x, 4x ... capped at two hours between tries."""
    return min(timedelta(seconds=first_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def attempt(ctx: Ctx, delivery_id: str) -> Delivery | None:
    """Try one delivery now. Returns it, or None when there was nothing to do."""
    delivery = repo.delivery(ctx.db, None, delivery_id)
    if delivery is None or delivery.status != "pending":
        return None
    if delivery.next_attempt_at and as_utc(delivery.next_attempt_at) > ctx.now:
        return None  # a retry is scheduled later; an early message is ignored
    endpoint = ctx.db.get(Endpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.active:
        delivery.status = "failed"
        delivery.last_error = "endpoint disabled"
        return delivery
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(ctx.now.timestamp())
    signature, secret = _signatures(ctx, endpoint, timestamp, body)
    separator = "&" if urlsplit(endpoint.url).query else "?"
    url = f"{endpoint.url}{separator}{urlencode({'secret': secret})}"
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "openkyc-webhooks/1",
        "X-Openkyc-Timestamp": str(timestamp),
        "X-Openkyc-Signature": signature,
        "X-Openkyc-Delivery": delivery.id,
    }
    delivery.attempts += 1
    settings = ctx.ports.settings
    try:
        status = ctx.ports.http.post(url, body, headers, settings.webhook_timeout_seconds)
        error = None if 200 <= status < 300 else f"HTTP {status}"
    except OSError as exc:
        status, error = 0, type(exc).__name__
    delivery.last_status_code = status or None
    delivery.last_error = error
    if error is None:
        delivery.status = "delivered"
        delivery.delivered_at = ctx.now
        delivery.next_attempt_at = None
        return delivery
    retry_at = ctx.now + backoff(delivery.attempts, settings.webhook_first_retry_seconds)
    if retry_at - as_utc(delivery.created_at) > timedelta(hours=settings.webhook_retry_hours):
        delivery.status = "failed"
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = retry_at
        delay = (retry_at - ctx.now).total_seconds()
        queue = ctx.ports.queue
        ctx.after_commit(lambda: queue.deliver_webhook(delivery.id, delay))
    log.info("webhook delivery %s attempt %s failed: %s", delivery.id, delivery.attempts, error)
    return delivery


def replay(ctx: Ctx, app_id: str, delivery_id: str) -> Delivery:
    """Send a delivery again (a new row, so the log keeps both)."""
    old = repo.delivery(ctx.db, app_id, delivery_id)
    if old is None:
        raise NotFound(f"delivery {delivery_id} not found")
    new = Delivery(
        id=new_numeric_id(14),
        app_id=app_id,
        endpoint_id=old.endpoint_id,
        session_id=old.session_id,
        payload=old.payload,
        status="pending",
        attempts=0,
        next_attempt_at=ctx.now,
        created_at=ctx.now,
    )
    ctx.db.add(new)
    ctx.db.flush()
    queue = ctx.ports.queue
    ctx.after_commit(lambda: queue.deliver_webhook(new.id))
    return new


def list_deliveries(
    ctx: Ctx, app_id: str, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[Delivery]:
    return list(repo.deliveries(ctx.db, app_id, status, limit, offset))


def describe(row: Delivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "endpoint_id": row.endpoint_id,
        "session_id": row.session_id,
        "payload": row.payload,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
    }
