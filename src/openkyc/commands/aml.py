"""`openkyc aml`: name scores and screening from the command line.

openkyc aml score NAME1 NAME2 [--schema SCHEMA]   a score in [0, 1]
openkyc aml score --pairs FILE                    CSV name1,name2[,schema] in,
                                                  CSV name1,name2,score out, in order
openkyc aml screen --name NAME [--birth-date D] [--country C] [--app APP] --json
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

SCHEMAS = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")
aml_cli = typer.Typer(help="AML name matching and screening", no_args_is_help=True)


def _schema(value: str) -> str:
    if value not in SCHEMAS:
        typer.echo(f"openkyc: schema is one of {', '.join(SCHEMAS)}", err=True)
        raise typer.Exit(2)
    return value


def _pairs(path: Path) -> None:
    from openkyc.checks.aml.match import score_names

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"openkyc: cannot read {path}: {exc}", err=True)
        raise typer.Exit(2) from None
    out = csv.writer(sys.stdout, lineterminator="\n")
    reader = csv.reader(text.splitlines())
    for number, row in enumerate(reader, 1):
        if not row:
            continue
        if len(row) not in (2, 3):
            typer.echo(f"openkyc: {path} line {number}: name1,name2[,schema] expected", err=True)
            raise typer.Exit(2)
        schema = _schema(row[2].strip() or "Person") if len(row) == 3 else "Person"
        out.writerow([row[0], row[1], f"{score_names(row[0], row[1], schema):.4f}"])


@aml_cli.command("score")
def score(
    name1: Annotated[str | None, typer.Argument()] = None,
    name2: Annotated[str | None, typer.Argument()] = None,
    schema: Annotated[str, typer.Option(help=", ".join(SCHEMAS))] = "Person",
    pairs: Annotated[Path | None, typer.Option(help="CSV of name1,name2[,schema]")] = None,
) -> None:
    """How alike two names are, in [0, 1] (the screening threshold is in docs/aml.md)."""
    if pairs is not None:
        _pairs(pairs)
        return
    if not name1 or not name2:
        typer.echo("openkyc: give NAME1 and NAME2, or --pairs FILE", err=True)
        raise typer.Exit(2)
    from openkyc.checks.aml.match import score_names

    typer.echo(f"{score_names(name1, name2, _schema(schema)):.4f}")


@aml_cli.command("screen")
def screen(
    name: Annotated[str, typer.Option(help="full name of the person or business")],
    birth_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD (or YYYY)")] = None,
    country: Annotated[str | None, typer.Option(help="nationality or country")] = None,
    schema: Annotated[str, typer.Option(help=", ".join(SCHEMAS))] = "Person",
    app: Annotated[str | None, typer.Option(help="app id: its blocklist too")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Screen one name against the loaded lists."""
    from openkyc.commands.common import transaction
    from openkyc.domain.aml import service
    from openkyc.errors import OpenKYCError

    try:
        with transaction(readonly=True) as tx:
            answer = service.screen(
                tx,
                name,
                schema=_schema(schema),
                birth_date=birth_date,
                country=country,
                app_id=app,
            )
    except OpenKYCError as exc:
        typer.echo(f"openkyc: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False))
        return
    typer.echo(f"{answer['total_hits']} hit(s) for {name!r}")
    for hit in answer["hits"]:
        info = hit["info"]
        typer.echo(
            f"{hit['score']:.3f}  {info['full_name']}  ({hit['dataset']}, {hit['entity_id']})"
        )
