"""One transaction's context, and the runtime that opens them.

The caller owns the transaction (one per request, one per job); services only flush.
Queue messages asked for during the transaction are sent after it commits, so a worker
never looks for a row that is not there yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from openkyc.db.engine import make_sessionmaker
from openkyc.domain.ports import Ports
from openkyc.errors import OpenKYCError
from openkyc.kit.clock import utcnow

log = logging.getLogger(__name__)


@dataclass
class Ctx:
    db: Session
    ports: Ports
    now: datetime = field(default_factory=utcnow)
    actor: str = "system"
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after_commit.append(action)


class Runtime:
    def __init__(self, engine: Engine, ports: Ports) -> None:
        self.engine = engine
        self.ports = ports
        self._sessions: sessionmaker[Session] = make_sessionmaker(engine)
        self._readonly: sessionmaker[Session] = make_sessionmaker(
            engine.execution_options(readonly=True)
        )

    @contextmanager
    def transaction(self, actor: str = "system", readonly: bool = False) -> Iterator[Ctx]:
        maker = self._readonly if readonly else self._sessions
        with maker() as db:
            ctx = Ctx(db=db, ports=self.ports, actor=actor)
            try:
                yield ctx
                db.commit()
            except OpenKYCError as exc:
                if not exc.keep_changes:
                    db.rollback()
                    raise
                db.commit()
                self._run_after_commit(ctx)
                raise
            except BaseException:
                db.rollback()
                raise
        self._run_after_commit(ctx)

    @staticmethod
    def _run_after_commit(ctx: Ctx) -> None:
        for action in ctx._after_commit:
            try:
                action()
            except Exception:
                # The sweep re-sends anything whose message was lost.
                log.exception("after-commit action failed")
