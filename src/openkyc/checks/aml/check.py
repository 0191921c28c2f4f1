"""AML: screen the applicant against the loaded sanctions, PEP and block lists.

Who is screened comes from the approved ID document's fields (firstname, lastname,
birth_date, nationality, country), or from the applicant's declared data when the flow
has no ID document. The lists are reached through a `Screening` port bound to the job:
the check sees no database, only screening, hits already cleared by a reviewer, and the
monitoring registration. It runs with a read-only view; its hits and the registration are
stored in `record`, with the step's outcome. No hit -> approved; a hit -> a reviewer
decides, unless the app chose automatic decisions (then rejected).

Settings (the app's `settings["aml"]`, overridden by the AML flow step's settings):
`threshold` (0.5 to 1, default match.THRESHOLD), `automatic_decisions` (bool),
`monitoring` (bool: approved applicants are screened again when a list changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from openkyc.checks.aml import subject
from openkyc.checks.aml.match import THRESHOLD, Query
from openkyc.checks.base import CheckInput, CheckOutcome, Decision

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

REASON = "AML_MATCH"


class Screening(Protocol):
    """Read while the check runs (a read-only view of the system); what it must store is
    kept until `keep`, called in the transaction that records the step's outcome."""

    def declared(self) -> tuple[str, dict[str, Any]]:
        """The applicant's kind and declared data."""
        ...

    def app_settings(self) -> dict[str, Any]: ...

    def screen(self, query: Query, threshold: float) -> list[dict[str, Any]]:
        """Hits (payload.explained_hit plus `entity_id`...), without those a reviewer
        cleared; not stored yet."""
        ...

    def monitor(self, query: Query) -> None:
        """Monitor the applicant from now on (registered by `keep`)."""
        ...

    def lists(self) -> list[str]:
        """The list versions screened against ("us_ofac_sdn v3"), for the evidence."""
        ...

    def keep(self, ctx: Ctx) -> list[dict[str, Any]]:
        """Store the hits `screen` found and the monitoring registration; the hits still
        standing (a reviewer may have cleared one meanwhile), each with its `hit_id`."""
        ...


def settings_of(app: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    merged = {**app, **step}
    try:
        threshold = float(merged.get("threshold", THRESHOLD))
    except (TypeError, ValueError):
        threshold = THRESHOLD
    return {
        "threshold": min(max(threshold, 0.5), 1.0),
        "automatic_decisions": bool(merged.get("automatic_decisions", False)),
        "monitoring": bool(merged.get("monitoring", False)),
    }


def customer_info(data: CheckInput, port: Screening) -> dict[str, str]:
    document = data.session_evidence.get("ID_DOCUMENT")
    if document is not None:
        return subject.from_document(document.get("fields") or {})
    kind, declared = port.declared()
    return subject.from_declared(kind, declared)


def decide(hits: list[dict[str, Any]], settings: dict[str, Any]) -> tuple[Decision, str | None]:
    """Pure rule: no hit approves; a hit waits for a reviewer or, when the app chose
    automatic decisions, rejects."""
    if not hits:
        return Decision.APPROVE, None
    return (Decision.REJECT if settings["automatic_decisions"] else Decision.REVIEW), REASON


def evidence_of(
    info: dict[str, str], hits: list[dict[str, Any]], settings: dict[str, Any]
) -> dict[str, Any]:
    return {
        "customer_info": info,
        "hits": [{k: h[k] for k in ("fields", "aliases", "media", "info", "type")} for h in hits],
        "total_hits": len(hits),
        "action_required": bool(hits),
        "monitored": settings["monitoring"],
        "threshold": settings["threshold"],
        "matches": [
            {k: h.get(k) for k in ("hit_id", "entity_id", "dataset", "score", "features")}
            for h in hits
        ],
    }


class AmlCheck:
    def __init__(self, port: Screening | None = None, ctx: Ctx | None = None) -> None:
        self.port = port
        self.ctx = ctx
        self.settings: dict[str, Any] | None = None  # of the last run, for `record`

    def bind(self, ctx: Ctx) -> AmlCheck:
        return AmlCheck(ctx=ctx)

    def _port(self, data: CheckInput) -> Screening:
        if self.port is not None:
            return self.port
        if self.ctx is None:
            raise RuntimeError("the AML check runs inside a job (bind it to its context)")
        from openkyc.domain.aml.steps import StepScreening  # domain imports stay lazy

        self.port = StepScreening(self.ctx, data.app_id, data.session_id)
        return self.port

    def run(self, data: CheckInput) -> CheckOutcome:
        port = self._port(data)
        settings = self.settings = settings_of(port.app_settings(), data.settings)
        info = customer_info(data, port)
        query = subject.query_of(info)
        if query is None:
            evidence = {**evidence_of(info, [], settings), "error": "no name to screen"}
            return CheckOutcome(Decision.REVIEW, None, evidence)
        hits = port.screen(query, settings["threshold"])
        if settings["monitoring"]:
            port.monitor(query)
        decision, reason = decide(hits, settings)
        evidence = {**evidence_of(info, hits, settings), "lists": port.lists()}
        return CheckOutcome(decision, reason, evidence)

    def record(self, ctx: Ctx, outcome: CheckOutcome) -> CheckOutcome:
        """Store the hits with the outcome; decide again on those still standing."""
        if self.port is None or self.settings is None or "error" in outcome.evidence:
            return outcome
        hits = self.port.keep(ctx)
        info = outcome.evidence["customer_info"]
        decision, reason = decide(hits, self.settings)
        evidence = {**outcome.evidence, **evidence_of(info, hits, self.settings)}
        return CheckOutcome(decision, reason, evidence, outcome.files)
