"""Screening: search the lists an app sees, and keep each applicant's hits.

`screen` is the ad-hoc entry point (the Synctera WATCHLIST verification calls it with an
applicant's declared data): it stores nothing. `record_hits` keeps the hits of an
applicant, leaving out entities a reviewer cleared for them while unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openkyc.checks.aml import payload, values
from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.index import Result, merge
from openkyc.checks.aml.match import THRESHOLD, Match, Query
from openkyc.checks.aml.values import country_code, parse_date
from openkyc.domain.aml import repository as repo
from openkyc.domain.aml.index_cache import index_for
from openkyc.domain.aml.media import MediaSource
from openkyc.domain.context import Ctx
from openkyc.errors import Invalid
from openkyc.kit.ids import new_numeric_id
from openkyc.models.aml import Hit

MAX_HITS = 20


def search(
    ctx: Ctx, query: Query, app_id: str | None, threshold: float = THRESHOLD
) -> list[Result]:
    """The global lists, and the app's own blocklist when an app asks."""
    found = [index_for(ctx.db, "").search(query, threshold, MAX_HITS)]
    if app_id:
        found.append(index_for(ctx.db, app_id).search(query, threshold, MAX_HITS))
    return merge(found, MAX_HITS)


def active_lists(ctx: Ctx, app_id: str | None) -> list[str]:
    """The newest version of each list an app is screened against."""
    newest: dict[tuple[str, str], int] = {}
    for row in repo.versions(ctx.db):
        if row.scope in ("", app_id):
            newest[(row.dataset, row.scope)] = row.seq
    return [f"{dataset} v{seq}" for (dataset, _), seq in sorted(newest.items())]


def screen(
    ctx: Ctx,
    name: str = "",
    *,
    schema: str = "Person",
    aliases: Sequence[str] = (),
    birth_date: str | None = None,
    country: str | None = None,
    identifiers: Sequence[str] = (),
    gender: str | None = None,
    app_id: str | None = None,
    threshold: float = THRESHOLD,
    media: MediaSource | None = None,
) -> dict[str, Any]:
    """Screen one person or business; the answer has the AML payload's shape."""
    names = tuple(n for n in (name, *aliases) if isinstance(n, str) and n.strip())
    if not names:
        raise Invalid("a name is needed to screen")
    if schema not in ("Person", "Company", "Organization", "LegalEntity", "Vessel"):
        raise Invalid(f"unknown schema {schema!r}")
    query = Query(
        schema=schema,
        names=names,
        birth_dates=tuple(parse_date(birth_date)),
        countries=tuple(c for c in [country_code(country)] if c),
        identifiers=tuple(i for i in identifiers if isinstance(i, str)),
        gender=values.gender(gender),
    )
    hits = [payload.explained_hit(r.entity, r.match) for r in search(ctx, query, app_id, threshold)]
    if media is not None:
        for hit in hits:
            born = hit["info"]["birth_date"]
            found = media.search(hit["info"]["full_name"], None if born == "N/A" else born)
            hit["media"] = [vars(item) for item in found]
    return {
        "customer_info": {
            "name": names[0],
            "birth_date": birth_date or "",
            "country": country or "",
        },
        "hits": hits,
        "total_hits": len(hits),
        "action_required": bool(hits),
        "monitored": False,
    }


def keep_hit(
    ctx: Ctx,
    where: dict[str, str],
    entity: Entity,
    match: Match,
    origin: str,
    known: list[Hit] | None = None,
) -> tuple[Hit | None, bool]:
    """Store (or refresh) one hit of an applicant, and say whether it is news (a new
    entity, or one changed since it was last seen). None when a reviewer cleared this
    entity for them and it has not changed since. `where`: app, applicant, session, step;
    `known`: the applicant's hits when the caller read them already (a new row is
    appended to it)."""
    dataset = entity.details.get("dataset", "")
    fingerprint = entity.fingerprint()
    if known is None:
        known = list(repo.hits_of(ctx.db, where["app_id"], where["applicant_id"]))
    row = next((h for h in known if h.dataset == dataset and h.entity_id == entity.id), None)
    if row is not None and row.status == "cleared" and row.cleared_fingerprint == fingerprint:
        return None, False
    news = row is None or row.fingerprint != fingerprint
    summary = payload.synaps_hit(entity, match)
    if row is None:
        row = Hit(
            id=new_numeric_id(14),
            app_id=where["app_id"],
            applicant_id=where["applicant_id"],
            dataset=dataset,
            entity_id=entity.id,
            origin=origin,
            created_at=ctx.now,
        )
        ctx.db.add(row)
        known.append(row)  # a second step of the same applicant finds it, unflushed
    row.session_id, row.step_id = where["session_id"], where["step_id"]
    row.fingerprint, row.score, row.features, row.summary = (
        fingerprint,
        match.score,
        match.features,
        summary,
    )
    row.status, row.cleared_by, row.cleared_fingerprint = "open", None, None
    row.updated_at = ctx.now
    return row, news


def hit_entry(row: Hit) -> dict[str, Any]:
    """A stored hit as the check's evidence lists it."""
    return {
        **row.summary,
        "hit_id": row.id,
        "entity_id": row.entity_id,
        "dataset": row.dataset,
        "score": row.score,
        "features": row.features,
    }
