"""Signing in (password, then a TOTP code when the account has a second factor) and out."""

import time
from dataclasses import replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import FormData

from openkyc.domain.user import service as users
from openkyc.errors import ErrorKind, OpenKYCError
from openkyc.surfaces.http import STATUS
from openkyc.web.backoffice.deps import Backoffice, now, text
from openkyc.web.backoffice.security import PATH, TOTP_WINDOW_SECONDS, BackofficeSession, safe_next

Next = Annotated[str, Query(max_length=500)]


def router(bo: Backoffice) -> APIRouter:
    r = APIRouter()
    Form = Annotated[FormData, Depends(bo.form)]

    @r.get("/")
    def home(request: Request) -> Response:
        return bo.redirect(request, f"{PATH}/queue")

    @r.get("/login")
    def login_page(request: Request, next: Next = "") -> Response:
        return bo.pages.render(request, "login.html", next=safe_next(next), email="", error="")

    @r.post("/login")
    def login(request: Request, form: Form) -> Response:
        email, target = text(form, "email", 254), safe_next(text(form, "next", 500))
        source = request.client.host if request.client else ""
        try:
            if wait := bo.sources.wait_for(source, time.time()):
                raise OpenKYCError(f"too many failed sign-ins: try again in {wait} s",
                                   kind=ErrorKind.TOO_MANY)  # fmt: skip
            with bo.runtime.transaction(actor="backoffice") as ctx:
                result = users.login(ctx, email, text(form, "password", 1024))
                user_id, needs_totp = result.user.id, result.needs_totp
        except OpenKYCError as exc:
            if exc.kind is ErrorKind.UNAUTHORIZED:
                bo.sources.failed(source, time.time())
            status = STATUS.get(exc.kind, 401)
            return bo.pages.render(
                request,
                "login.html",
                http_status=status,
                next=target,
                email=email,
                error=exc.message,
            )
        moment = now()
        if needs_totp:
            fresh = BackofficeSession.anonymous(moment)
            request.state.session = replace(fresh, pending_user_id=user_id)
            return bo.redirect(request, f"{PATH}/login/totp?next={quote(target)}")
        request.state.session = request.state.session.signed_in(user_id, moment)
        return bo.redirect(request, target)

    def pending(request: Request) -> str | None:
        session: BackofficeSession = request.state.session
        if session.pending_user_id and now() - session.issued <= TOTP_WINDOW_SECONDS:
            return session.pending_user_id
        return None

    @r.get("/login/totp")
    def totp_page(request: Request, next: Next = "") -> Response:
        if pending(request) is None:
            return bo.redirect(request, f"{PATH}/login", "Sign in again.")
        return bo.pages.render(request, "totp.html", next=safe_next(next), error="")

    @r.post("/login/totp")
    def totp(request: Request, form: Form) -> Response:
        user_id, target = pending(request), safe_next(text(form, "next", 500))
        if user_id is None:
            return bo.redirect(request, f"{PATH}/login", "Sign in again.")
        try:
            with bo.runtime.transaction(actor="backoffice") as ctx:
                users.verify_totp(ctx, user_id, text(form, "code", 20))
        except OpenKYCError as exc:
            status = STATUS.get(exc.kind, 401)
            if exc.kind is ErrorKind.TOO_MANY:
                bo.sign_out(request)
            return bo.pages.render(
                request, "totp.html", http_status=status, next=target, error=exc.message
            )
        request.state.session = request.state.session.signed_in(user_id, now())
        return bo.redirect(request, target)

    @r.post("/logout")
    def logout(request: Request, form: Form) -> Response:
        bo.sign_out(request)
        return bo.redirect(request, f"{PATH}/login", "Signed out.")

    return r
