"""The back office (`/backoffice`): server-rendered pages for reviewers and administrators.

Each route makes the same domain call as the admin API. Every response carries a strict
Content-Security-Policy (no inline script or style), no caching, no referrer (signed file
links must not leak), and the refreshed session cookie.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from openkyc.domain.context import Runtime
from openkyc.errors import OpenKYCError
from openkyc.surfaces.http import STATUS, refuse_nul
from openkyc.web.backoffice import admin, auth, review
from openkyc.web.backoffice.deps import Backoffice, LoginRequired, now
from openkyc.web.backoffice.security import (
    COOKIE,
    IDLE_SECONDS,
    PATH,
    BackofficeSession,
    content_security_policy,
    origin_of,
)

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def _headers(response: Response, csp: str) -> None:
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-store")


def _install_errors(api: FastAPI, bo: Backoffice) -> None:
    def page(request: Request, status: int, message: str) -> Response:
        if not hasattr(request.state, "session"):
            request.state.session = BackofficeSession.anonymous(now())
        return bo.pages.render(request, "error.html", http_status=status, status_code=status,
                               message=message)  # fmt: skip

    @api.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        return bo.to_login(request)

    @api.exception_handler(OpenKYCError)
    async def _domain(request: Request, exc: OpenKYCError) -> Response:
        return page(request, STATUS.get(exc.kind, 400), exc.message)

    @api.exception_handler(RequestValidationError)
    async def _validation(request: Request, _: RequestValidationError) -> Response:
        return page(request, 422, "the request's parameters are not valid")

    @api.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return page(request, exc.status_code, str(exc.detail))

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, _: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return page(request, 500, "internal error")


def build(runtime: Runtime) -> FastAPI:
    settings = runtime.ports.settings
    bo = Backoffice(runtime)
    csp = content_security_policy(origin_of(settings.public_url))
    https_only = settings.public_url.startswith("https://")
    api = FastAPI(
        title="openkyc - back office",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    _install_errors(api, bo)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.include_router(auth.router(bo))
    api.include_router(review.router(bo))
    api.include_router(admin.router(bo))

    @api.middleware("http")
    async def session_cookie(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        moment = now()
        found = bo.keys.decode(request.cookies.get(COOKIE), moment)
        request.state.session = found or BackofficeSession.anonymous(moment)
        response = await call_next(request)
        _headers(response, csp)
        if request.url.path.startswith(f"{PATH}/static/"):
            return response
        session = replace(request.state.session, seen=moment)
        response.set_cookie(
            COOKIE,
            bo.keys.encode(session),
            max_age=IDLE_SECONDS,
            path=PATH,
            httponly=True,
            samesite="strict",
            secure=https_only or request.url.scheme == "https",
        )
        return response

    return api
