"""`/verifications`: record an outside result (evidence upload), list and get records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.verification import repository
from openkyc.domain.verification import service as records
from openkyc.domain.verification.schemas import Result, VerificationType
from openkyc.surfaces.synctera import mapping
from openkyc.surfaces.synctera.common import (
    Auth,
    IdempotencyKey,
    caller_of,
    enum_list,
    id_list,
    path_uuid,
    write,
)
from openkyc.surfaces.synctera.wire import VerificationIn

IdList = Annotated[str | None, Query(max_length=4000)]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/verifications", status_code=201)
    def create_verification(
        request: Request,
        body: VerificationIn,
        authorization: Auth = None,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        def operation(ctx: Ctx, caller: Caller) -> tuple[int, dict[str, Any]]:
            kind, subject_id = mapping.subject(body.person_id, body.business_id)
            item = records.record(
                ctx,
                caller.app.id,
                kind,
                subject_id,
                VerificationType(body.verification_type),
                mapping.outcome_in(body),
                mapping.parse_time(body.verification_time, "verification_time"),
                metadata=mapping.metadata_in(body.metadata),
            )
            return 201, mapping.verification(item)

        return write(runtime, request, authorization, key, body, operation)

    @api.get("/verifications")
    def list_verifications(
        id: IdList = None,
        person_id: IdList = None,
        business_id: IdList = None,
        verification_type: Annotated[str | None, Query(max_length=1000)] = None,
        result: Annotated[str | None, Query(max_length=1000)] = None,
        include_history: bool = False,
        limit: int | None = None,
        page_token: Annotated[str | None, Query(max_length=200)] = None,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            caller = caller_of(ctx, authorization)
            filters = repository.Filters(
                ids=id_list(id, "id"),
                person_ids=id_list(person_id, "person_id"),
                business_ids=id_list(business_id, "business_id"),
                types=enum_list(verification_type, VerificationType, "verification_type"),
                results=enum_list(result, Result, "result"),
                include_history=include_history,
            )
            items, token = records.page(ctx, caller.app.id, filters, page_token, limit)
        out: dict[str, Any] = {
            "verifications": [mapping.verification(i, include_history) for i in items]
        }
        if token:
            out["next_page_token"] = token
        return out

    @api.get("/verifications/{verification_id}")
    def get_verification(verification_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            caller = caller_of(ctx, authorization)
            found = path_uuid(verification_id, "verification")
            return mapping.verification(records.get(ctx, caller.app.id, found))

    return api
