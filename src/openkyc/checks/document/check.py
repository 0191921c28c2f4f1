"""ID_DOCUMENT: read the uploaded sides, keep every piece of evidence, decide by rules."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from openkyc.checks.base import CheckInput, CheckOutcome
from openkyc.checks.document import rules
from openkyc.kit.clock import utcnow

if TYPE_CHECKING:
    from openkyc.checks.document import ocr


class DocumentCheck:
    def __init__(self, engine: ocr.Engine | None = None) -> None:
        self._engine = engine

    def run(self, data: CheckInput) -> CheckOutcome:
        today = utcnow().date()
        front_loader = data.files.get("front")
        if front_loader is None:
            evidence: dict[str, Any] = {"sides": {"front": {"error": "no front side was uploaded"}}}
            decision, reason = rules.decide(evidence, data.settings, data.sandbox, today)
            return CheckOutcome(decision, reason, evidence)
        back_loader = data.files.get("back")
        return check_files(
            front_loader(),
            back_loader() if back_loader else None,
            str(data.submission.get("document_type") or ""),
            str(data.submission.get("country") or ""),
            data.settings,
            data.sandbox,
            today,
            self._engine,
        )


def check_files(
    front: bytes,
    back: bytes | None,
    document_type: str,
    country: str,
    settings: dict[str, Any],
    sandbox: bool,
    today: date,
    engine: ocr.Engine | None = None,
) -> CheckOutcome:
    """The same check on plain bytes (the CLI and the benchmark call this)."""
    from openkyc.checks.document.engine import analyse  # OCR and imaging load on first use

    analysis = analyse(front, back, document_type, country.upper(), today, settings, engine)
    decision, reason = rules.decide(analysis.evidence, settings, sandbox, today)
    analysis.evidence["decision"] = {"decision": decision.value, "reason": reason}
    return CheckOutcome(decision, reason, analysis.evidence, analysis.files)
