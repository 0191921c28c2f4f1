"""`/users`: create, list, view and update users (their KYC documents included)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from openkyc.domain.applicant import repository as applicant_repo
from openkyc.domain.applicant import service as applicants
from openkyc.domain.applicant.schemas import ApplicantKind
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.credential import account as accounts
from openkyc.domain.credential import documents as docs
from openkyc.domain.credential import oauth
from openkyc.domain.credential.account import Account
from openkyc.domain.credential.gateway import GatewayCaller
from openkyc.domain.credential.user import user_object
from openkyc.domain.subscription import service as subscriptions
from openkyc.errors import NotFound
from openkyc.surfaces.synapsefi import auth, updates
from openkyc.surfaces.synapsefi import documents as planning
from openkyc.surfaces.synapsefi.auth import GatewayHeader, IpHeader, UserHeader
from openkyc.surfaces.synapsefi.wire import CreateUser, PatchUser

MAX_PER_PAGE = 20


def client_of(gw: GatewayCaller) -> dict[str, str]:
    return {"id": gw.client_id, "name": gw.caller.app.name}


def _new_account(ctx: Ctx, gw: GatewayCaller, body: CreateUser, applicant_id: str) -> Account:
    extra = body.extra.model_dump(exclude_none=True) if body.extra else {}
    millis = int(ctx.now.timestamp() * 1000)
    content = {
        "logins": [updates.login(ctx, applicant_id, login) for login in body.logins],
        "phone_numbers": updates.clean_list(body.phone_numbers, "phone_numbers", 320),
        "legal_names": updates.clean_list(body.legal_names, "legal_names", 200),
        "extra": {
            "cip_tag": 1,
            "is_business": False,
            "supp_id": None,
            "public_note": None,
            "extra_security": False,
            **extra,
            "date_joined": millis,
            "last_updated": millis,
        },
        "is_hidden": False,
        "documents": [],
    }
    content["refresh_token"] = oauth.new_refresh_token(ctx, gw.caller.app.id, applicant_id)
    return Account(applicant_id, gw.caller.app.id, "", content)


def create(
    ctx: Ctx, gw: GatewayCaller, body: CreateUser, user_header: str | None, client: dict[str, Any]
) -> dict[str, Any]:
    plans = planning.plan(None, body.documents)
    business = bool(body.extra and body.extra.is_business)
    kind = ApplicantKind.BUSINESS if business else ApplicantKind.PERSON
    declared = updates.declared_of(plans, kind, body.legal_names)
    view = applicants.create(ctx, gw.caller.app.id, kind, declared)
    account = _new_account(ctx, gw, body, view.id)
    _open_bases(ctx, gw, account, plans, client)
    accounts.create(ctx, account.app_id, account.applicant_id, account.content)
    fingerprint = auth.user_parts(user_header).fingerprint
    if fingerprint:
        oauth.register_device(ctx, account.app_id, account.applicant_id, fingerprint)
    subscriptions.notify_user(ctx, account.app_id, account.applicant_id, "USER|POST")
    return user_object(ctx, account, client_of(gw))


def _open_bases(
    ctx: Ctx,
    gw: GatewayCaller,
    account: Account,
    plans: list[planning.BasePlan],
    client: dict[str, Any],
) -> None:
    row = applicant_repo.get(ctx.db, account.app_id, account.applicant_id)
    if row is None:
        raise NotFound(f"user {account.applicant_id} not found")

    def new_base(fields: dict[str, Any], subs: list[docs.NewSub]) -> None:
        docs.add_base(ctx, gw.caller, account, row, fields, subs, client)

    planning.apply(ctx, account, plans, new_base, client, gw.caller.sandbox)


def patch(
    ctx: Ctx, gw: GatewayCaller, user_id: str, body: PatchUser, client: dict[str, Any]
) -> dict[str, Any]:
    account = accounts.get(ctx, gw.caller.app.id, user_id, lock=True)
    if body.refresh_token is not None:
        oauth.check_refresh(ctx, account.app_id, user_id, body.refresh_token)
    plans = planning.plan(account, body.documents)
    if body.update is not None:
        updates.apply_update(ctx, account, body.update)
    if body.permission in accounts.OVERRIDES:
        account.permission = body.permission
    _open_bases(ctx, gw, account, plans, client)
    updates.touch(ctx, account)
    accounts.save(ctx, account)
    updates.follow_declared(ctx, account, plans)
    subscriptions.notify_user(ctx, account.app_id, user_id, "USER|PATCH")
    return user_object(ctx, account, client_of(gw))


def listing(
    ctx: Ctx, gw: GatewayCaller, query: str | None, page: int, per_page: int, tokens: bool
) -> dict[str, Any]:
    found, total = accounts.page(ctx, gw.caller.app.id, page, per_page, query)
    users = []
    for account in found:
        user = user_object(ctx, account, client_of(gw))
        if not tokens:
            user.pop("refresh_token", None)
        users.append(user)
    return {
        "error_code": "0",
        "http_code": "200",
        "limit": per_page,
        "page": page,
        "page_count": max(1, math.ceil(total / per_page)),
        "success": True,
        "users": users,
        "users_count": total,
    }


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter()

    @api.post("/users")
    def create_user(
        request: Request,
        body: CreateUser,
        gateway: GatewayHeader = None,
        user: UserHeader = None,
        ip: IpHeader = None,
    ) -> dict[str, Any]:
        with runtime.transaction(actor="api") as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            return create(ctx, gw, body, user, auth.client_info(request, ip))

    @api.get("/users")
    def list_users(
        query: Annotated[str | None, Query(max_length=200)] = None,
        page: Annotated[int, Query(ge=1, le=100000)] = 1,
        per_page: Annotated[int, Query(ge=1)] = MAX_PER_PAGE,
        show_refresh_tokens: Annotated[str | None, Query(max_length=8)] = None,
        gateway: GatewayHeader = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=True)
            size = min(per_page, MAX_PER_PAGE)
            return listing(ctx, gw, query, page, size, (show_refresh_tokens or "").lower() == "yes")

    @api.get("/users/{user_id}")
    def get_user(
        user_id: str,
        full_dehydrate: Annotated[str | None, Query(max_length=8)] = None,
        gateway: GatewayHeader = None,
        user: UserHeader = None,
    ) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=False)
            account = accounts.get(ctx, gw.caller.app.id, user_id)
            auth.reader_of(ctx, gw, user, user_id)
            full = (full_dehydrate or "").lower() == "yes"
            return user_object(ctx, account, client_of(gw), full=full)

    @api.patch("/users/{user_id}")
    def patch_user(
        request: Request,
        user_id: str,
        body: PatchUser,
        gateway: GatewayHeader = None,
        user: UserHeader = None,
        ip: IpHeader = None,
    ) -> dict[str, Any]:
        with runtime.transaction(actor="api") as ctx:
            gw = auth.gateway_of(ctx, gateway, need_secret=False)
            accounts.get(ctx, gw.caller.app.id, user_id)  # another app's user: 404 first
            auth.user_of(ctx, gw, user, user_id, "USER|PATCH")
            return patch(ctx, gw, user_id, body, auth.client_info(request, ip))

    return api
