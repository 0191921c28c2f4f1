"""Apps (tenants), their API keys and flows, and admin tokens."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from openkyc.domain.app import repository as repo
from openkyc.domain.app.schemas import parse_flow
from openkyc.domain.context import Ctx
from openkyc.errors import Conflict, NotFound, Unauthorized
from openkyc.kit.ids import new_numeric_id, new_token
from openkyc.models import AdminToken, ApiKey, App


@dataclass(frozen=True)
class Caller:
    """Who a request is from: an app, through one of its keys."""

    app: App
    key_id: str
    sandbox: bool


def default_flow() -> list[dict[str, Any]]:
    """The step types whose checks exist, in canonical order."""
    from openkyc.checks.registry import default_flow_types

    return [{"type": t, "settings": {}} for t in default_flow_types()]


def create_app(ctx: Ctx, name: str, flow: Any = None) -> App:
    name = name.strip()
    if not name or len(name) > 200:
        raise Conflict("an app name is 1 to 200 characters")
    app = App(
        id=new_numeric_id(8),
        name=name,
        flow=parse_flow(flow) if flow is not None else default_flow(),
        settings={},
        created_at=ctx.now,
    )
    ctx.db.add(app)
    ctx.db.flush()
    return app


def get_app(ctx: Ctx, app_id: str) -> App:
    app = repo.get_app(ctx.db, app_id)
    if app is None:
        raise NotFound(f"app {app_id} not found")
    return app


def set_flow(ctx: Ctx, app_id: str, flow: Any) -> App:
    app = get_app(ctx, app_id)
    app.flow = parse_flow(flow)
    ctx.db.flush()
    return app


def create_key(ctx: Ctx, app_id: str, sandbox: bool) -> tuple[ApiKey, str]:
    """Return the key row and the key itself, which is never stored nor shown again."""
    get_app(ctx, app_id)
    secret = new_token("sk_test" if sandbox else "sk_live")
    key = ApiKey(
        id=new_numeric_id(10),
        app_id=app_id,
        key_hash=ctx.ports.crypto.keyed_hash(secret),
        prefix=secret[:12],
        sandbox=sandbox,
        created_at=ctx.now,
        revoked_at=None,
    )
    ctx.db.add(key)
    ctx.db.flush()
    return key, secret


def revoke_key(ctx: Ctx, app_id: str, key_id: str) -> ApiKey:
    for key in repo.keys_of(ctx.db, app_id):
        if key.id == key_id:
            if key.revoked_at is None:
                key.revoked_at = ctx.now
                ctx.db.flush()
            return key
    raise NotFound(f"key {key_id} not found")


def rotate_key(ctx: Ctx, app_id: str, key_id: str) -> tuple[ApiKey, str]:
    """Revoke one key and issue its replacement with the same sandbox flag."""
    old = revoke_key(ctx, app_id, key_id)
    return create_key(ctx, app_id, old.sandbox)


def list_keys(ctx: Ctx, app_id: str) -> list[ApiKey]:
    get_app(ctx, app_id)
    return list(repo.keys_of(ctx.db, app_id))


class AppRef(NamedTuple):
    id: str
    name: str


def _key_hash(ctx: Ctx, api_key: str | None) -> str:
    if not api_key:
        raise Unauthorized("missing API key")
    return ctx.ports.crypto.keyed_hash(api_key.strip())


def _refuse_revoked(revoked_at: datetime | None) -> None:
    if revoked_at is not None:
        raise Unauthorized("this API key has been revoked")


def authenticate(ctx: Ctx, api_key: str | None) -> Caller:
    found = repo.key_with_app(ctx.db, _key_hash(ctx, api_key))
    if found is None:
        raise Unauthorized("invalid API key")
    key, app = found
    _refuse_revoked(key.revoked_at)
    return Caller(app=app, key_id=key.id, sandbox=key.sandbox)


def authenticate_ref(ctx: Ctx, api_key: str | None) -> AppRef:
    """The same checks as authenticate, for routes that need only the app's id and name
    (building the full app row costs more than the rest of a status poll)."""
    row = repo.key_row(ctx.db, _key_hash(ctx, api_key))
    if row is None:
        raise Unauthorized("invalid API key")
    _refuse_revoked(row.revoked_at)
    return AppRef(row.app_id, row.app_name)


def create_admin_token(ctx: Ctx, name: str) -> str:
    token = new_token("adm")
    ctx.db.add(
        AdminToken(
            id=new_numeric_id(10),
            name=name,
            token_hash=ctx.ports.crypto.keyed_hash(token),
            created_at=ctx.now,
            revoked_at=None,
        )
    )
    ctx.db.flush()
    return token


def authenticate_admin(ctx: Ctx, token: str | None) -> str:
    """Return the reviewer's name for a valid admin token."""
    if not token:
        raise Unauthorized("missing admin token")
    configured = ctx.ports.settings.admin_token
    if configured and hmac.compare_digest(configured.encode(), token.encode()):
        return "admin"
    row = repo.admin_token_by_hash(ctx.db, ctx.ports.crypto.keyed_hash(token))
    if row is None or row.revoked_at is not None:
        raise Unauthorized("invalid admin token")
    return row.name
