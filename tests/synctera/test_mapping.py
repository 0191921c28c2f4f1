"""The pure rules: the result table, the overall status, times, vendor_info, page tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from openkyc.domain.applicant import paging
from openkyc.domain.verification.schemas import (
    Result,
    VerificationType,
    identity_result,
    overall_status,
    step_result,
)
from openkyc.domain.verification.watchlist import matching_watchlists, outcome_from_screening
from openkyc.errors import Invalid
from openkyc.surfaces.synctera import mapping

R = Result


@pytest.mark.parametrize(
    ("status", "for_reviewer", "evidence", "expected"),
    [
        ("SUBMISSION_REQUIRED", False, None, R.PENDING),
        ("RESUBMISSION_REQUIRED", False, None, R.PENDING),
        ("PENDING_VERIFICATION", False, None, R.PENDING),
        ("PENDING_VERIFICATION", True, None, R.REVIEW),
        ("PENDING_VERIFICATION", True, {"error": "engine failed"}, R.VENDOR_ERROR),
        ("APPROVED", False, None, R.ACCEPTED),
        ("APPROVED", False, {"error": "old"}, R.ACCEPTED),  # a decision wins over an error
        ("REJECTED", False, None, R.REJECTED),
    ],
)
def test_step_states_map_to_results(
    status: str, for_reviewer: bool, evidence: dict[str, str] | None, expected: Result
) -> None:
    assert step_result(status, for_reviewer, evidence) == expected


@pytest.mark.parametrize(
    ("document", "face", "expected"),
    [
        (R.ACCEPTED, R.ACCEPTED, R.ACCEPTED),
        (R.ACCEPTED, None, R.PROVISIONAL),
        (R.ACCEPTED, R.PENDING, R.PROVISIONAL),
        (R.PENDING, None, R.PENDING),
        (R.ACCEPTED, R.REJECTED, R.REJECTED),
        (R.REJECTED, R.ACCEPTED, R.REJECTED),
        (R.REVIEW, R.VENDOR_ERROR, R.VENDOR_ERROR),
        (R.REVIEW, R.ACCEPTED, R.REVIEW),
    ],
)
def test_identity_combines_document_and_face(
    document: Result, face: Result | None, expected: Result
) -> None:
    assert identity_result(document, face) == expected


def test_overall_status_and_the_manual_review_override() -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    T = VerificationType
    assert overall_status([]) == R.UNVERIFIED
    assert overall_status([(T.IDENTITY, R.ACCEPTED, t0), (T.WATCHLIST, R.ACCEPTED, t0)]) == (
        R.ACCEPTED
    )
    mixed = [(T.IDENTITY, R.PROVISIONAL, t0), (T.WATCHLIST, R.PENDING, t0)]
    assert overall_status(mixed) == R.PENDING
    assert overall_status([(T.WATCHLIST, R.VENDOR_ERROR, t0)]) == R.REVIEW
    assert overall_status([*mixed, (T.LICENSE, R.REJECTED, t0)]) == R.REJECTED
    later = t0 + timedelta(hours=1)
    manual = [(T.MANUAL_REVIEW, R.REJECTED, t0), (T.MANUAL_REVIEW, R.ACCEPTED, later)]
    assert overall_status([(T.WATCHLIST, R.REVIEW, t0), *manual]) == R.ACCEPTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-07T05:31:56Z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07t05:31:56.123456789+02:00", datetime(2023, 11, 7, 3, 31, 56, 123456, UTC)),
        ("0932-07-03T09:31:34+19:32", datetime(932, 7, 2, 13, 59, 34, tzinfo=UTC)),
    ],
)
def test_times_are_rfc3339_and_written_back_in_utc(text: str, expected: datetime) -> None:
    parsed = mapping.parse_time(text, "t")
    assert parsed == expected
    assert mapping.timestamp(parsed).endswith("Z") and mapping.timestamp(parsed)[:4].isdigit()


@pytest.mark.parametrize(
    "text",
    ["2023-11-07", "2023-11-07T05:31:56", "2023-02-30T00:00:00Z", "0001-01-01T00:00:00+01:00"],
)
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        mapping.parse_time(text, "t")


def test_screening_answers_become_outcomes() -> None:
    clear = outcome_from_screening({"hits": [], "total_hits": 0, "action_required": False})
    assert clear.result == R.ACCEPTED and clear.details[0]["result"] == "PASS"
    hit = {"info": {"full_name": "X Y"}, "type": ["sanction"], "score": 0.93, "dataset": "eu_fsf"}
    flagged = outcome_from_screening({"hits": [hit], "total_hits": 1, "action_required": True})
    assert flagged.result == R.REVIEW
    assert flagged.details[0]["description"] == "Possible match with X Y (sanction)"
    assert flagged.details[0]["score"] == 0.93
    assert matching_watchlists({"hits": [hit]}) == []
    assert matching_watchlists({"hits": [{**hit, "dataset": "us_ofac_sdn"}]}) == ["US_OFAC"]


def test_page_tokens_round_trip_and_garbage_is_refused() -> None:
    where = paging.Position(datetime(2024, 5, 6, 7, 8, 9, 10, UTC), "abc")
    assert paging.decode(paging.encode(where)) == where
    assert paging.decode(None) is None
    for token in ("%%%", "e30", "W10", "x" * 300, "WyJub3QgYSBkYXRlIiwgImEiXQ"):
        with pytest.raises(Invalid):
            paging.decode(token)
    assert paging.clamp(None) == 100 and paging.clamp(500) == 100 and paging.clamp(7) == 7
    with pytest.raises(Invalid):
        paging.clamp(0)
