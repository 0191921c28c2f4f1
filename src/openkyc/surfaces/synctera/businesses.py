"""`/businesses`: create, list, get and update the businesses verifications are about."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from openkyc.domain.context import Runtime
from openkyc.surfaces.synctera import party_routes as parties
from openkyc.surfaces.synctera.common import Auth, IdempotencyKey
from openkyc.surfaces.synctera.wire import BusinessIn

PARTY = parties.BUSINESSES


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/businesses", status_code=201)
    def create_business(
        request: Request, body: BusinessIn, authorization: Auth = None, key: IdempotencyKey = None
    ) -> JSONResponse:
        return parties.create(runtime, PARTY, request, body, authorization, key)

    @api.get("/businesses")
    def list_businesses(
        id: Annotated[str | None, Query(max_length=4000)] = None,
        limit: int | None = None,
        page_token: Annotated[str | None, Query(max_length=200)] = None,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        return parties.list_page(runtime, PARTY, id, limit, page_token, authorization)

    @api.get("/businesses/{business_id}")
    def get_business(business_id: str, authorization: Auth = None) -> dict[str, Any]:
        return parties.get(runtime, PARTY, business_id, authorization)

    @api.patch("/businesses/{business_id}")
    def update_business(
        business_id: str, body: BusinessIn, authorization: Auth = None
    ) -> dict[str, Any]:
        return parties.patch(runtime, PARTY, business_id, body, authorization)

    return api
