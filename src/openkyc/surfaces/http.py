"""HTTP plumbing shared by every surface (no vendor vocabulary here)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, model_validator
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from openkyc.domain.step.client import client_metadata
from openkyc.errors import ErrorKind, Invalid, OpenKYCError

log = logging.getLogger(__name__)

STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.GONE: 410,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED: 415,
    ErrorKind.LOCKED: 423,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.UNAVAILABLE: 503,
}

# Renders (status, message, details) in a dialect's own envelope.
Envelope = Callable[[int, str, dict[str, Any]], dict[str, Any]]


def validation_message(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "malformed JSON body"
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return 422, "; ".join(parts) or "invalid request"


def install_errors(app: FastAPI, envelope: Envelope) -> None:
    """Every error of this sub-app, ours or the framework's, in the dialect's envelope."""

    def respond(status: int, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
        headers = {}
        if details and "retry_after" in details:
            headers["Retry-After"] = str(details["retry_after"])
        return JSONResponse(envelope(status, message, details or {}), status, headers=headers)

    @app.exception_handler(OpenKYCError)
    async def _domain(_: Request, exc: OpenKYCError) -> JSONResponse:
        return respond(STATUS.get(exc.kind, 400), exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = validation_message(exc)
        return respond(status, message)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return respond(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(500, "internal error")


NUL_MESSAGE = "text must not contain NUL characters"


def _holds_nul(value: Any) -> bool:
    """Walks decoded JSON without recursion (its depth is the client's choice)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class WireModel(BaseModel):
    """Base of every JSON request body. NUL characters are refused up front: PostgreSQL
    cannot store them in text, and SQLite would, so without this the two would differ."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        if _holds_nul(data):
            raise ValueError(NUL_MESSAGE)
        return data


async def refuse_nul(request: Request) -> None:
    """An app-wide dependency: the same rule for the path, the query and the headers.

    Async although it never awaits: FastAPI runs a plain `def` dependency in the thread
    pool, a hand-off that cost every request more than the check itself."""
    query = request.query_params.multi_items()
    if "\x00" in request.url.path or any("\x00" in k + v for k, v in query):
        raise Invalid(NUL_MESSAGE)
    if any(b"\x00" in value for _, value in request.scope.get("headers", [])):
        raise Invalid(NUL_MESSAGE)


def client_of(request: Request) -> dict[str, Any]:
    return client_metadata(
        request.client.host if request.client else None,
        request.headers.get("user-agent"),
        request.headers.get("accept-language"),
    )


class BodyLimit:
    """Refuse request bodies over a size before they are parsed or spooled to disk.

    The refusal is written here, outside every surface, so `answers` maps a path prefix to
    the dialect's own rendering of it (the default is the Synaps envelope)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        answers: dict[str, Callable[[str], Response]] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.answers = answers or {}

    def _answer(self, scope: Scope) -> Response:
        message = f"request body over {self.limit} bytes"
        path = scope.get("path", "")
        for prefix, answer in self.answers.items():
            if path == prefix or path.startswith(prefix + "/"):
                return answer(message)
        return JSONResponse({"code": 413, "message": message}, 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._answer(scope)(scope, receive, send)
            return
        seen = 0
        over = started = replaced = False

        async def limited() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise OpenKYCError(
                        f"request body over {self.limit} bytes", kind=ErrorKind.TOO_LARGE
                    )
            return message

        async def guarded(message: Message) -> None:
            # A framework may turn the interrupted read into its own error (a JSON body
            # becomes "400 error parsing the body"): the answer is 413 whatever it says.
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                started = True
                if over:
                    replaced = True
                    await self._answer(scope)(scope, receive, send)
                    return
            if not replaced:
                await send(message)

        try:
            await self.app(scope, limited, guarded)
        except OpenKYCError:
            if not over or started:
                raise
            await self._answer(scope)(scope, receive, send)
