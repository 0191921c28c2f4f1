"""The ASGI application: mounts every surface; its lifespan owns the embedded workers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from openkyc.bootstrap import System, build_system
from openkyc.settings import Settings
from openkyc.surfaces import synctera
from openkyc.surfaces.admin import routes as admin
from openkyc.surfaces.files import routes as files
from openkyc.surfaces.http import BodyLimit
from openkyc.surfaces.synaps import enduser, tenant
from openkyc.worker.embedded import EmbeddedConsumer
from openkyc.worker.queue import is_embedded
from openkyc.worker.sweep import Sweeper

log = logging.getLogger(__name__)


def create_app(settings: Settings, system: System | None = None, workers: bool = True) -> FastAPI:
    """Build the server. `workers=False` leaves jobs to `openkyc worker` processes."""
    system = system or build_system(settings)
    runtime = system.runtime

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        consumer = sweeper = None
        if workers and is_embedded(settings.queue_url):
            consumer = EmbeddedConsumer(system.huey, settings.embedded_workers)
            consumer.start()
            sweeper = Sweeper(runtime, settings.sweep_interval_seconds)
            sweeper.start()
        try:
            yield
        finally:
            if sweeper:
                sweeper.stop()
            if consumer:
                consumer.stop()
            runtime.engine.dispose()

    app = FastAPI(title="openkyc", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.system = system
    app.mount("/v4", tenant.build(runtime))
    app.mount("/v3", enduser.build(runtime))
    app.mount("/v0", synctera.build(runtime))
    app.mount("/admin", admin.build(runtime))
    app.mount("/files", files.build(runtime))

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    return app
