"""`openkyc worker`: job consumers in their own process (for a Redis queue, on any machine).

Kept apart from the CLI so that anything can run the very same consumer: a test that
registers a slow check first, or an operator's own process supervisor.
"""

from __future__ import annotations

from openkyc.bootstrap import build_system
from openkyc.settings import Settings
from openkyc.worker.sweep import Sweeper


def run_worker(settings: Settings, threads: int | None = None) -> None:
    """Consume jobs until SIGINT (finish running jobs) or SIGTERM (stop at once).

    A job cut short by SIGTERM or SIGKILL is not lost: its step is still pending in the
    database and the sweep (which also runs here) asks for it again.
    """
    system = build_system(settings)
    sweeper = Sweeper(system.runtime, settings.sweep_interval_seconds)
    sweeper.start()
    consumer = system.huey.create_consumer(
        workers=threads or settings.worker_threads,
        worker_type="thread",
        periodic=False,
        initial_delay=0.01,
        backoff=1.3,
        max_delay=0.1,
    )
    try:
        consumer.run()
    finally:
        sweeper.stop()
        system.runtime.engine.dispose()
