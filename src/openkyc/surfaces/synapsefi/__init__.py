"""The SynapseFI v3.1 dialect: users with KYC documents, OAuth and subscriptions, at /v3.1."""

from __future__ import annotations

import re

from fastapi import Depends, FastAPI
from starlette.routing import Mount

from openkyc.domain.context import Runtime
from openkyc.surfaces.http import refuse_nul
from openkyc.surfaces.synapsefi import errors, oauth, subscriptions, users


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - SynapseFI v3.1",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    errors.install(api)
    api.include_router(users.router(runtime))
    api.include_router(oauth.router(runtime))
    api.include_router(subscriptions.router(runtime))
    return api


def mount(path: str, runtime: Runtime) -> Mount:
    """Mounted at `path`; matching across encoded line breaks keeps every answer, even a
    404 for such a path, in SynapseFI's envelope (Starlette's `.*` stops at a newline)."""
    route = Mount(path, app=build(runtime))
    route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    return route
