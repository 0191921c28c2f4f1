"""`/verifications/verify` (openkyc verifies the customer itself) and `/verifications/adhoc`
(a watchlist check of a payee who is not a customer)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.verification import verify as verifier
from openkyc.domain.verification.schemas import VerificationType
from openkyc.errors import Invalid
from openkyc.surfaces.synctera import mapping, parties
from openkyc.surfaces.synctera.common import Auth, IdempotencyKey, uuid_text, write
from openkyc.surfaces.synctera.wire import AdhocIn, VerifyIn


@contextmanager
def wire_names() -> Iterator[None]:
    """Missing declared fields, named as the client knows them (dob, not birth_date)."""
    try:
        yield
    except Invalid as exc:
        fields = exc.details.get("fields")
        if not isinstance(fields, list):
            raise
        names = ", ".join(parties.wire_fields(fields))
        raise Invalid(f"missing required fields: {names}", code=exc.details.get("code")) from None


def _verify(ctx: Ctx, caller: Caller, body: VerifyIn) -> dict[str, Any]:
    if body.customer_consent is not True:
        raise Invalid(
            "customer_consent must be true: the customer has to agree to be verified",
            code="CUSTOMER_CONSENT_REQUIRED",
        )
    kind, subject_id = mapping.subject(body.person_id, body.business_id)
    asked = [VerificationType(t) for t in body.verification_types or []] or None
    with wire_names():
        done = verifier.verify(ctx, caller, kind, subject_id, True, asked)
    return {
        "verification_status": mapping.overall(done.status),
        "verifications": [mapping.verification(v) for v in done.verifications],
    }


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/verifications/verify", status_code=201)
    def verify(
        request: Request, body: VerifyIn, authorization: Auth = None, key: IdempotencyKey = None
    ) -> JSONResponse:
        def operation(ctx: Ctx, caller: Caller) -> tuple[int, dict[str, Any]]:
            return 201, _verify(ctx, caller, body)

        return write(runtime, request, authorization, key, body, operation)

    @api.post("/verifications/adhoc")
    def adhoc(
        request: Request, body: AdhocIn, authorization: Auth = None, key: IdempotencyKey = None
    ) -> JSONResponse:
        def operation(ctx: Ctx, caller: Caller) -> tuple[int, dict[str, Any]]:
            payer, payee = (
                uuid_text(body.payer_id, "payer_id"),
                uuid_text(body.payee_id, "payee_id"),
            )
            with wire_names():
                item, lists = verifier.adhoc(ctx, caller, payer, payee)
            out: dict[str, Any] = {
                "id": item.id,
                "result": item.result.value,
                "matching_watchlists": lists,
            }
            if item.vendor_info is not None:
                out["vendor_info"] = item.vendor_info
            return 200, out

        return write(runtime, request, authorization, key, body, operation)

    return api
