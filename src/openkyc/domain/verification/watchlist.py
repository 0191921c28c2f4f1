"""WATCHLIST verifications: the AML screening service run on an applicant's declared data.

The screening service is its own aggregate (domain/aml); this module is the one place that
calls it. `screen_applicant` shapes the query from the declared data and
`outcome_from_screening` (pure) turns the answer, in the AML step's payload shape
(`hits`, `total_hits`, `action_required`), into a verification outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from openkyc.domain.aml import repository as aml_repository
from openkyc.domain.aml import service as aml
from openkyc.domain.applicant.schemas import ApplicantKind, ApplicantView
from openkyc.domain.context import Ctx
from openkyc.domain.verification.schemas import Outcome, Result, label_for
from openkyc.errors import OpenKYCError

log = logging.getLogger(__name__)

# aml.screen(ctx, name, *, schema, aliases, birth_date, country, identifiers, app_id)
Screener = Callable[..., Any]
MAX_DETAILS = 20
GLOBAL_SCOPE = ""  # lists shared by every app (sanctions); an app's blocklist has its id


def find_screener() -> Screener | None:
    """The AML screening function of this build (None would name it missing)."""
    return aml.screen


def lists_loaded(ctx: Ctx) -> bool:
    """Whether a shared list (sanctions, PEP) is loaded: without one, 'no hit' means
    nothing and must not read as ACCEPTED."""
    return bool(aml_repository.versions(ctx.db, GLOBAL_SCOPE))


def query_of(applicant: ApplicantView) -> dict[str, Any]:
    """What is screened: names, birth date, nationality or country, identifiers."""
    data = applicant.data
    if applicant.kind == ApplicantKind.BUSINESS:
        return {
            "schema": "Company",
            "name": data.get("legal_name", ""),
            "aliases": data.get("trade_names", []),
            "country": data.get("country") or (data.get("legal_address") or {}).get("country"),
        }
    names = [data.get("first_name"), data.get("middle_name"), data.get("last_name")]
    return {
        "schema": "Person",
        "name": " ".join(n for n in names if n),
        "birth_date": data.get("birth_date"),
        "country": data.get("nationality") or (data.get("legal_address") or {}).get("country"),
        "identifiers": [i["value"] for i in data.get("identifiers", [])],
    }


def screen_applicant(
    ctx: Ctx, screener: Screener, app_id: str, applicant: ApplicantView
) -> Outcome:
    """Screen; a failure of the screening itself is a VENDOR_ERROR record, not an error
    response: the tenant learns that this check did not run, and why."""
    if not lists_loaded(ctx):
        return vendor_error("no sanctions list is loaded on this server")
    query = query_of(applicant)
    try:
        answer = screener(ctx, app_id=app_id, **query)
    except OpenKYCError as exc:
        return vendor_error(exc.message)
    except Exception as exc:  # the engine failed: report it, keep the request alive
        log.exception("screening of applicant %s failed", applicant.id)
        return vendor_error(type(exc).__name__)
    return outcome_from_screening(answer if isinstance(answer, dict) else dict(vars(answer)))


def vendor_error(reason: str) -> Outcome:
    detail = {
        "category": "WATCHLIST",
        "label": label_for("WATCHLIST"),
        "result": "WARN",
        "description": f"The watchlist screening could not run: {reason}",
    }
    return Outcome(result=Result.VENDOR_ERROR, details=[detail], vendor_info=None)


def _hit_detail(hit: dict[str, Any]) -> dict[str, Any]:
    info = hit.get("info") or {}
    kinds = ", ".join(str(t) for t in hit.get("type") or []) or "listed entity"
    name = info.get("full_name") or "an entity"
    detail: dict[str, Any] = {
        "category": "WATCHLIST",
        "label": label_for("WATCHLIST"),
        "result": "WARN",
        "description": f"Possible match with {name} ({kinds})",
    }
    if isinstance(hit.get("score"), int | float):
        detail["score"] = float(hit["score"])
    return detail


def outcome_from_screening(answer: dict[str, Any]) -> Outcome:
    """No hit -> ACCEPTED; any hit (or action_required) -> REVIEW, a reviewer decides."""
    hits = [h for h in answer.get("hits") or [] if isinstance(h, dict)]
    total = int(answer.get("total_hits", len(hits)) or 0)
    vendor = {"vendor": "OPENKYC", "content_type": "application/json", "json": answer}
    if total == 0 and not answer.get("action_required"):
        clear = {
            "category": "WATCHLIST",
            "label": label_for("WATCHLIST"),
            "result": "PASS",
            "description": "No match on the screened lists",
        }
        return Outcome(result=Result.ACCEPTED, details=[clear], vendor_info=vendor)
    details = [_hit_detail(h) for h in hits[:MAX_DETAILS]]
    return Outcome(result=Result.REVIEW, details=details, vendor_info=vendor)


def matching_watchlists(answer_json: dict[str, Any] | None) -> list[str]:
    """The spec's watchlist names (only US_OFAC exists) that the hits come from."""
    for hit in (answer_json or {}).get("hits") or []:
        sources = " ".join(
            str(hit.get(k, "")) for k in ("source", "list", "dataset", "datasets")
        ).lower()
        if "ofac" in sources:
            return ["US_OFAC"]
    return []
