"""The admin API's AML part: hits of a step, clearing a false positive, monitoring alerts,
an app's AML settings, loaded list versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import Field

from openkyc.domain.aml import config, lists, review
from openkyc.domain.aml import repository as aml_repo
from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx, Runtime
from openkyc.errors import Unauthorized
from openkyc.surfaces.http import WireModel

Auth = Annotated[str | None, Header(alias="Authorization")]


class SettingsBody(WireModel):
    monitoring: bool | None = None
    automatic_decisions: bool | None = None
    threshold: float | None = Field(default=None, ge=0.5, le=1.0)


def _reviewer(ctx: Ctx, authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("missing bearer admin token")
    return apps.authenticate_admin(ctx, authorization[7:].strip())


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.get("/apps/{app_id}/steps/{step_id}/aml/hits")
    def step_hits(app_id: str, step_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            _reviewer(ctx, authorization)
            return {
                "hits": [review.describe_hit(h) for h in review.hits_of_step(ctx, app_id, step_id)]
            }

    @api.post("/apps/{app_id}/aml/hits/{hit_id}/clear")
    def clear(app_id: str, hit_id: str, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            ctx.actor = _reviewer(ctx, authorization)
            return review.describe_hit(review.clear_hit(ctx, app_id, hit_id, ctx.actor))

    @api.get("/apps/{app_id}/aml/alerts")
    def alerts(
        app_id: str,
        status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        authorization: Auth = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            _reviewer(ctx, authorization)
            apps.get_app(ctx, app_id)
            rows = review.alerts(ctx, app_id, status, limit, offset)
            return {"alerts": [review.describe_alert(a) for a in rows]}

    @api.put("/apps/{app_id}/aml/settings")
    def put_settings(app_id: str, body: SettingsBody, authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(actor="admin") as ctx:
            _reviewer(ctx, authorization)
            return {"aml": config.set_settings(ctx, app_id, body.model_dump())}

    @api.get("/aml/lists")
    def list_versions(authorization: Auth = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            _reviewer(ctx, authorization)
            return {"versions": [lists.describe(v) for v in aml_repo.versions(ctx.db)]}

    return api
