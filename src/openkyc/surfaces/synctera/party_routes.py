"""What `/persons` and `/businesses` share: both are applicants, with the same four
operations; `PartyKind` holds what differs (field mapping, rendering, list key)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from openkyc.domain.app.service import Caller
from openkyc.domain.applicant import service as applicants
from openkyc.domain.applicant.schemas import ApplicantKind, ApplicantView
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.verification import service as records
from openkyc.errors import Invalid
from openkyc.surfaces.synctera import parties
from openkyc.surfaces.synctera.common import caller_of, id_list, path_uuid, write
from openkyc.surfaces.synctera.mapping import timestamp
from openkyc.surfaces.synctera.wire import Wire


@dataclass(frozen=True)
class PartyKind:
    kind: ApplicantKind
    list_key: str
    changes: Callable[[Any, list[dict[str, Any]]], dict[str, Any]]
    render: Callable[..., dict[str, Any]]


PERSONS = PartyKind(ApplicantKind.PERSON, "persons", parties.person_changes, parties.person)
BUSINESSES = PartyKind(
    ApplicantKind.BUSINESS, "businesses", parties.business_changes, parties.business
)


def render(ctx: Ctx, caller: Caller, party: PartyKind, view: ApplicantView) -> dict[str, Any]:
    active = records.active_records(ctx, caller.app.id, view.id)
    last_run = max((r.updated_at for r in active), default=None)
    status = records.status_of(active)
    return party.render(view, status, timestamp(last_run) if last_run else None)


def _save(
    ctx: Ctx, caller: Caller, party: PartyKind, body: Wire, party_id: str | None
) -> ApplicantView:
    """Create (party_id None) or update; validation messages use the wire's names."""
    fields = body.model_fields_set
    profile = {
        "status": getattr(body, "status", None),
        "metadata": getattr(body, "metadata", None) if "metadata" in fields else None,
        "is_customer": getattr(body, "is_customer", None),
    }
    try:
        if party_id is None:
            data = {k: v for k, v in party.changes(body, []).items() if v is not None}
            return applicants.create(
                ctx,
                caller.app.id,
                party.kind,
                data,
                status=profile["status"],
                is_customer=profile["is_customer"] is not False,
                metadata=profile["metadata"],
            )
        current = applicants.get(ctx, caller.app.id, party_id, party.kind)
        changes = party.changes(body, current.data.get("identifiers", []))
        return applicants.update(ctx, caller.app.id, party_id, party.kind, changes, **profile)
    except Invalid as exc:
        raise Invalid(parties.wire_message(exc.message), code="BAD_REQUEST_BODY") from None


def create(
    runtime: Runtime,
    party: PartyKind,
    request: Request,
    body: Wire,
    authorization: str | None,
    key: str | None,
) -> JSONResponse:
    def operation(ctx: Ctx, caller: Caller) -> tuple[int, dict[str, Any]]:
        view = _save(ctx, caller, party, body, None)
        return 201, render(ctx, caller, party, view)

    return write(runtime, request, authorization, key, body, operation)


def list_page(
    runtime: Runtime,
    party: PartyKind,
    ids: str | None,
    limit: int | None,
    page_token: str | None,
    authorization: str | None,
) -> dict[str, Any]:
    with runtime.transaction(readonly=True) as ctx:
        caller = caller_of(ctx, authorization)
        views, token = applicants.page(
            ctx, caller.app.id, party.kind, id_list(ids, "id"), page_token, limit
        )
        out: dict[str, Any] = {party.list_key: [render(ctx, caller, party, v) for v in views]}
        if token:
            out["next_page_token"] = token
        return out


def get(
    runtime: Runtime, party: PartyKind, party_id: str, authorization: str | None
) -> dict[str, Any]:
    with runtime.transaction(readonly=True) as ctx:
        caller = caller_of(ctx, authorization)
        found = path_uuid(party_id, party.kind.value)
        return render(ctx, caller, party, applicants.get(ctx, caller.app.id, found, party.kind))


def patch(
    runtime: Runtime, party: PartyKind, party_id: str, body: Wire, authorization: str | None
) -> dict[str, Any]:
    with runtime.transaction(actor="api") as ctx:
        caller = caller_of(ctx, authorization)
        view = _save(ctx, caller, party, body, path_uuid(party_id, party.kind.value))
        return render(ctx, caller, party, view)
