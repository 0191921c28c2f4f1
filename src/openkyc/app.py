"""The ASGI application: mounts every surface; its lifespan owns the embedded workers."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from openkyc.bootstrap import System, build_system
from openkyc.settings import Settings
from openkyc.surfaces import synapsefi, synctera
from openkyc.surfaces.admin import routes as admin
from openkyc.surfaces.files import routes as files
from openkyc.surfaces.http import BodyLimit, install_errors
from openkyc.surfaces.synaps import enduser, tenant
from openkyc.surfaces.synaps.errors import envelope
from openkyc.surfaces.synapsefi import errors as synapsefi_errors
from openkyc.surfaces.synctera import errors as synctera_errors
from openkyc.web.backoffice import app as backoffice
from openkyc.web.verify import routes as verify
from openkyc.worker.embedded import EmbeddedConsumer
from openkyc.worker.queue import is_embedded
from openkyc.worker.sweep import Sweeper

log = logging.getLogger(__name__)


_frozen = False


def _freeze_startup_objects() -> None:
    """Once per process, before serving: what exists now (modules, models, the app) lives as
    long as the process, so the collector's full passes need not walk it. Without this a
    full pass over the ~170k objects of the loaded checks stops every request 100-300 ms."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def create_app(settings: Settings, system: System | None = None, workers: bool = True) -> FastAPI:
    """Build the server. `workers=False` leaves jobs to `openkyc worker` processes."""
    system = system or build_system(settings)
    runtime = system.runtime

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        _freeze_startup_objects()
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
    # Paths outside every surface (a typo, `/files/..`) answer in the default envelope too.
    install_errors(app, envelope)
    app.state.system = system
    app.router.routes.append(tenant.status_route("/v4", runtime))  # before its mount
    app.mount("/v4", tenant.build(runtime))
    app.mount("/v3", enduser.build(runtime))
    app.router.routes.append(synctera.mount("/v0", runtime))
    app.router.routes.append(synapsefi.mount("/v3.1", runtime))
    app.mount("/admin", admin.build(runtime))
    app.mount("/files", files.build(runtime))
    app.mount("/backoffice", backoffice.build(runtime))
    app.include_router(verify.router(runtime))
    app.mount("/static", verify.static_files())

    @app.get("/healthz")
    async def health() -> dict[str, str]:  # async: no thread-pool hand-off for a constant
        return {"status": "ok"}

    app.add_middleware(
        BodyLimit,
        limit=settings.max_upload_bytes,
        answers={"/v0": synctera_errors.too_large, "/v3.1": synapsefi_errors.too_large},
    )
    return app
