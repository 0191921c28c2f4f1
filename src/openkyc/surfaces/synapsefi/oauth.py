"""`POST /oauth/{user_id}`: a refresh token for an OAuth key; an unknown device first goes
through the 2FA flow (202 with the user's devices, a pin sent to one, the pin back)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.credential import account as accounts
from openkyc.domain.credential import oauth
from openkyc.domain.credential.account import Account
from openkyc.domain.credential.gateway import GatewayCaller
from openkyc.errors import Invalid
from openkyc.surfaces.synapsefi import auth
from openkyc.surfaces.synapsefi.auth import GatewayHeader, UserHeader
from openkyc.surfaces.synapsefi.errors import (
    ACTION_PENDING,
    INCORRECT_VALUES,
    USER_CREDENTIALS,
    envelope,
)
from openkyc.surfaces.synapsefi.wire import OAuthBody

PIN_TEXT = "Your verification pin is {pin}. It expires in 10 minutes."


def _send_pin(
    ctx: Ctx, gw: GatewayCaller, account: Account, fingerprint: str, device: str
) -> JSONResponse:
    if device not in account.content.get("phone_numbers", []):
        raise Invalid("phone_number is not one of the user's phone numbers", code=INCORRECT_VALUES)
    pin = oauth.issue_pin(ctx, account.app_id, account.applicant_id, fingerprint, gw.caller.sandbox)
    if not gw.caller.sandbox:
        channel, messenger = ("email", ctx.ports.email) if "@" in device else ("sms", ctx.ports.sms)
        text = PIN_TEXT.format(pin=pin)
        ctx.after_commit(lambda: messenger.send(channel, device, "Your verification pin", text))
    return JSONResponse({"message": {"en": f"MFA sent to {device}."}, "success": True}, 200)


def _granted(ctx: Ctx, gw: GatewayCaller, account: Account, key: oauth.OAuthKey) -> dict[str, Any]:
    expires_at = int(ctx.now.timestamp()) + key.expires_in
    return {
        "client_id": gw.client_id,
        "client_name": gw.caller.app.name,
        "expires_at": str(expires_at),
        "expires_in": str(key.expires_in),
        "oauth_key": key.key,
        "refresh_expires_in": int(oauth.REFRESH_TTL.total_seconds()),
        "refresh_token": account.content.get("refresh_token", ""),
        "scope": key.scope,
        "user_id": account.applicant_id,
    }


def grant(
    ctx: Ctx, gw: GatewayCaller, user_id: str, body: OAuthBody, user_header: str | None
) -> JSONResponse:
    account = accounts.get(ctx, gw.caller.app.id, user_id)
    oauth.check_refresh(ctx, account.app_id, user_id, body.refresh_token)
    fingerprint = auth.user_parts(user_header).fingerprint
    if not fingerprint:
        raise Invalid(
            "X-SP-USER must carry the device fingerprint: |fingerprint", code=USER_CREDENTIALS
        )
    if not oauth.is_known(ctx, user_id, fingerprint):
        if body.validation_pin is not None:
            oauth.confirm_pin(ctx, account.app_id, user_id, fingerprint, body.validation_pin)
        elif body.phone_number is not None:
            return _send_pin(ctx, gw, account, fingerprint, body.phone_number)
        else:
            message = "Fingerprint not registered. Please perform the MFA flow."
            pending = envelope(
                202, message, ACTION_PENDING, phone_numbers=account.content.get("phone_numbers", [])
            )
            return JSONResponse(pending, 202)
    key = oauth.issue_oauth(ctx, account.app_id, user_id, fingerprint, body.scope)
    return JSONResponse(_granted(ctx, gw, account, key), 200)


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/oauth/{user_id}")
    def oauth_user(
        user_id: str, body: OAuthBody, gateway: GatewayHeader = None, user: UserHeader = None
    ) -> JSONResponse:
        with runtime.transaction(actor="api") as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=False)
            return grant(ctx, gw, user_id, body, user)

    return api
