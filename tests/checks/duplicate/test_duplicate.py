"""DUPLICATE: the decision rule, the per-app index, and the check against a real database."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from tests.checks.face import images
from tests.conftest import new_app
from tests.helpers import init_session

from openkyc.bootstrap import System
from openkyc.checks.base import CheckInput, Decision
from openkyc.checks.duplicate.check import DuplicateCheck, decide
from openkyc.checks.duplicate.index import UsearchFaceIndex
from openkyc.checks.duplicate.lookup import normalise
from openkyc.checks.face.match import embedding_of
from openkyc.models import FaceEmbedding, IdentifierHash

FLOW = [{"type": "LIVENESS", "settings": {}}, {"type": "DUPLICATE", "settings": {}}]


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=128).astype(np.float32)
    return vector / np.linalg.norm(vector)


@pytest.mark.parametrize(
    ("evidence", "settings", "expected"),
    [
        ({"matches": []}, {}, (Decision.APPROVE, None)),
        ({"matches": [{"similarity_score": 0.95}]}, {}, (Decision.REJECT, "DUPLICATE_USER")),
        (
            {"matches": [{"similarity_score": 0.95}]},
            {"on_duplicate": "review"},
            (Decision.REVIEW, "DUPLICATE_USER"),
        ),
        ({"matches": [{"similarity_score": 0.90}]}, {}, (Decision.REVIEW, "DUPLICATE_USER")),
        ({"matches": [{"similarity_score": 0.80}]}, {}, (Decision.APPROVE, None)),
        ({"matches": [{"similarity_score": 0.95}]}, {"threshold": 0.99}, (Decision.APPROVE, None)),
        (
            {"matches": [], "identifier_matches": [{"kind": "phone", "session_id": "s"}]},
            {},
            (Decision.REJECT, "DUPLICATE_USER"),
        ),
    ],
)
def test_decide(
    evidence: dict[str, Any], settings: dict[str, Any], expected: tuple[Any, Any]
) -> None:
    outcome = decide(evidence, settings)
    assert (outcome.decision, outcome.reason_code) == expected


def test_the_index_keeps_apps_apart() -> None:
    index = UsearchFaceIndex()
    index.add("app-a", np.array([1, 2], dtype=np.uint64), np.stack([unit(1), unit(2)]))
    index.add("app-b", np.array([3], dtype=np.uint64), np.stack([unit(3)]))
    assert index.search("app-a", unit(1), 5)[0][0] == 1
    assert [k for k, _ in index.search("app-b", unit(1), 5)] == [3]
    assert index.search("app-c", unit(1), 5) == []
    assert index.last_key("app-a") == 2 and index.last_key("app-b") == 3
    index.add("app-a", np.array([2], dtype=np.uint64), np.stack([unit(2)]))  # already there
    assert index.size("app-a") == 2
    index.remove("app-a", [1])
    assert [k for k, _ in index.search("app-a", unit(1), 5)] == [2]


def test_identifiers_are_normalised_before_hashing() -> None:
    assert normalise("phone", "+33 6 86 52 17 48") == normalise("phone", "+33686521748")
    assert normalise("email", " Jane@Example.COM ") == "jane@example.com"
    assert normalise("document", "60rf 00811|fra") == "60RF00811|FRA"


def new_session(client: TestClient, api_key: str, alias: str) -> str:
    return init_session(client, api_key, alias)


def duplicate_input(app_id: str, session_id: str, face: bytes) -> CheckInput:
    return CheckInput(
        step_type="DUPLICATE",
        settings={},
        submission={},
        sandbox=False,
        session_files={"LIVENESS:liveness": lambda: face},
        session_id=session_id,
        app_id=app_id,
    )


def run_only(system: System, data: CheckInput) -> tuple[DuplicateCheck, Any]:
    """As the job runs it: bound to a read-only view while it computes."""
    with system.runtime.transaction(readonly=True) as view:
        check = DuplicateCheck().bind(view)
        return check, check.run(data)


def run_duplicate(system: System, app_id: str, session_id: str, face: bytes) -> Any:
    """Run, then record (compared again, enrolled) in a transaction of its own."""
    check, outcome = run_only(system, duplicate_input(app_id, session_id, face))
    with system.runtime.transaction() as ctx:
        return check.record(ctx, outcome)


def test_two_sessions_checked_at_once_still_find_each_other(
    client: TestClient, system: System
) -> None:
    tenant = new_app(system, "a", flow=FLOW)
    app = tenant["app_id"]
    first = new_session(client, tenant["api_key"], "first")
    second = new_session(client, tenant["api_key"], "second")
    face = images.jpeg(images.astronaut())
    ran = [run_only(system, duplicate_input(app, s, face)) for s in (first, second)]
    assert [outcome.decision for _, outcome in ran] == [Decision.APPROVE] * 2  # unenrolled
    recorded = []
    for check, outcome in ran:  # one after the other, as the write transactions go
        with system.runtime.transaction() as ctx:
            recorded.append(check.record(ctx, outcome))
    assert recorded[0].decision is Decision.APPROVE
    assert (recorded[1].decision, recorded[1].reason_code) == (Decision.REJECT, "DUPLICATE_USER")
    assert recorded[1].evidence["matches"][0]["session_id"] == first


def test_same_face_is_found_in_the_same_app_only(client: TestClient, system: System) -> None:
    a, b = new_app(system, "a", flow=FLOW), new_app(system, "b", flow=FLOW)
    app_a, app_b = a["app_id"], b["app_id"]
    first = new_session(client, a["api_key"], "first")
    again = new_session(client, a["api_key"], "again")
    elsewhere = new_session(client, b["api_key"], "elsewhere")
    stranger = new_session(client, a["api_key"], "stranger")
    astronaut = images.jpeg(images.astronaut())
    mirrored = images.jpeg(images.variants(images.astronaut())["mirrored"])

    assert run_duplicate(system, app_a, first, astronaut).decision is Decision.APPROVE
    found = run_duplicate(system, app_a, again, mirrored)
    assert (found.decision, found.reason_code) == (Decision.REJECT, "DUPLICATE_USER")
    assert found.evidence["matches"][0]["session_id"] == first
    assert found.evidence["matches"][0]["similarity_score"] >= 0.91
    # the score is the float32 cosine, not the 8-bit index's approximation of it
    stored, asked = embedding_of(astronaut), embedding_of(mirrored)
    assert stored is not None and asked is not None
    exact = float(np.dot(stored, asked))
    assert found.evidence["matches"][0]["similarity_score"] == round(exact, 4)
    assert run_duplicate(system, app_b, elsewhere, mirrored).evidence["matches"] == []
    other = run_duplicate(system, app_a, stranger, images.jpeg(images.hopper()))
    assert other.decision is Decision.APPROVE, other.evidence

    with system.runtime.transaction(readonly=True) as ctx:
        rows = ctx.db.query(FaceEmbedding).all()
        assert {r.app_id for r in rows} == {app_a, app_b} and len(rows) == 4
        assert all(len(r.vector) > 128 * 4 for r in rows)  # sealed, not raw floats


def test_a_fresh_process_rebuilds_its_index_from_the_database(
    client: TestClient, system: System
) -> None:
    tenant = new_app(system, "a", flow=FLOW)
    app = tenant["app_id"]
    first = new_session(client, tenant["api_key"], "first")
    second = new_session(client, tenant["api_key"], "second")
    run_duplicate(system, app, first, images.jpeg(images.astronaut()))
    system.runtime.ports.faces = UsearchFaceIndex()  # what another worker starts with
    found = run_duplicate(system, app, second, images.jpeg(images.astronaut()))
    assert found.decision is Decision.REJECT
    assert system.runtime.ports.faces.last_key(app) > 0


def test_a_rerun_replaces_the_enrolment(client: TestClient, system: System) -> None:
    tenant = new_app(system, "a", flow=FLOW)
    app = tenant["app_id"]
    first = new_session(client, tenant["api_key"], "first")
    second = new_session(client, tenant["api_key"], "second")
    run_duplicate(system, app, first, images.jpeg(images.astronaut()))
    run_duplicate(system, app, first, images.jpeg(images.hopper()))  # the check ran again
    with system.runtime.transaction(readonly=True) as ctx:
        assert ctx.db.query(FaceEmbedding).filter_by(session_id=first).count() == 1
    found = run_duplicate(system, app, second, images.jpeg(images.astronaut()))
    assert found.decision is Decision.APPROVE, found.evidence  # the old key is gone


def test_no_face_still_compares_identifiers(client: TestClient, system: System) -> None:
    tenant = new_app(system, "a", flow=FLOW)
    app = tenant["app_id"]
    session = new_session(client, tenant["api_key"], "first")
    outcome = run_duplicate(system, app, session, images.jpeg(images.cat()))
    assert outcome.decision is Decision.APPROVE
    assert outcome.evidence["face_found"] is False and "face" not in outcome.files
    with system.runtime.transaction(readonly=True) as ctx:
        assert ctx.db.query(IdentifierHash).count() == 0


def declare(
    system: System,
    session_id: str,
    step_type: str,
    submission: dict[str, Any],
    evidence: dict[str, Any] | None = None,
) -> None:
    """Stands in for a PHONE / EMAIL / ID_DOCUMENT step the applicant passed."""
    with system.runtime.transaction() as ctx:
        from openkyc.domain.session import repository as session_repo

        step = next(s for s in session_repo.steps(ctx.db, session_id) if s.type == step_type)
        step.submission = ctx.ports.crypto.encrypt_json(submission)
        step.status, step.evidence = "APPROVED", evidence


def test_shared_identifiers_are_duplicates_through_keyed_hashes(
    client: TestClient, system: System
) -> None:
    flow = [*FLOW, {"type": "PHONE", "settings": {}}, {"type": "ID_DOCUMENT", "settings": {}}]
    a, b = new_app(system, "a", flow=flow), new_app(system, "b", flow=flow)
    first = new_session(client, a["api_key"], "first")
    second = new_session(client, a["api_key"], "second")
    elsewhere = new_session(client, b["api_key"], "elsewhere")
    for session in (first, second, elsewhere):
        declare(system, session, "PHONE", {"number": "+33686521748"})
    declare(
        system,
        first,
        "ID_DOCUMENT",
        {"country": "FRA"},
        {"fields": {"document_number": "60RF00811"}},
    )
    declare(
        system,
        second,
        "ID_DOCUMENT",
        {"country": "FRA"},
        {"fields": {"document_number": "60rf 00811"}},
    )
    no_face = images.jpeg(images.cat())
    assert run_duplicate(system, a["app_id"], first, no_face).decision is Decision.APPROVE
    found = run_duplicate(system, a["app_id"], second, no_face)
    assert (found.decision, found.reason_code) == (Decision.REJECT, "DUPLICATE_USER")
    assert sorted(m["kind"] for m in found.evidence["identifier_matches"]) == ["document", "phone"]
    assert {m["session_id"] for m in found.evidence["identifier_matches"]} == {first}
    assert run_duplicate(system, b["app_id"], elsewhere, no_face).decision is Decision.APPROVE
    with system.runtime.transaction(readonly=True) as ctx:
        stored = [r.value_hash for r in ctx.db.query(IdentifierHash).all()]
    assert len(stored) == 5 and not any("686521748" in h or "60RF" in h for h in stored)
