"""Shared fixtures. The database is real: a fresh SQLite file per test by default, or the
PostgreSQL named by OPENKYC_TEST_DATABASE_URL (a database of its own per run and xdist
worker, emptied before each test)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.db.base import Base
from openkyc.db.engine import make_engine, normalise_url
from openkyc.domain.app import service as apps
from openkyc.settings import Settings

PG_URL = os.environ.get("OPENKYC_TEST_DATABASE_URL", "")
ADMIN_TOKEN = "test-admin-token-0123456789-abcdefghijkl"


def _admin_execute(statement: str) -> None:
    admin = make_engine(normalise_url(PG_URL))
    with admin.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url(worker_id: str, testrun_uid: str) -> Iterator[str | None]:
    """One database per test run and xdist worker, so concurrent runs never share tables;
    dropped at the end of the run."""
    if not PG_URL:
        yield None
        return
    name = f"openkyc_test_{testrun_uid[:10]}_{worker_id}".lower()
    _admin_execute(f'CREATE DATABASE "{name}"')
    url = normalise_url(PG_URL).rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(tmp_path: Path, pg_url: str | None) -> Iterator[str]:
    if pg_url is None:
        url = f"sqlite:///{tmp_path}/openkyc.db"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
        return
    engine = make_engine(pg_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield pg_url


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "storage_url": f"file://{tmp_path}/files",
        "queue_url": "memory://",
        "email_url": "memory://",
        "sms_url": "memory://",
        "admin_token": ADMIN_TOKEN,
        "public_url": "http://testserver",
        "demo": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    system = build_system(settings)
    yield system
    system.runtime.engine.dispose()


@pytest.fixture
def engine(system: System) -> Engine:
    return system.runtime.engine


@pytest.fixture
def client(settings: Settings, system: System) -> Iterator[TestClient]:
    with TestClient(create_app(settings, system, workers=False)) as test_client:
        yield test_client


@pytest.fixture
def sms(system: System) -> MemoryMessenger:
    messenger = system.runtime.ports.sms
    assert isinstance(messenger, MemoryMessenger)
    return messenger


@pytest.fixture
def email(system: System) -> MemoryMessenger:
    messenger = system.runtime.ports.email
    assert isinstance(messenger, MemoryMessenger)
    return messenger


def new_app(
    system: System, name: str = "acme", sandbox: bool = False, flow: Any = None
) -> dict[str, str]:
    with system.runtime.transaction() as ctx:
        app = apps.create_app(ctx, name, flow)
        key, secret = apps.create_key(ctx, app.id, sandbox)
    return {"app_id": app.id, "api_key": secret, "key_id": key.id}


@pytest.fixture
def tenant(system: System) -> dict[str, str]:
    """A live (non-sandbox) app with the default flow."""
    return new_app(system)


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
