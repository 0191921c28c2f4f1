"""An app as the back office's admin pages show it: its flow, keys, webhook endpoints and
review settings, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx
from openkyc.domain.review import four_eyes
from openkyc.domain.webhook import service as webhooks
from openkyc.models import ApiKey, App, Endpoint


@dataclass
class AppConsole:
    app: App
    keys: Sequence[ApiKey]
    endpoints: Sequence[Endpoint]
    four_eyes: bool


def app_console(ctx: Ctx, app_id: str) -> AppConsole:
    app = apps.get_app(ctx, app_id)
    return AppConsole(
        app=app,
        keys=apps.list_keys(ctx, app_id),
        endpoints=webhooks.list_endpoints(ctx, app_id),
        four_eyes=four_eyes.enabled(app),
    )
