"""EMAIL: the address is well formed (and, if the operator asks, deliverable) and confirmed."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email

from openkyc.checks.base import CheckInput, CheckOutcome, Decision


class EmailInvalid(ValueError):
    pass


def normalise_email(raw: str, check_deliverability: bool = False) -> str:
    """The normalised address, or EmailInvalid with the validator's explanation."""
    try:
        result = validate_email(raw, check_deliverability=check_deliverability)
    except EmailNotValidError as exc:
        raise EmailInvalid(str(exc)) from exc
    return str(result.normalized)


def decide(evidence: dict[str, Any], settings: dict[str, Any]) -> CheckOutcome:
    """Pure rule. Step setting `blocked_domains`: domains never accepted (e.g. disposables)."""
    if not evidence.get("valid"):
        return CheckOutcome(Decision.RESUBMIT, "EMAIL_INVALID", evidence)
    if not evidence.get("code_verified"):
        return CheckOutcome(Decision.RESUBMIT, "CODE_NOT_VERIFIED", evidence)
    blocked = {d.lower() for d in settings.get("blocked_domains", [])}
    if evidence.get("domain", "").lower() in blocked:
        return CheckOutcome(Decision.REJECT, "EMAIL_INVALID", evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


class EmailCheck:
    def run(self, data: CheckInput) -> CheckOutcome:
        sub = data.submission
        value = str(sub.get("value", ""))
        evidence: dict[str, Any] = {"code_verified": bool(sub.get("verified_at"))}
        try:
            normalised = normalise_email(value)
        except EmailInvalid as exc:
            evidence.update(valid=False, error=str(exc))
        else:
            evidence.update(valid=True, domain=normalised.rsplit("@", 1)[1])
        return decide(evidence, data.settings)
