"""What every Synctera route shares: bearer auth, idempotent writes, list parameters."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from openkyc.domain.app import service as apps
from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.verification import idempotency
from openkyc.errors import Invalid, NotFound, Unauthorized
from openkyc.models import IdempotencyKey as IdempotencyRow

Auth = Annotated[str | None, Header(alias="Authorization")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
MAX_LIST_ITEMS = 100
E = TypeVar("E", bound=StrEnum)

# (status, body) of a write, built inside its transaction
Operation = Callable[[Ctx, Caller], tuple[int, dict[str, Any]]]


def refuse_unknown_query(request: Request) -> None:
    """A query parameter the operation does not define is a mistake worth saying, not
    something to ignore silently (a misspelt filter would list everything)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    known = {p.alias for p in dependant.query_params} if dependant is not None else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        names = ", ".join(repr(n[:40]) for n in unknown[:5])
        raise Invalid(f"unknown query parameter {names}", code="BAD_QUERY_PARAMS")


def caller_of(ctx: Ctx, authorization: str | None) -> Caller:
    """`Authorization: Bearer <api key>`: the app's API keys, as the Synaps `Api-Key`."""
    if not authorization:
        raise Unauthorized("missing Authorization header: Bearer <api key>")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header is Bearer <api key>")
    return apps.authenticate(ctx, token.strip())


def write(
    runtime: Runtime,
    request: Request,
    authorization: str | None,
    key: str | None,
    body: BaseModel,
    operation: Operation,
) -> JSONResponse:
    """Run a write once per Idempotency-Key: a retry with the same body gets the stored
    response (same status, same ids); one with another body is refused."""
    with runtime.transaction(actor="api") as ctx:
        caller = caller_of(ctx, authorization)
        claimed: IdempotencyRow | None = None
        if key is not None:
            fingerprint = idempotency.request_hash(
                request.method, request.url.path, body.model_dump(mode="json", exclude_unset=True)
            )
            found = idempotency.claim(ctx, caller.app.id, key, fingerprint)
            if isinstance(found, idempotency.Stored):
                return JSONResponse(found.body, found.status_code)
            claimed = found
        status, payload = operation(ctx, caller)
        if claimed is not None:
            idempotency.store(ctx, claimed, status, payload)
    return JSONResponse(payload, status)


def uuid_text(value: str, what: str) -> str:
    """A UUID in its canonical spelling; Invalid (a 400) names the field otherwise."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise Invalid(f"{what} is not a UUID", code="BAD_REQUEST_BODY") from None


def path_uuid(value: str, noun: str) -> str:
    """An id in the path that is not a UUID names nothing: 404, like an unknown one."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise NotFound(f"{noun} {value[:64]!r} not found") from None


def id_list(raw: str | None, what: str) -> list[str]:
    """A comma-separated list of UUIDs (the spec's form style, explode: false)."""
    items = [] if raw is None else raw.split(",")
    if len(items) > MAX_LIST_ITEMS:
        raise Invalid(f"{what} lists at most {MAX_LIST_ITEMS} ids", code="BAD_QUERY_PARAMS")
    out = []
    for item in items:
        try:
            out.append(str(uuid.UUID(item)))
        except ValueError:
            raise Invalid(f"{what}: {item[:64]!r} is not a UUID", code="BAD_QUERY_PARAMS") from None
    return out


def enum_list(raw: str | None, enum: type[E], what: str) -> list[E]:
    out = []
    for item in [] if raw is None else raw.split(","):
        if item not in enum.__members__:
            known = ", ".join(enum.__members__)
            raise Invalid(f"{what}: {item[:64]!r} is not one of {known}", code="BAD_QUERY_PARAMS")
        out.append(enum(item))
    return out
