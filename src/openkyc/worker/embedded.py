"""Consumer threads inside the server process (the embedded default)."""

from __future__ import annotations

import threading
from typing import Any

from huey import Huey
from huey.consumer import Consumer, Worker
from huey.signals import SIGNAL_ENQUEUED

# After a wake-up or a task, the queue is polled again after FIRST_DELAY, then less and less
# often (x BACKOFF) down to one poll per MAX_DELAY. A task enqueued in this process wakes a
# worker at once, so MAX_DELAY only bounds the wait for tasks enqueued by other processes
# (another `--workers` process, the CLI); idle polls cost the request threads the GIL.
FIRST_DELAY = 0.002
BACKOFF = 1.5
MAX_DELAY = 0.25


class _WakeableWorker(Worker):  # type: ignore[misc]
    """Huey's worker, whose idle sleep ends early when this process enqueues a task."""

    wake: threading.Event
    stop_flag: threading.Event
    delay: float
    default_delay: float
    max_delay: float
    backoff: float

    def sleep(self) -> None:
        if self.delay > self.max_delay:
            self.delay = self.max_delay
        if not self.wake.wait(self.delay):
            self.delay *= self.backoff
            return
        if not self.stop_flag.is_set():  # on stop, leave it set for the other workers
            self.wake.clear()
        # The signal fires just before the task is written: poll again soon, not only now.
        self.delay = self.default_delay


class _WakingConsumer(Consumer):  # type: ignore[misc]
    worker_class = _WakeableWorker

    def __init__(self, huey: Huey, wake: threading.Event, **options: Any) -> None:
        self.wake = wake  # read by _create_worker, which Consumer.__init__ calls
        super().__init__(huey, **options)

    def _create_worker(self) -> _WakeableWorker:
        worker: _WakeableWorker = super()._create_worker()
        worker.wake = self.wake
        return worker


class EmbeddedConsumer:
    """Huey's consumer, started without taking over the process's signal handlers
    (uvicorn owns those in `openkyc serve`)."""

    def __init__(self, huey: Huey, workers: int) -> None:
        self.huey = huey
        self.wake = threading.Event()
        self.consumer = _WakingConsumer(
            huey,
            self.wake,
            workers=workers,
            worker_type="thread",
            initial_delay=FIRST_DELAY,
            backoff=BACKOFF,
            max_delay=MAX_DELAY,
            periodic=False,
            check_worker_health=False,
        )

    def _enqueued(self, _signal: str, _task: Any) -> None:
        self.wake.set()

    def start(self) -> None:
        self.huey.signal(SIGNAL_ENQUEUED)(self._enqueued)
        self.consumer.scheduler.start()
        for _, thread in self.consumer.worker_threads:
            thread.start()

    def stop(self) -> None:
        self.huey.disconnect_signal(self._enqueued, SIGNAL_ENQUEUED)
        self.consumer.stop_flag.set()
        self.wake.set()  # idle workers see the stop flag now, not after their sleep
        self.consumer.stop(graceful=True)
