"""SynapseFI's error envelope: {"error": {"en": message}, "error_code": "<code>",
"http_code": "<status>", "success": false}. The string codes are those the official SDKs
turn into their exception classes (synapsepy's ErrorFactory, synapsenode's callers)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from openkyc.errors import ErrorKind, OpenKYCError

log = logging.getLogger(__name__)

ACTION_PENDING = "10"
CLIENT_CREDENTIALS = "100"
USER_CREDENTIALS = "110"
FINGERPRINT = "120"
PAYLOAD = "200"
UNAUTHORIZED_ACTION = "300"
INCORRECT_VALUES = "400"
NOT_FOUND = "404"
NOT_ALLOWED = "410"
RATE_LIMIT = "429"
SERVER = "500"
UNAVAILABLE = "503"
KNOWN = {
    ACTION_PENDING,
    CLIENT_CREDENTIALS,
    USER_CREDENTIALS,
    FINGERPRINT,
    PAYLOAD,
    UNAUTHORIZED_ACTION,
    INCORRECT_VALUES,
    NOT_FOUND,
    NOT_ALLOWED,
    RATE_LIMIT,
    SERVER,
    UNAVAILABLE,
}

# kind -> (HTTP status, default error code)
KINDS: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.INVALID: (400, PAYLOAD),
    ErrorKind.UNAUTHORIZED: (401, CLIENT_CREDENTIALS),
    ErrorKind.FORBIDDEN: (403, UNAUTHORIZED_ACTION),
    ErrorKind.NOT_FOUND: (404, NOT_FOUND),
    ErrorKind.CONFLICT: (409, NOT_ALLOWED),
    ErrorKind.GONE: (400, INCORRECT_VALUES),
    ErrorKind.TOO_LARGE: (413, PAYLOAD),
    ErrorKind.UNSUPPORTED: (415, PAYLOAD),
    ErrorKind.LOCKED: (423, INCORRECT_VALUES),
    ErrorKind.TOO_MANY: (429, RATE_LIMIT),
    ErrorKind.UNAVAILABLE: (503, UNAVAILABLE),
}
HTTP_CODES = {401: CLIENT_CREDENTIALS, 403: UNAUTHORIZED_ACTION, 404: NOT_FOUND, 405: NOT_ALLOWED}


def envelope(status: int, message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "error": {"en": message},
        "error_code": code,
        "http_code": str(status),
        "success": False,
        **extra,
    }


def respond(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(envelope(status, message, code), status, headers=headers)


def too_large(message: str) -> JSONResponse:
    """The whole-body limit's refusal (written before the surface is reached)."""
    status, code = KINDS[ErrorKind.TOO_LARGE]
    return respond(status, message, code)


# The credential domain's names of its failures, in SynapseFI's codes.
DOMAIN_CODES = {
    "incorrect_values": INCORRECT_VALUES,
    "malformed": PAYLOAD,
    "user_credentials": USER_CREDENTIALS,
}


def _code_of(exc: OpenKYCError, default: str) -> str:
    code = str(exc.details.get("code", ""))
    code = DOMAIN_CODES.get(code, code)
    return code if code in KNOWN else default


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return "malformed JSON body"
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Every error of the sub-app, ours or the framework's, in SynapseFI's envelope."""

    @app.exception_handler(OpenKYCError)
    async def _domain(_: Request, exc: OpenKYCError) -> JSONResponse:
        status, default = KINDS.get(exc.kind, (400, PAYLOAD))
        headers = {}
        if "retry_after" in exc.details:
            headers["Retry-After"] = str(exc.details["retry_after"])
        return respond(status, exc.message, _code_of(exc, default), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return respond(400, _validation_message(exc), PAYLOAD)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, PAYLOAD)
        return respond(exc.status_code, str(exc.detail), code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(500, "internal error", SERVER)
