"""The session status rule, as a pure function of the steps' statuses."""

from __future__ import annotations

from itertools import combinations

import pytest

from openkyc.domain.session.schemas import SessionStatus, rollup
from openkyc.domain.step.schemas import StepStatus

# Documented precedence: the first of these any step holds is the session's status.
PRECEDENCE = [
    StepStatus.REJECTED,
    StepStatus.RESUBMISSION_REQUIRED,
    StepStatus.SUBMISSION_REQUIRED,
    StepStatus.PENDING_VERIFICATION,
    StepStatus.APPROVED,
]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["APPROVED"], "APPROVED"),
        (["APPROVED", "APPROVED", "APPROVED"], "APPROVED"),
        (["APPROVED", "PENDING_VERIFICATION"], "PENDING_VERIFICATION"),
        (["PENDING_VERIFICATION", "SUBMISSION_REQUIRED"], "SUBMISSION_REQUIRED"),
        (["SUBMISSION_REQUIRED", "RESUBMISSION_REQUIRED"], "RESUBMISSION_REQUIRED"),
        (["RESUBMISSION_REQUIRED", "REJECTED", "APPROVED"], "REJECTED"),
        (["REJECTED", "REJECTED"], "REJECTED"),
        (["SUBMISSION_REQUIRED"], "SUBMISSION_REQUIRED"),
        (["APPROVED", "SUBMISSION_REQUIRED", "APPROVED"], "SUBMISSION_REQUIRED"),
    ],
)
def test_examples(steps: list[str], expected: str) -> None:
    assert rollup(steps) == expected
    assert rollup(reversed(steps)) == expected  # order of the steps does not matter


def test_every_combination_follows_the_precedence() -> None:
    for size in range(1, len(PRECEDENCE) + 1):
        for present in combinations(PRECEDENCE, size):
            expected = min(present, key=PRECEDENCE.index)
            assert rollup(s.value for s in present) == SessionStatus(expected.value), present


def test_a_session_without_steps_counts_as_approved() -> None:
    # Nothing is left to do; flows are never empty, so this is only the rule's edge.
    assert rollup([]) == SessionStatus.APPROVED


def test_session_statuses_are_the_synaps_ones() -> None:
    assert {s.value for s in SessionStatus} == {s.value for s in StepStatus}
