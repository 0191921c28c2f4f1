"""Subscriptions: a URL and scopes; every change of a subscribed user writes one delivery
holding the full user object plus `webhook_meta`, signed with the gateway client secret.

Several changes in one transaction (a PATCH adding three sub-documents, a check moving a
step and its session) make one delivery, holding the user as the transaction leaves it.
"""

from __future__ import annotations

import secrets
from typing import Any

from openkyc.domain.context import Ctx
from openkyc.domain.credential import account as accounts
from openkyc.domain.credential.user import user_object
from openkyc.domain.subscription import repository as repo
from openkyc.domain.subscription.signing import META
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import Invalid, NotFound
from openkyc.models import App, Session, Subscription

SCOPES = (
    "USER|POST",
    "USER|PATCH",
    "NODE|POST",
    "NODE|PATCH",
    "TRANS|POST",
    "TRAN|PATCH",
    "SUBNET|POST",
    "SUBNET|PATCH",
    # The spellings the official Node SDK's default scope uses.
    "USERS|POST",
    "NODES|POST",
)
ALIASES = {"USERS|POST": "USER|POST", "NODES|POST": "NODE|POST"}


def _scope(raw: Any) -> list[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
        raise Invalid("scope is a non-empty list of strings", code="malformed")
    unknown = [s for s in raw if s not in SCOPES]
    if unknown:
        raise Invalid(
            f"unknown scope {unknown[0][:40]!r}; known: {', '.join(SCOPES)}", code="malformed"
        )
    return list(dict.fromkeys(raw))


def create(
    ctx: Ctx, app_id: str, client_id: str, secret: str, url: Any, scope: Any
) -> Subscription:
    if not isinstance(url, str) or not url or len(url) > 2000:
        raise Invalid("url is required", code="malformed")
    scopes = _scope(scope)
    endpoint, _ = webhooks.create_endpoint(ctx, app_id, url)
    # Deliveries are signed with the gateway secret, as the receivers expect.
    endpoint.secret = ctx.ports.crypto.encrypt_json(secret)
    row = Subscription(
        id=secrets.token_hex(12),
        app_id=app_id,
        endpoint_id=endpoint.id,
        client_id=client_id,
        scope=scopes,
        active=True,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.add(row)
    ctx.db.flush()
    return row


def get(ctx: Ctx, app_id: str, subscription_id: str) -> Subscription:
    row = repo.get(ctx.db, app_id, subscription_id)
    if row is None:
        raise NotFound(f"subscription {subscription_id[:64]} not found")
    return row


def update(ctx: Ctx, app_id: str, subscription_id: str, changes: dict[str, Any]) -> Subscription:
    row = get(ctx, app_id, subscription_id)
    endpoint = webhooks.get_endpoint(ctx, app_id, row.endpoint_id)
    if "scope" in changes:
        row.scope = _scope(changes["scope"])
    if "url" in changes:
        endpoint.url = webhooks._check_url(str(changes["url"])[:2000])
    if "is_active" in changes:
        if not isinstance(changes["is_active"], bool):
            raise Invalid("is_active is true or false", code="malformed")
        row.active = endpoint.active = changes["is_active"]
    row.updated_at = ctx.now
    ctx.db.flush()
    return row


def page(ctx: Ctx, app_id: str, page: int, per_page: int) -> tuple[list[Subscription], int]:
    rows = repo.page(ctx.db, app_id, (page - 1) * per_page, per_page)
    return list(rows), repo.count(ctx.db, app_id)


def notify_user(ctx: Ctx, app_id: str, applicant_id: str, function: str) -> None:
    """One delivery per active subscription of the scope, re-rendered if this
    transaction already wrote one."""
    subscriptions = [
        s for s in repo.active(ctx.db, app_id) if function in {ALIASES.get(x, x) for x in s.scope}
    ]
    if not subscriptions:
        return
    account = accounts.get(ctx, app_id, applicant_id)
    app = ctx.db.get(App, app_id)
    name = app.name if app is not None else ""
    for sub in subscriptions:
        payload = user_object(ctx, account, {"id": sub.client_id, "name": name}, full=False)
        payload[META] = {
            "function": function,
            "updated_by": "BACKEND" if ctx.actor == "system" else "SELF",
            "date": {"$date": int(ctx.now.timestamp() * 1000)},
            "log_id": secrets.token_hex(12),
        }
        found = repo.pending_delivery(ctx.db, sub.endpoint_id, applicant_id, ctx.now)
        if found is not None:
            payload[META]["function"] = found.payload[META]["function"]
            found.payload = payload
            continue
        _deliver(ctx, app_id, sub.endpoint_id, applicant_id, payload)


def _deliver(
    ctx: Ctx, app_id: str, endpoint_id: str, object_id: str, payload: dict[str, Any]
) -> None:
    webhooks.enqueue(ctx, app_id, endpoint_id, object_id, payload)
    ctx.db.flush()


def on_status(ctx: Ctx, app_id: str, session_id: str) -> None:
    """A step or session of some dialect changed: a USER|PATCH if it is a user's."""
    if not repo.active(ctx.db, app_id):
        return
    session = ctx.db.get(Session, session_id)
    if session is None:
        return
    try:
        accounts.get(ctx, app_id, session.applicant_id)
    except NotFound:
        return  # an applicant of another dialect: no user object to send
    notify_user(ctx, app_id, session.applicant_id, "USER|PATCH")
