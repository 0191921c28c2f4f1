"""The Synctera v0 dialect: persons, businesses and verifications, mounted at /v0."""

from __future__ import annotations

import re

from fastapi import Depends, FastAPI
from starlette.routing import Mount

from openkyc.domain.context import Runtime
from openkyc.surfaces.http import refuse_nul
from openkyc.surfaces.synctera import businesses, errors, persons, verifications, verify
from openkyc.surfaces.synctera.common import refuse_unknown_query


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - Synctera v0",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul), Depends(refuse_unknown_query)],
    )
    errors.install(api)
    api.include_router(persons.router(runtime))
    api.include_router(businesses.router(runtime))
    api.include_router(verify.router(runtime))
    api.include_router(verifications.router(runtime))
    return api


def mount(path: str, runtime: Runtime) -> Mount:
    """The surface mounted at `path`. Starlette's Mount pattern (`.*`) stops at a line
    break, so a path holding an encoded one would miss the surface and get the parent's
    plain JSON 404; matching across line breaks keeps even those answers problem+json."""
    route = Mount(path, app=build(runtime))
    route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    return route
