"""The back office's review queue: steps by app, type, status, age and sandbox, with counts.

`status` is a step status, or `REVIEW` (the default: steps waiting for a reviewer, as the
admin API's queue) or `SECOND_APPROVAL` (steps approved once under four eyes, waiting for
another reviewer: pending ones, and rejected ones whose rejection is being overridden).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from openkyc.domain.context import Ctx
from openkyc.domain.review.four_eyes import FIRST_APPROVAL
from openkyc.domain.step.schemas import StepStatus, StepType
from openkyc.errors import Invalid
from openkyc.models import App, Decision, Session, Step

REVIEW, SECOND_APPROVAL = "REVIEW", "SECOND_APPROVAL"
STATUSES = (REVIEW, SECOND_APPROVAL, *StepStatus)
AGES = {"": None, "1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7)}
PAGE = 50
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Filters:
    app_id: str = ""
    step_type: str = ""
    status: str = REVIEW
    age: str = ""
    sandbox: bool | None = None
    offset: int = 0

    def validate(self) -> Filters:
        if self.step_type and self.step_type not in StepType.__members__:
            raise Invalid("unknown step type")
        if self.status not in STATUSES:
            raise Invalid("unknown status")
        if self.age not in AGES:
            raise Invalid(f"age is one of {', '.join(a for a in AGES if a)}")
        if not 0 <= self.offset <= MAX_OFFSET or len(self.app_id) > 16:
            raise Invalid("bad page or app")
        return self


@dataclass
class Row:
    step: Step
    session: Session
    app_name: str
    awaiting_second: bool


@dataclass
class QueuePage:
    filters: Filters
    rows: list[Row]
    total: int
    by_type: dict[str, int] = field(default_factory=dict)
    apps: list[tuple[str, str]] = field(default_factory=list)


def _first_approved() -> Any:
    """The step's current submission was approved once, and nobody decided since."""
    later = aliased(Decision)
    return exists().where(
        Decision.step_id == Step.id,
        Decision.action == FIRST_APPROVAL,
        Decision.created_at >= Step.submitted_at,
        ~exists().where(later.step_id == Step.id, later.created_at > Decision.created_at),
    )


def _conditions(ctx: Ctx, f: Filters, with_type: bool = True) -> list[Any]:
    waiting = and_(
        Step.status == StepStatus.PENDING_VERIFICATION,
        or_(Step.needs_review.is_(True), Step.check_enqueued_at.is_(None)),
    )
    where: list[Any] = []
    if f.status == REVIEW:
        where.append(waiting)
    elif f.status == SECOND_APPROVAL:
        where.append(_first_approved())
    else:
        where.append(Step.status == f.status)
    if f.app_id:
        where.append(Step.app_id == f.app_id)
    if with_type and f.step_type:
        where.append(Step.type == f.step_type)
    if f.sandbox is not None:
        where.append(Session.sandbox.is_(f.sandbox))
    age = AGES[f.age]
    if age is not None:
        where.append(Step.submitted_at <= ctx.now - age)
    return where


def page(ctx: Ctx, filters: Filters) -> QueuePage:
    f = filters.validate()
    query = (
        select(Step, Session, App.name, _first_approved())
        .join(Session, Session.id == Step.session_id)
        .join(App, App.id == Step.app_id)
        .where(*_conditions(ctx, f))
        .order_by(Step.submitted_at, Step.id)
        .limit(PAGE)
        .offset(f.offset)
    )
    rows = [Row(s, sess, name, bool(second)) for s, sess, name, second in ctx.db.execute(query)]
    counts = ctx.db.execute(
        select(Step.type, func.count())
        .join(Session, Session.id == Step.session_id)
        .where(*_conditions(ctx, f, with_type=False))
        .group_by(Step.type)
    ).all()
    by_type = {t: n for t, n in counts}
    total = by_type.get(f.step_type, 0) if f.step_type else sum(by_type.values())
    apps = [(a.id, a.name) for a in ctx.db.scalars(select(App).order_by(App.name))]
    return QueuePage(f, rows, total, by_type, apps)
