"""The user object of the SynapseFI dialect, built from an account and its sessions' steps.

It lives in the domain, as the other dialects' webhook resources do, because the same
object is both the API's answer and every USER|POST / USER|PATCH webhook's body."""

from __future__ import annotations

from typing import Any

from openkyc.domain.context import Ctx
from openkyc.domain.credential import permission as perm
from openkyc.domain.credential.account import Account
from openkyc.domain.file import service as files
from openkyc.domain.session import repository as session_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus
from openkyc.models import Step

CATEGORIES = ("physical", "social", "virtual")
# Fields of a base document shown with full_dehydrate=yes.
BASE_FIELDS = (
    "email",
    "phone_number",
    "ip",
    "alias",
    "entity_type",
    "entity_scope",
    "day",
    "month",
    "year",
    "address_street",
    "address_city",
    "address_subdivision",
    "address_postal_code",
    "address_country_code",
)


def millis(ctx: Ctx, step: Step) -> int:
    return int(step.updated_at.timestamp() * 1000)


def _sub_object(ctx: Ctx, sub: dict[str, Any], step: Step, full: bool) -> dict[str, Any]:
    otp_pending = sub["type"].endswith("_2FA")
    status = perm.sub_status(step.status, otp_pending)
    out: dict[str, Any] = {
        "document_type": sub["type"],
        "id": sub["id"],
        "last_updated": millis(ctx, step),
        "status": status,
    }
    if step.status in (StepStatus.REJECTED, StepStatus.RESUBMISSION_REQUIRED):
        out["invalid_reasons"] = [(step.reason_code or "invalid").lower()]
    if full:
        out["document_value"] = _value(ctx, sub, step)
    return out


def _value(ctx: Ctx, sub: dict[str, Any], step: Step) -> str | None:
    if sub["category"] == "physical":
        uploads = [f for f in files.of_attempt(ctx, step) if not f.kind.startswith(files.PROCESSED)]
        return files.signed_url(ctx, uploads[0]) if uploads else None
    value = steps.submission(ctx, step).get("value") or steps.submission(ctx, step).get("number")
    return str(value) if value else None


def _base_object(
    ctx: Ctx, base: dict[str, Any], cip_tag: int, full: bool
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    by_id = {s.id: s for s in session_repo.steps(ctx.db, base["session_id"])}
    out: dict[str, Any] = {"id": base["id"], "name": base["fields"].get("name", "")}
    for category in CATEGORIES:
        out[f"{category}_docs"] = []
    summary: list[tuple[str, str, str]] = []
    for sub in base["subs"]:
        step = by_id.get(sub["step_id"])
        if step is None or sub.get("deleted"):
            continue
        item = _sub_object(ctx, sub, step, full)
        out[f"{sub['category']}_docs"].append(item)
        summary.append((sub["category"], sub["type"], item["status"]))
    out["permission_scope"] = perm.scope(cip_tag, summary)
    if full:
        out.update({k: base["fields"][k] for k in BASE_FIELDS if k in base["fields"]})
    return out, summary


def user_object(
    ctx: Ctx, account: Account, client: dict[str, str], full: bool = False
) -> dict[str, Any]:
    content = account.content
    extra = dict(content.get("extra", {}))
    cip_tag = int(extra.get("cip_tag", 1))
    documents, summaries = [], []
    for base in account.documents:
        doc, summary = _base_object(ctx, base, cip_tag, full)
        documents.append(doc)
        summaries.extend(summary)
    href = f"{ctx.ports.settings.public_url}/v3.1/users/{account.applicant_id}"
    return {
        "_id": account.applicant_id,
        "_links": {"self": {"href": href}},
        "client": client,
        "doc_status": perm.doc_status(summaries),
        "documents": documents,
        "emails": [],
        "extra": extra,
        "flag": "NOT-FLAGGED",
        "is_hidden": bool(content.get("is_hidden", False)),
        "legal_names": list(content.get("legal_names", [])),
        "logins": [
            {"email": login["email"], "scope": login.get("scope", "READ_AND_WRITE")}
            for login in content.get("logins", [])
        ],
        "permission": perm.user_permission(
            account.permission, [d["permission_scope"] for d in documents]
        ),
        "phone_numbers": list(content.get("phone_numbers", [])),
        "photos": [],
        "refresh_token": content.get("refresh_token", ""),
    }
