"""What every command shares: the settings, read once (with readable errors), and one
transaction on the configured database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError

from openkyc.settings import Settings

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx


def load_settings(**overrides: object) -> Settings:
    try:
        # Overrides name any field, with its own type: no one signature fits them all.
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        for error in exc.errors():
            # Our own checks (production secrets) carry their message as the error itself;
            # a field's error is prefixed with the variable to fix.
            reason = error.get("ctx", {}).get("error") or error["msg"]
            field = "_".join(str(part) for part in error["loc"]).upper()
            where = f"OPENKYC_{field}: " if field else ""
            typer.echo(f"openkyc: configuration error: {where}{reason}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def transaction(readonly: bool = False) -> Iterator[Ctx]:
    """One transaction on the configured database for a command, then let go of it."""
    from openkyc.bootstrap import build_system  # the whole system, only when a command needs it

    runtime = build_system(load_settings()).runtime
    try:
        with runtime.transaction(actor="cli", readonly=readonly) as ctx:
            yield ctx
    finally:
        runtime.engine.dispose()
