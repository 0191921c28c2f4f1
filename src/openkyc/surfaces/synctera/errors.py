"""Synctera's v0 errors: RFC 7807 problem+json with `type`, `title`, `status`, `detail` and
the v1 preview `code`. The spec lists 400, 401, 403 and 404, so every client mistake maps
onto one of those (a conflict or an unsupported input is a 400 here)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from openkyc.errors import ErrorKind, OpenKYCError

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
TYPE_BASE = "https://dev.synctera.com/errors/"

STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 400,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 400,
    ErrorKind.GONE: 404,
    ErrorKind.TOO_LARGE: 400,
    ErrorKind.UNSUPPORTED: 400,
    ErrorKind.LOCKED: 400,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.UNAVAILABLE: 503,
}

# code -> (type slug, title)
KINDS: dict[str, tuple[str, str]] = {
    "BAD_REQUEST_BODY": ("bad-request-body", "Bad Request Body"),
    "BAD_QUERY_PARAMS": ("bad-query-params", "Bad Query Parameters"),
    "MISSING_REQUIRED_FIELDS": ("missing-required-fields", "Missing Required Fields"),
    "CUSTOMER_CONSENT_REQUIRED": ("customer-consent-required", "Customer Consent Required"),
    "FEATURE_NOT_AVAILABLE": ("feature-not-available", "Feature Not Available"),
    "IDEMPOTENCY_KEY_REUSED": ("idempotency-key-reused", "Idempotency Key Reused"),
    "UNAUTHORIZED": ("unauthorized", "Unauthorized"),
    "FORBIDDEN": ("forbidden", "Forbidden"),
    "NOT_FOUND": ("resource-not-found", "Resource Not Found"),
    "METHOD_NOT_ALLOWED": ("method-not-allowed", "Method Not Allowed"),
    "TOO_MANY_REQUESTS": ("too-many-requests", "Too Many Requests"),
    "UNAVAILABLE": ("service-unavailable", "Service Unavailable"),
    "INTERNAL_SERVER_ERROR": ("internal-server-error", "Internal Server Error"),
}
DEFAULT_CODE = {
    400: "BAD_REQUEST_BODY",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    429: "TOO_MANY_REQUESTS",
    503: "UNAVAILABLE",
}


def problem(status: int, detail: str, code: str | None = None) -> dict[str, Any]:
    code = code if code in KINDS else DEFAULT_CODE.get(status, "INTERNAL_SERVER_ERROR")
    slug, title = KINDS[code]
    return {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }


def respond(
    status: int, detail: str, code: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(problem(status, detail, code), status, headers=headers, media_type=PROBLEM)


def too_large(message: str) -> JSONResponse:
    """The whole-body limit's refusal (written before the surface is reached)."""
    return respond(STATUS[ErrorKind.TOO_LARGE], message)


def _validation_detail(exc: RequestValidationError) -> tuple[str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return "malformed JSON body", "BAD_REQUEST_BODY"
    parts = []
    in_body = False
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ())]
        in_body = in_body or (bool(loc) and loc[0] == "body")
        where = ".".join(p for p in loc if p not in ("body", "query", "path", "header"))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request", "BAD_REQUEST_BODY" if in_body else (
        "BAD_QUERY_PARAMS"
    )


def install(app: FastAPI) -> None:
    """Every error of the sub-app, ours or the framework's, as a problem report."""

    @app.exception_handler(OpenKYCError)
    async def _domain(_: Request, exc: OpenKYCError) -> JSONResponse:
        code = exc.details.get("code")
        return respond(STATUS.get(exc.kind, 400), exc.message, str(code) if code else None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail, code = _validation_detail(exc)
        return respond(400, detail, code)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        status = exc.status_code if exc.status_code in DEFAULT_CODE else 400
        return respond(status, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(500, "internal error")
