"""`openkyc lists`: load sanctions and block lists, show their versions, compare two.

    openkyc lists                         versions with their counts
    openkyc lists load FILE --source KIND [--app APP_ID] [--dataset NAME]
    openkyc lists diff V1 V2

Loading is atomic: a file that fails to parse, or a failure while storing, leaves the
previous version active. New and changed entities are then screened against monitored
applicants (ongoing monitoring), in the same transaction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

# Also read from here by other commands (an explicit re-export, for mypy).
from openkyc.commands.common import transaction as transaction

lists_cli = typer.Typer(help="Sanctions, PEP and block lists", invoke_without_command=True)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size if path.exists() else 0


@lists_cli.callback()
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """List loaded versions with their counts."""
    if ctx.invoked_subcommand is not None:
        return
    from openkyc.domain.aml import lists, repository

    with transaction(readonly=True) as tx:
        rows = [lists.describe(v) for v in repository.versions(tx.db)]
    if as_json:
        typer.echo(json.dumps({"versions": rows}))
        return
    if not rows:
        typer.echo("no list loaded yet: openkyc lists load FILE --source KIND")
    for r in rows:
        scope = f" app {r['app_id']}" if r["app_id"] else ""
        typer.echo(
            f"{r['id']}  {r['dataset']}{scope} v{r['version']}  published {r['published'] or '-'}"
            f"  {r['entities']} entities (+{r['added']} ~{r['changed']} -{r['removed']})"
            f"  loaded {r['loaded_at'][:19]}"
        )


def _parse(path: Path, source: str) -> Any:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from openkyc.checks.aml.lists import ListFormatError, parse_file

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(f"reading {path.name}", total=_size(path) or None)
        try:
            return parse_file(path, source, lambda n: progress.update(task, completed=n))
        except ListFormatError as exc:
            typer.echo(f"openkyc: {path}: refused, nothing loaded: {exc}", err=True)
            raise typer.Exit(1) from None
        except OSError as exc:
            typer.echo(f"openkyc: cannot read {path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None


@lists_cli.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="the list file (or the folder of OFAC's CSVs)")],
    source: Annotated[str, typer.Option("--source", help="the list's format")],
    app: Annotated[str | None, typer.Option("--app", help="app id, for a blocklist")] = None,
    dataset: Annotated[str, typer.Option(help="dataset name (FollowTheMoney files)")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Parse FILE and store it as the next version of its list."""
    from openkyc.checks.aml.lists import KINDS
    from openkyc.domain.aml import lists, monitoring
    from openkyc.errors import OpenKYCError

    if source not in KINDS:
        typer.echo(f"openkyc: --source is one of {', '.join(KINDS)}", err=True)
        raise typer.Exit(2)
    parsed = _parse(file, source)
    try:
        with transaction() as tx:
            result = lists.load(tx, parsed, lists.file_digest(file), app, dataset)
            report = monitoring.run(tx, result.version, result.added + result.changed)
            out = {
                **lists.describe(result.version),
                "unchanged_file": result.unchanged_file,
                "candidates": report.candidates,
                "alerts": len(report.alerts),
            }
    except OpenKYCError as exc:
        typer.echo(f"openkyc: nothing loaded: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(out))
    elif out["unchanged_file"]:
        typer.echo(f"{file} is version {out['version']} already: nothing to load")
    else:
        typer.echo(
            f"{out['dataset']} v{out['version']} ({out['id']}): {out['entities']} entities, "
            f"+{out['added']} ~{out['changed']} -{out['removed']}; "
            f"{out['candidates']} monitored applicants scored, {out['alerts']} new alerts"
        )


@lists_cli.command("diff")
def diff(
    first: Annotated[str, typer.Argument(help="version id")],
    second: Annotated[str, typer.Argument(help="version id")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Entities added, changed and removed between two versions of a list."""
    from openkyc.domain.aml import lists
    from openkyc.errors import OpenKYCError

    try:
        with transaction(readonly=True) as tx:
            out = lists.diff(tx, first, second)
    except OpenKYCError as exc:
        typer.echo(f"openkyc: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(f"{out['from']['dataset']} v{out['from']['version']} -> v{out['to']['version']}")
    for change, mark in (("added", "+"), ("changed", "~"), ("removed", "-")):
        for item in out[change]:
            typer.echo(f"{mark} {item['id']}\t{item['schema']}\t{item['name']}")
