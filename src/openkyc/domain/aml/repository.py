"""SQL for list versions, their entities, hits, alerts and monitored applicants.

Lists are global (scope "") or one app's (scope = its id); hits, alerts and monitored
applicants always belong to one app and are read through that app only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session as DB

from openkyc.models import Step
from openkyc.models.aml import Alert, Hit, ListEntity, ListVersion, Monitored, MonitorKey

BATCH = 2000
IN_BATCH = 500  # values in one IN (...): well under every database's parameter limit


def versions(db: DB, scope: str | None = None) -> Sequence[ListVersion]:
    query = select(ListVersion).order_by(ListVersion.dataset, ListVersion.scope, ListVersion.seq)
    if scope is not None:
        query = query.where(ListVersion.scope == scope)
    return db.scalars(query).all()


def version(db: DB, version_id: str) -> ListVersion | None:
    return db.get(ListVersion, version_id)


def latest(db: DB, dataset: str, scope: str) -> ListVersion | None:
    return db.scalars(
        select(ListVersion)
        .where(ListVersion.dataset == dataset, ListVersion.scope == scope)
        .order_by(ListVersion.seq.desc())
        .limit(1)
    ).first()


def active_signature(db: DB, scopes: Sequence[str]) -> tuple[str, ...]:
    """The newest version of every dataset in these scopes (ids are random, so a database
    emptied and loaded again never looks the same): the index holds while this does."""
    rows = db.execute(
        select(ListVersion.dataset, ListVersion.scope, ListVersion.seq, ListVersion.id)
        .where(ListVersion.scope.in_(scopes))
        .order_by(ListVersion.dataset, ListVersion.scope, ListVersion.seq)
    ).all()
    newest = {(d, s): version_id for d, s, _, version_id in rows}
    return tuple(sorted(newest.values()))


def current_rows(db: DB, dataset: str, scope: str) -> Sequence[tuple[int, str, str]]:
    """(row id, entity id, fingerprint) of the entities in the newest version."""
    rows = db.execute(
        select(ListEntity.id, ListEntity.entity_id, ListEntity.fingerprint).where(
            ListEntity.dataset == dataset,
            ListEntity.scope == scope,
            ListEntity.until_seq.is_(None),
        )
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def current_entities(db: DB, scopes: Sequence[str]) -> Iterator[ListEntity]:
    """Every entity of the newest versions in these scopes, read in batches."""
    last = 0
    while True:
        batch = db.scalars(
            select(ListEntity)
            .where(
                ListEntity.scope.in_(scopes),
                ListEntity.until_seq.is_(None),
                ListEntity.id > last,
            )
            .order_by(ListEntity.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def entities_at(db: DB, dataset: str, scope: str, seq: int) -> Sequence[ListEntity]:
    """The entities a given version held."""
    return db.scalars(
        select(ListEntity).where(
            ListEntity.dataset == dataset,
            ListEntity.scope == scope,
            ListEntity.since_seq <= seq,
            or_(ListEntity.until_seq.is_(None), ListEntity.until_seq > seq),
        )
    ).all()


def entity(db: DB, dataset: str, scope: str, entity_id: str) -> ListEntity | None:
    return db.scalars(
        select(ListEntity).where(
            ListEntity.dataset == dataset,
            ListEntity.scope == scope,
            ListEntity.entity_id == entity_id,
            ListEntity.until_seq.is_(None),
        )
    ).first()


def hits_of(db: DB, app_id: str, applicant_id: str) -> Sequence[Hit]:
    return db.scalars(
        select(Hit).where(Hit.app_id == app_id, Hit.applicant_id == applicant_id)
    ).all()


def hit(db: DB, app_id: str, hit_id: str) -> Hit | None:
    row = db.get(Hit, hit_id)
    return row if row is not None and row.app_id == app_id else None


def hits_of_step(db: DB, app_id: str, step_id: str) -> Sequence[Hit]:
    return db.scalars(
        select(Hit)
        .where(Hit.app_id == app_id, Hit.step_id == step_id)
        .order_by(Hit.score.desc(), Hit.id)
    ).all()


def alerts(db: DB, app_id: str, status: str | None, limit: int, offset: int) -> Sequence[Alert]:
    query = select(Alert).where(Alert.app_id == app_id)
    if status:
        query = query.where(Alert.status == status)
    return db.scalars(
        query.order_by(Alert.created_at.desc(), Alert.id).limit(limit).offset(offset)
    ).all()


def open_alerts_of_hit(db: DB, app_id: str, hit_id: str) -> Sequence[Alert]:
    return db.scalars(
        select(Alert).where(Alert.app_id == app_id, Alert.hit_id == hit_id, Alert.status == "open")
    ).all()


def monitored(db: DB, app_id: str, step_id: str) -> Monitored | None:
    row = db.get(Monitored, step_id)
    return row if row is not None and row.app_id == app_id else None


def monitored_count(db: DB) -> int:
    return int(db.scalar(select(func.count()).select_from(Monitored)) or 0)


def replace_keys(db: DB, step_id: str, keys: set[str]) -> None:
    db.execute(delete(MonitorKey).where(MonitorKey.step_id == step_id))
    if keys:
        db.execute(insert(MonitorKey), [{"step_id": step_id, "key": k} for k in sorted(keys)])


def key_counts(db: DB, keys: Iterable[str]) -> dict[str, int]:
    """How many monitored applicants each key finds (read from the index alone)."""
    counts: dict[str, int] = {}
    wanted = sorted(set(keys))
    table = MonitorKey.__table__
    for start in range(0, len(wanted), IN_BATCH):
        # Core rows through the session's connection: no ORM row processing on reads
        # that return hundreds of thousands of rows.
        rows = db.connection().execute(
            select(table.c.key, func.count())
            .where(table.c.key.in_(wanted[start : start + IN_BATCH]))
            .group_by(table.c.key)
        )
        counts.update({key: int(n) for key, n in rows.all()})
    return counts


def steps_by_keys(db: DB, keys: Iterable[str]) -> dict[str, list[str]]:
    """key -> the monitored AML steps found by it."""
    found: dict[str, list[str]] = {}
    wanted = sorted(set(keys))
    table = MonitorKey.__table__
    for start in range(0, len(wanted), IN_BATCH):
        # One row per key with its steps joined (group_concat / string_agg): hundreds of
        # thousands of (key, step) rows would cost more to hand over than to find.
        rows = db.connection().execute(
            select(table.c.key, func.aggregate_strings(table.c.step_id, " "))
            .where(table.c.key.in_(wanted[start : start + IN_BATCH]))
            .group_by(table.c.key)
        )
        found.update({key: joined.split(" ") for key, joined in rows.all()})
    return found


def monitored_approved(
    db: DB, step_ids: Iterable[str], app_ids: Sequence[str] | None
) -> Iterator[tuple[dict[str, str], bytes, dict[str, Any]]]:
    """These monitored applicants, when their AML step stands approved (and is of one of
    `app_ids`, if given): ids, encrypted subject, the AML step's settings."""
    wanted = sorted(set(step_ids))
    monitored, step = Monitored.__table__, Step.__table__
    for start in range(0, len(wanted), IN_BATCH):
        query = (
            select(
                monitored.c.app_id,
                monitored.c.applicant_id,
                monitored.c.session_id,
                monitored.c.step_id,
                monitored.c.subject,
                step.c.settings,
            )
            .join(step, and_(step.c.id == monitored.c.step_id, step.c.app_id == monitored.c.app_id))
            .where(
                step.c.status == "APPROVED",
                monitored.c.step_id.in_(wanted[start : start + IN_BATCH]),
            )
        )
        if app_ids is not None:
            query = query.where(monitored.c.app_id.in_(app_ids))
        for row in db.connection().execute(query).all():
            ids = {
                "app_id": row[0],
                "applicant_id": row[1],
                "session_id": row[2],
                "step_id": row[3],
            }
            yield ids, row[4], row[5]


