"""First start on a fresh machine: migrate, create a demo app, print how to use it."""

from __future__ import annotations

from openkyc.bootstrap import build_system
from openkyc.db.migrate import upgrade
from openkyc.domain.app import repository
from openkyc.domain.app import service as apps
from openkyc.domain.context import Runtime
from openkyc.settings import Settings


def ensure_demo(settings: Settings) -> None:
    """In development, bring the schema up and create a sandbox demo app once."""
    if settings.environment != "development":
        return
    system = build_system(settings)
    try:
        upgrade(system.runtime.engine)
        if settings.demo:
            _create_demo(settings, system.runtime)
    finally:
        system.runtime.engine.dispose()


def _create_demo(settings: Settings, runtime: Runtime) -> None:
    with runtime.transaction(actor="demo") as ctx:
        if repository.list_apps(ctx.db):
            print("openkyc: demo app exists already (keys are shown once; `openkyc apps rotate`)")
            return
        app = apps.create_app(ctx, "openkyc demo")
        _, key = apps.create_key(ctx, app.id, sandbox=True)
        token = apps.create_admin_token(ctx, "demo-admin")
    print(
        "openkyc: created the demo app\n"
        f"  app id            {app.id}\n"
        f"  sandbox API key   {key}\n"
        f"  admin token       {token}\n"
        "  try: curl -X POST -H 'Api-Key: <key>' -H 'Content-Type: application/json' "
        f'-d \'{{"alias": "demo"}}\' {settings.public_url}/v4/session/init'
    )
