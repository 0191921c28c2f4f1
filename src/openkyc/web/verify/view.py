"""What a hosted page shows, computed from a session and its steps (pure functions).

The applicant acts on PHONE, EMAIL, ID_DOCUMENT, LIVENESS and PROOF_OF_ADDRESS; the
server runs AML and DUPLICATE itself, so they never appear here. The current step is the
first one waiting for a submission; once none waits, the page polls while an automatic
check runs, then shows the completion page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from openkyc.domain.step import reasons
from openkyc.domain.step.schemas import StepStatus, StepType
from openkyc.models import Session, Step

APPLICANT_STEPS = (
    StepType.PHONE,
    StepType.EMAIL,
    StepType.ID_DOCUMENT,
    StepType.LIVENESS,
    StepType.PROOF_OF_ADDRESS,
)
OPEN = (StepStatus.SUBMISSION_REQUIRED, StepStatus.RESUBMISSION_REQUIRED)
# The session metadata key a tenant sets (at session init) to get its customer back.
REDIRECT_KEY = "redirect_url"
MAX_REDIRECT = 2048


@dataclass(frozen=True)
class StepView:
    id: str
    type: str
    status: str
    state: str  # done, current, todo, checking
    reason: str | None = None
    note: str | None = None  # a reviewer's own words, when asking for a resubmission


@dataclass(frozen=True)
class Page:
    app_name: str
    lang: str
    steps: list[StepView] = field(default_factory=list)
    current: StepView | None = None
    checking: bool = False
    outcome: str = "PENDING"  # APPROVED, PENDING, REJECTED: the completion page's message
    redirect_url: str | None = None

    @property
    def position(self) -> int:
        """1-based position of the current step; every step once all are done."""
        for index, step in enumerate(self.steps, 1):
            if step.state == "current":
                return index
        return len(self.steps)


def safe_redirect(url: object) -> str | None:
    """An absolute http(s) URL with a host and no credentials, or None: a `javascript:`
    or `data:` link, or one hiding a user name, never reaches the applicant's page."""
    if not isinstance(url, str) or not url or len(url) > MAX_REDIRECT:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return url


def _state(step: Step, current_id: str | None) -> str:
    if step.id == current_id:
        return "current"
    if step.status in OPEN:
        return "todo"
    if step.status == StepStatus.PENDING_VERIFICATION and not step.needs_review:
        return "checking"
    return "done"


def _view(step: Step, current_id: str | None, lang: str) -> StepView:
    reason = note = None
    if step.status == StepStatus.RESUBMISSION_REQUIRED and step.reason_code:
        reason = reasons.message(step.reason_code, lang)["translated"]
        note = step.reason_message or None
    return StepView(step.id, step.type, step.status, _state(step, current_id), reason, note)


def _outcome(session: Session, shown: list[Step]) -> str:
    if session.status == StepStatus.REJECTED or any(s.status == StepStatus.REJECTED for s in shown):
        return "REJECTED"
    return "APPROVED" if session.status == StepStatus.APPROVED else "PENDING"


def page(session: Session, app_name: str, steps: list[Step], lang: str) -> Page:
    shown = [s for s in steps if s.type in APPLICANT_STEPS]
    rejected = any(s.status == StepStatus.REJECTED for s in shown)
    # A rejected step ends the journey: nothing the applicant sends can change it.
    waiting = None if rejected else next((s for s in shown if s.status in OPEN), None)
    current_id = waiting.id if waiting else None
    views = [_view(s, current_id, lang) for s in shown]
    current = next((v for v in views if v.state == "current"), None)
    return Page(
        app_name=app_name,
        lang=lang,
        steps=views,
        current=current,
        checking=current is None and any(v.state == "checking" for v in views),
        outcome=_outcome(session, shown),
        redirect_url=safe_redirect((session.meta or {}).get(REDIRECT_KEY)),
    )
