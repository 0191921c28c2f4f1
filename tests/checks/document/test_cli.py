"""`openkyc check sample` and `openkyc check document --json`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openkyc.cli import cli


def test_sample_then_check_with_sandbox_magic(tmp_path: Path) -> None:
    runner = CliRunner()
    image = tmp_path / "expired.png"
    made = runner.invoke(cli, ["check", "sample", str(image), "--firstname", "EXPIRED"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        cli, ["check", "document", str(image), "--country", "FRA", "--sandbox", "--json",
              "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mrz"]["format"] == "TD3" and out["mrz"]["valid"] is True
    assert len(out["mrz"]["lines"]) == 2 and all(out["mrz"]["check_digits"].values())
    assert out["fields"]["lastname"] == "SANDBOX"
    assert out["decision"] == {
        "status": "REJECTED",
        "reason": "IDENTITY_DOCUMENT_EXPIRED",
        "review": False,
        "message": "The identity document has expired.",
    }
    assert (tmp_path / "out" / "front.jpg").stat().st_size > 1000
    # the same document outside a sandbox: an ordinary valid passport
    live = runner.invoke(cli, ["check", "document", str(image)])
    assert live.exit_code == 0 and "decision: APPROVED" in live.output, live.output


def test_bad_arguments(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["check", "document", str(tmp_path / "nope.jpg")])
    assert missing.exit_code == 2
    (tmp_path / "x.txt").write_bytes(b"hello")
    wrong = runner.invoke(cli, ["check", "document", str(tmp_path / "x.txt"), "--type", "VISA"])
    assert wrong.exit_code == 2 and "--type" in wrong.output
    text = runner.invoke(cli, ["check", "document", str(tmp_path / "x.txt"), "--json"])
    assert json.loads(text.output)["decision"]["reason"] == "DOCUMENT_FILE_INVALID"
