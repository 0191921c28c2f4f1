"""`openkyc check ...`: run one engine on local files, without a server.

`check document FRONT [BACK]` runs the ID_DOCUMENT check; with --json it prints one object
with at least `mrz` (`lines`, `format`, `valid`, `check_digits`), `fields` and `decision`
(`status`, `reason`): operators script against it, so it stays stable.
`check sample OUT.png` draws a sample document (sandbox magic values, trials).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from openkyc.commands import face

check_cli = typer.Typer(help="Run a verification engine on local files", no_args_is_help=True)

# Faces (commands/face.py)
check_cli.command("face")(face.face_command)
check_cli.command("liveness")(face.liveness_command)

STATUS = {
    "approve": "APPROVED",
    "reject": "REJECTED",
    "resubmit": "RESUBMISSION_REQUIRED",
    "review": "PENDING_VERIFICATION",
}
TYPES = ("PASSPORT", "NATIONAL_ID", "DRIVER_LICENSE", "RESIDENT_PERMIT")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        typer.echo(f"openkyc: cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None


@check_cli.command("document")
def document_command(
    front: Annotated[Path, typer.Argument(help="front side (jpg, png or pdf)")],
    back: Annotated[Path | None, typer.Argument(help="back side, for ID cards")] = None,
    doc_type: Annotated[str, typer.Option("--type", help=", ".join(TYPES))] = "PASSPORT",
    country: Annotated[str, typer.Option(help="declared country, ISO-3166 alpha-3")] = "",
    sandbox: Annotated[bool, typer.Option("--sandbox", help="decide as in a sandbox")] = False,
    out: Annotated[Path | None, typer.Option(help="write the cropped sides and face here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Read an ID document (MRZ, printed fields, quality) and decide as the step would."""
    from openkyc.checks.document.check import check_files
    from openkyc.domain.step import reasons

    doc_type = doc_type.upper()
    if doc_type not in TYPES:
        typer.echo(f"openkyc: --type is one of {', '.join(TYPES)}", err=True)
        raise typer.Exit(2)
    outcome = check_files(
        _read(front), _read(back) if back else None, doc_type, country, {}, sandbox, date.today()
    )
    evidence = outcome.evidence
    reason = outcome.reason_code
    result = summary(evidence, STATUS[outcome.decision.value], reason)
    result["decision"]["message"] = reasons.message(reason, "en")["original"] if reason else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for kind, (blob, _) in outcome.files.items():
            (out / f"{kind}.jpg").write_bytes(blob)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    _print(result)


def summary(evidence: dict[str, Any], status: str, reason: str | None) -> dict[str, Any]:
    """The CLI's JSON: stable keys first, then the rest of the evidence worth reading."""
    mrz = evidence.get("mrz")
    sides = evidence.get("sides") or {}
    return {
        "mrz": None
        if not mrz
        else {
            "lines": mrz["lines"],
            "raw_lines": mrz["raw_lines"],
            "format": mrz["format"],
            "valid": mrz["valid"],
            "check_digits": mrz["check_digits"],
            "side": mrz["side"],
            "ocr_confidence": mrz["ocr_confidence"],
            "repairs": mrz["repairs"],
        },
        "fields": evidence.get("fields") or {},
        "decision": {
            "status": status,
            "reason": reason,
            "review": status == "PENDING_VERIFICATION",
        },
        "country": evidence.get("country"),
        "type": evidence.get("document_type"),
        "crosscheck": evidence.get("crosscheck") or {},
        "specimen": evidence.get("specimen") or [],
        "sides": {
            name: None
            if side is None
            else {k: side.get(k) for k in ("error", "quality", "problems", "timings", "mrz_format")}
            for name, side in sides.items()
        },
        "portrait": evidence.get("portrait"),
        "models": evidence.get("models"),
    }


def _print(result: dict[str, Any]) -> None:
    decision = result["decision"]
    typer.echo(
        f"decision: {decision['status']}"
        + (f" ({decision['reason']})" if decision["reason"] else "")
    )
    if decision.get("message"):
        typer.echo(f"  {decision['message']}")
    mrz = result["mrz"]
    if mrz:
        state = "valid" if mrz["valid"] else "INVALID"
        typer.echo(f"mrz: {mrz['format']} {state} (read on the {mrz['side']})")
        for line in mrz["lines"]:
            typer.echo(f"  {line}")
        failed = [k for k, ok in mrz["check_digits"].items() if not ok]
        typer.echo(
            "  check digits: " + ("all pass" if not failed else "failed " + ", ".join(failed))
        )
    else:
        typer.echo("mrz: none found")
    for name, value in result["fields"].items():
        typer.echo(f"{name}: {value}")
    for name, side in result["sides"].items():
        if side and side.get("error"):
            typer.echo(f"{name}: {side['error']}")
        elif side and side.get("problems"):
            typer.echo(f"{name}: quality problems: {', '.join(side['problems'])}")
    if result["specimen"]:
        typer.echo("specimen: " + "; ".join(result["specimen"]))


@check_cli.command("sample")
def sample_command(
    output: Annotated[Path, typer.Argument(help="PNG file to write")],
    layout: Annotated[
        str, typer.Option("--format", help="TD3, TD2, TD1, MRVA, MRVB, FRA_ID, DL")
    ] = "TD3",
    side: Annotated[str, typer.Option(help="front or back")] = "front",
    lastname: Annotated[str, typer.Option(help="SANDBOX picks a sandbox outcome")] = "SANDBOX",
    firstname: Annotated[
        str, typer.Option(help="with SANDBOX: the outcome, e.g. EXPIRED")
    ] = "APPROVED",
    birth_date: Annotated[str, typer.Option(help="YYYY-MM-DD")] = "1990-05-17",
    expiry: Annotated[str, typer.Option(help="YYYY-MM-DD")] = "",
    country: Annotated[str, typer.Option(help="ICAO code of the issuing state")] = "FRA",
    number: Annotated[str, typer.Option(help="document number")] = "X4RT5Y2B9",
    specimen: Annotated[bool, typer.Option(help="print SPECIMEN across it")] = False,
) -> None:
    """Draw a sample document: with surname SANDBOX, its given name forces a sandbox outcome."""
    from openkyc.checks.document.sample.render import SPECS, FontMissing, render

    if layout not in SPECS or side not in ("front", "back"):
        typer.echo(
            f"openkyc: --format is one of {', '.join(SPECS)}; --side front or back", err=True
        )
        raise typer.Exit(2)
    holder = _holder(lastname, firstname, birth_date, expiry, country, number)
    try:
        image = render(layout, holder, side, seed=1, specimen=specimen)
    except FontMissing as exc:
        typer.echo(f"openkyc: {exc}", err=True)
        raise typer.Exit(2) from None
    image.save(output, "PNG")
    typer.echo(f"wrote {output}")


def _holder(
    lastname: str, firstname: str, birth_date: str, expiry: str, country: str, number: str
) -> Any:
    from openkyc.checks.document.mrz.build import Holder

    try:
        born = date.fromisoformat(birth_date)
        expires = date.fromisoformat(expiry) if expiry else date(date.today().year + 5, 6, 30)
    except ValueError:
        typer.echo("openkyc: dates are YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None
    state = country.upper()
    return Holder(
        lastname.upper(), firstname.upper(), born, "F", state, number.upper(), expires, state,
        birth_place="LYON",
    )  # fmt: skip
