from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Query
from fastapi.responses import Response

from openkyc.domain.context import Runtime
from openkyc.domain.file import service as files
from openkyc.surfaces.http import install_errors, refuse_nul
from openkyc.surfaces.synaps.errors import envelope


def build(runtime: Runtime) -> FastAPI:
    api = FastAPI(
        title="openkyc - files",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    install_errors(api, envelope)

    @api.get("/{file_id}")
    def download(
        file_id: str,
        expires: Annotated[str, Query(max_length=20)],
        signature: Annotated[str, Query(max_length=128)],
    ) -> Response:
        with runtime.transaction(readonly=True) as ctx:
            row, data = files.open_signed(ctx, file_id, expires, signature)
        return Response(
            data,
            media_type=row.content_type,
            headers={
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": f'inline; filename="{row.kind}"',
            },
        )

    return api
