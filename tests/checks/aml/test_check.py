"""The AML check's own logic, with a fake screening port: where customer_info comes from,
and how hits and settings decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openkyc.checks.aml.check import AmlCheck
from openkyc.checks.aml.match import Query
from openkyc.checks.base import CheckInput, Decision

HIT = {
    "fields": [],
    "aliases": ["Ivan Drago"],
    "media": [],
    "info": {"full_name": "Ivan Drago", "birth_date": "1961", "nationality": "Russia"},
    "type": ["SANCTION"],
    "hit_id": "h1",
    "entity_id": "drago",
    "dataset": "ftm",
    "score": 0.9,
    "features": {"name": {"score": 0.9, "detail": "ivan~ivan 1.00"}},
}


@dataclass
class FakePort:
    kind: str = "person"
    data: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    hits: list[dict[str, Any]] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    monitored: list[Query] = field(default_factory=list)
    still_open: list[dict[str, Any]] | None = None  # what `keep` finds at record time

    def declared(self) -> tuple[str, dict[str, Any]]:
        return self.kind, self.data

    def app_settings(self) -> dict[str, Any]:
        return self.settings

    def screen(self, query: Query, threshold: float) -> list[dict[str, Any]]:
        self.queries.append(query)
        return self.hits

    def monitor(self, query: Query) -> None:
        self.monitored.append(query)

    def lists(self) -> list[str]:
        return ["ftm v1"]

    def keep(self, ctx: Any) -> list[dict[str, Any]]:
        return self.still_open if self.still_open is not None else self.hits


def run(port: FakePort, evidence: dict[str, Any] | None = None, **settings: Any) -> Any:
    data = CheckInput(
        step_type="AML",
        settings=settings,
        submission={"automatic": True},
        sandbox=False,
        session_evidence={"ID_DOCUMENT": evidence} if evidence is not None else {},
    )
    return AmlCheck(port).run(data)


def test_the_id_document_fields_are_screened() -> None:
    port = FakePort()
    fields = {
        "firstname": "IVAN",
        "lastname": "DRAGO",
        "birth_date": "1961-05-20",
        "nationality": "RUS",
    }
    outcome = run(port, {"fields": fields})
    assert outcome.decision is Decision.APPROVE
    [query] = port.queries
    assert query.names == ("IVAN DRAGO",) and query.family == frozenset({"drago"})
    assert (query.birth_dates, query.countries) == (("1961-05-20",), ("ru",))
    assert outcome.evidence["customer_info"]["lastname"] == "DRAGO"
    assert outcome.evidence["lists"] == ["ftm v1"] and port.monitored == []


def test_declared_data_without_an_id_document() -> None:
    port = FakePort(kind="business", data={"legal_name": "Acme Trading LLC", "country": "AE"})
    run(port)
    assert port.queries[0].schema == "Company" and port.queries[0].names == ("Acme Trading LLC",)
    person = FakePort(data={"first_name": "Ivan", "last_name": "Drago", "birth_date": "1961-05-20"})
    run(person)
    assert person.queries[0].names == ("Ivan Drago",)


def test_hits_wait_for_a_reviewer_or_reject_when_decisions_are_automatic() -> None:
    waiting = run(FakePort(hits=[HIT]), {"fields": {"firstname": "Ivan", "lastname": "Drago"}})
    assert (waiting.decision, waiting.reason_code) == (Decision.REVIEW, "AML_MATCH")
    assert waiting.evidence["action_required"] is True and waiting.evidence["total_hits"] == 1
    assert set(waiting.evidence["hits"][0]) == {"fields", "aliases", "media", "info", "type"}
    assert waiting.evidence["matches"][0]["features"]["name"]["score"] == 0.9
    port = FakePort(hits=[HIT], settings={"automatic_decisions": True, "monitoring": True})
    rejected = run(port, {"fields": {"firstname": "Ivan", "lastname": "Drago"}})
    assert rejected.decision is Decision.REJECT
    assert rejected.evidence["monitored"] is True and len(port.monitored) == 1


def test_step_settings_override_the_app_and_nothing_to_screen_goes_to_review() -> None:
    port = FakePort(hits=[HIT], settings={"automatic_decisions": True})
    outcome = run(
        port, {"fields": {"firstname": "Ivan", "lastname": "Drago"}}, automatic_decisions=False
    )
    assert outcome.decision is Decision.REVIEW
    empty = run(FakePort(), {"fields": {}})
    assert empty.decision is Decision.REVIEW and empty.evidence["error"] == "no name to screen"


def test_the_record_phase_decides_on_the_hits_still_standing() -> None:
    data = CheckInput(
        step_type="AML",
        settings={},
        submission={"automatic": True},
        sandbox=False,
        session_evidence={"ID_DOCUMENT": {"fields": {"firstname": "IVAN", "lastname": "DRAGO"}}},
    )
    found = {**HIT, "hit_id": None}  # found while running, not stored yet
    port = FakePort(hits=[found], still_open=[HIT])
    check = AmlCheck(port)
    ran = check.run(data)
    assert ran.decision is Decision.REVIEW and ran.evidence["matches"][0]["hit_id"] is None
    kept = check.record(None, ran)  # type: ignore[arg-type]  # the fake port needs no context
    assert kept.decision is Decision.REVIEW and kept.reason_code == "AML_MATCH"
    assert kept.evidence["matches"][0]["hit_id"] == "h1"
    assert kept.evidence["lists"] == ["ftm v1"]
    # A reviewer cleared the entity while the check ran: nothing stands, approved.
    port = FakePort(hits=[found], still_open=[])
    check = AmlCheck(port)
    cleared = check.record(None, check.run(data))  # type: ignore[arg-type]
    assert (cleared.decision, cleared.reason_code) == (Decision.APPROVE, None)
    assert (cleared.evidence["total_hits"], cleared.evidence["action_required"]) == (0, False)
