"""End-user LIVENESS endpoints: `POST /v3/liveness/init` and `POST /v3/liveness/submit`.

init answers the random head movements to perform and a nonce valid two minutes; submit
takes the recorded video (multipart field `video`) with that nonce (field `nonce`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from openkyc.checks.liveness import flow
from openkyc.domain.context import Runtime
from openkyc.errors import Invalid
from openkyc.surfaces.http import client_of

SessionId = Annotated[str | None, Header(alias="Session-Id")]
StepId = Annotated[str, Query(min_length=1, max_length=32)]
MAX_NONCE = 1024


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/liveness/init")
    def init(step_id: StepId, session_id: SessionId = None) -> dict[str, Any]:
        with runtime.transaction(actor="applicant") as ctx:
            return flow.start(ctx, session_id, step_id)

    @api.post("/liveness/submit")
    async def submit(
        request: Request, step_id: StepId, session_id: SessionId = None
    ) -> dict[str, Any]:
        form = await request.form(max_files=1, max_fields=4)
        video, nonce = form.get("video"), form.get("nonce")
        if not isinstance(video, UploadFile):
            await form.close()
            raise Invalid("file 'video' is required")
        if not isinstance(nonce, str) or not 0 < len(nonce) <= MAX_NONCE:
            await form.close()
            raise Invalid("field 'nonce' is required (from /liveness/init)")
        data = await video.read()
        await form.close()
        client = client_of(request)

        def run() -> dict[str, Any]:
            with runtime.transaction(actor="applicant") as ctx:
                return flow.submit(ctx, session_id, step_id, data, nonce, client)

        return await run_in_threadpool(run)

    return api
