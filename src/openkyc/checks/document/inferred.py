"""ID_DOCUMENT steps whose applicant did not say which kind of document they sent (a
SynapseFI GOVT_ID is any government ID): with the step setting `infer_document_type`,
the kind is the one the MRZ's document code names, and the rules decide on that.
Without the setting the declared type is required, as before."""

from __future__ import annotations

from typing import Any

from openkyc.checks.base import Check, CheckInput, CheckOutcome
from openkyc.checks.document import rules
from openkyc.checks.document.check import DocumentCheck
from openkyc.kit.clock import utcnow

SETTING = "infer_document_type"
# ICAO 9303 / ISO 18013 document codes, first letter -> the declared type they imply.
BY_CODE = {"P": "PASSPORT", "I": "NATIONAL_ID", "A": "NATIONAL_ID", "C": "NATIONAL_ID"}
BY_CODE |= {"D": "DRIVER_LICENSE", "R": "RESIDENT_PERMIT"}


def inferred_type(evidence: dict[str, Any]) -> str:
    mrz = evidence.get("mrz") or {}
    code = str((mrz.get("fields") or {}).get("document_code", ""))[:1].upper()
    return BY_CODE.get(code, "")


class InferringDocumentCheck:
    def __init__(self, inner: Check | None = None) -> None:
        self.inner = inner or DocumentCheck()

    def run(self, data: CheckInput) -> CheckOutcome:
        outcome = self.inner.run(data)
        if not data.settings.get(SETTING) or data.submission.get("document_type"):
            return outcome
        evidence = {**outcome.evidence, "document_type": inferred_type(outcome.evidence)}
        decision, reason = rules.decide(evidence, data.settings, data.sandbox, utcnow().date())
        evidence["decision"] = {"decision": decision.value, "reason": reason}
        return CheckOutcome(decision, reason, evidence, outcome.files)
