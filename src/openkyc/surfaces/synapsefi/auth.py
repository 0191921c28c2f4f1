"""The X-SP-* headers: `X-SP-GATEWAY: client_id|client_secret`, `X-SP-USER:
oauth_key|fingerprint`, `X-SP-USER-IP`, in the partial forms the official SDKs send
(`|fingerprint` before OAuth, `client_id` alone when no secret was configured)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header, Request

from openkyc.domain.context import Ctx
from openkyc.domain.credential import gateway, oauth
from openkyc.domain.credential.gateway import GatewayCaller
from openkyc.errors import ErrorKind, OpenKYCError, Unauthorized
from openkyc.surfaces.http import client_of
from openkyc.surfaces.synapsefi.errors import CLIENT_CREDENTIALS, USER_CREDENTIALS

GatewayHeader = Annotated[str | None, Header(alias="X-SP-GATEWAY")]
UserHeader = Annotated[str | None, Header(alias="X-SP-USER")]
IpHeader = Annotated[str | None, Header(alias="X-SP-USER-IP")]
# The SDKs fill a missing half with this placeholder.
PLACEHOLDER = "xxx"


@dataclass(frozen=True)
class UserHeaderParts:
    oauth_key: str
    fingerprint: str


def _pair(raw: str | None) -> tuple[str, str]:
    first, _, second = (raw or "").strip().partition("|")
    first, second = first.strip(), second.strip()
    return ("" if first == PLACEHOLDER else first), ("" if second == PLACEHOLDER else second)


def user_parts(raw: str | None) -> UserHeaderParts:
    key, fingerprint = _pair(raw)
    return UserHeaderParts(key, fingerprint[:200])


def gateway_of(ctx: Ctx, raw: str | None, need_secret: bool) -> GatewayCaller:
    client_id, secret = _pair(raw)
    if not client_id:
        raise Unauthorized("X-SP-GATEWAY must be client_id|client_secret", code=CLIENT_CREDENTIALS)
    found = gateway.authenticate(ctx, client_id, secret or None)
    if need_secret and not found.has_secret:
        raise Unauthorized(
            "this call needs the client secret in X-SP-GATEWAY", code=CLIENT_CREDENTIALS
        )
    return found


def user_of(
    ctx: Ctx, gw: GatewayCaller, raw: str | None, user_id: str, scope: str
) -> oauth.UserKey:
    """The OAuth key's user must be the path's user; 110 (re-authenticate) otherwise."""
    parts = user_parts(raw)
    key = oauth.authenticate_user(ctx, gw.caller.app.id, parts.oauth_key, parts.fingerprint)
    if key.applicant_id != user_id:
        raise Unauthorized("this OAuth key belongs to another user", code=USER_CREDENTIALS)
    if scope not in key.scope:
        raise OpenKYCError(
            f"this OAuth key lacks the scope {scope}", kind=ErrorKind.FORBIDDEN, code="300"
        )
    return key


def reader_of(ctx: Ctx, gw: GatewayCaller, raw: str | None, user_id: str) -> None:
    """Reading a user: the client secret suffices; without it, the user's own OAuth key."""
    if not gw.has_secret:
        user_of(ctx, gw, raw, user_id, "USER|GET")


def client_info(request: Request, ip: str | None) -> dict[str, Any]:
    """Request metadata of a submission; X-SP-USER-IP is the end user's address."""
    info = client_of(request)
    if ip:
        info["ip"] = ip.strip()[:64]
    return info


def gateway_secret(raw: str | None) -> str:
    """The client secret of an authenticated X-SP-GATEWAY (it signs the webhooks)."""
    return _pair(raw)[1]
