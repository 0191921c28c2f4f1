"""IDENTIFIER: one declared identifier is well formed (python-stdnum, email, phone, IP) and,
for document numbers, not already declared by another applicant of the app (a keyed hash
compared with the app's others; the number itself is never stored in clear).

Submission: {"category": "virtual" | "social", "document_type": "SSN"..., "value": "...",
"country": "US"}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.checks.duplicate import store
from openkyc.checks.identifier.values import assess, normalised

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

REASON_INVALID = "IDENTIFIER_INVALID"
REASON_DUPLICATE = "DUPLICATE_USER"


class Lookup(Protocol):
    def hash(self, text: str) -> str: ...
    def matches(self, value_hash: str) -> int: ...


def decide(evidence: dict[str, Any], settings: dict[str, Any]) -> CheckOutcome:
    """Pure rule: invalid -> resubmission (a sandbox failing social value: rejection); a
    number another applicant declared -> a reviewer (`on_duplicate`: "review", default, or
    "reject"), except in sandbox where the test values are shared by everyone; no
    validator for the type -> a reviewer."""
    if evidence.get("valid") is False:
        if evidence.get("sandbox") and evidence.get("category") == "social":
            # The sandbox's failing social values are a complete identity fail.
            return CheckOutcome(Decision.REJECT, REASON_INVALID, evidence)
        return CheckOutcome(Decision.RESUBMIT, REASON_INVALID, evidence)
    if evidence.get("duplicates") and not evidence.get("sandbox"):
        if settings.get("on_duplicate", "review") == "reject":
            return CheckOutcome(Decision.REJECT, REASON_DUPLICATE, evidence)
        return CheckOutcome(Decision.REVIEW, REASON_DUPLICATE, evidence)
    if evidence.get("valid") is None:
        return CheckOutcome(Decision.REVIEW, None, evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


class _DbLookup:
    """The app's keyed hashes of identifiers, in the duplicate search's table (read only:
    the check runs in a read-only view; its enrolment is written by `record`)."""

    def __init__(self, ctx: Ctx, data: CheckInput) -> None:
        self.ctx, self.data = ctx, data

    def hash(self, text: str) -> str:
        return self.ctx.ports.crypto.keyed_hash(f"identifier|{self.data.app_id}|{text}")

    def matches(self, value_hash: str) -> int:
        rows = store.identifier_matches(
            self.ctx.db, self.data.app_id, self.data.session_id, [value_hash]
        )
        return len(rows)


@dataclass(frozen=True)
class Enrolment:
    app_id: str
    session_id: str
    step_id: str
    kind: str
    value_hash: str


class IdentifierCheck:
    def __init__(self, ctx: Ctx | None = None) -> None:
        self.ctx = ctx
        self.enrolment: Enrolment | None = None

    def bind(self, ctx: Ctx) -> IdentifierCheck:
        return IdentifierCheck(ctx)

    def run(self, data: CheckInput, lookup: Lookup | None = None) -> CheckOutcome:
        sub = data.submission
        category = str(sub.get("category", ""))
        doc_type = str(sub.get("document_type", ""))
        value = str(sub.get("value", ""))
        evidence = assess(category, doc_type, value, str(sub.get("country", "")), data.sandbox)
        evidence.update(category=category, document_type=doc_type)
        if lookup is None and self.ctx is not None:
            lookup = _DbLookup(self.ctx, data)
        step_id = str(data.settings.get("step_id", ""))
        if category == "virtual" and evidence["valid"] is not False and lookup is not None:
            value_hash = lookup.hash(f"{doc_type}|{normalised(category, doc_type, value)}")
            evidence["duplicates"] = lookup.matches(value_hash)
            if step_id:
                self.enrolment = Enrolment(
                    data.app_id, data.session_id, step_id, doc_type[:16], value_hash
                )
        return decide(evidence, data.settings)

    def record(self, ctx: Ctx, outcome: CheckOutcome) -> CheckOutcome:
        """Enrol the number, so the next applicant declaring it is compared with it."""
        found = self.enrolment
        if found is not None:
            hashes = {found.kind: found.value_hash}
            store.replace_identifiers(
                ctx.db, found.app_id, found.session_id, found.step_id, hashes, ctx.now
            )
        return outcome
