"""Webhooks: delivery rows written with the change they report, then sent with retries.

Signature: X-Openkyc-Signature holds `v1=<hex>` of HMAC-SHA256(secret, f"{ts}.{body}"),
once per valid secret (the previous secret keeps signing during its overlap window),
and X-Openkyc-Timestamp holds ts. Synaps' own `?secret=` query parameter is appended.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit

from openkyc.domain.context import Ctx
from openkyc.domain.ports import Ports
from openkyc.domain.webhook import repository as repo
from openkyc.errors import Invalid, NotFound
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_numeric_id
from openkyc.kit.signing import webhook_signature
from openkyc.models import App, Delivery, Endpoint

log = logging.getLogger(__name__)

SERVICE = "INDIVIDUAL"
# The previous secret still signs for this long after a rotation.
ROTATION_OVERLAP = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=2)
# A claimed delivery is left alone this long beyond the HTTP timeout before it may be retried.
LEASE_MARGIN_SECONDS = 60


def _check_url(url: str) -> str:
    message = "a webhook URL must be an absolute http(s) URL"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise Invalid(message + " without spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        raise Invalid(message) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(message)
    if parts.fragment:
        raise Invalid("a webhook URL has no #fragment")
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


def enqueue(
    ctx: Ctx, app_id: str, endpoint_id: str, subject_id: str, payload: dict[str, Any]
) -> Delivery:
    """Write one delivery (sent once the transaction commits, retried by the sweep)."""
    delivery = Delivery(
        id=new_numeric_id(14),
        app_id=app_id,
        endpoint_id=endpoint_id,
        session_id=subject_id,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=ctx.now,
        created_at=ctx.now,
    )
    ctx.db.add(delivery)
    ctx.after_commit(partial(ctx.ports.queue.deliver_webhook, delivery.id))
    return delivery


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
        enqueue(ctx, app_id, endpoint.id, session_id, payload)
    from openkyc.domain.subscription import service as subscriptions  # it imports us

    subscriptions.on_status(ctx, app_id, session_id)  # SynapseFI USER|PATCH webhooks


def _signatures(ctx: Ctx, endpoint: Endpoint, timestamp: int, body: bytes) -> tuple[str, str]:
    current: str = ctx.ports.crypto.decrypt_json(endpoint.secret)
    signed = [f"v1={webhook_signature(current, timestamp, body)}"]
    overlap = endpoint.previous_until and as_utc(endpoint.previous_until) > ctx.now
    if endpoint.previous_secret and overlap:
        previous: str = ctx.ports.crypto.decrypt_json(endpoint.previous_secret)
        signed.append(f"v1={webhook_signature(previous, timestamp, body)}")
    return " ".join(signed), current


# Deliveries whose payload holds this key are Synctera events (see notify_event).
SYNCTERA_EVENT = "event_resource"


def notify_event(
    ctx: Ctx, app_id: str, object_id: str, event_type: str, resource: dict[str, Any]
) -> None:
    """Write a Synctera-style event (`VERIFICATION.CREATED`...) for each active endpoint.

    Sent as Synctera sends them: no `?secret=` in the URL, `Request-Timestamp` and
    `Synctera-Signature` = hex HMAC-SHA256(secret, f"{timestamp}.{body}"); during a secret
    rotation both signatures are sent, joined by a dot.
    """
    for endpoint in repo.active_endpoints(ctx.db, app_id):
        payload = {
            "id": str(uuid.uuid4()),
            "type": event_type,
            "event_time": ctx.now.isoformat().replace("+00:00", "Z"),
            SYNCTERA_EVENT: json.dumps(resource, separators=(",", ":")),
            "webhook_id": endpoint.id,
            "url": endpoint.url,
            "metadata": "",
        }
        enqueue(ctx, app_id, endpoint.id, object_id, payload)


def _synctera_headers(
    ctx: Ctx, endpoint: Endpoint, timestamp: int, body: bytes, delivery_id: str
) -> dict[str, str]:
    signed = _signatures(ctx, endpoint, timestamp, body)[0]
    signatures = [part.removeprefix("v1=") for part in signed.split(" ")]
    return {
        "Content-Type": "application/json",
        "User-Agent": "openkyc-webhooks/1",
        "Request-Timestamp": str(timestamp),
        "Synctera-Signature": ".".join(signatures),
        "X-Openkyc-Delivery": delivery_id,
    }


# Deliveries whose payload holds this key are SynapseFI user webhooks (domain/subscription).
SYNAPSEFI_META = "webhook_meta"


def _synapsefi_headers(
    ctx: Ctx, endpoint: Endpoint, delivery: Delivery, body: bytes
) -> dict[str, str]:
    from openkyc.domain.subscription.signing import signatures

    secret: str = ctx.ports.crypto.decrypt_json(endpoint.secret)
    return {
        "Content-Type": "application/json",
        "User-Agent": "openkyc-webhooks/1",
        "X-Openkyc-Delivery": delivery.id,
        **signatures(secret, delivery.payload, body),
    }


def backoff(attempts: int, first_seconds: int) -> timedelta:
    """Exponential: first, 2x, 4x ... capped at two hours between tries."""
    return min(timedelta(seconds=first_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True)
class Outgoing:
    """One claimed attempt: what to POST, worked out inside a transaction, sent outside it."""

    delivery_id: str
    number: int
    url: str
    body: bytes
    headers: dict[str, str]


def claim(ctx: Ctx, delivery_id: str) -> Outgoing | None:
    """Take a due delivery for one attempt; None when there is nothing to send now.

    The delivery is leased (its next attempt moved past the HTTP timeout) so that a
    duplicate message or the sweep leaves it alone while it is in flight, and so that
    the sweep sends it again if this worker dies before recording the outcome.
    """
    delivery = repo.delivery(ctx.db, None, delivery_id, lock=True)
    if delivery is None or delivery.status != "pending":
        return None
    if delivery.next_attempt_at and as_utc(delivery.next_attempt_at) > ctx.now:
        return None  # a retry is scheduled later, or another worker holds it
    endpoint = ctx.db.get(Endpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.active:
        _give_up(delivery, "endpoint disabled")
        return None
    window = timedelta(hours=ctx.ports.settings.webhook_retry_hours) + MAX_BACKOFF
    if ctx.now - as_utc(delivery.created_at) > window:
        # Only when attempts never got recorded (workers dying mid-send): stop for good.
        _give_up(delivery, delivery.last_error or "retry window exceeded")
        return None
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
    if SYNCTERA_EVENT in delivery.payload:  # the Synctera dialect's events sign its own way
        url, headers = endpoint.url, _synctera_headers(ctx, endpoint, timestamp, body, delivery.id)
    if SYNAPSEFI_META in delivery.payload:  # SynapseFI subscriptions sign their own way
        url, headers = endpoint.url, _synapsefi_headers(ctx, endpoint, delivery, body)
    delivery.attempts += 1
    lease = ctx.ports.settings.webhook_timeout_seconds + LEASE_MARGIN_SECONDS
    delivery.next_attempt_at = ctx.now + timedelta(seconds=lease)
    return Outgoing(delivery.id, delivery.attempts, url, body, headers)


def _give_up(delivery: Delivery, error: str) -> None:
    delivery.status = "failed"
    delivery.last_error = error
    delivery.next_attempt_at = None


def send(ports: Ports, outgoing: Outgoing) -> tuple[int, str | None]:
    """POST once, outside any transaction: (status code or 0, error or None)."""
    try:
        status = ports.http.post(
            outgoing.url, outgoing.body, outgoing.headers, ports.settings.webhook_timeout_seconds
        )
    except OSError as exc:  # refused, reset, timed out: the receiver is down, try later
        return 0, type(exc).__name__
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def record(ctx: Ctx, outgoing: Outgoing, status: int, error: str | None) -> Delivery | None:
    """Store an attempt's outcome: delivered, a retry later (exponential backoff), or failed
    once retrying would go past `webhook_retry_hours` after the delivery was written."""
    delivery = repo.delivery(ctx.db, None, outgoing.delivery_id, lock=True)
    if delivery is None or delivery.status != "pending":
        return delivery
    if error is not None and delivery.attempts != outgoing.number:
        return delivery  # a later attempt took over after our lease ran out; it decides
    delivery.last_status_code = status or None
    delivery.last_error = error
    if error is None:
        delivery.status = "delivered"
        delivery.delivered_at = ctx.now
        delivery.next_attempt_at = None
        return delivery
    settings = ctx.ports.settings
    retry_at = ctx.now + backoff(delivery.attempts, settings.webhook_first_retry_seconds)
    if retry_at - as_utc(delivery.created_at) > timedelta(hours=settings.webhook_retry_hours):
        delivery.status = "failed"
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = retry_at
        delay = (retry_at - ctx.now).total_seconds()
        queue = ctx.ports.queue
        ctx.after_commit(partial(queue.deliver_webhook, delivery.id, delay))
    log.info("webhook delivery %s attempt %s failed: %s", delivery.id, delivery.attempts, error)
    return delivery


def attempt(ctx: Ctx, delivery_id: str) -> Delivery | None:
    """Claim, send and record in the caller's one transaction (tools and tests choosing
    `ctx.now`). Workers use worker.tasks.deliver, which holds no transaction while sending."""
    outgoing = claim(ctx, delivery_id)
    if outgoing is None:
        return repo.delivery(ctx.db, None, delivery_id)
    return record(ctx, outgoing, *send(ctx.ports, outgoing))


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
    _known_app(ctx, app_id)
    return list(repo.deliveries(ctx.db, app_id, status, limit, offset))


def list_endpoints(ctx: Ctx, app_id: str) -> list[Endpoint]:
    _known_app(ctx, app_id)
    return list(repo.endpoints(ctx.db, app_id))


def _known_app(ctx: Ctx, app_id: str) -> None:
    """An unknown app is a 404, not an empty list that looks like 'no webhooks yet'."""
    if ctx.db.get(App, app_id) is None:
        raise NotFound(f"app {app_id} not found")


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
