"""The Huey instance chosen by OPENKYC_QUEUE_URL, and the domain's Queue port over it.

sqlite:///path  embedded (consumer threads inside `openkyc serve`)
redis://...     scale-out (`openkyc worker` on any machine); ?queue=NAME names the queue
memory://       tests: tasks run at once, in the enqueuing thread, after the commit
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

NAME = "openkyc"


class QueueConnection(sqlite3.Connection):
    """The SQLite queue's connections: WAL with synchronous=NORMAL, as the main database.

    Huey leaves SQLite's default (FULL: an fsync at every enqueue and dequeue, milliseconds
    each). NORMAL never corrupts a WAL database; a power cut may lose the last messages,
    which the sweep sends again (the rows are the truth)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA synchronous=NORMAL")


def build_huey(url: str) -> Huey:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(
            NAME, filename=str(path), results=False, timeout=30, factory=QueueConnection
        )
    if parts.scheme in ("redis", "rediss"):
        # ?queue=NAME (ours, not Redis'): deployments sharing one Redis keep apart.
        query = parse_qs(parts.query)
        name = query.pop("queue", [NAME])[0]
        redis_url = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
        return RedisHuey(name, url=redis_url, results=False)
    if parts.scheme == "memory":
        return MemoryHuey(NAME, results=False, immediate=True)
    raise ValueError(f"unsupported queue URL scheme {parts.scheme!r} (sqlite, redis, memory)")


def is_embedded(url: str) -> bool:
    """Queues whose consumers run inside the server process."""
    return urlsplit(url).scheme == "sqlite"


class HueyQueue:
    """Implements the domain's Queue port; tasks are attached once they are registered."""

    def __init__(self, huey: Huey) -> None:
        self.huey = huey
        self.tasks: dict[str, Any] = {}

    def check_step(self, step_id: str) -> None:
        self.tasks["step.check"](step_id)

    def deliver_webhook(self, delivery_id: str, delay_seconds: float = 0) -> None:
        task = self.tasks["webhook.deliver"]
        if delay_seconds > 0:
            task.schedule(args=(delivery_id,), delay=delay_seconds)
        else:
            task(delivery_id)
