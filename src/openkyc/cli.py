"""`openkyc serve | worker | migrate | apps ... | admin-tokens ... | demo`.

Every command reads the same settings (environment, prefix OPENKYC_).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from openkyc.commands.aml import aml_cli
from openkyc.commands.check import check_cli
from openkyc.commands.common import load_settings
from openkyc.commands.lists import lists_cli
from openkyc.commands.users import users_cli
from openkyc.settings import Settings, export_to_children

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

cli = typer.Typer(help="openkyc: self-hostable identity verification server", no_args_is_help=True)
apps_cli = typer.Typer(help="Apps (tenants) and their API keys", no_args_is_help=True)
tokens_cli = typer.Typer(help="Admin API tokens", no_args_is_help=True)
cli.add_typer(apps_cli, name="apps")
cli.add_typer(tokens_cli, name="admin-tokens")
cli.add_typer(check_cli, name="check")
cli.add_typer(lists_cli, name="lists")
cli.add_typer(aml_cli, name="aml")
cli.add_typer(users_cli, name="users")


def _logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Alembic narrates every start ("Context impl SQLiteImpl"...); only its problems matter.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.root.level))


def _require_schema(settings: Settings) -> None:
    """Refuse to run against a database `openkyc migrate` has not brought up to date."""
    from openkyc.db.engine import make_engine
    from openkyc.db.migrate import is_current

    engine = make_engine(settings.database_url)
    try:
        current = is_current(engine)
    finally:
        engine.dispose()
    if not current:
        message = "the database schema is not up to date: run `openkyc migrate`"
        typer.echo(f"openkyc: {message}", err=True)
        raise typer.Exit(2)


@cli.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from openkyc.db.engine import attach_crypto, make_engine
    from openkyc.db.migrate import upgrade
    from openkyc.kit.crypto import Crypto

    settings = load_settings()
    # The key seals personal data that older schemas stored in the clear.
    engine = attach_crypto(make_engine(settings.database_url), Crypto(settings.secret_key))
    upgrade(engine)
    engine.dispose()
    typer.echo("database is up to date")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default 8000")] = None,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    no_jobs: Annotated[
        bool, typer.Option("--no-jobs", help="leave jobs to `openkyc worker`")
    ] = False,
) -> None:
    """Start the HTTP server (and, on the embedded queue, its job consumers)."""
    import uvicorn

    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = load_settings(**overrides)
    _logging(settings)
    from openkyc.demo import ensure_demo

    ensure_demo(settings)
    _require_schema(settings)
    jobs = not no_jobs and settings.embedded_workers > 0
    typer.echo(f"openkyc listening on http://{settings.host}:{settings.port}")
    if workers > 1:
        # Several processes, each building the app through the factory below from the
        # same settings; they inherit this environment.
        if not jobs:
            export_to_children(embedded_workers="0")
        uvicorn.run(
            "openkyc.cli:app_factory",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
        return
    from openkyc.app import create_app

    uvicorn.run(
        create_app(settings, workers=jobs),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )


def app_factory() -> object:
    from openkyc.app import create_app

    settings = Settings()
    return create_app(settings, workers=settings.embedded_workers > 0)


@cli.command()
def worker(threads: Annotated[int | None, typer.Option(help="consumer threads")] = None) -> None:
    """Run job consumers (for a Redis queue: on any machine)."""
    from openkyc.worker.consumer import run_worker

    settings = load_settings()
    _logging(settings)
    run_worker(settings, threads)


@cli.command()
def sweep() -> None:
    """Re-enqueue stalled checks and due webhooks once (the workers also do it periodically)."""
    from openkyc.bootstrap import build_system
    from openkyc.worker.sweep import sweep as run_sweep

    settings = load_settings()
    _require_schema(settings)
    system = build_system(settings)
    try:
        typer.echo(json.dumps(run_sweep(system.runtime)))
    finally:
        system.runtime.engine.dispose()


@apps_cli.command("create")
def apps_create(
    name: str,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="the key creates sandbox sessions")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Create an app and print its API key (shown once)."""
    from openkyc.domain.app import service as apps
    from openkyc.domain.credential import gateway

    with _transaction() as ctx:
        app = apps.create_app(ctx, name)
        key, secret = apps.create_key(ctx, app.id, sandbox)
        client, client_secret = gateway.create(ctx, app.id, sandbox)  # SynapseFI X-SP-GATEWAY
    out = {
        "app_id": app.id,
        "name": app.name,
        "key_id": key.id,
        "api_key": secret,
        "sandbox": sandbox,
        "client_id": client.client_id,
        "client_secret": client_secret,
    }
    if as_json:
        typer.echo(json.dumps(out))
    else:
        typer.echo(f"app {app.id} ({app.name}) created\nAPI key (shown once): {secret}")
        typer.echo(f"SynapseFI X-SP-GATEWAY (shown once): {client.client_id}|{client_secret}")


@apps_cli.command("list")
def apps_list() -> None:
    """List apps with their keys."""
    from openkyc.domain.app import repository
    from openkyc.domain.app import service as apps

    with _transaction(readonly=True) as ctx:
        for app in repository.list_apps(ctx.db):
            keys = apps.list_keys(ctx, app.id)
            live = [
                f"{k.id}({'sandbox' if k.sandbox else 'live'}{', revoked' if k.revoked_at else ''})"
                for k in keys
            ]
            typer.echo(f"{app.id}\t{app.name}\t{' '.join(live)}")


@apps_cli.command("rotate")
def apps_rotate(app_id: str, key_id: str) -> None:
    """Revoke a key and print its replacement (shown once)."""
    from openkyc.domain.app import service as apps

    with _transaction() as ctx:
        key, secret = apps.rotate_key(ctx, app_id, key_id)
    typer.echo(f"key {key_id} revoked; new key {key.id} (shown once): {secret}")


@apps_cli.command("revoke")
def apps_revoke(app_id: str, key_id: str) -> None:
    """Revoke an API key."""
    from openkyc.domain.app import service as apps

    with _transaction() as ctx:
        apps.revoke_key(ctx, app_id, key_id)
    typer.echo(f"key {key_id} revoked")


@tokens_cli.command("create")
def tokens_create(name: str) -> None:
    """Create an admin API token (shown once); `name` is recorded on decisions."""
    from openkyc.domain.app import service as apps

    with _transaction() as ctx:
        token = apps.create_admin_token(ctx, name)
    typer.echo(token)


@contextmanager
def _transaction(readonly: bool = False) -> Iterator[Ctx]:
    """One transaction on the configured database, for a command; then let go of it."""
    from openkyc.bootstrap import build_system

    settings = load_settings()
    _require_schema(settings)
    runtime = build_system(settings).runtime
    try:
        with runtime.transaction(actor="cli", readonly=readonly) as ctx:
            yield ctx
    finally:
        runtime.engine.dispose()


def main() -> None:
    from openkyc.errors import OpenKYCError

    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except OpenKYCError as exc:  # unknown app or key, bad name...: a message, not a traceback
        typer.echo(f"openkyc: {exc.message}", err=True)
        sys.exit(1)
