"""Which page an applicant sees, from the session's steps (pure, no database)."""

from __future__ import annotations

from openkyc.domain.step.reasons import REASONS
from openkyc.models import Session, Step
from openkyc.web.verify.view import page


def steps(*specs: tuple[str, str], review: bool = False) -> list[Step]:
    return [
        Step(id=f"s{i}", type=kind, status=status, needs_review=review, reason_code=None)
        for i, (kind, status) in enumerate(specs)
    ]


def session(status: str = "SUBMISSION_REQUIRED", **meta: str) -> Session:
    return Session(id="sess", status=status, meta=meta)


def test_the_first_step_waiting_is_current_and_server_steps_are_not_shown() -> None:
    shown = page(
        session(),
        "acme",
        steps(
            ("PHONE", "APPROVED"),
            ("AML", "SUBMISSION_REQUIRED"),
            ("ID_DOCUMENT", "PENDING_VERIFICATION"),
            ("LIVENESS", "SUBMISSION_REQUIRED"),
            ("DUPLICATE", "SUBMISSION_REQUIRED"),
        ),
        "en",
    )
    assert [s.type for s in shown.steps] == ["PHONE", "ID_DOCUMENT", "LIVENESS"]
    assert [s.state for s in shown.steps] == ["done", "checking", "current"]
    assert shown.current is not None and shown.current.type == "LIVENESS"
    assert shown.position == 3 and not shown.checking


def test_a_resubmission_comes_back_first_with_its_reason() -> None:
    found = steps(("PHONE", "APPROVED"), ("ID_DOCUMENT", "RESUBMISSION_REQUIRED"))
    found[1].reason_code, found[1].reason_message = "BAD_QUALITY", "Too dark"
    shown = page(session(), "acme", found, "es")
    assert shown.current is not None and shown.current.type == "ID_DOCUMENT"
    assert shown.current.reason == REASONS["BAD_QUALITY"]["es"]
    assert shown.current.note == "Too dark"


def test_nothing_to_send_while_a_check_runs_is_the_checking_page() -> None:
    running = page(session(), "acme", steps(("PHONE", "PENDING_VERIFICATION")), "en")
    assert running.current is None and running.checking
    reviewed = page(
        session("PENDING_VERIFICATION"),
        "acme",
        steps(("PHONE", "PENDING_VERIFICATION"), review=True),
        "en",
    )
    assert reviewed.current is None and not reviewed.checking and reviewed.outcome == "PENDING"


def test_a_rejection_ends_the_journey() -> None:
    shown = page(
        session("REJECTED"),
        "acme",
        steps(("ID_DOCUMENT", "REJECTED"), ("LIVENESS", "SUBMISSION_REQUIRED")),
        "en",
    )
    assert shown.current is None and shown.outcome == "REJECTED"


def test_approved_sessions_and_the_redirect() -> None:
    shown = page(
        session("APPROVED", redirect_url="https://shop.example/back"),
        "acme",
        steps(("EMAIL", "APPROVED")),
        "en",
    )
    assert shown.outcome == "APPROVED" and shown.redirect_url == "https://shop.example/back"
    assert page(session(redirect_url="javascript:x"), "a", [], "en").redirect_url is None
