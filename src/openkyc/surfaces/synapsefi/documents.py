"""A request's documents, parsed and checked in full before anything is written: new base
documents, sub-documents added to existing ones, 2FA answers and deletions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openkyc.domain.context import Ctx
from openkyc.domain.credential import documents as docs
from openkyc.domain.credential.account import Account
from openkyc.domain.credential.documents import NewSub
from openkyc.domain.step.otp import SANDBOX_CODE
from openkyc.errors import Invalid
from openkyc.surfaces.synapsefi import mapping
from openkyc.surfaces.synapsefi.wire import BaseDocument, SubDocument

# SynapseFI's sandbox MFA answer; the core's sandbox code is another value.
SANDBOX_MFA = "123456"
REFUSED_ANSWER = "999999"  # never a valid code: what any other sandbox answer becomes


@dataclass
class BasePlan:
    """What one item of `documents` asks for."""

    existing: dict[str, Any] | None
    fields: dict[str, Any]
    subs: list[NewSub] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    answers: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def plan(account: Account | None, items: list[BaseDocument]) -> list[BasePlan]:
    """Parse every document; an unknown id (another user's included) is not found."""
    out = []
    for item in items:
        existing = account.base(item.id) if item.id and account is not None else None
        if item.id and account is None:
            raise Invalid("a new user's base documents have no id yet")
        fields = mapping.base_fields(item)
        country = str(
            fields.get("address_country_code")
            or (existing or {}).get("fields", {}).get("address_country_code")
            or ""
        )
        base = BasePlan(existing, fields)
        if existing is None:
            _check_new_base(fields)
            for social in mapping.implied_socials(fields):
                base.subs.append(mapping.social_sub(social, country))
        for category, subs in (
            ("physical", item.physical_docs),
            ("virtual", item.virtual_docs),
            ("social", item.social_docs),
        ):
            for sub in subs:
                _plan_sub(account, base, category, sub, country)
        out.append(base)
    return out


REQUIRED = ("email", "phone_number", "name")


def _check_new_base(fields: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise Invalid(f"a new base document needs {', '.join(missing)}")


def _plan_sub(
    account: Account | None, base: BasePlan, category: str, sub: SubDocument, country: str
) -> None:
    if sub.id:
        if account is None:
            raise Invalid("a new user's sub-documents have no id yet")
        owner, found = account.sub(sub.id)
        if base.existing is not None and owner["id"] != base.existing["id"]:
            raise Invalid(f"sub-document {sub.id} belongs to another base document")
        if sub.document_type == mapping.DELETE:
            base.deletes.append(sub.id)
            return
        if sub.mfa_answer is not None:
            base.answers.append((found, sub.mfa_answer))
            return
        base.deletes.append(sub.id)  # a new value replaces the sub-document
    if category == "physical":
        known = {**(base.existing or {}).get("fields", {}), **base.fields}
        base.subs.append(mapping.physical_sub(sub, known))
    elif category == "virtual":
        base.subs.append(mapping.virtual_sub(sub, country))
    else:
        base.subs.append(mapping.social_sub(sub, country))


def mfa_code(answer: str, sandbox: bool) -> str:
    """The answer as the core checks it: in sandbox only SynapseFI's 123456 passes."""
    if not sandbox:
        return answer
    return SANDBOX_CODE if answer == SANDBOX_MFA else REFUSED_ANSWER


def apply(
    ctx: Ctx,
    account: Account,
    plans: list[BasePlan],
    new_base: Any,
    client: dict[str, Any],
    sandbox: bool,
) -> None:
    """Write what was planned. `new_base(fields, subs)` opens a base document."""
    for base in plans:
        if base.existing is None:
            new_base(base.fields, base.subs)
            continue
        for sub_id in base.deletes:
            docs.delete_sub(ctx, account, sub_id)
        for sub, answer in base.answers:
            docs.answer_2fa(ctx, account.app_id, sub, mfa_code(answer, sandbox), client)
        docs.add_subs(ctx, base.existing, base.subs, client)
