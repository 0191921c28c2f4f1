"""`/subscriptions`: webhook URLs with scopes (USER|POST, USER|PATCH, ...)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query

from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.subscription import service as subscriptions
from openkyc.domain.webhook import service as webhooks
from openkyc.models import Subscription
from openkyc.surfaces.synapsefi import auth
from openkyc.surfaces.synapsefi.auth import GatewayHeader
from openkyc.surfaces.synapsefi.wire import NewSubscription, SubscriptionChanges

MAX_PER_PAGE = 20


def _object(ctx: Ctx, row: Subscription) -> dict[str, Any]:
    endpoint = webhooks.get_endpoint(ctx, row.app_id, row.endpoint_id)
    href = f"{ctx.ports.settings.public_url}/v3.1/subscriptions/{row.id}"
    return {
        "_id": row.id,
        "_links": {"self": {"href": href}},
        "client_id": row.client_id,
        "is_active": row.active,
        "scope": list(row.scope),
        "url": endpoint.url,
    }


def _listing(ctx: Ctx, app_id: str, page: int, size: int) -> dict[str, Any]:
    rows, total = subscriptions.page(ctx, app_id, page, size)
    return {
        "error_code": "0",
        "http_code": "200",
        "limit": size,
        "page": page,
        "page_count": max(1, math.ceil(total / size)),
        "subscriptions": [_object(ctx, row) for row in rows],
        "subscriptions_count": total,
        "success": True,
    }


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/subscriptions")
    def create_subscription(body: NewSubscription, gateway: GatewayHeader = None) -> dict[str, Any]:
        with runtime.transaction(actor="api") as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            secret = auth.gateway_secret(gateway)
            row = subscriptions.create(
                ctx, gw.caller.app.id, gw.client_id, secret, body.url, body.scope
            )
            return _object(ctx, row)

    @api.get("/subscriptions")
    def list_subscriptions(
        page: Annotated[int, Query(ge=1, le=100000)] = 1,
        per_page: Annotated[int, Query(ge=1)] = MAX_PER_PAGE,
        gateway: GatewayHeader = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            return _listing(ctx, gw.caller.app.id, page, min(per_page, MAX_PER_PAGE))

    @api.get("/subscriptions/{subscription_id}")
    def get_subscription(subscription_id: str, gateway: GatewayHeader = None) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            return _object(ctx, subscriptions.get(ctx, gw.caller.app.id, subscription_id))

    @api.patch("/subscriptions/{subscription_id}")
    def update_subscription(
        subscription_id: str, body: SubscriptionChanges, gateway: GatewayHeader = None
    ) -> dict[str, Any]:
        with runtime.transaction(actor="api") as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            changes = body.model_dump(exclude_none=True)
            row = subscriptions.update(ctx, gw.caller.app.id, subscription_id, changes)
            return _object(ctx, row)

    return api
