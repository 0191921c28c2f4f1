"""Verification records: one active record per applicant and type, the rest is history.

A new record of a type supersedes the active one (kept, inactive). A record computed from a
session's steps is updated in place as the steps move on; its earlier states are kept in
`history`. Both changes send VERIFICATION.CREATED / VERIFICATION.UPDATED webhooks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from openkyc.domain.applicant import paging
from openkyc.domain.applicant.schemas import ApplicantKind
from openkyc.domain.applicant.service import get_row
from openkyc.domain.context import Ctx
from openkyc.domain.verification import repository as repo
from openkyc.domain.verification.schemas import (
    Outcome,
    Result,
    Source,
    VerificationType,
    VerificationView,
    overall_status,
)
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import NotFound
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_uuid
from openkyc.models import Verification

log = logging.getLogger(__name__)


def view(ctx: Ctx, row: Verification) -> VerificationView:
    content = ctx.ports.crypto.decrypt_json(row.content) or {}
    return VerificationView(
        id=row.id,
        app_id=row.app_id,
        applicant_id=row.applicant_id,
        subject_kind=row.subject_kind,
        type=VerificationType(row.type),
        result=Result(row.result),
        verification_time=as_utc(row.verification_time),
        details=content.get("details", []),
        metadata=row.meta,
        vendor_info=content.get("vendor_info"),
        active=row.active,
        history=list(row.history),
        session_id=row.session_id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def resource(item: VerificationView) -> dict[str, Any]:
    """The record as webhooks carry it: no details nor vendor_info, which may hold personal
    data and would otherwise sit in the delivery log; the receiver fetches the record."""
    subject = "person_id" if item.subject_kind == ApplicantKind.PERSON else "business_id"
    return {
        "id": item.id,
        subject: item.applicant_id,
        "verification_type": item.type.value,
        "result": item.result.value,
        "verification_time": _time(item.verification_time),
        "metadata": item.metadata,
        "creation_time": _time(item.created_at),
        "last_updated_time": _time(item.updated_at),
    }


def _time(moment: datetime) -> str:
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def record(
    ctx: Ctx,
    app_id: str,
    subject_kind: ApplicantKind,
    subject_id: str,
    type_: VerificationType,
    outcome: Outcome,
    verification_time: datetime,
    metadata: dict[str, Any] | None = None,
    source: Source = Source.UPLOAD,
    session_id: str | None = None,
) -> VerificationView:
    """Store a new active record; the subject must be one of this app's, of that kind."""
    applicant = get_row(ctx, app_id, subject_id, subject_kind)
    for previous in repo.active_of(ctx.db, app_id, applicant.id, type_.value):
        previous.active = False
        previous.updated_at = ctx.now
    row = Verification(
        id=new_uuid(),
        app_id=app_id,
        applicant_id=applicant.id,
        subject_kind=subject_kind.value,
        type=type_.value,
        result=outcome.result.value,
        verification_time=verification_time,
        content=_content(ctx, outcome),
        meta=metadata or {},
        source=source.value,
        session_id=session_id,
        active=True,
        history=[],
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.add(row)
    ctx.db.flush()
    item = view(ctx, row)
    webhooks.notify_event(ctx, app_id, row.id, "VERIFICATION.CREATED", resource(item))
    log.info("verification %s %s recorded: %s", row.id, type_, outcome.result)
    return item


def _content(ctx: Ctx, outcome: Outcome) -> bytes:
    return ctx.ports.crypto.encrypt_json(
        {"details": outcome.details, "vendor_info": outcome.vendor_info}
    )


def update(ctx: Ctx, row: Verification, outcome: Outcome) -> bool:
    """Apply a recomputed outcome; the earlier state joins `history`. True when it changed."""
    current = view(ctx, row)
    if current.result == outcome.result and current.details == outcome.details:
        return False
    row.history = [
        *row.history,
        {
            "result": current.result.value,
            "verification_time": _time(current.verification_time),
            "last_updated_time": _time(current.updated_at),
        },
    ]
    row.result = outcome.result.value
    row.content = _content(ctx, outcome)
    row.verification_time = ctx.now
    row.updated_at = ctx.now
    ctx.db.flush()
    item = view(ctx, row)
    webhooks.notify_event(ctx, row.app_id, row.id, "VERIFICATION.UPDATED", resource(item))
    log.info("verification %s updated: %s", row.id, outcome.result)
    return True


def get(ctx: Ctx, app_id: str, verification_id: str) -> VerificationView:
    row = repo.get(ctx.db, app_id, verification_id)
    if row is None:
        raise NotFound(f"verification {verification_id} not found")
    return view(ctx, row)


def page(
    ctx: Ctx,
    app_id: str,
    filters: repo.Filters,
    page_token: str | None = None,
    limit: int | None = None,
) -> tuple[list[VerificationView], str | None]:
    size = paging.clamp(limit)
    rows = repo.page(ctx.db, app_id, filters, paging.decode(page_token), size + 1)
    more = len(rows) > size
    rows = rows[:size]
    token = None
    if more:
        token = paging.encode(paging.Position(as_utc(rows[-1].created_at), rows[-1].id))
    items = [view(ctx, row) for row in rows]
    if not filters.include_history:
        items = [replace(item, history=[]) for item in items]
    return items, token


def active_records(ctx: Ctx, app_id: str, applicant_id: str) -> list[VerificationView]:
    return [view(ctx, row) for row in repo.active_of(ctx.db, app_id, applicant_id)]


def status_of(records: Sequence[VerificationView]) -> Result:
    return overall_status((r.type, r.result, r.updated_at) for r in records)
