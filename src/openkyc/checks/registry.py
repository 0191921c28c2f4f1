"""The explicit list of checks. A step type with no check waits for a reviewer."""

from __future__ import annotations

from openkyc.checks.base import Check
from openkyc.checks.email.check import EmailCheck
from openkyc.checks.phone.check import PhoneCheck

CHECKS: dict[str, Check] = {
    "PHONE": PhoneCheck(),
    "EMAIL": EmailCheck(),
}

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


def get_check(step_type: str) -> Check | None:
    return CHECKS.get(step_type)


def default_flow_types() -> list[str]:
    return [t for t in _ORDER if t in CHECKS]
