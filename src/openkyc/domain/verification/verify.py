"""openkyc verifying a person or business itself, and ad-hoc watchlist checks.

Each type needs an engine: WATCHLIST the AML screening service, DOCUMENT_VERIFICATION the
ID document check, IDENTITY the ID document and face checks. A build without one answers
with an error naming what is missing rather than a result it cannot stand behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openkyc.checks.registry import has_check
from openkyc.domain.app.service import Caller
from openkyc.domain.applicant import service as applicants
from openkyc.domain.applicant.schemas import (
    REQUIRED_FOR_SCREENING,
    ApplicantKind,
    ApplicantView,
    missing,
)
from openkyc.domain.context import Ctx
from openkyc.domain.verification import service as records
from openkyc.domain.verification import steps, watchlist
from openkyc.domain.verification.schemas import (
    Outcome,
    Result,
    Source,
    VerificationType,
    VerificationView,
)
from openkyc.errors import Invalid, NotFound


@dataclass(frozen=True)
class Engines:
    """What this build can run. Tests may pass their own; requests use `installed()`."""

    document: bool
    face: bool
    screener: watchlist.Screener | None


def installed() -> Engines:
    return Engines(
        document=has_check("ID_DOCUMENT"),
        face=has_check("LIVENESS"),
        screener=watchlist.find_screener(),
    )


RUNNABLE: dict[ApplicantKind, tuple[VerificationType, ...]] = {
    ApplicantKind.PERSON: (
        VerificationType.WATCHLIST,
        VerificationType.DOCUMENT_VERIFICATION,
        VerificationType.IDENTITY,
    ),
    ApplicantKind.BUSINESS: (VerificationType.WATCHLIST,),
}
ENGINE_NAMES = {
    "screener": "the AML screening service",
    "document": "the ID document check",
    "face": "the face check (liveness and face match)",
}
NEEDS: dict[VerificationType, tuple[str, ...]] = {
    VerificationType.WATCHLIST: ("screener",),
    VerificationType.DOCUMENT_VERIFICATION: ("document",),
    VerificationType.IDENTITY: ("document", "face"),
}


@dataclass(frozen=True)
class Verified:
    verifications: list[VerificationView]
    status: Result


def _check_engines(types: Sequence[VerificationType], engines: Engines) -> None:
    problems = []
    for type_ in types:
        absent = [ENGINE_NAMES[n] for n in NEEDS[type_] if not getattr(engines, n)]
        if absent:
            problems.append(f"{type_} needs {' and '.join(absent)}")
    if problems:
        raise Invalid(
            "; ".join(problems) + ": not installed in this build",
            code="FEATURE_NOT_AVAILABLE",
        )


def _types_for(
    kind: ApplicantKind, asked: Sequence[VerificationType] | None
) -> list[VerificationType]:
    types = list(dict.fromkeys(asked or RUNNABLE[kind]))
    refused = [t for t in types if t not in RUNNABLE[kind]]
    if refused:
        raise Invalid(
            f"openkyc cannot run {', '.join(refused)} for a {kind.value} itself; "
            "record an outside result with POST /verifications instead",
            code="BAD_REQUEST_BODY",
        )
    return types


def _require(applicant: ApplicantView, fields: tuple[str, ...]) -> None:
    absent = missing(applicant, fields)
    if absent:
        raise Invalid(
            f"missing required fields: {', '.join(absent)}",
            code="MISSING_REQUIRED_FIELDS",
            fields=absent,
        )


def verify(
    ctx: Ctx,
    caller: Caller,
    kind: ApplicantKind,
    subject_id: str,
    consent: bool,
    asked: Sequence[VerificationType] | None = None,
    engines: Engines | None = None,
) -> Verified:
    if consent is not True:
        raise Invalid(
            "customer_consent must be true: the customer has to agree to be verified",
            code="CUSTOMER_CONSENT_REQUIRED",
        )
    applicant = applicants.get(ctx, caller.app.id, subject_id, kind)
    types = _types_for(kind, asked)
    engines = engines or installed()
    _check_engines(types, engines)
    screener = engines.screener
    if VerificationType.WATCHLIST in types:
        _require(applicant, REQUIRED_FOR_SCREENING[kind])
    made: list[VerificationView] = []
    if VerificationType.WATCHLIST in types and screener is not None:
        outcome = watchlist.screen_applicant(ctx, screener, caller.app.id, applicant)
        made.append(_record(ctx, caller, applicant.id, kind, VerificationType.WATCHLIST, outcome))
    session_types = [t for t in types if t in steps.STEPS_FOR]
    if session_types:
        row = applicants.get_row(ctx, caller.app.id, subject_id, kind)
        session = steps.session_for(ctx, caller, row, session_types)
        for type_ in session_types:
            outcome = steps.outcome_for(ctx, type_, session)
            made.append(_record(ctx, caller, applicant.id, kind, type_, outcome, session.id))
    status = records.status_of(records.active_records(ctx, caller.app.id, applicant.id))
    return Verified(verifications=made, status=status)


def _record(
    ctx: Ctx,
    caller: Caller,
    subject_id: str,
    kind: ApplicantKind,
    type_: VerificationType,
    outcome: Outcome,
    session_id: str | None = None,
) -> VerificationView:
    return records.record(
        ctx,
        caller.app.id,
        kind,
        subject_id,
        type_,
        outcome,
        ctx.now,
        source=Source.VERIFY,
        session_id=session_id,
    )


def adhoc(
    ctx: Ctx, caller: Caller, payer_id: str, payee_id: str, engines: Engines | None = None
) -> tuple[VerificationView, list[str]]:
    """Screen a payee (a party that is not a customer) before a payer pays them.

    The spec lists no 404 here: an unknown payer or payee is a bad request.
    """
    found = engines or installed()
    _check_engines([VerificationType.WATCHLIST], found)
    assert found.screener is not None
    try:
        applicants.get(ctx, caller.app.id, payer_id, ApplicantKind.PERSON)
        payee = applicants.get(ctx, caller.app.id, payee_id)
    except NotFound as exc:
        raise Invalid(exc.message, code="BAD_REQUEST_BODY") from None
    # a payee is screened by name: no birth date is asked of a non-customer
    _require(payee, REQUIRED_FOR_SCREENING[payee.kind][:2])
    outcome = watchlist.screen_applicant(ctx, found.screener, caller.app.id, payee)
    item = records.record(
        ctx,
        caller.app.id,
        payee.kind,
        payee.id,
        VerificationType.WATCHLIST,
        outcome,
        ctx.now,
        metadata={"adhoc": True, "payer_id": payer_id},
        source=Source.VERIFY,
    )
    lists = watchlist.matching_watchlists((outcome.vendor_info or {}).get("json"))
    return item, lists
