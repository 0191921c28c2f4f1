"""`openkyc users`: back office accounts.

    openkyc users create EMAIL --role reviewer|admin   the password from a prompt, or stdin
    openkyc users list
    openkyc users totp EMAIL                           enable a second factor (shown once)
    openkyc users disable EMAIL

Passwords never go on the command line (shell history, `ps`): they are read from a hidden
prompt, or from the first line of stdin when it is not a terminal.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from openkyc.commands.common import transaction

users_cli = typer.Typer(help="Back office accounts (reviewers and admins)", no_args_is_help=True)


def _read_password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
def create(
    email: str,
    role: Annotated[str, typer.Option(help="reviewer or admin")] = "reviewer",
) -> None:
    """Create an account; the password is read from a prompt or stdin."""
    from openkyc.domain.user import service as users

    password = _read_password()
    with transaction() as ctx:
        user = users.create_user(ctx, email, role, password)
        user_id, role = user.id, user.role
    typer.echo(f"user {user_id} ({role}) created")


@users_cli.command("list")
def list_users() -> None:
    """List accounts: id, email, role, second factor, last sign-in."""
    from openkyc.domain.user import service as users

    with transaction(readonly=True) as ctx:
        for u in users.list_users(ctx):
            totp = "totp" if u.totp_secret else "-"
            last = u.last_login_at.isoformat() if u.last_login_at else "-"
            state = "disabled" if u.disabled_at else "active"
            typer.echo(f"{u.id}\t{u.email}\t{u.role}\t{totp}\t{state}\t{last}")


@users_cli.command("totp")
def totp(email: str) -> None:
    """Enable (or replace) the account's TOTP second factor; prints the secret once."""
    from openkyc.domain.user import service as users

    with transaction() as ctx:
        _, secret, uri = users.enable_totp(ctx, email)
    typer.echo(f"TOTP secret (shown once): {secret}\notpauth URI: {uri}")


@users_cli.command("disable")
def disable(email: str) -> None:
    """Disable an account: its open sessions end at their next request."""
    from openkyc.domain.user import service as users

    with transaction() as ctx:
        users.disable_user(ctx, email)
    typer.echo(f"{email} disabled")
