"""A killed worker or a lost queue message loses nothing: the sweep asks for the step again.

Real processes on a real Redis queue: the worker is `openkyc worker`'s own consumer
(`run_worker`) in a subprocess whose EMAIL check is made slow, so that it can be
SIGKILLed while the job runs. The database is the one the tests use (SQLite or
PostgreSQL), shared with the subprocess.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_settings, new_app
from tests.helpers import init_session, last_code, step_ids
from tests.servers import wait_for

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.domain.session import repository as sessions_repo
from openkyc.domain.step import repository as steps_repo
from openkyc.settings import Settings
from openkyc.worker.queue import build_huey
from openkyc.worker.sweep import sweep

# The worker: `openkyc worker` with the EMAIL check replaced by one that leaves a line in
# a marker file (so the test knows the job is running) and then takes `delay` seconds.
WORKER = textwrap.dedent(
    """
    import pathlib, sys, time
    from openkyc.checks import registry
    from openkyc.checks.email.check import EmailCheck
    from openkyc.settings import Settings
    from openkyc.worker.consumer import run_worker

    marker, delay = pathlib.Path(sys.argv[1]), float(sys.argv[2])

    class SlowEmailCheck:
        def run(self, data):
            with marker.open("a") as handle:
                handle.write("running\\n")
            time.sleep(delay)
            return EmailCheck().run(data)

    registry.CHECKS["EMAIL"] = SlowEmailCheck()
    run_worker(Settings(), threads=1)
    """
)
# How long a worker process may take to start and do its job before the test fails (a
# deadline, not a pause: generous because a loaded CI machine starts Python slowly).
STARTUP = 90.0


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A queue of this test's own on the local Redis (other runs may share the server)."""
    url = f"redis://127.0.0.1:6379/15?queue=openkyc-test-{uuid.uuid4().hex}"
    huey = build_huey(url)
    yield url
    huey.flush()
    huey.storage.conn.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Settings:
    # The worker's own periodic sweep is pushed far away: here the test runs the sweep.
    return make_settings(tmp_path, database_url, queue_url=redis_url, sweep_interval_seconds=3600)


