"""The review queue, a session's evidence, and reviewers' decisions."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import FormData

from openkyc.domain.aml import review as aml_review
from openkyc.domain.review import case as cases
from openkyc.domain.review import queue as queues
from openkyc.domain.review import service as review
from openkyc.errors import Invalid, OpenKYCError
from openkyc.web.backoffice.deps import Backoffice, Viewer, text
from openkyc.web.backoffice.security import PATH

SANDBOX = {"": None, "yes": True, "no": False}
Short = Annotated[str, Query(max_length=32)]


def _session_url(app_id: str, session_id: str) -> str:
    return f"{PATH}/apps/{app_id}/sessions/{session_id}"


def router(bo: Backoffice) -> APIRouter:
    r = APIRouter()
    Form = Annotated[FormData, Depends(bo.form)]
    Reviewer = Annotated[Viewer, Depends(bo.viewer)]

    @r.get("/queue")
    def queue(
        request: Request,
        viewer: Reviewer,
        app: Short = "",
        type: Short = "",
        status: Short = queues.REVIEW,
        age: Short = "",
        sandbox: Short = "",
        offset: Annotated[int, Query(ge=0, le=queues.MAX_OFFSET)] = 0,
    ) -> Response:
        if sandbox not in SANDBOX:
            raise Invalid("sandbox is yes or no")
        filters = queues.Filters(app, type, status, age, SANDBOX[sandbox], offset)
        with bo.runtime.transaction(readonly=True) as ctx:
            page = queues.page(ctx, filters)
            return bo.pages.render(
                request, "queue.html", page=page, sandbox=sandbox, statuses=queues.STATUSES,
                ages=[a for a in queues.AGES if a], page_size=queues.PAGE,
            )  # fmt: skip

    @r.get("/apps/{app_id}/sessions/{session_id}")
    def session(request: Request, viewer: Reviewer, app_id: str, session_id: str) -> Response:
        with bo.runtime.transaction(readonly=True) as ctx:
            case = cases.session_case(ctx, app_id, session_id)
            return bo.pages.render(request, "session.html", case=case)

    @r.post("/apps/{app_id}/steps/{step_id}/decision")
    def decide(
        request: Request, form: Form, viewer: Reviewer, app_id: str, step_id: str
    ) -> Response:
        back = text(form, "next", 500)
        action = text(form, "action", 16)
        try:
            with bo.runtime.transaction(actor=viewer.email) as ctx:
                step = review.decide(
                    ctx, app_id, step_id, viewer.email, action,
                    text(form, "reason_code", 64) or None, text(form, "message", 2000) or None,
                )  # fmt: skip
                back = back or _session_url(app_id, step.session_id)
                first_only = action == "approve" and step.status != "APPROVED"
        except OpenKYCError as exc:
            return bo.redirect(request, back or f"{PATH}/queue", exc.message, "error")
        if first_only:
            note = "First approval recorded: a second reviewer must approve this step."
        else:
            note = f"Step {step_id}: {action} recorded."
        return bo.redirect(request, f"{back}#step-{step_id}", note)

    @r.post("/apps/{app_id}/aml/hits/{hit_id}/clear")
    def clear_hit(
        request: Request, form: Form, viewer: Reviewer, app_id: str, hit_id: str
    ) -> Response:
        back = text(form, "next", 500)
        try:
            with bo.runtime.transaction(actor=viewer.email) as ctx:
                hit = aml_review.clear_hit(ctx, app_id, hit_id, viewer.email)
                back = back or _session_url(app_id, hit.session_id)
        except OpenKYCError as exc:
            return bo.redirect(request, back or f"{PATH}/queue", exc.message, "error")
        return bo.redirect(request, f"{back}#hit-{hit_id}", "Hit cleared as a false positive.")

    return r
