"""Consumer threads inside the server process (the embedded default)."""

from __future__ import annotations

from typing import Any

from huey import Huey


class EmbeddedConsumer:
    """Huey's consumer, started without taking over the process's signal handlers
    (uvicorn owns those in `openkyc serve`)."""

    def __init__(self, huey: Huey, workers: int) -> None:
        # Poll the SQLite queue quickly when idle: submit-to-decision stays in milliseconds.
        self.consumer: Any = huey.create_consumer(
            workers=workers,
            worker_type="thread",
            initial_delay=0.002,
            backoff=1.3,
            max_delay=0.02,
            periodic=False,
            check_worker_health=False,
        )

    def start(self) -> None:
        self.consumer.scheduler.start()
        for _, thread in self.consumer.worker_threads:
            thread.start()

    def stop(self) -> None:
        self.consumer.stop(graceful=True)
