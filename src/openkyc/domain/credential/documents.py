"""Documents of a user account onto the core: a base document is a session of the
applicant, each of its sub-documents one step of that session, submitted at once.

Everything a request carries is validated before the first row or file is written, so a
refused request stores nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx
from openkyc.domain.credential.account import Account
from openkyc.domain.file import service as files
from openkyc.domain.session import repository as session_repo
from openkyc.domain.session import service as sessions
from openkyc.domain.step import otp
from openkyc.domain.step import repository as step_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus
from openkyc.errors import Conflict, NotFound
from openkyc.kit.ids import new_numeric_id
from openkyc.models import Applicant, Session, Step


@dataclass(frozen=True)
class NewSub:
    """One sub-document to add: its step type and settings, and what it submits (files,
    data) or, for a 2FA document, the phone or email a code is sent to."""

    category: str  # physical | virtual | social
    document_type: str
    step_type: str
    settings: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    otp_target: str | None = None
    otp_country: str | None = None


def new_document_id() -> str:
    return secrets.token_hex(32)


def add_base(
    ctx: Ctx,
    caller: Caller,
    account: Account,
    applicant: Applicant,
    fields: dict[str, Any],
    subs: list[NewSub],
    client: dict[str, Any],
) -> dict[str, Any]:
    """A new base document (session) holding the given sub-documents."""
    base_id = new_document_id()
    session = sessions.init_session(ctx, caller, base_id, applicant=applicant, flow=[])
    base: dict[str, Any] = {"id": base_id, "session_id": session.id, "fields": fields, "subs": []}
    account.documents.append(base)
    add_subs(ctx, base, subs, client)
    return base


def _session(ctx: Ctx, app_id: str, base: dict[str, Any]) -> Session:
    session = session_repo.get(ctx.db, app_id, base["session_id"])
    if session is None:
        raise NotFound(f"base document {base['id']} not found")
    return session


def add_subs(ctx: Ctx, base: dict[str, Any], subs: list[NewSub], client: dict[str, Any]) -> None:
    if not subs:
        return
    session = _session(ctx, _app_of(ctx, base), base)
    position = len(session_repo.steps(ctx.db, session.id))
    for offset, sub in enumerate(subs):
        step = Step(
            id=new_numeric_id(12),
            app_id=session.app_id,
            session_id=session.id,
            position=position + offset,
            type=sub.step_type,
            status=StepStatus.SUBMISSION_REQUIRED,
            settings={},
            updated_at=ctx.now,
        )
        # The identifier check files its keyed hash under the step it checks.
        step.settings = {**sub.settings, "step_id": step.id}
        ctx.db.add(step)
        ctx.db.flush()
        _submit(ctx, step, sub, client)
        base["subs"].append(
            {
                "id": new_document_id(),
                "step_id": step.id,
                "category": sub.category,
                "type": sub.document_type,
                "created_at": int(ctx.now.timestamp() * 1000),
            }
        )
    sessions.refresh_status(ctx, session)


def _app_of(ctx: Ctx, base: dict[str, Any]) -> str:
    session = session_repo.get_any(ctx.db, base["session_id"])
    if session is None:
        raise NotFound(f"base document {base['id']} not found")
    return session.app_id


def _submit(ctx: Ctx, step: Step, sub: NewSub, client: dict[str, Any]) -> None:
    if sub.otp_target is not None:
        # Stays open until the code is confirmed (SUBMITTED|MFA_PENDING).
        otp.send_code(ctx, step, sub.otp_target, "sms", country=sub.otp_country)
        return
    attempt = step.attempt_count + 1
    for kind, data in sub.files.items():
        files.store(ctx, step, kind, data, attempt)
    steps.submit(ctx, step, sub.data, client)


def step_of(ctx: Ctx, app_id: str, sub: dict[str, Any]) -> Step:
    step = step_repo.get(ctx.db, app_id, sub["step_id"])
    if step is None:
        raise NotFound(f"sub-document {sub['id']} not found")
    return step


def answer_2fa(
    ctx: Ctx, app_id: str, sub: dict[str, Any], code: str, client: dict[str, Any]
) -> None:
    """Confirm a 2FA sub-document with the code sent to it."""
    step = step_of(ctx, app_id, sub)
    if step.status != StepStatus.SUBMISSION_REQUIRED:
        raise Conflict(f"sub-document {sub['id']} is not waiting for a code")
    otp.verify_code(ctx, step, code, client)


def delete_sub(ctx: Ctx, account: Account, sub_id: str) -> None:
    """A deleted sub-document is hidden and no longer counts; its step and evidence stay."""
    _, sub = account.sub(sub_id)
    sub["deleted"] = int(ctx.now.timestamp() * 1000)
