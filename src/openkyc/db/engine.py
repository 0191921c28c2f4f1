"""Engine and session factory for SQLite (embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import os
import select
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from openkyc.db.base import CRYPTO_ATTRIBUTE
from openkyc.kit.crypto import Crypto

# Connections kept open per process. Requests run in a thread pool (up to 40 threads), so a
# pool smaller than the usual concurrency would open and close overflow connections under
# load, each one a new PostgreSQL backend or a new SQLite handle with its pragmas.
POOL_SIZE = 20
MAX_OVERFLOW = 10
BUSY_TIMEOUT = 30  # seconds a writer waits for another before "database is locked"


class ReadOnlyViolation(RuntimeError):
    """A statement other than a read in a transaction opened with readonly=True."""


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and route them to psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def attach_crypto(engine: Engine, crypto: Crypto) -> Engine:
    """Give the engine the key that SealedJSON columns are sealed with. The dialect is the
    one object a column type sees, and each engine has its own."""
    setattr(engine.dialect, CRYPTO_ATTRIBUTE, crypto)
    return engine


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={
                "timeout": BUSY_TIMEOUT,
                "check_same_thread": False,
                "factory": SQLiteConnection,
            },
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    event.listen(engine, "checkout", _drop_if_closed)
    event.listen(engine, "engine_connect", _postgres_reads_autocommit)
    event.listen(engine, "before_cursor_execute", _postgres_refuse_writes)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let the "begin" listener own transactions
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # We issue BEGIN ourselves: writers take the write lock up front (IMMEDIATE) instead of
    # failing when a read transaction upgrades; read-only work stays DEFERRED and concurrent.
    if conn.get_execution_options().get("readonly", False):
        conn.exec_driver_sql("BEGIN DEFERRED")
        return
    dbapi_conn = conn.connection.dbapi_connection
    dbapi_conn.take_write_turn()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        dbapi_conn.end_write_turn()
        raise


_WRITE_TURNS: dict[str, threading.Lock] = {}
_WRITE_TURNS_GUARD = threading.Lock()


class SQLiteConnection(sqlite3.Connection):
    """Writers of one process take turns on a Python lock before BEGIN IMMEDIATE.

    SQLite's busy handler makes a blocked writer sleep 1, 2, 5, 10, 15... ms between
    tries, so two threads writing at once cost the second one several milliseconds more
    than the first one's transaction took. Queued on a lock, it starts the moment the
    first commits. Other processes on the same file still meet at SQLite's lock.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._turn: threading.Lock | None = None
        self._holding = False
        path = os.fspath(database)
        if path != ":memory:" and not path.startswith("file:"):
            with _WRITE_TURNS_GUARD:
                self._turn = _WRITE_TURNS.setdefault(os.path.abspath(path), threading.Lock())

    def take_write_turn(self) -> None:
        if self._turn is None or self._holding:
            return
        if not self._turn.acquire(timeout=BUSY_TIMEOUT):
            raise sqlite3.OperationalError("database is locked")
        self._holding = True

    def end_write_turn(self) -> None:
        if self._holding:
            self._holding = False
            assert self._turn is not None
            self._turn.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_write_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_write_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.end_write_turn()


def _drop_if_closed(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Stands in for pool_pre_ping without its round trip (a SELECT 1 per checkout).

    An idle connection has nothing to read: if its socket is readable or shut, the server
    has closed it (a restart, pg_terminate_backend, an idle timeout) and sent its goodbye.
    Raising DisconnectionError makes the pool discard it and check out a fresh one.
    """
    if dbapi_conn.closed:
        raise DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(dbapi_conn.fileno(), select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        raise DisconnectionError("the server closed the connection")


def _postgres_reads_autocommit(conn: Any) -> None:
    # Read-only transactions run in autocommit: no BEGIN and COMMIT round trips. Under
    # PostgreSQL's READ COMMITTED each statement takes its own snapshot anyway, so what a
    # read sees is the same. The pool restores the isolation level when the connection
    # returns.
    if conn.get_execution_options().get("readonly", False):
        conn.execution_options(isolation_level="AUTOCOMMIT")


def _postgres_refuse_writes(
    conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    # In autocommit a write would not wait for the end of the transaction, nor be rolled
    # back with it: a read-only transaction may only read.
    readonly = conn.get_execution_options().get("readonly", False)
    if readonly and not statement.lstrip()[:6].upper().startswith(("SELECT", "SHOW")):
        raise ReadOnlyViolation(f"write in a read-only transaction: {statement[:60]!r}")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
