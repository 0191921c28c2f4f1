"""The sweep: what it asks for again (stalled checks, due webhooks) and what it leaves alone.

The queue is a real SQLite Huey queue with no consumer, so the test sees exactly which
messages the sweep wrote, then runs them itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_settings, new_app
from tests.helpers import init_session, last_code, step_ids
from tests.servers import Receiver, http_receiver, wait_for

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.models import Delivery, Step
from openkyc.settings import Settings
from openkyc.worker.sweep import Sweeper, sweep

Headers = dict[str, str]


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


def queued(system: System) -> list[tuple[str, tuple[Any, ...]]]:
    return [(task.name, tuple(task.args)) for task in system.huey.pending()]


def run_queue(system: System) -> int:
    """Run every queued message, as a consumer would; return how many ran."""
    count = 0
    while (task := system.huey.dequeue()) is not None:
        system.huey.execute(task)
        count += 1
    return count


def submitted_email_step(client: TestClient, system: System, api_key: str) -> str:
    """An EMAIL step whose code was verified: PENDING_VERIFICATION, its check enqueued."""
    session_id = init_session(client, api_key)
    step_id = step_ids(client, api_key, session_id)["EMAIL"]
    headers = {"Session-Id": session_id}
    sent = client.post(
        f"/v3/email/send?step_id={step_id}", json={"email": "jo@example.com"}, headers=headers
    )
    assert sent.status_code == 200, sent.text
    email = system.runtime.ports.email
    assert isinstance(email, MemoryMessenger)
    verified = client.post(
        f"/v3/email/verify?step_id={step_id}", json={"code": last_code(email)}, headers=headers
    )
    assert verified.status_code == 200, verified.text
    return step_id


def set_step(system: System, step_id: str, **values: Any) -> None:
    with system.runtime.transaction() as ctx:
        step = ctx.db.get(Step, step_id)
        assert step is not None
        for name, value in values.items():
            setattr(step, name, value)


def read_step(system: System, step_id: str) -> Step:
    with system.runtime.transaction(readonly=True) as ctx:
        step = ctx.db.get(Step, step_id)
        assert step is not None
        return step


def test_stalled_checks_are_enqueued_again_and_reviewer_steps_are_not(
    client: TestClient, system: System
) -> None:
    key = new_app(system, flow=["EMAIL"])["api_key"]
    stalled, fresh, for_review, flagged, decided = (
        submitted_email_step(client, system, key) for _ in range(5)
    )
    system.huey.flush()  # every message is lost
    hour_ago = read_step(system, stalled).check_enqueued_at - timedelta(hours=1)  # type: ignore[operator]
    set_step(system, stalled, check_enqueued_at=hour_ago)
    # Waiting for a reviewer: as submit() leaves a step that has no check ...
    set_step(system, for_review, needs_review=True, check_enqueued_at=None)
    # ... and as a check answering "review" leaves one (even with a stale enqueue time).
    set_step(system, flagged, needs_review=True, check_enqueued_at=hour_ago)
    # Decided already, whatever its enqueue time says.
    set_step(system, decided, status="APPROVED", check_enqueued_at=hour_ago)

    assert sweep(system.runtime) == {"steps": 1, "deliveries": 0}
    assert queued(system) == [("step.check", (stalled,))]
    # The sweep took a fresh lease: a second sweep right after asks for nothing.
    assert read_step(system, stalled).check_enqueued_at > hour_ago  # type: ignore[operator]
    assert sweep(system.runtime) == {"steps": 0, "deliveries": 0}

    assert run_queue(system) == 1
    assert read_step(system, stalled).status == "APPROVED"
    assert read_step(system, stalled).check_enqueued_at is None
    for step_id in (fresh, for_review, flagged):
        assert read_step(system, step_id).status == "PENDING_VERIFICATION"

    # With no grace at all, the fresh one is stale too; reviewer steps still are not.
    eager = build_system(
        system.runtime.ports.settings.model_copy(update={"sweep_stale_seconds": 0})
    )
    try:
        assert sweep(eager.runtime)["steps"] == 1
    finally:
        eager.runtime.engine.dispose()
    assert queued(system) == [("step.check", (fresh,))]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


def test_due_deliveries_are_sent_again(
    client: TestClient, system: System, admin_headers: Headers, receiver: Receiver
) -> None:
    tenant = new_app(system)
    app_id = tenant["app_id"]
    created = client.post(
        f"/admin/apps/{app_id}/webhooks", json={"url": receiver.url}, headers=admin_headers
    )
    assert created.status_code == 201, created.text
    for _ in range(3):
        session_id = init_session(client, tenant["api_key"])
        reset = client.post(
            f"/admin/apps/{app_id}/sessions/{session_id}/reset", headers=admin_headers
        )
        assert reset.status_code == 200, reset.text
    system.huey.flush()  # the messages are lost; the rows are not
    with system.runtime.transaction() as ctx:
        due, later, done = ctx.db.query(Delivery).order_by(Delivery.created_at).all()
        due.next_attempt_at = ctx.now - timedelta(minutes=5)
        later.next_attempt_at = ctx.now + timedelta(hours=1)  # a retry not due yet
        done.status, done.next_attempt_at = "delivered", None
        due_id = due.id

    assert sweep(system.runtime) == {"steps": 0, "deliveries": 1}
    assert queued(system) == [("webhook.deliver", (due_id,))]
    assert run_queue(system) == 1
    assert [r.headers["x-openkyc-delivery"] for r in receiver.requests] == [due_id]
    with system.runtime.transaction(readonly=True) as ctx:
        row = ctx.db.get(Delivery, due_id)
        assert row is not None and row.status == "delivered"
    assert sweep(system.runtime) == {"steps": 0, "deliveries": 0}


def test_the_sweeper_thread_sweeps_periodically(client: TestClient, system: System) -> None:
    key = new_app(system, flow=["EMAIL"])["api_key"]
    step_id = submitted_email_step(client, system, key)
    system.huey.flush()
    eager = build_system(
        system.runtime.ports.settings.model_copy(update={"sweep_stale_seconds": 0})
    )
    sweeper = Sweeper(eager.runtime, interval=0.05)
    sweeper.start()
    try:
        wait_for(lambda: queued(system) != [], "the sweeper to enqueue the step", deadline=10)
    finally:
        sweeper.stop()
        sweeper.join(5)
        eager.runtime.engine.dispose()
    assert not sweeper.is_alive()
    assert ("step.check", (step_id,)) in queued(system)
