"""PROOF_OF_ADDRESS: read the document, compare it with the ID and the declared address,
keep every piece of evidence, decide by rules.

Generic over a step's files and submission fields, whichever dialect filled them:
files `document` (required), `host_id_front_document`, `host_id_back_document`,
`accomodation_proof`; fields `document_type`, `country`, `address`, `city`, `zip_code`,
`host_id_document_type`, `host_id_document_country`.

The holder must be the person of the session's ID document; in the accommodation
variant, the host, whose own ID goes through the ID document check here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openkyc.checks.address import match, rules
from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.kit.clock import utcnow

HOST_FRONT, HOST_BACK = "host_id_front_document", "host_id_back_document"


class AddressCheck:
    def __init__(self, engine: Any = None) -> None:
        self._engine = engine  # an ocr.Engine; None: the shared one

    def run(self, data: CheckInput) -> CheckOutcome:
        today = utcnow().date()
        sub = {k: str(v or "") for k, v in data.submission.items()}
        evidence: dict[str, Any] = {
            "version": 1,
            "declared_type": sub.get("document_type", "").upper(),
            "country": sub.get("country", "").upper(),
            "is_accomodation": HOST_FRONT in data.files,
        }
        loader = data.files.get("document")
        if loader is None:
            evidence["document"] = {"error": "no document was uploaded"}
            return _outcome(evidence, data.settings, today)
        if evidence["is_accomodation"]:
            evidence["host"] = self._host(data, sub, today)
            person = (evidence["host"].get("fields") or {}) if evidence["host"]["usable"] else {}
        else:
            person = (data.session_evidence.get("ID_DOCUMENT") or {}).get("fields") or {}
        expected = (str(person.get("firstname") or ""), str(person.get("lastname") or ""))
        evidence["expected_name_from"] = "host" if evidence["is_accomodation"] else "ID_DOCUMENT"
        evidence["document"] = self._analyse(loader(), evidence["country"], data.settings, expected)
        evidence["match"] = compare(evidence["document"].get("holder"), expected, sub)
        evidence["fields"] = info_fields(evidence)
        return _outcome(evidence, data.settings, today)

    def _analyse(
        self, blob: bytes, country: str, settings: dict[str, Any], expected: tuple[str, str]
    ) -> dict[str, Any]:
        from openkyc.checks.address.engine import analyse  # PDF and OCR load on first use

        hints = [expected] if expected[1] else None
        return analyse(blob, country, settings, hints, self._engine)

    def _host(self, data: CheckInput, sub: dict[str, str], today: date) -> dict[str, Any]:
        """The host's ID through the ID document check: usable when it is not refused."""
        from openkyc.checks.document.check import check_files

        back = data.files.get(HOST_BACK)
        outcome = check_files(
            data.files[HOST_FRONT](),
            back() if back else None,
            sub.get("host_id_document_type", "").upper(),
            sub.get("host_id_document_country", "").upper(),
            {},
            data.sandbox,
            today,
            self._engine,
        )
        return {
            "usable": outcome.decision in (Decision.APPROVE, Decision.REVIEW),
            "decision": outcome.decision.value,
            "reason": outcome.reason_code,
            "fields": {
                k: v
                for k, v in (outcome.evidence.get("fields") or {}).items()
                if k in ("firstname", "lastname")
            },
        }


def compare(
    holder: dict[str, str] | None, expected: tuple[str, str], sub: dict[str, str]
) -> dict[str, Any]:
    """Scores of the bill's holder block against the expected name and declared address."""
    if not holder:
        return {}
    first, last = expected
    scores: dict[str, Any] = {
        "name": round(match.name_score(holder["name"], first, last), 1) if last else None,
        "address": round(match.address_score(holder["address"], sub.get("address", "")), 1),
        "city": round(match.city_score(holder["city"], sub.get("city", "")), 1),
    }
    if sub.get("zip_code", "").strip():
        scores["zipcode"] = match.zip_matches(holder["zipcode"], sub["zip_code"])
    return scores


def info_fields(evidence: dict[str, Any]) -> dict[str, str]:
    """The v3 `info` and v4 `fields`: what the document says, names in capitals."""
    document = evidence.get("document") or {}
    holder = document.get("holder") or {}
    return {
        "firstname": str(holder.get("firstname", "")).upper(),
        "lastname": str(holder.get("lastname", "")).upper(),
        "address": str(holder.get("address", "")),
        "city": str(holder.get("city", "")),
        "zipcode": str(holder.get("zipcode", "")),
        "country": str(evidence.get("country", "")),
        "issuing_date": str(document.get("issuing_date", "")),
        "lang": str(document.get("lang", "")),
    }


def _outcome(evidence: dict[str, Any], settings: dict[str, Any], today: date) -> CheckOutcome:
    decision, reason = rules.decide(evidence, settings, today)
    evidence["decision"] = {"decision": decision.value, "reason": reason}
    evidence["window"] = {
        "max_age_months": rules.months_setting(settings),
        "oldest_accepted": rules.window_start(today, rules.months_setting(settings)).isoformat(),
    }
    return CheckOutcome(decision, reason, evidence)
