"""The end-user API (Synaps v3 style): what the applicant's browser or app calls.

The `Session-Id` header is the credential; a step outside that session is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.session import service as sessions
from openkyc.domain.step import otp, reasons
from openkyc.domain.step import service as steps
from openkyc.domain.step.client import language
from openkyc.domain.step.schemas import FILE_KINDS, REQUIRED_FILE, StepType
from openkyc.errors import Conflict, Invalid
from openkyc.models import Session
from openkyc.surfaces.http import WireModel, client_of, install_errors, refuse_nul
from openkyc.surfaces.synaps import identity, liveness, residency
from openkyc.surfaces.synaps.errors import envelope

TEXT_FIELDS = (
    "document_type",
    "country",
    "address",
    "city",
    "zip_code",
    "host_id_document_type",
    "host_id_document_country",
)


class PhoneSend(WireModel):
    phone_number: str = Field(min_length=1, max_length=32)
    method: str = "sms"
    country: str | None = Field(default=None, max_length=3)


class EmailSend(WireModel):
    email: str = Field(min_length=1, max_length=320)


class CodeBody(WireModel):
    code: str = Field(max_length=16)


def _overview(ctx: Ctx, session: Session, lang: str) -> dict[str, Any]:
    from openkyc.domain.session import service as sessions

    items = []
    for step in sessions.steps_of(ctx, session):
        item: dict[str, Any] = {"id": step.id, "type": step.type, "status": step.status}
        if step.reason_code and step.status in ("REJECTED", "RESUBMISSION_REQUIRED"):
            item["reason"] = {
                "code": step.reason_code,
                "message": reasons.message(step.reason_code, lang)["translated"],
            }
        items.append(item)
    return {
        "session_id": session.id,
        "status": session.status,
        "sandbox": session.sandbox,
        "steps": items,
    }


SessionId = Annotated[str | None, Header(alias="Session-Id")]
StepId = Annotated[str, Query(min_length=1, max_length=32)]


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - end-user API",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    install_errors(api, envelope)

    @api.get("/session")
    def overview(request: Request, session_id: SessionId = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            lang = language(request.headers.get("accept-language")) or "en"
            return _overview(ctx, sessions.of_applicant(ctx, session_id), lang)

    @api.post("/phone/send")
    def phone_send(
        body: PhoneSend, request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="applicant") as ctx:
            step = steps.applicant_step(ctx, session_id, step_id, StepType.PHONE)
            lang = language(request.headers.get("accept-language")) or "en"
            return otp.send_code(ctx, step, body.phone_number, body.method, body.country, lang)

    @api.post("/email/send")
    def email_send(
        body: EmailSend, request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="applicant") as ctx:
            step = steps.applicant_step(ctx, session_id, step_id, StepType.EMAIL)
            lang = language(request.headers.get("accept-language")) or "en"
            return otp.send_code(ctx, step, body.email, "email", None, lang)

    def _verify(
        step_type: str, body: CodeBody, request: Request, step_id: str, session_id: str | None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="applicant") as ctx:
            step = steps.applicant_step(ctx, session_id, step_id, step_type)
            otp.verify_code(ctx, step, body.code, client_of(request))
            return {"id": step.id, "status": step.status}

    @api.post("/phone/verify")
    def phone_verify(
        body: CodeBody, request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        return _verify(StepType.PHONE, body, request, step_id, session_id)

    @api.post("/email/verify")
    def email_verify(
        body: CodeBody, request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        return _verify(StepType.EMAIL, body, request, step_id, session_id)

    @api.post("/step/submit")
    async def submit_files(
        request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        """Generic upload for document-type steps: named file fields plus their text fields."""
        form = await request.form(max_files=8, max_fields=20)
        uploads: dict[str, bytes] = {}
        fields: dict[str, str] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads[name] = await value.read()
            elif name in TEXT_FIELDS:
                fields[name] = value[:255]
        await form.close()
        client = client_of(request)
        return await _run_sync(
            lambda: _submit(runtime, session_id, step_id, uploads, fields, client)
        )

    api.include_router(liveness.router(runtime))
    api.include_router(identity.router(runtime))
    api.include_router(residency.router(runtime))
    return api


async def _run_sync(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return await run_in_threadpool(fn)


def _submit(
    runtime: Runtime,
    session_id: str | None,
    step_id: str,
    uploads: dict[str, bytes],
    fields: dict[str, str],
    client: dict[str, Any],
) -> dict[str, Any]:
    with runtime.transaction(actor="applicant") as ctx:
        step = steps.applicant_step(ctx, session_id, step_id)
        kind = StepType(step.type)
        if kind not in FILE_KINDS:
            raise Conflict(f"a {step.type} step takes no file upload")
        steps.ensure_open(step)
        required = REQUIRED_FILE[kind]
        if required not in uploads:
            raise Invalid(f"file {required!r} is required for a {step.type} step")
        steps.submit_files(ctx, step, uploads, fields, client)
        return {"id": step.id, "status": step.status}
