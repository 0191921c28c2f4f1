"""The admin API. Every route names the app it acts on; repositories stay app-scoped."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query
from pydantic import Field

from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.event import service as events
from openkyc.domain.review import service as review
from openkyc.domain.session import service as sessions
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import Unauthorized
from openkyc.surfaces.admin import aml, mapping
from openkyc.surfaces.http import WireModel, install_errors, refuse_nul
from openkyc.surfaces.synaps.errors import envelope


class AppCreate(WireModel):
    name: str = Field(min_length=1, max_length=200)
    sandbox: bool = False
    flow: list[Any] | None = None


class FlowBody(WireModel):
    flow: list[Any]


class KeyCreate(WireModel):
    sandbox: bool = False


class EndpointCreate(WireModel):
    url: str = Field(min_length=8, max_length=2000)


class DecisionBody(WireModel):
    action: str = Field(pattern="^(approve|reject|resubmit)$")
    reason_code: str | None = Field(default=None, max_length=64)
    message: str | None = Field(default=None, max_length=2000)


def reviewer_of(ctx: Ctx, authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("missing bearer admin token")
    return apps.authenticate_admin(ctx, authorization[7:].strip())


Auth = Annotated[str | None, Header(alias="Authorization")]


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - admin",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    install_errors(api, envelope)
    api.include_router(aml.router(runtime))

    @api.get("/apps")
    def list_apps(authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            from openkyc.domain.app import repository

            return {"apps": [mapping.app(a) for a in repository.list_apps(ctx.db)]}

    @api.post("/apps", status_code=201)
    def create_app(body: AppCreate, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            app = apps.create_app(ctx, body.name, body.flow)
            key, secret = apps.create_key(ctx, app.id, body.sandbox)
            return {**mapping.app(app), "api_key": secret, **mapping.key(key)}

    @api.get("/apps/{app_id}")
    def get_app(app_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            app = apps.get_app(ctx, app_id)
            return {
                **mapping.app(app),
                "keys": [mapping.key(k) for k in apps.list_keys(ctx, app_id)],
            }

    @api.put("/apps/{app_id}/flow")
    def set_flow(app_id: str, body: FlowBody, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            return mapping.app(apps.set_flow(ctx, app_id, body.flow))

    @api.post("/apps/{app_id}/keys", status_code=201)
    def create_key(app_id: str, body: KeyCreate, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            key, secret = apps.create_key(ctx, app_id, body.sandbox)
            return {**mapping.key(key), "api_key": secret}

    @api.post("/apps/{app_id}/keys/{key_id}/rotate", status_code=201)
    def rotate_key(app_id: str, key_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            key, secret = apps.rotate_key(ctx, app_id, key_id)
            return {**mapping.key(key), "api_key": secret}

    @api.delete("/apps/{app_id}/keys/{key_id}")
    def revoke_key(app_id: str, key_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            return mapping.key(apps.revoke_key(ctx, app_id, key_id))

    @api.post("/apps/{app_id}/webhooks", status_code=201)
    def create_endpoint(
        app_id: str, body: EndpointCreate, authorization: Auth = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            apps.get_app(ctx, app_id)
            row, secret = webhooks.create_endpoint(ctx, app_id, body.url)
            return {**mapping.endpoint(row), "secret": secret}

    @api.get("/apps/{app_id}/webhooks")
    def list_endpoints(app_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            from openkyc.domain.webhook import repository

            return {"webhooks": [mapping.endpoint(e) for e in repository.endpoints(ctx.db, app_id)]}

    @api.post("/apps/{app_id}/webhooks/{endpoint_id}/rotate-secret")
    def rotate_secret(app_id: str, endpoint_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            secret = webhooks.rotate_secret(ctx, app_id, endpoint_id)
            return {"id": endpoint_id, "secret": secret, "previous_valid_hours": 24}

    @api.delete("/apps/{app_id}/webhooks/{endpoint_id}")
    def disable_endpoint(
        app_id: str, endpoint_id: str, authorization: Auth = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            return mapping.endpoint(webhooks.disable_endpoint(ctx, app_id, endpoint_id))

    @api.get("/apps/{app_id}/deliveries")
    def list_deliveries(
        app_id: str,
        status: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            rows = webhooks.list_deliveries(ctx, app_id, status, limit, offset)
            return {"deliveries": [webhooks.describe(r) for r in rows]}

    @api.post("/apps/{app_id}/deliveries/{delivery_id}/replay", status_code=201)
    def replay(app_id: str, delivery_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            reviewer_of(ctx, authorization)
            return webhooks.describe(webhooks.replay(ctx, app_id, delivery_id))

    @api.get("/review")
    def review_queue(
        app_id: str | None = None,
        type: Annotated[str | None, Query(max_length=32)] = None,
        sandbox: bool | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            rows = review.queue(ctx, app_id, type, sandbox, limit, offset)
            return {
                "steps": [
                    {**mapping.step(s), "app_id": s.app_id, "sandbox": sess.sandbox}
                    for s, sess in rows
                ]
            }

    @api.get("/apps/{app_id}/sessions/{session_id}")
    def get_session(app_id: str, session_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            session = sessions.get_session(ctx, app_id, session_id)
            return mapping.session(session, sessions.steps_of(ctx, session))

    @api.get("/apps/{app_id}/sessions/{session_id}/events")
    def session_events(app_id: str, session_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            sessions.get_session(ctx, app_id, session_id)
            return {
                "events": [
                    mapping.event(e) for e in events.list_for_session(ctx, app_id, session_id)
                ]
            }

    @api.post("/apps/{app_id}/sessions/{session_id}/reset")
    def reset(app_id: str, session_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            ctx.actor = reviewer_of(ctx, authorization)
            session = sessions.reset(ctx, app_id, session_id)
            return mapping.session(session, sessions.steps_of(ctx, session))

    @api.get("/apps/{app_id}/steps/{step_id}")
    def get_step(app_id: str, step_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            reviewer_of(ctx, authorization)
            rec = review.record(ctx, app_id, step_id)
            return {
                **mapping.step(rec["step"]),
                "submission": rec["submission"],
                "evidence": rec["evidence"],
                "decisions": [mapping.decision(d) for d in rec["decisions"]],
                "attempts": [mapping.attempt(a) for a in rec["attempts"]],
            }

    @api.post("/apps/{app_id}/steps/{step_id}/decision")
    def decide(
        app_id: str, step_id: str, body: DecisionBody, authorization: Auth = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            ctx.actor = reviewer_of(ctx, authorization)
            step = review.decide(
                ctx, app_id, step_id, ctx.actor, body.action, body.reason_code, body.message
            )
            return mapping.step(step)

    return api
