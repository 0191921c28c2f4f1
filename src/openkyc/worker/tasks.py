"""The jobs. Each opens its own transactions; the row is the truth, the message a hint."""

from __future__ import annotations

import logging

from huey import Huey

from openkyc.checks.runner import run_step_check
from openkyc.domain.context import Runtime
from openkyc.domain.webhook import service as webhooks
from openkyc.worker.queue import HueyQueue

log = logging.getLogger(__name__)


def deliver(runtime: Runtime, delivery_id: str) -> None:
    """One webhook attempt in three steps, so that no transaction stays open while a slow
    receiver keeps us waiting (on SQLite an open write transaction blocks every writer)."""
    with runtime.transaction(actor="worker") as ctx:
        outgoing = webhooks.claim(ctx, delivery_id)
    if outgoing is None:
        return
    status, error = webhooks.send(runtime.ports, outgoing)
    with runtime.transaction(actor="worker") as ctx:
        webhooks.record(ctx, outgoing, status, error)


def register_tasks(huey: Huey, runtime: Runtime, queue: HueyQueue) -> None:
    @huey.task(name="step.check")  # type: ignore[untyped-decorator]
    def check_step(step_id: str) -> None:
        run_step_check(runtime, step_id)  # its own short transactions

    @huey.task(name="webhook.deliver")  # type: ignore[untyped-decorator]
    def deliver_webhook(delivery_id: str) -> None:
        deliver(runtime, delivery_id)

    queue.tasks["step.check"] = check_step
    queue.tasks["webhook.deliver"] = deliver_webhook
