"""The explicit list of checks. A step type with no check waits for a reviewer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from openkyc.checks.aml.check import AmlCheck
from openkyc.checks.base import Check
from openkyc.checks.document.check import DocumentCheck
from openkyc.checks.duplicate.check import DuplicateCheck
from openkyc.checks.email.check import EmailCheck
from openkyc.checks.liveness.check import LivenessCheck
from openkyc.checks.liveness.pvid import PvidCheck
from openkyc.checks.phone.check import PhoneCheck

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

CHECKS: dict[str, Check] = {
    "ID_DOCUMENT": DocumentCheck(),
    "PHONE": PhoneCheck(),
    "EMAIL": EmailCheck(),
    "LIVENESS": LivenessCheck(),
    "DUPLICATE": DuplicateCheck(),
    "PVID": PvidCheck(),
    "AML": AmlCheck(),
}
# Checks that exist but join a flow only when an app asks for them.
OPT_IN = {"PVID"}


@runtime_checkable
class Bindable(Protocol):
    """A check that needs the running system (settings, the face index) gets a copy bound
    to the job's context; it still sees no database handle, only what its binding offers."""

    def bind(self, ctx: Ctx) -> Check: ...


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
