"""The `update.*` fields of PATCH /users, logins and the declared data a user's documents
give the core."""

from __future__ import annotations

from typing import Any

from openkyc.domain.applicant import service as applicants
from openkyc.domain.applicant.schemas import ApplicantKind
from openkyc.domain.context import Ctx
from openkyc.domain.credential.account import Account
from openkyc.errors import Invalid
from openkyc.surfaces.synapsefi import mapping
from openkyc.surfaces.synapsefi.documents import BasePlan
from openkyc.surfaces.synapsefi.wire import Login, Update

MAX_ITEMS = 10


def login(ctx: Ctx, applicant_id: str, item: Login) -> dict[str, Any]:
    """A login as kept: the password only as a keyed hash."""
    scope = item.scope or ("READ" if item.read_only else "READ_AND_WRITE")
    out: dict[str, Any] = {"email": item.email, "scope": scope}
    if item.password:
        out["password_hash"] = ctx.ports.crypto.keyed_hash(
            f"password|{applicant_id}|{item.password}"
        )
    return out


def clean_list(values: list[str], what: str, longest: int) -> list[str]:
    cleaned = [v.strip() for v in values]
    if any(not v or len(v) > longest or "\x00" in v for v in cleaned):
        raise Invalid(f"{what} are 1 to {longest} characters each")
    return list(dict.fromkeys(cleaned))


def _add(values: list[str], value: str, what: str, longest: int) -> list[str]:
    merged = clean_list([*values, value], what, longest)
    if len(merged) > MAX_ITEMS:
        raise Invalid(f"a user has at most {MAX_ITEMS} {what}")
    return merged


def apply_update(ctx: Ctx, account: Account, update: Update) -> None:
    content = account.content
    if update.legal_name:
        content["legal_names"] = _add(
            content.get("legal_names", []), update.legal_name, "legal names", 200
        )
    if update.remove_legal_name:
        content["legal_names"] = [
            n for n in content.get("legal_names", []) if n != update.remove_legal_name
        ]
    if update.phone_number:
        content["phone_numbers"] = _add(
            content.get("phone_numbers", []), update.phone_number, "phone numbers", 320
        )
    if update.remove_phone_number:
        content["phone_numbers"] = [
            p for p in content.get("phone_numbers", []) if p != update.remove_phone_number
        ]
    logins = [entry for entry in content.get("logins", [])]
    if update.login is not None:
        logins = [entry for entry in logins if entry["email"] != update.login.email]
        logins.append(login(ctx, account.applicant_id, update.login))
    if update.remove_login is not None:
        logins = [entry for entry in logins if entry["email"] != update.remove_login.email]
    if len(logins) > MAX_ITEMS:
        raise Invalid(f"a user has at most {MAX_ITEMS} logins")
    content["logins"] = logins
    extra = content.setdefault("extra", {})
    for key in ("cip_tag", "public_note"):
        value = getattr(update, key)
        if value is not None:
            extra[key] = value
    if update.is_hidden is not None:
        content["is_hidden"] = update.is_hidden


def touch(ctx: Ctx, account: Account) -> None:
    account.content.setdefault("extra", {})["last_updated"] = int(ctx.now.timestamp() * 1000)


def declared_of(
    plans: list[BasePlan], kind: ApplicantKind, legal_names: list[str]
) -> dict[str, Any]:
    """The core's declared data from a new user's first base document (or legal name)."""
    for base in plans:
        virtual = [sub for sub in base.subs if sub.category == "virtual"]
        return mapping.declared(base.fields, kind, virtual)
    name = legal_names[0] if legal_names else ""
    return mapping.declared({"name": name}, kind, [])


def follow_declared(ctx: Ctx, account: Account, plans: list[BasePlan]) -> None:
    """A new base document of a user who had none fills the core's declared data."""
    new = [base for base in plans if base.existing is None]
    if not new or len(account.documents) != len(new):
        return
    view = applicants.get(ctx, account.app_id, account.applicant_id)
    data = declared_of(new, view.kind, [])
    if data:
        applicants.update(ctx, account.app_id, account.applicant_id, view.kind, data)
