"""The hosted verification pages: `/verify?session_id=...` and the fragment `/verify/view`.

The session id is the applicant's credential, as on the end-user API: it arrives once in
the link, the page's script then keeps it out of the address bar and sends it as the
`Session-Id` header. Each route makes one read of the session; every submission goes
through the `/v3` end-user API from the browser, so no rule lives here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from openkyc.domain.app import repository as app_repo
from openkyc.domain.context import Runtime
from openkyc.domain.session import repository as session_repo
from openkyc.domain.session import service as sessions
from openkyc.domain.step.reasons import LANGUAGES
from openkyc.domain.step.schemas import ADDRESS_DOCUMENT_TYPES, ID_DOCUMENT_TYPES
from openkyc.web.verify import i18n, view

MAX_SESSION_ID = 64
# Scripts and styles come only from this server (no inline code, no CDN); pictures and
# recordings the applicant previews are blob: URLs; nothing may frame the page.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}

templates = Environment(
    loader=PackageLoader("openkyc.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

SessionId = Annotated[str | None, Header(alias="Session-Id")]
Lang = Annotated[str | None, Query()]


def _clean(session_id: str | None) -> str | None:
    """A plausible id, or None: anything else is answered as unknown without a query."""
    sid = (session_id or "").strip()
    if not sid or len(sid) > MAX_SESSION_ID or not (sid.isascii() and sid.isprintable()):
        return None
    return sid


def load(runtime: Runtime, session_id: str | None, lang: str) -> view.Page | None:
    sid = _clean(session_id)
    if sid is None:
        return None
    with runtime.transaction(readonly=True) as ctx:
        session = session_repo.get_any(ctx.db, sid)
        if session is None:
            return None
        app = app_repo.get_app(ctx.db, session.app_id)
        steps = sessions.steps_of(ctx, session)
        return view.page(session, app.name if app else "", steps, lang)


def _context(request: Request, lang: str, page: view.Page | None) -> dict[str, Any]:
    words = i18n.Words(lang)
    scripts = {
        "error": words.keys("error"),
        "otp": words.keys("otp"),
        "document": words.keys("document"),
        "liveness": words.keys("liveness"),
        "common": words.keys("common"),
    }
    return {
        "base": request.scope.get("root_path", ""),
        "lang": lang,
        "t": words,
        "page": page,
        "languages": [(code, i18n.catalogue(code)["lang.name"]) for code in LANGUAGES],
        "countries": i18n.countries(lang),
        "document_types": ID_DOCUMENT_TYPES,
        "address_types": ADDRESS_DOCUMENT_TYPES,
        "script_words": json.dumps(scripts, ensure_ascii=False),
        "host": _host(page.redirect_url) if page and page.redirect_url else "",
    }


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def render(name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    html = templates.get_template(name).render(context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.get("/verify", response_class=HTMLResponse)
    def start(request: Request, session_id: str | None = None, lang: Lang = None) -> HTMLResponse:
        """The link the tenant hands out. Without an id the page asks the script for the
        one it kept (a reload); an unknown id is a page that says so, status 404."""
        chosen = i18n.choose(lang, request.headers.get("accept-language"))
        if session_id is None:
            context = {**_context(request, chosen, None), "kind": "missing"}
            return render("verify/layout.html", context)
        page = load(runtime, session_id, chosen)
        context = _context(request, chosen, page)
        if page is None:
            return render("verify/layout.html", {**context, "kind": "notfound"}, 404)
        return render(
            "verify/layout.html", {**context, "kind": "step", "session_id": _clean(session_id)}
        )

    @api.get("/verify/view", response_class=HTMLResponse)
    def fragment(request: Request, session_id: SessionId = None, lang: Lang = None) -> HTMLResponse:
        """The page's content, for htmx: the current step, after each submission, on a
        language switch, and while a check runs."""
        chosen = i18n.choose(lang, request.headers.get("accept-language"))
        page = load(runtime, session_id, chosen)
        context = _context(request, chosen, page)
        if page is None:
            return render("verify/view.html", {**context, "kind": "notfound"}, 404)
        return render("verify/view.html", {**context, "kind": "step"})

    return api


def static_files() -> StaticFiles:
    """The hosted pages' scripts, styles and the vendored htmx, served from the package."""
    return StaticFiles(directory=Path(__file__).resolve().parent.parent / "static")
