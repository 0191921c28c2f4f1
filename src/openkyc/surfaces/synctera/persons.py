"""`/persons`: create, list, get and update the persons verifications are about."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from openkyc.domain.context import Runtime
from openkyc.surfaces.synctera import party_routes as parties
from openkyc.surfaces.synctera.common import Auth, IdempotencyKey
from openkyc.surfaces.synctera.wire import PersonIn

PARTY = parties.PERSONS


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/persons", status_code=201)
    def create_person(
        request: Request, body: PersonIn, authorization: Auth = None, key: IdempotencyKey = None
    ) -> JSONResponse:
        return parties.create(runtime, PARTY, request, body, authorization, key)

    @api.get("/persons")
    def list_persons(
        id: Annotated[str | None, Query(max_length=4000)] = None,
        limit: int | None = None,
        page_token: Annotated[str | None, Query(max_length=200)] = None,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        return parties.list_page(runtime, PARTY, id, limit, page_token, authorization)

    @api.get("/persons/{person_id}")
    def get_person(person_id: str, authorization: Auth = None) -> dict[str, Any]:
        return parties.get(runtime, PARTY, person_id, authorization)

    @api.patch("/persons/{person_id}")
    def update_person(person_id: str, body: PersonIn, authorization: Auth = None) -> dict[str, Any]:
        return parties.patch(runtime, PARTY, person_id, body, authorization)

    return api
