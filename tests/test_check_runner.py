"""The check runner's three phases: no write transaction while a check runs, a result
dropped when the step moved on meanwhile, and a check that never finishes given up.

The queue is a real SQLite Huey queue with no consumer: the test runs each message itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_settings, new_app
from tests.test_sweep import queued, read_step, run_queue, set_step, submitted_email_step

from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.checks import registry
from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.domain.event import service as events
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.settings import Settings
from openkyc.worker.sweep import sweep


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, queue_url=f"sqlite:///{tmp_path}/queue.db")


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    system = build_system(settings)
    yield system
    system.runtime.engine.dispose()


@pytest.fixture
def client(settings: Settings, system: System) -> Iterator[TestClient]:
    with TestClient(create_app(settings, system, workers=False)) as test_client:
        yield test_client


class ReviewerMeanwhile:
    """While it runs, a reviewer approves the step (another writer, in its own transaction:
    it would wait for the job's write lock if the job held one)."""

    def __init__(self, system: System) -> None:
        self.system = system

    def run(self, data: CheckInput) -> CheckOutcome:
        with self.system.runtime.transaction(actor="reviewer") as ctx:
            step = steps_repo.get(ctx.db, data.app_id, self.step_id(ctx, data))
            assert step is not None
            steps.decide(ctx, step, "approve", None, None)
        return CheckOutcome(Decision.REJECT, "EMAIL_INVALID", {"checked": True})

    @staticmethod
    def step_id(ctx: Any, data: CheckInput) -> str:
        from openkyc.domain.session import repository as session_repo

        return next(s.id for s in session_repo.steps(ctx.db, data.session_id) if s.type == "EMAIL")


class Crashing:
    def run(self, data: CheckInput) -> CheckOutcome:
        raise RuntimeError("the engine fell over")


def test_a_running_check_blocks_no_writer_and_a_stale_result_is_dropped(
    client: TestClient, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.CHECKS, "EMAIL", ReviewerMeanwhile(system))
    key = new_app(system, flow=["EMAIL"])["api_key"]
    step_id = submitted_email_step(client, system, key)
    assert run_queue(system) == 1
    step = read_step(system, step_id)
    # The reviewer's approval stands; the check's rejection, computed before it, is dropped.
    assert (step.status, step.reason_code, step.evidence) == ("APPROVED", None, None)
    assert step.check_runs == 1


def test_a_check_that_always_fails_is_given_up_to_a_reviewer(
    client: TestClient, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.CHECKS, "EMAIL", Crashing())
    tenant = new_app(system, flow=["EMAIL"])
    step_id = submitted_email_step(client, system, tenant["api_key"])
    eager = build_system(
        system.runtime.ports.settings.model_copy(update={"sweep_stale_seconds": 0})
    )
    try:
        for number in (1, 2, 3):
            assert run_queue(system) == 1  # the check raises: huey logs it, the job ends
            step = read_step(system, step_id)
            assert (step.status, step.check_runs, step.needs_review) == (
                "PENDING_VERIFICATION",
                number,
                False,
            )
            # A second message for a run in flight (or dead) is left alone...
            system.runtime.ports.queue.check_step(step_id)
            assert run_queue(system) == 1 and read_step(system, step_id).check_runs == number
            # ... until the sweep finds its lease run out and asks again.
            assert sweep(eager.runtime)["steps"] == 1
        assert run_queue(system) == 1  # the fourth message gives up instead of running
        step = read_step(system, step_id)
        assert (step.status, step.needs_review, step.reason_code) == (
            "PENDING_VERIFICATION",
            True,
            "CHECK_FAILED",
        )
        assert step.check_enqueued_at is None and "3 runs" in (step.evidence or {})["error"]
        with system.runtime.transaction(readonly=True) as ctx:
            events_of = events.list_for_session(ctx, tenant["app_id"], step.session_id)
        kinds = [e.kind for e in events_of]
        assert kinds[-2:] == ["step.check_abandoned", "step.review_needed"]
        assert events_of[-2].data == {"runs": 3}
        # In a reviewer's hands now: the sweep asks for nothing more.
        assert sweep(eager.runtime) == {"steps": 0, "deliveries": 0}
        assert queued(system) == []
    finally:
        eager.runtime.engine.dispose()


def test_a_new_submission_gets_its_runs_afresh(
    client: TestClient, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.CHECKS, "EMAIL", Crashing())
    key = new_app(system, flow=["EMAIL"])["api_key"]
    step_id = submitted_email_step(client, system, key)
    assert run_queue(system) == 1
    assert read_step(system, step_id).check_runs == 1
    set_step(system, step_id, status="RESUBMISSION_REQUIRED")
    with system.runtime.transaction() as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None
        steps.submit(ctx, step, {"value": "jo@example.com"}, {})
    step = read_step(system, step_id)
    assert (step.check_runs, step.check_started_at, step.attempt_count) == (0, None, 2)


class WritesWhileRunning:
    """A bound check that writes through its binding while it runs (an event here)."""

    def __init__(self, ctx: Any = None) -> None:
        self.ctx = ctx

    def bind(self, ctx: Any) -> WritesWhileRunning:
        return WritesWhileRunning(ctx)

    def run(self, data: CheckInput) -> CheckOutcome:
        events.record(self.ctx, data.app_id, data.session_id, "check.wrote")
        self.ctx.db.flush()
        return CheckOutcome(Decision.APPROVE)


def test_a_check_that_writes_while_running_runs_in_the_record_transaction(
    client: TestClient, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.CHECKS, "EMAIL", WritesWhileRunning())
    monkeypatch.setattr(registry, "RUN_IN_TRANSACTION", {"EMAIL"})
    tenant = new_app(system, flow=["EMAIL"])
    step_id = submitted_email_step(client, system, tenant["api_key"])
    assert run_queue(system) == 1
    step = read_step(system, step_id)
    assert step.status == "APPROVED"
    with system.runtime.transaction(readonly=True) as ctx:
        kinds = [e.kind for e in events.list_for_session(ctx, tenant["app_id"], step.session_id)]
    assert "check.wrote" in kinds
