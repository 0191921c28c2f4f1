"""Proof of residency (Synaps v3): `POST /v3/residency/submit` and `GET /v3/residency/details`.

Submit: `Session-Id` header, `step_id` query, multipart `document` (jpg/png/pdf, 4 MB),
`document_type`, `country` (alpha-3), `address`, `city`, `zip_code` (optional); and for
someone living at another person's address `host_id_front_document`,
`host_id_back_document`, `host_id_document_type`, `host_id_document_country` and
`accomodation_proof` (pdf, 4 MB). Every file is refused before anything is stored when
it is too large, of the wrong type, encrypted, or a PDF no bill could be.

Details: the applicant (`Session-Id`) or the tenant (`Api-Key`, `Client-Id` optional and,
when sent, the app's id). The internal `customer_reason` is blank for the applicant.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from openkyc.checks.address import pdf
from openkyc.checks.document.decode import FileRejected, decode
from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.file import service as files
from openkyc.domain.step import reasons
from openkyc.domain.step import repository as step_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.client import language
from openkyc.domain.step.schemas import (
    ADDRESS_DOCUMENT_TYPES,
    ID_DOCUMENT_TYPES,
    StepType,
    is_alpha3,
)
from openkyc.errors import Conflict, ErrorKind, Invalid, NotFound, OpenKYCError, Unauthorized
from openkyc.models import Step
from openkyc.surfaces.http import client_of

SessionId = Annotated[str | None, Header(alias="Session-Id")]
ApiKey = Annotated[str | None, Header(alias="Api-Key")]
ClientId = Annotated[str | None, Header(alias="Client-Id")]
StepId = Annotated[str, Query(min_length=1, max_length=32)]
FILES = ("document", "host_id_front_document", "host_id_back_document", "accomodation_proof")
HOST_FILES = ("host_id_front_document", "accomodation_proof")
TEXTS = ("address", "city", "zip_code")
MAX_FILE = files.STEP_LIMITS[StepType.PROOF_OF_ADDRESS]
MAX_TEXT = 255
STATE = {
    "SUBMISSION_REQUIRED": "NOT_STARTED",
    "PENDING_VERIFICATION": "PENDING",
    "APPROVED": "VALIDATED",
    "REJECTED": "REJECTED",
    "RESUBMISSION_REQUIRED": "REJECTED",
}
# In the history a final rejection is told apart from one that asks for a new document.
HISTORY_STATE = {**STATE, "REJECTED": "FINAL_REJECTED"}


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/residency/submit")
    async def submit(
        request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        form = await request.form(max_files=len(FILES), max_fields=12)
        try:
            uploads = await _uploads(form)
            fields = _fields(form, uploads)
        finally:
            await form.close()
        client = client_of(request)

        def run() -> dict[str, Any]:
            return _submit(runtime, session_id, step_id, uploads, fields, client)

        return await run_in_threadpool(run)

    @api.get("/residency/details")
    def details(
        request: Request,
        step_id: StepId,
        session_id: SessionId = None,
        api_key: ApiKey = None,
        client_id: ClientId = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            step, applicant = _reader_step(ctx, step_id, session_id, api_key, client_id)
            lang = language(request.headers.get("accept-language")) or None
            return residency_details(ctx, step, applicant, lang)

    return api


async def _uploads(form: FormData) -> dict[str, bytes]:
    uploads: dict[str, bytes] = {}
    for name in FILES:
        value = form.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, UploadFile):
            raise Invalid(f"field {name!r} must be a file")
        data = await value.read(MAX_FILE + 1)
        if not data and not value.filename:
            continue  # a browser form's file input left empty
        if len(data) > MAX_FILE:
            raise OpenKYCError(
                f"file {name!r} is larger than the limit of 4 MB ({MAX_FILE} bytes)",
                kind=ErrorKind.TOO_LARGE,
            )
        uploads[name] = data
    if "document" not in uploads:
        raise Invalid("file 'document' is required")
    return uploads


def _text(form: FormData, name: str, required: bool) -> str:
    value = form.get(name)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"field {name!r} must be text")
    value = " ".join((value or "").split())
    if required and not value:
        raise Invalid(f"field {name!r} is required")
    if len(value) > MAX_TEXT:
        raise Invalid(f"field {name!r} is longer than {MAX_TEXT} characters")
    return value


def _fields(form: FormData, uploads: dict[str, bytes]) -> dict[str, str]:
    document_type = _text(form, "document_type", True).upper()
    if document_type not in ADDRESS_DOCUMENT_TYPES:
        raise Invalid(f"document_type must be one of {', '.join(ADDRESS_DOCUMENT_TYPES)}")
    country = _text(form, "country", True).upper()
    if not is_alpha3(country):
        raise Invalid("country must be an ISO-3166 alpha-3 code, e.g. FRA")
    fields = {"document_type": document_type, "country": country}
    fields.update({name: _text(form, name, name != "zip_code") for name in TEXTS})
    host_type = _text(form, "host_id_document_type", False).upper()
    host_country = _text(form, "host_id_document_country", False).upper()
    hosted = host_type or host_country or any(n in uploads for n in FILES[1:])
    if not hosted:
        return fields
    missing = [n for n in HOST_FILES if n not in uploads]
    if missing:
        raise Invalid(f"an accommodation proof needs the files {', '.join(missing)}")
    if host_type not in ID_DOCUMENT_TYPES:
        raise Invalid(f"host_id_document_type must be one of {', '.join(ID_DOCUMENT_TYPES)}")
    if not is_alpha3(host_country):
        raise Invalid("host_id_document_country must be an ISO-3166 alpha-3 code, e.g. FRA")
    fields.update(host_id_document_type=host_type, host_id_document_country=host_country)
    return fields


def _screen(name: str, data: bytes, content_type: str) -> None:
    """Refuse a file the check could never read, with the reason in words."""
    try:
        if content_type == "application/pdf":
            pdf.screen(data)
        else:
            decode(data)
    except FileRejected as exc:
        raise Invalid(f"file {name!r}: {exc.detail}") from None


def _submit(
    runtime: Runtime,
    session_id: str | None,
    step_id: str,
    uploads: dict[str, bytes],
    fields: dict[str, str],
    client: dict[str, Any],
) -> dict[str, Any]:
    with runtime.transaction(actor="applicant") as ctx:
        step = _applicant_step(ctx, session_id, step_id)
        steps.submit_files(ctx, step, uploads, fields, client, screen=_screen)
        return {"id": step.id, "status": step.status}


def _applicant_step(ctx: Ctx, session_id: str | None, step_id: str) -> Step:
    return steps.applicant_step(ctx, session_id, step_id, StepType.PROOF_OF_ADDRESS)


def _reader_step(
    ctx: Ctx, step_id: str, session_id: str | None, api_key: str | None, client_id: str | None
) -> tuple[Step, bool]:
    """(step, read by the applicant): the Session-Id's, or any step of the key's app."""
    if session_id:
        return _applicant_step(ctx, session_id, step_id), True
    if not api_key:
        raise Unauthorized("send the Session-Id header, or the Api-Key header")
    app = apps.authenticate_ref(ctx, api_key)
    if client_id is not None and client_id.strip() != app.id:
        raise Unauthorized("Client-Id does not match the Api-Key")
    step = step_repo.get(ctx.db, app.id, step_id)
    if step is None:
        raise NotFound(f"step {step_id} not found")
    return _residency(step), False


def _residency(step: Step) -> Step:
    if step.type != StepType.PROOF_OF_ADDRESS:
        raise Conflict(f"step {step.id} is a {step.type} step, not PROOF_OF_ADDRESS")
    return step


def residency_details(ctx: Ctx, step: Step, applicant: bool, lang: str | None) -> dict[str, Any]:
    """The seed's ResidencyVerificationResponse for one PROOF_OF_ADDRESS step."""
    state = "NOT_STARTED" if step.attempt_count == 0 else STATE.get(step.status, "PENDING")
    sub = steps.submission(ctx, step) if step.attempt_count else {}
    found = (step.evidence or {}).get("fields") or {}
    upload = next((r for r in files.of_attempt(ctx, step) if r.kind == "document"), None)
    lang = lang or (step.client or {}).get("customer_language") or None

    def info(name: str, submitted: str = "") -> str:
        return str(found.get(name) or sub.get(submitted or name) or "")

    return {
        "document": {
            "document": {
                "type": sub.get("document_type", ""),
                "filetype": upload.content_type if upload else "",
                "file": files.signed_url(ctx, upload) if upload else "",
            },
            "is_accomodation": bool(sub.get("host_id_document_type")),
            "state": state,
            "lang": str(found.get("lang") or ""),
            "info": {
                "firstname": info("firstname"),
                "lastname": info("lastname"),
                "address": info("address"),
                "country": info("country"),
                "city": info("city"),
                "zipcode": info("zipcode", "zip_code"),
                "issuing_date": info("issuing_date"),
            },
        },
        "history": [_history(a, applicant, lang) for a in step_repo.attempts(ctx.db, step.id)],
        "state": state,
    }


def _history(attempt: Any, applicant: bool, lang: str | None) -> dict[str, Any]:
    code = attempt.reason_code or ""
    internal = attempt.customer_reason or (reasons.message(code, None)["original"] if code else "")
    return {
        "user_reason": reasons.message(code, lang)["translated"] if code else "",
        "customer_reason": "" if applicant else internal,
        "rejection_code": code,
        "submitted_at": _stamp(attempt.submitted_at),
        "verified_at": _stamp(attempt.verified_at),
        "state": HISTORY_STATE.get(attempt.status, "PENDING"),
    }


def _stamp(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""
