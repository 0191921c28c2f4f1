"""End-user identity submission (Synaps v3 style): `POST /v3/identity/submit?step_id=`.

Multipart fields: `front` (required) and `back` (image/jpeg, image/png or application/pdf),
`document_type` (PASSPORT, NATIONAL_ID, DRIVER_LICENSE, RESIDENT_PERMIT) and `country`
(ISO-3166 alpha-3). The `Session-Id` header is the credential. The step becomes
PENDING_VERIFICATION and its check runs in the background.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from openkyc.domain.context import Runtime
from openkyc.domain.file import service as files
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import ID_DOCUMENT_TYPES, StepType, is_alpha3
from openkyc.errors import ErrorKind, Invalid, OpenKYCError
from openkyc.surfaces.http import client_of

SessionId = Annotated[str | None, Header(alias="Session-Id")]
StepId = Annotated[str, Query(min_length=1, max_length=32)]
FILE_FIELDS = ("front", "back")
MAX_FILE = files.LIMITS["image"]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/identity/submit")
    async def submit(
        request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        form = await request.form(max_files=2, max_fields=4)
        try:
            uploads = await _uploads(form)
            fields = _fields(form)
        finally:
            await form.close()
        client = client_of(request)

        def run() -> dict[str, Any]:
            return _submit(runtime, session_id, step_id, uploads, fields, client)

        return await run_in_threadpool(run)

    return api


async def _uploads(form: FormData) -> dict[str, bytes]:
    uploads: dict[str, bytes] = {}
    for name in FILE_FIELDS:
        value = form.get(name)
        if value is None:
            continue
        if not isinstance(value, UploadFile):
            raise Invalid(f"field {name!r} must be a file")
        data = await value.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            raise OpenKYCError(f"file {name!r} is over {MAX_FILE} bytes", kind=ErrorKind.TOO_LARGE)
        uploads[name] = data
    if "front" not in uploads:
        raise Invalid("file 'front' is required")
    return uploads


def _fields(form: FormData) -> dict[str, str]:
    document_type = form.get("document_type")
    if not isinstance(document_type, str) or document_type.upper() not in ID_DOCUMENT_TYPES:
        raise Invalid(f"document_type must be one of {', '.join(ID_DOCUMENT_TYPES)}")
    country = form.get("country")
    if not isinstance(country, str) or not is_alpha3(country):
        raise Invalid("country must be an ISO-3166 alpha-3 code, e.g. FRA")
    return {"document_type": document_type.upper(), "country": country.upper()}


def _submit(
    runtime: Runtime,
    session_id: str | None,
    step_id: str,
    uploads: dict[str, bytes],
    fields: dict[str, str],
    client: dict[str, Any],
) -> dict[str, Any]:
    with runtime.transaction(actor="applicant") as ctx:
        step = steps.applicant_step(ctx, session_id, step_id, StepType.ID_DOCUMENT)
        steps.submit_files(ctx, step, uploads, fields, client)
        return {"id": step.id, "status": step.status}
