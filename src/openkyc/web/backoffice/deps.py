"""What every back office route shares: the runtime, the cookie keys, the pages, and the
dependencies that sign a viewer in, require the admin role and check a form's CSRF token."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile

from openkyc.domain.context import Runtime
from openkyc.domain.user import service as users
from openkyc.errors import ErrorKind, Invalid, OpenKYCError
from openkyc.web.backoffice.render import Pages
from openkyc.web.backoffice.security import PATH, BackofficeSession, Keys, SourceThrottle, safe_next

# Forms are a handful of short fields; anything bigger is not one of ours.
MAX_FIELDS = 30
MAX_PART = 64 * 1024


class LoginRequired(Exception):
    """No signed-in account: the handler sends the browser to the login page."""


class Forbidden(OpenKYCError):
    kind = ErrorKind.FORBIDDEN


@dataclass(frozen=True)
class Viewer:
    user_id: str
    email: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def now() -> int:
    return int(time.time())


def text(form: FormData, name: str, max_length: int = 200) -> str:
    value = form.get(name)
    if value is None:
        return ""
    if isinstance(value, UploadFile) or len(value) > max_length or "\x00" in value:
        raise Invalid(f"field {name!r} is not valid")
    return value.strip()


class Backoffice:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.keys = Keys(runtime.ports.settings.secret_key)
        self.pages = Pages(self.keys.csrf_token)
        self.sources = SourceThrottle()

    def viewer(self, request: Request) -> Viewer:
        """The signed-in account, re-read on every request (a disabled one is out at once)."""
        session: BackofficeSession = request.state.session
        if session.user_id is None:
            raise LoginRequired
        with self.runtime.transaction(readonly=True) as ctx:
            user = users.get_active(ctx, session.user_id)
            viewer = Viewer(user.id, user.email, user.role) if user else None
        if viewer is None:
            request.state.session = BackofficeSession.anonymous(now())
            raise LoginRequired
        request.state.viewer = viewer
        return viewer

    def admin(self, request: Request) -> Viewer:
        viewer = self.viewer(request)
        if not viewer.is_admin:
            raise Forbidden("this page is for administrators")
        return viewer

    async def form(self, request: Request) -> FormData:
        """The posted form, once its CSRF token matches this browser's session."""
        form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_PART)
        token = form.get("csrf_token")
        if not isinstance(token, str) or not self.keys.csrf_ok(request.state.session, token):
            raise Forbidden("the form's CSRF token is missing or wrong: reload the page")
        return form

    @staticmethod
    def redirect(
        request: Request, target: str, message: str = "", kind: str = "info"
    ) -> RedirectResponse:
        """303 to a back office page, with a message shown there once."""
        if message:
            request.state.session = request.state.session.with_flash(message, kind)
        return RedirectResponse(safe_next(target), status_code=303)

    @staticmethod
    def to_login(request: Request) -> RedirectResponse:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(
            f"{PATH}/login?next={quote(safe_next(here), safe='')}", status_code=303
        )

    @staticmethod
    def sign_out(request: Request) -> None:
        request.state.session = replace(BackofficeSession.anonymous(now()))
