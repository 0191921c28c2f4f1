"""A user account: what an applicant is known by to a SynapseFI-style client.

The content (logins, phone numbers, legal names, `extra`, its base documents with their
sub-documents' ids and the current refresh token) is encrypted JSON. The refresh token
is also kept as a keyed hash for lookups; it is kept readable because the API shows it on
every read of the user, as the clients expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openkyc.domain.context import Ctx
from openkyc.domain.credential import repository as repo
from openkyc.errors import NotFound
from openkyc.models import UserAccount

# `permission` column values that a tenant sets; anything else is computed from documents.
LOCKED = "LOCKED"
GONE = "MAKE-IT-GO-AWAY"
OVERRIDES = (LOCKED, GONE)


@dataclass
class Account:
    """An account decrypted; `documents` is a list of base documents:
    {id, session_id, fields: {...}, subs: [{id, step_id, category, type, deleted}]}."""

    applicant_id: str
    app_id: str
    permission: str
    content: dict[str, Any] = field(default_factory=dict)

    @property
    def documents(self) -> list[dict[str, Any]]:
        docs: list[dict[str, Any]] = self.content.setdefault("documents", [])
        return docs

    def base(self, base_id: str) -> dict[str, Any]:
        for doc in self.documents:
            if doc["id"] == base_id:
                return doc
        raise NotFound(f"base document {base_id[:80]} not found for this user")

    def sub(self, sub_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for doc in self.documents:
            for sub in doc["subs"]:
                if sub["id"] == sub_id and not sub.get("deleted"):
                    return doc, sub
        raise NotFound(f"sub-document {sub_id[:80]} not found for this user")


def create(ctx: Ctx, app_id: str, applicant_id: str, content: dict[str, Any]) -> Account:
    row = UserAccount(
        applicant_id=applicant_id,
        app_id=app_id,
        permission="",
        hidden=False,
        content=ctx.ports.crypto.encrypt_json(content),
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.add(row)
    ctx.db.flush()
    return Account(applicant_id, app_id, "", content)


def _open(ctx: Ctx, row: UserAccount) -> Account:
    content = ctx.ports.crypto.decrypt_json(row.content) or {}
    return Account(row.applicant_id, row.app_id, row.permission, content)


def get(ctx: Ctx, app_id: str, applicant_id: str, lock: bool = False) -> Account:
    """A user of this app; another app's user or an unknown id is not found."""
    row = repo.account(ctx.db, app_id, applicant_id, lock=lock)
    if row is None:
        raise NotFound(f"user {applicant_id[:80]} not found")
    return _open(ctx, row)


def save(ctx: Ctx, account: Account) -> None:
    row = repo.account(ctx.db, account.app_id, account.applicant_id)
    if row is None:
        raise NotFound(f"user {account.applicant_id} not found")
    row.content = ctx.ports.crypto.encrypt_json(account.content)
    row.permission = account.permission
    row.hidden = account.permission == GONE or bool(account.content.get("is_hidden"))
    row.updated_at = ctx.now
    ctx.db.flush()


def page(
    ctx: Ctx, app_id: str, page: int, per_page: int, query: str | None
) -> tuple[list[Account], int]:
    """One page of visible users, newest first, and how many there are. A query matches a
    legal name or login email (decrypted here: they are stored encrypted)."""
    if not query:
        total = repo.count_accounts(ctx.db, app_id)
        rows = repo.accounts(ctx.db, app_id, (page - 1) * per_page, per_page)
        return [_open(ctx, row) for row in rows], total
    needle = query.casefold()
    found = [
        account
        for account in map(lambda row: _open(ctx, row), repo.all_accounts(ctx.db, app_id))
        if _matches(account, needle)
    ]
    return found[(page - 1) * per_page : page * per_page], len(found)


def _matches(account: Account, needle: str) -> bool:
    names = [str(n) for n in account.content.get("legal_names", [])]
    emails = [str(login.get("email", "")) for login in account.content.get("logins", [])]
    return any(needle in value.casefold() for value in names + emails)
