"""The periodic sweep: re-enqueue steps whose check never finished and webhooks that are due.

A lost message, a killed worker or a crash between commit and enqueue all end here:
the step is still PENDING_VERIFICATION in the database, so it is simply asked for again
(a check that kills its worker every time is given up after `check_max_runs` runs: see
checks/runner.py).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from openkyc.domain.context import Runtime
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step.schemas import StepStatus
from openkyc.domain.webhook import repository as webhooks_repo
from openkyc.kit.clock import as_utc
from openkyc.models import Step

log = logging.getLogger(__name__)


def sweep(runtime: Runtime) -> dict[str, int]:
    settings = runtime.ports.settings
    queue = runtime.ports.queue
    with runtime.transaction(actor="sweep") as ctx:
        cutoff = ctx.now - timedelta(seconds=settings.sweep_stale_seconds)
        stale = [
            step_id
            for step_id in steps_repo.stale_checks(ctx.db, cutoff)
            if _lease_again(ctx.db, step_id, cutoff, ctx.now)
        ]
        for step_id in stale:
            ctx.after_commit(partial(queue.check_step, step_id))
        due = list(webhooks_repo.due_deliveries(ctx.db, ctx.now))
        for delivery_id in due:
            ctx.after_commit(partial(queue.deliver_webhook, delivery_id))
    if stale or due:
        log.info("sweep re-enqueued %d steps and %d webhook deliveries", len(stale), len(due))
    return {"steps": len(stale), "deliveries": len(due)}


def _lease_again(db: Session, step_id: str, cutoff: datetime, now: datetime) -> bool:
    """Take a fresh lease on a stalled step; False when it moved on meanwhile.

    A worker running a check holds no lock, only the lease its claim took (the enqueue
    time moved to the run's start): a run younger than the cutoff is left alone. On
    PostgreSQL a row locked right now is being claimed or recorded by a worker: it is
    skipped, not waited for.
    """
    step = db.get(Step, step_id, with_for_update={"skip_locked": True})
    if step is None or step.status != StepStatus.PENDING_VERIFICATION or step.needs_review:
        return False
    if step.check_enqueued_at is None or as_utc(step.check_enqueued_at) >= cutoff:
        return False
    step.check_enqueued_at = now
    return True


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
