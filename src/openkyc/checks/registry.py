"""The explicit list of checks. A step type with no check waits for a reviewer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from openkyc.checks.address.check import AddressCheck
from openkyc.checks.aml.check import AmlCheck
from openkyc.checks.base import Check, CheckOutcome
from openkyc.checks.document.inferred import InferringDocumentCheck
from openkyc.checks.duplicate.check import DuplicateCheck
from openkyc.checks.email.check import EmailCheck
from openkyc.checks.face.selfie import FaceStepCheck
from openkyc.checks.identifier.check import IdentifierCheck
from openkyc.checks.liveness.pvid import PvidCheck
from openkyc.checks.phone.check import PhoneCheck

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

DOCUMENT = InferringDocumentCheck()  # the declared type, or the MRZ's (opt-in)
CHECKS: dict[str, Check] = {
    "ID_DOCUMENT": DOCUMENT,
    "PHONE": PhoneCheck(),
    "EMAIL": EmailCheck(),
    "LIVENESS": FaceStepCheck(),  # a video, or a still selfie
    "DUPLICATE": DuplicateCheck(),
    "PVID": PvidCheck(DOCUMENT),  # reads the document as ID_DOCUMENT does
    "AML": AmlCheck(),
    "PROOF_OF_ADDRESS": AddressCheck(),
    "IDENTIFIER": IdentifierCheck(),
}
# Checks that exist but join a flow only when an app asks for them.
OPT_IN = {"PVID", "IDENTIFIER"}
# Bound checks that still write through their binding while they run (not Recording):
# the runner runs them inside the transaction that records their outcome. Quick ones only.
RUN_IN_TRANSACTION = {"IDENTIFIER"}


@runtime_checkable
class Bindable(Protocol):
    """A check that needs the running system (settings, the face index) gets a copy bound
    to the job's context; it still sees no database handle, only what its binding offers.
    The job runs it with a read-only view (checks/runner.py): no write transaction is
    held while it computes."""

    def bind(self, ctx: Ctx) -> Check: ...


@runtime_checkable
class Recording(Protocol):
    """A bound check with something to store (hits, an enrolment) keeps it while it runs
    and writes it here, in the transaction that records the step's outcome (which it may
    revise: a hit a reviewer cleared meanwhile no longer counts)."""

    def record(self, ctx: Ctx, outcome: CheckOutcome) -> CheckOutcome: ...


# Canonical order of a default flow.
_ORDER = [
    "ID_DOCUMENT",
    "LIVENESS",
    "PHONE",
    "EMAIL",
    "PROOF_OF_ADDRESS",
    "PVID",
    "AML",
    "DUPLICATE",
]


def has_check(step_type: str) -> bool:
    return step_type in CHECKS


def get_check(step_type: str, ctx: Ctx | None = None) -> Check | None:
    check = CHECKS.get(step_type)
    if ctx is not None and isinstance(check, Bindable):
        return check.bind(ctx)
    return check


def default_flow_types() -> list[str]:
    return [t for t in _ORDER if t in CHECKS and t not in OPT_IN]
