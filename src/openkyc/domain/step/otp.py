"""One-time codes for the PHONE and EMAIL steps.

6 digits, only a keyed hash stored, valid 10 minutes, 5 attempts, resends throttled.
In sandbox sessions the code is always 000000 and nothing is sent.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from openkyc.checks.email.check import EmailInvalid, normalise_email
from openkyc.checks.phone.check import METHODS, PhoneNumberInvalid, parse_phone
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepType
from openkyc.errors import ErrorKind, Invalid, OpenKYCError
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_numeric_id
from openkyc.models import OneTimeCode, Step

log = logging.getLogger(__name__)

SANDBOX_CODE = "000000"
# The span over which otp_max_sends_per_hour counts.
WINDOW = timedelta(hours=1)

MESSAGES = {
    "en": (
        "Your verification code",
        "Your verification code is {code}. It expires in {minutes} minutes.",
    ),
    "fr": (
        "Votre code de vérification",
        "Votre code de vérification est {code}. Il expire dans {minutes} minutes.",
    ),
    "de": (
        "Ihr Bestätigungscode",
        "Ihr Bestätigungscode lautet {code}. Er läuft in {minutes} Minuten ab.",
    ),
    "es": (
        "Su código de verificación",
        "Su código de verificación es {code}. Caduca en {minutes} minutos.",
    ),
}


def _code_hash(ctx: Ctx, step: Step, code: str) -> str:
    return ctx.ports.crypto.keyed_hash(f"otp|{step.id}|{code}")


def _latest(ctx: Ctx, step: Step) -> OneTimeCode | None:
    return ctx.db.scalars(
        select(OneTimeCode)
        .where(OneTimeCode.step_id == step.id)
        .order_by(OneTimeCode.created_at.desc(), OneTimeCode.id.desc())
    ).first()


def _throttle(ctx: Ctx, step: Step) -> None:
    settings = ctx.ports.settings
    latest = _latest(ctx, step)
    if latest is not None:
        wait = as_utc(latest.created_at) + timedelta(seconds=settings.otp_resend_seconds) - ctx.now
        if wait.total_seconds() > 0:
            raise OpenKYCError(
                f"a code was just sent; retry in {int(wait.total_seconds()) + 1} seconds",
                kind=ErrorKind.TOO_MANY,
                retry_after=int(wait.total_seconds()) + 1,
            )
    recent = sorted(
        as_utc(sent)
        for sent in ctx.db.scalars(
            select(OneTimeCode.created_at).where(
                OneTimeCode.step_id == step.id, OneTimeCode.created_at > ctx.now - WINDOW
            )
        )
    )
    over = len(recent) - settings.otp_max_sends_per_hour
    if over >= 0:
        # A slot frees when enough of the oldest codes in the window turn one hour old.
        frees_at = recent[over] + WINDOW if over < len(recent) else ctx.now + WINDOW
        retry = max(int((frees_at - ctx.now).total_seconds()) + 1, 1)
        raise OpenKYCError(
            f"too many codes sent for this step; retry in {retry} seconds",
            kind=ErrorKind.TOO_MANY,
            retry_after=retry,
        )


def normalise_target(
    ctx: Ctx, step_type: str, raw: Any, country: str | None = None
) -> dict[str, Any]:
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid("a phone number or email address is required")
    if step_type == StepType.PHONE:
        try:
            info = parse_phone(raw.strip(), country)
        except PhoneNumberInvalid as exc:
            raise Invalid(str(exc)) from exc
        return {"number": info.number, "calling_code": info.calling_code, "country": info.country}
    try:
        value = normalise_email(raw.strip(), ctx.ports.settings.email_check_deliverability)
    except EmailInvalid as exc:
        raise Invalid(str(exc)) from exc
    return {"value": value}


def send_code(
    ctx: Ctx,
    step: Step,
    raw_target: Any,
    method: str = "sms",
    country: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Issue a code for the step's phone or email; return what the applicant may see."""
    steps.ensure_open(step)
    if step.type == StepType.PHONE and method not in METHODS:
        raise Invalid("method is one of sms, call")
    target = normalise_target(ctx, step.type, raw_target, country)
    _throttle(ctx, step)
    settings = ctx.ports.settings
    sandbox = steps.session_of(ctx, step).sandbox
    code = SANDBOX_CODE if sandbox else f"{secrets.randbelow(10**6):06d}"
    channel = method if step.type == StepType.PHONE else "email"
    target["method"] = method if step.type == StepType.PHONE else None
    ctx.db.add(
        OneTimeCode(
            id=new_numeric_id(14),
            app_id=step.app_id,
            step_id=step.id,
            channel=channel,
            target=ctx.ports.crypto.encrypt_json(target),
            code_hash=_code_hash(ctx, step, code),
            attempts_left=settings.otp_max_attempts,
            created_at=ctx.now,
            expires_at=ctx.now + timedelta(seconds=settings.otp_ttl_seconds),
        )
    )
    events.record(ctx, step.app_id, step.session_id, "code.sent", step.id, {"channel": channel})
    if not sandbox:
        subject, text = MESSAGES.get(language, MESSAGES["en"])
        body = text.format(code=code, minutes=settings.otp_ttl_seconds // 60)
        to = target.get("number") or target["value"]
        _deliver(ctx, step, channel, to, subject, body)
    return {
        "sent": True,
        "channel": channel,
        "expires_in": settings.otp_ttl_seconds,
        "resend_in": settings.otp_resend_seconds,
    }


def _deliver(ctx: Ctx, step: Step, channel: str, to: str, subject: str, body: str) -> None:
    """Send the code as the last thing the request does, the code's row written already.

    A gateway that fails answers 503, and the transaction rolls back: the code was never
    issued and does not count against the throttle. (Were the commit itself to fail after
    a send, the applicant would hold a code that cannot be checked, and ask again.)"""
    ctx.db.flush()  # anything the database refuses, refused before the message leaves
    messenger = ctx.ports.sms if step.type == StepType.PHONE else ctx.ports.email
    try:
        messenger.send(channel, to, subject, body)
    except OSError as exc:  # MessageNotSent, or a transport error it did not wrap
        log.warning("step %s: %s code not sent: %s", step.id, channel, exc)
        raise OpenKYCError(
            f"the {channel} could not be sent; try again later", kind=ErrorKind.UNAVAILABLE
        ) from None


def verify_code(ctx: Ctx, step: Step, code: Any, client: dict[str, Any]) -> Step:
    """Check a code; on success the step is submitted to its check."""
    steps.ensure_open(step)
    if not isinstance(code, str) or not code.isdigit() or len(code) != 6:
        raise Invalid("the code is 6 digits")
    otp = _latest(ctx, step)
    if otp is None:
        raise OpenKYCError("no code was sent for this step", kind=ErrorKind.CONFLICT)
    if otp.verified_at is not None:
        raise OpenKYCError(
            "this code was already used; request a new code", kind=ErrorKind.CONFLICT
        )
    if otp.attempts_left <= 0:
        raise OpenKYCError(
            "too many wrong codes; request a new code", kind=ErrorKind.LOCKED, attempts_left=0
        )
    if as_utc(otp.expires_at) < ctx.now:
        raise OpenKYCError("the code has expired; request a new code", kind=ErrorKind.GONE)
    if not hmac.compare_digest(otp.code_hash, _code_hash(ctx, step, code)):
        otp.attempts_left -= 1
        events.record(
            ctx,
            step.app_id,
            step.session_id,
            "code.wrong",
            step.id,
            {"attempts_left": otp.attempts_left},
        )
        raise OpenKYCError(
            "wrong code"
            if otp.attempts_left
            else "wrong code; no attempts left, request a new code",
            kind=ErrorKind.INVALID if otp.attempts_left else ErrorKind.LOCKED,
            keep_changes=True,
            attempts_left=otp.attempts_left,
        )
    otp.verified_at = ctx.now
    otp.attempts_left = 0  # a code is used once
    target = ctx.ports.crypto.decrypt_json(otp.target)
    data = {**target, "verified_at": ctx.now.isoformat()}
    if step.type == StepType.EMAIL:
        data = {"value": target["value"], "verified_at": ctx.now.isoformat()}
    events.record(ctx, step.app_id, step.session_id, "code.verified", step.id)
    return steps.submit(ctx, step, data, client)