def hits_of_applicants(db: DB, app_id: str, applicant_ids: Iterable[str]) -> dict[str, list[Hit]]:
    """applicant id -> its hits, for many applicants of one app at once."""
    found: dict[str, list[Hit]] = defaultdict(list)
    wanted = sorted(set(applicant_ids))
    for start in range(0, len(wanted), IN_BATCH):
        rows = db.scalars(
            select(Hit).where(
                Hit.app_id == app_id, Hit.applicant_id.in_(wanted[start : start + IN_BATCH])
            )
        )
        for row in rows:
            found[row.applicant_id].append(row)
    return found


def open_hits_of_steps(db: DB, app_id: str, step_ids: Iterable[str]) -> dict[str, list[Hit]]:
    """step id -> its open hits, best first (as hits_of_step orders them)."""
    found: dict[str, list[Hit]] = defaultdict(list)
    wanted = sorted(set(step_ids))
    for start in range(0, len(wanted), IN_BATCH):
        rows = db.scalars(
            select(Hit)
            .where(
                Hit.app_id == app_id,
                Hit.status == "open",
                Hit.step_id.in_(wanted[start : start + IN_BATCH]),
            )
            .order_by(Hit.score.desc(), Hit.id)
        )
        for row in rows:
            found[row.step_id].append(row)
    return found


def steps_of(db: DB, app_id: str, step_ids: Iterable[str]) -> dict[str, Step]:
    """step id -> the step, for many steps of one app at once."""
    found: dict[str, Step] = {}
    wanted = sorted(set(step_ids))
    for start in range(0, len(wanted), IN_BATCH):
        rows = db.scalars(
            select(Step).where(Step.app_id == app_id, Step.id.in_(wanted[start : start + IN_BATCH]))
        )
        found.update({row.id: row for row in rows})
    return found
