"""Applicants: persons and businesses with what they declared, encrypted at rest.

The same applicant row backs a Synaps session's alias, a Synctera person or business and a
SynapseFI user; its `declared` blob holds the data and the few attributes every dialect
shares (status, customer or not, the tenant's metadata, last update).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openkyc.domain.applicant import paging
from openkyc.domain.applicant import repository as repo
from openkyc.domain.applicant.schemas import ApplicantKind, ApplicantView, validate_data
from openkyc.domain.context import Ctx
from openkyc.errors import Invalid, NotFound
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_uuid
from openkyc.models import Applicant

MAX_METADATA_BYTES = 16 * 1024
DEFAULT_STATUS = "ACTIVE"


def _check_profile(status: str | None, metadata: Any) -> None:
    if status is not None and not (0 < len(status) <= 32):
        raise Invalid("status is 1 to 32 characters")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise Invalid("metadata must be an object")
        if len(json.dumps(metadata)) > MAX_METADATA_BYTES:
            raise Invalid(f"metadata is at most {MAX_METADATA_BYTES} bytes of JSON")


def view(ctx: Ctx, row: Applicant) -> ApplicantView:
    """Decrypt an applicant. Rows made by other dialects may have declared nothing yet."""
    blob = ctx.ports.crypto.decrypt_json(row.declared) or {}
    updated = blob.get("updated_at")
    return ApplicantView(
        id=row.id,
        kind=ApplicantKind(row.kind),
        data=blob.get("data", {}),
        status=blob.get("status", DEFAULT_STATUS),
        is_customer=blob.get("is_customer", True),
        metadata=blob.get("metadata", {}),
        created_at=as_utc(row.created_at),
        updated_at=datetime.fromisoformat(updated) if updated else as_utc(row.created_at),
    )


def _store(ctx: Ctx, row: Applicant, current: ApplicantView, **changes: Any) -> ApplicantView:
    blob = {
        "data": changes.get("data", current.data),
        "status": changes.get("status") or current.status,
        "is_customer": changes.get("is_customer", current.is_customer),
        "metadata": changes.get("metadata", current.metadata),
        "updated_at": ctx.now.isoformat(),
    }
    row.declared = ctx.ports.crypto.encrypt_json(blob)
    ctx.db.flush()
    return view(ctx, row)


def create(
    ctx: Ctx,
    app_id: str,
    kind: ApplicantKind,
    data: dict[str, Any],
    status: str | None = None,
    is_customer: bool = True,
    metadata: dict[str, Any] | None = None,
) -> ApplicantView:
    _check_profile(status, metadata)
    clean = validate_data(kind, data)
    row = Applicant(id=new_uuid(), app_id=app_id, kind=kind.value, created_at=ctx.now)
    ctx.db.add(row)
    empty = ApplicantView(row.id, kind, {}, DEFAULT_STATUS, True, {}, ctx.now, ctx.now)
    return _store(
        ctx,
        row,
        empty,
        data=clean,
        status=status,
        is_customer=is_customer,
        metadata=metadata or {},
    )


def get_row(ctx: Ctx, app_id: str, applicant_id: str, kind: ApplicantKind | None) -> Applicant:
    row = repo.get(ctx.db, app_id, applicant_id)
    if row is None or (kind is not None and row.kind != kind.value):
        noun = kind.value if kind is not None else "applicant"
        raise NotFound(f"{noun} {applicant_id} not found")
    return row


def get(
    ctx: Ctx, app_id: str, applicant_id: str, kind: ApplicantKind | None = None
) -> ApplicantView:
    return view(ctx, get_row(ctx, app_id, applicant_id, kind))


def update(
    ctx: Ctx,
    app_id: str,
    applicant_id: str,
    kind: ApplicantKind,
    data: dict[str, Any],
    **profile: Any,
) -> ApplicantView:
    """Merge changes: a given field replaces the stored one, a None removes it."""
    row = repo.get(ctx.db, app_id, applicant_id, lock=True)
    if row is None or row.kind != kind.value:
        raise NotFound(f"{kind.value} {applicant_id} not found")
    current = view(ctx, row)
    _check_profile(profile.get("status"), profile.get("metadata"))
    merged = {**current.data, **data}
    clean = validate_data(kind, {k: v for k, v in merged.items() if v is not None})
    changes = {k: v for k, v in profile.items() if v is not None}
    return _store(ctx, row, current, data=clean, **changes)


def page(
    ctx: Ctx,
    app_id: str,
    kind: ApplicantKind,
    ids: Sequence[str] = (),
    page_token: str | None = None,
    limit: int | None = None,
) -> tuple[list[ApplicantView], str | None]:
    """One page of applicants and the token of the next page (None on the last one)."""
    size = paging.clamp(limit)
    rows = repo.page(ctx.db, app_id, kind.value, ids, paging.decode(page_token), size + 1)
    more = len(rows) > size
    rows = rows[:size]
    token = None
    if more:
        token = paging.encode(paging.Position(as_utc(rows[-1].created_at), rows[-1].id))
    return [view(ctx, row) for row in rows], token