@pytest.fixture
def start_worker(
    settings: Settings, tmp_path: Path
) -> Iterator[Callable[[float], subprocess.Popen[bytes]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENKYC_")}
    env.update(
        OPENKYC_DATABASE_URL=settings.database_url,
        OPENKYC_QUEUE_URL=settings.queue_url,
        OPENKYC_STORAGE_URL=settings.storage_url,
        OPENKYC_SECRET_KEY=settings.secret_key,
        OPENKYC_EMAIL_URL="console://",
        OPENKYC_SMS_URL="console://",
        OPENKYC_SWEEP_INTERVAL_SECONDS=str(settings.sweep_interval_seconds),
        OPENKYC_LOG_LEVEL="WARNING",
    )
    started: list[subprocess.Popen[bytes]] = []

    def start(delay: float) -> subprocess.Popen[bytes]:
        marker = tmp_path / "check-runs.txt"
        process = subprocess.Popen([sys.executable, "-c", WORKER, str(marker), str(delay)], env=env)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def runs(tmp_path: Path) -> int:
    marker = tmp_path / "check-runs.txt"
    return len(marker.read_text().splitlines()) if marker.exists() else 0


def submit_email(client: TestClient, system: System) -> tuple[str, str]:
    """A session whose only step is EMAIL, its code verified: a check job is on the queue."""
    key = new_app(system, flow=["EMAIL"])["api_key"]
    session_id = init_session(client, key)
    step_id = step_ids(client, key, session_id)["EMAIL"]
    headers = {"Session-Id": session_id}
    response = client.post(
        f"/v3/email/send?step_id={step_id}", json={"email": "jane@example.com"}, headers=headers
    )
    assert response.status_code == 200, response.text
    email = system.runtime.ports.email
    assert isinstance(email, MemoryMessenger)
    response = client.post(
        f"/v3/email/verify?step_id={step_id}", json={"code": last_code(email)}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "PENDING_VERIFICATION"
    return session_id, step_id


def step_status(system: System, step_id: str) -> str:
    with system.runtime.transaction(readonly=True) as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None
        return step.status


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    system = build_system(settings)
    yield system
    system.runtime.engine.dispose()


@pytest.fixture
def client(settings: Settings, system: System) -> Iterator[TestClient]:
    with TestClient(create_app(settings, system, workers=False)) as test_client:
        yield test_client


def eager_sweep(settings: Settings) -> dict[str, int]:
    """One sweep that treats every enqueued check as stale (no waiting in tests)."""
    eager = build_system(settings.model_copy(update={"sweep_stale_seconds": 0}))
    try:
        return sweep(eager.runtime)
    finally:
        eager.runtime.engine.dispose()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # SIGTERM: the consumer stops at once and exits cleanly
    assert process.wait(timeout=10) == 0


def test_a_worker_killed_mid_check_loses_nothing(
    client: TestClient,
    system: System,
    settings: Settings,
    start_worker: Callable[[float], subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    doomed = start_worker(60)  # its check would take a minute
    _, step_id = submit_email(client, system)
    wait_for(lambda: runs(tmp_path) == 1, "the slow check to start", STARTUP)
    # The running check holds no lock, but a lease: the sweep leaves the step alone
    # until it runs out (sweep_stale_seconds after the run started).
    assert sweep(system.runtime)["steps"] == 0
    doomed.kill()
    assert doomed.wait(timeout=10) == -signal.SIGKILL
    fresh = start_worker(0)  # starting up while the test looks around

    # The job died with the worker: nothing on the queue, the step still waits.
    assert system.huey.pending_count() == 0
    assert step_status(system, step_id) == "PENDING_VERIFICATION"

    assert eager_sweep(settings) == {"steps": 1, "deliveries": 0}
    assert system.huey.pending_count() in (0, 1)  # the fresh worker may have taken it
    wait_for(lambda: step_status(system, step_id) == "APPROVED", "approval", STARTUP)
    assert runs(tmp_path) == 2  # the check ran again from the stored submission
    with system.runtime.transaction(readonly=True) as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None and step.check_runs == 2  # the killed run counts
    stop(fresh)


def test_a_message_lost_before_any_worker_took_it_is_recovered(
    client: TestClient,
    system: System,
    settings: Settings,
    start_worker: Callable[[float], subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    session_id, step_id = submit_email(client, system)
    assert system.huey.pending_count() == 1
    system.huey.flush()  # the queue loses the message (Redis restarted without persistence)

    worker = start_worker(0)
    # A fresh enqueue is not stale yet: the sweep leaves it alone.
    assert sweep(system.runtime) == {"steps": 0, "deliveries": 0}
    assert eager_sweep(settings) == {"steps": 1, "deliveries": 0}
    wait_for(lambda: step_status(system, step_id) == "APPROVED", "approval", STARTUP)
    assert runs(tmp_path) == 1
    stop(worker)
    with system.runtime.transaction(readonly=True) as ctx:
        session = sessions_repo.get_any(ctx.db, session_id)
    assert session is not None and session.status == "APPROVED"


def test_the_redis_queue_url_may_name_its_queue() -> None:
    named = build_huey("redis://127.0.0.1:6379/15?queue=staging&socket_timeout=5")
    default = build_huey("redis://127.0.0.1:6379/15")
    try:
        assert named.storage.queue_key == "huey.redis.staging"
        assert default.storage.queue_key == "huey.redis.openkyc"
        # Redis' own options still reach the connection.
        assert named.storage.pool.connection_kwargs["socket_timeout"] == 5
        assert named.storage.pool.connection_kwargs["db"] == 15
    finally:
        named.storage.conn.close()
        default.storage.conn.close()
