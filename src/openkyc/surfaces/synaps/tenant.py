"""Synaps v4 tenant API: sessions and steps, authenticated by the `Api-Key` header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.routing import Route

from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.file import service as files
from openkyc.domain.session import service as sessions
from openkyc.domain.step import service as steps
from openkyc.models import Step
from openkyc.surfaces.http import WireModel, install_errors, refuse_nul
from openkyc.surfaces.synaps import mapping
from openkyc.surfaces.synaps.errors import envelope


class InitBody(WireModel):
    alias: str = Field(min_length=1, max_length=255)
    metadata: dict[str, Any] | None = None


def step_details(ctx: Ctx, step: Step) -> dict[str, Any]:
    """Common payload plus the type's own, with fresh signed file links."""
    uploads: dict[str, mapping.FileDoc] = {}
    processed: dict[str, mapping.FileDoc] = {}
    for row in files.of_attempt(ctx, step):
        if row.kind.startswith(files.PROCESSED):
            processed[row.kind.removeprefix(files.PROCESSED)] = files.describe(ctx, row)
        else:
            uploads[row.kind] = files.describe(ctx, row)
    payload = mapping.common(step, steps.reason_payload(step))
    payload.update(
        mapping.type_payload(
            step.type, steps.submission(ctx, step), step.evidence or {}, uploads, processed
        )
    )
    return payload


ApiKey = Annotated[str | None, Header(alias="Api-Key")]


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - Synaps v4",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    install_errors(api, envelope)

    @api.post("/session/init")
    def init_session(body: InitBody, api_key: ApiKey = None) -> dict[str, Any]:
        with runtime.transaction(actor="api") as ctx:
            caller = apps.authenticate(ctx, api_key)
            session = sessions.init_session(ctx, caller, body.alias, body.metadata)
            return {"session_id": session.id, "sandbox": session.sandbox}

    @api.get("/individual/session/{session_id}/step/{step_id}")
    def step(session_id: str, step_id: str, api_key: ApiKey = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            caller = apps.authenticate(ctx, api_key)
            return step_details(ctx, steps.get_step(ctx, caller.app.id, session_id, step_id))

    return api


def status_route(prefix: str, runtime: Runtime) -> Route:
    """The status poll, the hottest route: two indexed reads. It is a plain Starlette route
    on the root app, on the event loop: the sub-app's middleware, FastAPI's parameter
    solving and the hand-off to the thread pool each cost more CPU than the reads. It is
    read-only, so it never waits for a lock (PostgreSQL autocommit, SQLite WAL readers);
    errors get the root app's handlers, which answer in the same Synaps envelope."""

    async def session_details(request: Request) -> JSONResponse:
        await refuse_nul(request)
        with runtime.transaction(readonly=True) as ctx:
            app = apps.authenticate_ref(ctx, request.headers.get("api-key"))
            session, states = sessions.overview(ctx, app.id, request.path_params["session_id"])
            return JSONResponse(mapping.session_details(app, session, states))

    return Route(f"{prefix}/individual/session/{{session_id}}", session_details, methods=["GET"])
