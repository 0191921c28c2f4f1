"""`openkyc check face IMAGE_A IMAGE_B` and `openkyc check liveness VIDEO`: the face engines
on local files, without a server or a database (for operators calibrating thresholds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        typer.echo(f"openkyc: cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None


def face_command(
    image_a: Annotated[Path, typer.Argument(help="a photo or a document face")],
    image_b: Annotated[Path, typer.Argument(help="the other face")],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Compare the largest face of two images (cosine similarity of 128-d embeddings)."""
    from openkyc.checks.face.match import compare  # the models load only when asked for
    from openkyc.checks.face.similarity import Verdict

    result = compare(_read(image_a), _read(image_b))
    out: dict[str, Any] = {
        "similarity": result.get("similarity"),
        "match": result["verdict"] == Verdict.MATCH,
        **result,
    }
    if as_json:
        typer.echo(json.dumps(out))
    elif out["similarity"] is None:
        typer.echo(
            "no face found in "
            + ("the first image" if not result["document_face"] else "the second image")
        )
    else:
        typer.echo(f"similarity {out['similarity']:.4f}: {result['verdict']}")
    if out["similarity"] is None:
        raise typer.Exit(1)


def liveness_command(
    video: Annotated[Path, typer.Argument(help="a webm, mp4 or mov recording")],
    challenges: Annotated[
        str, typer.Option(help="the movements asked for, in order: left,right,up,down,closer")
    ] = "left,right",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Check that a video follows the head movements, with the LIVENESS step's rules
    (exit status 1 when the step would not be approved)."""
    from openkyc.checks.liveness.challenge import parse_challenges
    from openkyc.checks.liveness.check import decide, run_liveness

    try:
        wanted = parse_challenges([c for c in challenges.split(",") if c.strip()])
    except ValueError as exc:
        typer.echo(f"openkyc: {exc}", err=True)
        raise typer.Exit(2) from None
    evidence, _ = run_liveness(_read(video), wanted)
    evidence["timing"] = {"in_time": True}  # no nonce on the command line
    outcome = decide(evidence, {})
    out = {"decision": str(outcome.decision), "reason_code": outcome.reason_code, **evidence}
    if as_json:
        typer.echo(json.dumps(out))
    else:
        steps = ", ".join(
            f"{c['challenge']}={'ok' if c['performed'] else 'missing'}"
            for c in evidence.get("challenges", [])
        )
        typer.echo(f"{outcome.decision} {outcome.reason_code or ''} {steps}".strip())
    if outcome.decision != "approve":
        raise typer.Exit(1)
