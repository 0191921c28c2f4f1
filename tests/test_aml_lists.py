"""List versions in the database: only changes are written, diffs, atomic loading, and the
`openkyc lists` and `openkyc aml` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openkyc.bootstrap import System
from openkyc.checks.aml.lists import ListFormatError, parse_file
from openkyc.checks.aml.match import Query
from openkyc.cli import cli
from openkyc.domain.aml import lists, repository, service
from openkyc.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "aml"


def ftm(path: Path, *entities: tuple[str, str, str]) -> Path:
    """A FollowTheMoney JSON lines file of persons: (id, name, birth date)."""
    lines = [
        json.dumps({"id": i, "schema": "Person", "properties": {"name": [n], "birthDate": [b]}})
        for i, n, b in entities
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(
    system: System, path: Path, kind: str = "ftm", app_id: str | None = None
) -> lists.LoadResult:
    parsed = parse_file(path, kind)
    with system.runtime.transaction() as ctx:
        return lists.load(ctx, parsed, lists.file_digest(path), app_id)


def names_found(system: System, name: str) -> list[str]:
    with system.runtime.transaction(readonly=True) as ctx:
        return [r.entity.id for r in service.search(ctx, Query("Person", (name,)), None)]


def test_versions_write_only_changes_and_diff(system: System, tmp_path: Path) -> None:
    v1 = load(
        system,
        ftm(tmp_path / "v1.jsonl", ("a", "Ivan Drago", "1960"), ("b", "Rocky Balboa", "1946")),
    )
    v2 = load(
        system,
        ftm(tmp_path / "v2.jsonl", ("a", "Ivan Drago", "1961"), ("c", "Apollo Creed", "1942")),
    )
    assert (v1.version.seq, v2.version.seq) == (1, 2)
    assert [e.id for e in v2.added] == ["c"]
    assert [e.id for e in v2.changed] == ["a"]
    assert v2.removed == ["b"]
    with system.runtime.transaction(readonly=True) as ctx:
        out = lists.diff(ctx, v1.version.id, v2.version.id)
        assert [x["id"] for x in out["added"]] == ["c"]
        assert [x["id"] for x in out["changed"]] == ["a"]
        assert [x["name"] for x in out["removed"]] == ["Rocky Balboa"]
        current = {r.entity_id: r.since_seq for r in repository.current_entities(ctx.db, [""])}
        assert current == {"a": 2, "c": 2}
        # The first version is still readable as it was.
        assert {r.entity_id for r in repository.entities_at(ctx.db, "ftm", "", 1)} == {"a", "b"}
    assert names_found(system, "Apollo Creed") == ["c"]
    assert names_found(system, "Rocky Balboa") == []


def test_loading_the_same_file_again_adds_nothing(system: System, tmp_path: Path) -> None:
    path = ftm(tmp_path / "v1.jsonl", ("a", "Ivan Drago", "1960"))
    first = load(system, path)
    again = load(system, path)
    assert again.unchanged_file and again.version.id == first.version.id
    assert (again.added, again.changed, again.removed) == ([], [], [])


def test_a_broken_file_leaves_the_previous_version_active(system: System, tmp_path: Path) -> None:
    good = load(system, ftm(tmp_path / "v1.jsonl", ("a", "Ivan Drago", "1960")))
    broken = tmp_path / "v2.jsonl"
    broken.write_text(
        ftm(tmp_path / "x", ("b", "Apollo Creed", "1942")).read_text() + '{"id": "c", "sch'
    )
    with pytest.raises(ListFormatError, match="line 2"):
        load(system, broken)
    # A failure while storing rolls the whole version back too.
    parsed = parse_file(ftm(tmp_path / "v3.jsonl", ("d", "Clubber Lang", "1952")), "ftm")
    with pytest.raises(RuntimeError), system.runtime.transaction() as ctx:
        lists.load(ctx, parsed, "digest")
        raise RuntimeError("disk full")
    with system.runtime.transaction(readonly=True) as ctx:
        assert [v.id for v in repository.versions(ctx.db)] == [good.version.id]
    assert names_found(system, "Ivan Drago") == ["a"]
    assert names_found(system, "Clubber Lang") == []


def test_blocklists_belong_to_one_app(system: System, tenant: dict[str, str]) -> None:
    result = load(system, FIXTURES / "blocklist.csv", "blocklist", tenant["app_id"])
    assert result.version.scope == tenant["app_id"]
    query = Query("Person", ("Jean Dupont",), ("1980-03-15",))
    with system.runtime.transaction(readonly=True) as ctx:
        assert [r.entity.id for r in service.search(ctx, query, tenant["app_id"])] == ["block-42"]
        assert service.search(ctx, query, None) == []
        assert service.search(ctx, query, "another-app") == []
    with pytest.raises(Exception, match="belongs to one app"):
        load(system, FIXTURES / "blocklist.csv", "blocklist")


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    return {
        "OPENKYC_DATABASE_URL": settings.database_url,
        "OPENKYC_STORAGE_URL": settings.storage_url,
        "OPENKYC_QUEUE_URL": "memory://",
        "OPENKYC_DEMO": "false",
    }


def test_lists_commands(system: System, env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["lists", "load", str(FIXTURES / "un.xml"), "--source", "un"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "un_sc_sanctions v1" in result.output and "3 entities" in result.output
    v2 = ftm(tmp_path / "un2.jsonl", ("un-6908555", "RI WON HO", "1964-07-17"))
    result = runner.invoke(
        cli,
        ["lists", "load", str(v2), "--source", "ftm", "--dataset", "un_sc_sanctions", "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    loaded = json.loads(result.stdout)
    assert (loaded["version"], loaded["changed"], loaded["removed"]) == (2, 1, 2)
    broken = tmp_path / "broken.xml"
    broken.write_text((FIXTURES / "eu.xml").read_text(encoding="utf-8")[:1500], encoding="utf-8")
    result = runner.invoke(cli, ["lists", "load", str(broken), "--source", "eu"], env=env)
    assert result.exit_code == 1
    assert "refused, nothing loaded" in result.stderr and "line " in result.stderr
    result = runner.invoke(cli, ["lists", "--json"], env=env)
    versions = json.loads(result.stdout)["versions"]
    assert [(v["dataset"], v["version"]) for v in versions] == [
        ("un_sc_sanctions", 1),
        ("un_sc_sanctions", 2),
    ]
    result = runner.invoke(cli, ["lists"], env=env)
    assert "un_sc_sanctions v2" in result.output
    result = runner.invoke(cli, ["lists", "diff", versions[0]["id"], versions[1]["id"]], env=env)
    assert result.exit_code == 0, result.output
    assert "~ un-6908555" in result.output and "- un-6908629" in result.output
    result = runner.invoke(cli, ["lists", "diff", versions[0]["id"], "nope"], env=env)
    assert result.exit_code == 1 and "not found" in result.stderr


def test_aml_commands(system: System, env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["aml", "score", "Vladimir Putin", "Владимир Путин"])
    assert result.exit_code == 0 and 0.7 <= float(result.stdout) <= 1.0
    result = runner.invoke(
        cli, ["aml", "score", "Siemens AG", "Siemens Aktiengesellschaft", "--schema", "Company"]
    )
    assert float(result.stdout) >= 0.7
    result = runner.invoke(cli, ["aml", "score", "a", "b", "--schema", "Planet"])
    assert result.exit_code == 2
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        'John Smith,John Gruber\n"Acme, Inc.",ACME Incorporated,Company\nXi Jinping,习近平,Person\n'
    )
    result = runner.invoke(cli, ["aml", "score", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    rows = [line.rsplit(",", 1) for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == [
        "John Smith,John Gruber",
        '"Acme, Inc.",ACME Incorporated',
        "Xi Jinping,习近平",
    ]
    assert float(rows[0][1]) < 0.7 <= float(rows[1][1]) and float(rows[2][1]) >= 0.7
    runner.invoke(cli, ["lists", "load", str(FIXTURES / "eu.xml"), "--source", "eu"], env=env)
    args = [
        "aml",
        "screen",
        "--name",
        "Vladimir Putin",
        "--birth-date",
        "1952-10-07",
        "--country",
        "RUS",
        "--json",
    ]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["total_hits"] == 1 and answer["action_required"] is True
    hit = answer["hits"][0]
    assert hit["entity_id"] == "eu-13" and hit["info"]["birth_date"] == "1952-10-07"
    assert set(hit["features"]) == {"name", "birth_date", "country"}
