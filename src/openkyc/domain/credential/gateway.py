"""Gateway credentials of an app: `client_id|client_secret`, the secret kept as a keyed hash.

A request may carry the id alone (the SDKs send `client_id` when no secret was configured,
e.g. in a browser): it names the app but proves nothing, so only calls that also carry a
valid user OAuth key accept it (see `GatewayCaller.has_secret`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx
from openkyc.domain.credential import repository as repo
from openkyc.errors import Unauthorized
from openkyc.kit.ids import new_numeric_id
from openkyc.models import GatewayClient

MAX_PART = 200


@dataclass(frozen=True)
class GatewayCaller:
    caller: Caller
    client_id: str
    has_secret: bool


def create(ctx: Ctx, app_id: str, sandbox: bool) -> tuple[GatewayClient, str]:
    """A new client id and secret for an app; the secret is returned once, never stored."""
    client_id = f"client_id_{secrets.token_hex(16)}"
    secret = f"client_secret_{secrets.token_hex(16)}"
    row = GatewayClient(
        id=new_numeric_id(10),
        app_id=app_id,
        client_id=client_id,
        secret_hash=_secret_hash(ctx, client_id, secret),
        sandbox=sandbox,
        created_at=ctx.now,
        revoked_at=None,
    )
    ctx.db.add(row)
    ctx.db.flush()
    return row, secret


def _secret_hash(ctx: Ctx, client_id: str, secret: str) -> str:
    return ctx.ports.crypto.keyed_hash(f"gateway|{client_id}|{secret}")


def authenticate(ctx: Ctx, client_id: str, secret: str | None) -> GatewayCaller:
    """The app behind a client id; a wrong secret is refused, a missing one noted."""
    if not client_id or len(client_id) > MAX_PART or (secret and len(secret) > MAX_PART):
        raise Unauthorized("invalid client credentials")
    found = repo.gateway_by_client_id(ctx.db, client_id)
    if found is None or found[0].revoked_at is not None:
        raise Unauthorized("invalid client credentials")
    row, app = found
    if secret and not hmac.compare_digest(row.secret_hash, _secret_hash(ctx, client_id, secret)):
        raise Unauthorized("invalid client credentials")
    caller = Caller(app=app, key_id=row.id, sandbox=row.sandbox)
    return GatewayCaller(caller=caller, client_id=client_id, has_secret=bool(secret))
