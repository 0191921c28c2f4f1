"""The periodic sweep: re-enqueue steps whose check never finished and webhooks that are due.

A lost message, a killed worker or a crash between commit and enqueue all end here:
the step is still PENDING_VERIFICATION in the database, so it is simply asked for again.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from functools import partial

from openkyc.domain.context import Runtime
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.webhook import repository as webhooks_repo
from openkyc.kit.clock import utcnow

log = logging.getLogger(__name__)


def sweep(runtime: Runtime) -> dict[str, int]:
    settings = runtime.ports.settings
    queue = runtime.ports.queue
    with runtime.transaction(actor="sweep") as ctx:
        cutoff = ctx.now - timedelta(seconds=settings.sweep_stale_seconds)
        stale = list(steps_repo.stale_checks(ctx.db, cutoff))
        for step_id in stale:
            step = steps_repo.get(ctx.db, None, step_id)
            if step is not None:
                step.check_enqueued_at = ctx.now  # a fresh lease before asking again
                ctx.after_commit(partial(queue.check_step, step_id))
        due = list(webhooks_repo.due_deliveries(ctx.db, utcnow()))
        for delivery_id in due:
            ctx.after_commit(partial(queue.deliver_webhook, delivery_id))
    if stale or due:
        log.info("sweep re-enqueued %d steps and %d webhook deliveries", len(stale), len(due))
    return {"steps": len(stale), "deliveries": len(due)}


class Sweeper(threading.Thread):
    def __init__(self, runtime: Runtime, interval: float) -> None:
        super().__init__(name="openkyc-sweep", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                sweep(self.runtime)
            except Exception:
                log.exception("sweep failed")

    def stop(self) -> None:
        self.stopped.set()
