"""Four eyes: an app may require a second reviewer to confirm an approval that overrides a
failed check (a step the check rejected, sent back, or flagged for review with a reason).

The first approval is kept as a `first_approval` decision; the step stays pending until a
different reviewer approves too. A rejection or resubmission by anyone needs no second pair
of eyes: refusing is always safe.
"""

from __future__ import annotations

from sqlalchemy import select

from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx
from openkyc.domain.step.schemas import StepStatus
from openkyc.kit.clock import as_utc
from openkyc.models import App, Decision, Step

FIRST_APPROVAL = "first_approval"
SETTING = "review"


def enabled(app: App) -> bool:
    return bool(((app.settings or {}).get(SETTING) or {}).get("four_eyes"))


def set_enabled(ctx: Ctx, app_id: str, value: bool) -> App:
    app = apps.get_app(ctx, app_id)
    current = dict((app.settings or {}).get(SETTING) or {})
    current["four_eyes"] = bool(value)
    app.settings = {**(app.settings or {}), SETTING: current}  # reassign: JSON column
    ctx.db.flush()
    return app


def overrides_check(step: Step) -> bool:
    """Whether approving this step goes against what its check found."""
    if step.status in (StepStatus.REJECTED, StepStatus.RESUBMISSION_REQUIRED):
        return True
    if step.reason_code:
        return True
    return bool((step.evidence or {}).get("action_required"))


def pending_first(ctx: Ctx, step: Step) -> Decision | None:
    """The first approval of the step's current submission still waiting for a second."""
    last = ctx.db.scalars(
        select(Decision)
        .where(Decision.step_id == step.id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    ).first()
    if last is None or last.action != FIRST_APPROVAL:
        return None
    if step.submitted_at is not None and as_utc(last.created_at) < as_utc(step.submitted_at):
        return None  # given on an earlier submission
    return last


def required(ctx: Ctx, step: Step) -> bool:
    return overrides_check(step) and enabled(apps.get_app(ctx, step.app_id))
