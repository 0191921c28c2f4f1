"""Administrators' pages: apps, flows, API keys, webhook endpoints and their delivery log,
four eyes, sanctions list versions. A key or a webhook secret is shown once, in the answer
to the form that created it (never stored in the cookie nor in a URL)."""

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import FormData

from openkyc.domain.aml import lists
from openkyc.domain.aml import repository as aml_repo
from openkyc.domain.app import repository as app_repo
from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx
from openkyc.domain.review import console, four_eyes
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import Invalid, OpenKYCError
from openkyc.web.backoffice.deps import Backoffice, Viewer, text
from openkyc.web.backoffice.security import PATH

DELIVERY_PAGE = 50


def router(bo: Backoffice) -> APIRouter:
    r = APIRouter(prefix="/admin")
    Form = Annotated[FormData, Depends(bo.form)]
    Admin = Annotated[Viewer, Depends(bo.admin)]

    def app_url(app_id: str) -> str:
        return f"{PATH}/admin/apps/{app_id}"

    def attempt(
        request: Request, back: str, done: str, action: Callable[[Ctx], object]
    ) -> Response:
        """Run one domain call in a transaction; come back to `back` with its outcome."""
        try:
            with bo.runtime.transaction(actor=request.state.viewer.email) as ctx:
                action(ctx)
        except OpenKYCError as exc:
            return bo.redirect(request, back, exc.message, "error")
        return bo.redirect(request, back, done)

    @r.get("/apps")
    def app_list(request: Request, viewer: Admin) -> Response:
        with bo.runtime.transaction(readonly=True) as ctx:
            rows = app_repo.list_apps(ctx.db)
            return bo.pages.render(request, "admin/apps.html", apps=rows)

    @r.post("/apps")
    def create_app(request: Request, form: Form, viewer: Admin) -> Response:
        try:
            with bo.runtime.transaction(actor=viewer.email) as ctx:
                app = apps.create_app(ctx, text(form, "name"))
                key, secret = apps.create_key(ctx, app.id, form.get("sandbox") == "yes")
                app_id, key_id = app.id, key.id
        except OpenKYCError as exc:
            return bo.redirect(request, f"{PATH}/admin/apps", exc.message, "error")
        return bo.pages.render(
            request, "admin/secret.html", title="App created", app_id=app_id,
            label=f"API key {key_id}", secret=secret,
        )  # fmt: skip

    @r.get("/apps/{app_id}")
    def app_page(request: Request, viewer: Admin, app_id: str) -> Response:
        with bo.runtime.transaction(readonly=True) as ctx:
            view = console.app_console(ctx, app_id)
            flow = json.dumps(view.app.flow, indent=2)
            return bo.pages.render(request, "admin/app.html", view=view, flow=flow)

    @r.post("/apps/{app_id}/flow")
    def set_flow(request: Request, form: Form, viewer: Admin, app_id: str) -> Response:
        try:
            flow = json.loads(text(form, "flow", 20_000) or "null")
        except ValueError:
            return bo.redirect(request, app_url(app_id), "The flow is not valid JSON.", "error")
        return attempt(
            request, app_url(app_id), "Flow saved.", lambda ctx: apps.set_flow(ctx, app_id, flow)
        )

    @r.post("/apps/{app_id}/four-eyes")
    def set_four_eyes(request: Request, form: Form, viewer: Admin, app_id: str) -> Response:
        on = form.get("enabled") == "yes"
        done = "Four eyes " + ("required" if on else "no longer required") + " for overrides."
        return attempt(
            request, app_url(app_id), done, lambda ctx: four_eyes.set_enabled(ctx, app_id, on)
        )

    @r.post("/apps/{app_id}/keys")
    def create_key(request: Request, form: Form, viewer: Admin, app_id: str) -> Response:
        try:
            with bo.runtime.transaction(actor=viewer.email) as ctx:
                key, secret = apps.create_key(ctx, app_id, form.get("sandbox") == "yes")
                key_id = key.id
        except OpenKYCError as exc:
            return bo.redirect(request, app_url(app_id), exc.message, "error")
        return bo.pages.render(
            request, "admin/secret.html", title="API key created", app_id=app_id,
            label=f"API key {key_id}", secret=secret,
        )  # fmt: skip

    @r.post("/apps/{app_id}/keys/{key_id}/revoke")
    def revoke_key(
        request: Request, form: Form, viewer: Admin, app_id: str, key_id: str
    ) -> Response:
        return attempt(
            request, app_url(app_id), f"Key {key_id} revoked.",
            lambda ctx: apps.revoke_key(ctx, app_id, key_id),
        )  # fmt: skip

    @r.post("/apps/{app_id}/webhooks")
    def create_endpoint(request: Request, form: Form, viewer: Admin, app_id: str) -> Response:
        try:
            with bo.runtime.transaction(actor=viewer.email) as ctx:
                apps.get_app(ctx, app_id)
                row, secret = webhooks.create_endpoint(ctx, app_id, text(form, "url", 2000))
                label = f"Signing secret of webhook {row.id}"
        except OpenKYCError as exc:
            return bo.redirect(request, app_url(app_id), exc.message, "error")
        return bo.pages.render(
            request, "admin/secret.html", title="Webhook endpoint created", app_id=app_id,
            label=label, secret=secret,
        )  # fmt: skip

    @r.post("/apps/{app_id}/webhooks/{endpoint_id}/disable")
    def disable_endpoint(
        request: Request, form: Form, viewer: Admin, app_id: str, endpoint_id: str
    ) -> Response:
        return attempt(
            request, app_url(app_id), f"Webhook {endpoint_id} disabled.",
            lambda ctx: webhooks.disable_endpoint(ctx, app_id, endpoint_id),
        )  # fmt: skip

    @r.get("/apps/{app_id}/deliveries")
    def deliveries(
        request: Request,
        viewer: Admin,
        app_id: str,
        status: Annotated[str, Query(max_length=16)] = "",
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Response:
        if status not in ("", "pending", "delivered", "failed"):
            raise Invalid("status is pending, delivered or failed")
        with bo.runtime.transaction(readonly=True) as ctx:
            rows = webhooks.list_deliveries(ctx, app_id, status or None, DELIVERY_PAGE, offset)
            return bo.pages.render(
                request, "admin/deliveries.html", app_id=app_id, rows=rows, status=status,
                offset=offset, page_size=DELIVERY_PAGE,
            )  # fmt: skip

    @r.post("/apps/{app_id}/deliveries/{delivery_id}/replay")
    def replay(
        request: Request, form: Form, viewer: Admin, app_id: str, delivery_id: str
    ) -> Response:
        return attempt(
            request, f"{app_url(app_id)}/deliveries", f"Delivery {delivery_id} sent again.",
            lambda ctx: webhooks.replay(ctx, app_id, delivery_id),
        )  # fmt: skip

    @r.get("/lists")
    def list_versions(request: Request, viewer: Admin) -> Response:
        with bo.runtime.transaction(readonly=True) as ctx:
            rows = [lists.describe(v) for v in aml_repo.versions(ctx.db)]
            return bo.pages.render(request, "admin/lists.html", versions=rows)

    return r
