"""The PROOF_OF_ADDRESS check over a step's files and fields, and its pure rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from tests.checks.address.conftest import TODAY, Doc
from tests.checks.document.samples import adult, picture

from openkyc.checks.address import rules, sample
from openkyc.checks.address.check import AddressCheck
from openkyc.checks.base import CheckInput, CheckOutcome, Decision


def submission(bill: sample.Bill, **changes: str) -> dict[str, str]:
    return {
        "document_type": bill.kind,
        "country": bill.country,
        "address": bill.address.lower(),
        "city": bill.city.upper(),
        "zip_code": bill.zipcode,
        **changes,
    }


def run(
    data: bytes,
    sub: dict[str, str],
    name: tuple[str, str] | None,
    settings: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
) -> CheckOutcome:
    loaders = {k: (lambda v=v: v) for k, v in {"document": data, **(files or {})}.items()}
    others = {}
    if name is not None:
        others["ID_DOCUMENT"] = {"fields": {"firstname": name[0], "lastname": name[1]}}
    return AddressCheck().run(
        CheckInput(
            step_type="PROOF_OF_ADDRESS",
            settings=settings or {},
            submission=sub,
            sandbox=False,
            files=loaders,
            session_evidence=others,
        )
    )


def test_a_matching_bill_is_approved_with_its_fields(digital: list[Doc]) -> None:
    for doc in digital[::5]:
        bill = doc.bill
        outcome = run(doc.data, submission(bill), (bill.firstname.upper(), bill.lastname.upper()))
        assert (outcome.decision, outcome.reason_code) == (Decision.APPROVE, None), bill
        fields = outcome.evidence["fields"]
        assert fields["issuing_date"] == bill.issued.isoformat()
        assert fields["lang"] == bill.lang and fields["country"] == bill.country
        assert fields["lastname"] == bill.lastname.upper()
        assert outcome.evidence["match"]["zipcode"] is True


def made(seed: int, **changes: Any) -> tuple[sample.Bill, bytes]:
    bill = sample.bill(seed, TODAY, **changes)
    return bill, sample.digital_pdf(bill)


@pytest.mark.parametrize(
    ("changes", "declared", "reason"),
    [
        ({"issued": TODAY - timedelta(days=120)}, {}, "POA_DOCUMENT_TOO_OLD"),
        ({"issued": TODAY + timedelta(days=20)}, {}, "POA_ISSUING_DATE_INVALID"),
        ({"kind": "WATER_BILL"}, {"document_type": "GAS_BILL"}, "POA_DOCUMENT_TYPE_MISMATCH"),
        ({}, {"address": "99 Nowhere Road"}, "POA_ADDRESS_MISMATCH"),
        ({}, {"zip_code": "00000"}, "POA_ADDRESS_MISMATCH"),
        ({}, {"city": "Reykjavik"}, "POA_ADDRESS_MISMATCH"),
    ],
)
def test_what_the_applicant_can_fix_asks_for_a_new_document(
    changes: dict[str, Any], declared: dict[str, str], reason: str
) -> None:
    bill, data = made(41, **changes)
    outcome = run(data, submission(bill, **declared), (bill.firstname, bill.lastname))
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, reason)


def test_a_bill_in_someone_elses_name_is_refused() -> None:
    bill, data = made(42)
    outcome = run(data, submission(bill), ("Zoe", "Quincy"))
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "POA_NAME_MISMATCH")
    assert outcome.evidence["match"]["name"] < 50


def test_the_window_is_a_setting_of_the_app() -> None:
    bill, data = made(43, issued=TODAY - timedelta(days=100))
    name = (bill.firstname, bill.lastname)
    assert run(data, submission(bill), name).reason_code == "POA_DOCUMENT_TOO_OLD"
    assert run(data, submission(bill), name, {"max_age_months": 6}).decision is Decision.APPROVE
    outcome = run(data, submission(bill), name, {"document_types": ["BANK_STATEMENT"]})
    if bill.kind != "BANK_STATEMENT":
        assert outcome.reason_code == "DOCUMENT_COMPLIANCE"


def test_without_an_id_name_a_person_compares() -> None:
    bill, data = made(44)
    outcome = run(data, submission(bill), None)
    assert (outcome.decision, outcome.reason_code) == (Decision.REVIEW, None)
    assert outcome.evidence["match"]["name"] is None


def test_red_flags_go_to_a_reviewer() -> None:
    bill = sample.bill(45, TODAY)
    data = sample.digital_pdf(bill, producer="GIMP 2.10")
    outcome = run(data, submission(bill), (bill.firstname, bill.lastname))
    assert (outcome.decision, outcome.reason_code) == (Decision.REVIEW, "POA_TAMPERING_SUSPECTED")
    assert outcome.evidence["document"]["red_flags"] == ["editor_metadata"]


def test_an_unreadable_document_asks_for_another() -> None:
    outcome = run(b"%PDF-1.4 broken", {"document_type": "GAS_BILL"}, ("A", "B"))
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "POA_DOCUMENT_UNREADABLE")


def test_the_host_variant_reads_the_hosts_id_and_waits_for_a_reviewer() -> None:
    host = adult()  # CLAIRE MARTIN, French passport
    bill, data = made(46, lang="fr", firstname="Claire", lastname="Martin")
    files = {"host_id_front_document": picture("TD3", host, "light", seed=21)}
    sub = submission(bill, host_id_document_type="PASSPORT", host_id_document_country="FRA")
    outcome = run(data, sub, ("Paul", "Other"), files=files)  # the applicant is not the holder
    assert outcome.evidence["is_accomodation"] is True
    assert outcome.evidence["host"]["usable"] is True
    assert outcome.evidence["host"]["fields"] == {"firstname": "CLAIRE", "lastname": "MARTIN"}
    assert (outcome.decision, outcome.reason_code) == (Decision.REVIEW, None)
    other, other_data = made(47, lang="fr", firstname="Julien", lastname="Moreau")
    other_sub = submission(other, host_id_document_type="PASSPORT", host_id_document_country="FRA")
    refused = run(other_data, other_sub, ("Paul", "Other"), files=files)
    assert refused.reason_code == "POA_NAME_MISMATCH"
    unusable = run(data, sub, None, files={"host_id_front_document": b"\x89PNG\r\n\x1a\nx"})
    assert unusable.reason_code == "POA_HOST_ID_INVALID"


@pytest.mark.parametrize(
    ("today", "months", "oldest"),
    [
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2026, 1, 15), 3, date(2025, 10, 15)),
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2026, 11, 23), 12, date(2025, 11, 23)),
    ],
)
def test_window_start(today: date, months: int, oldest: date) -> None:
    assert rules.window_start(today, months) == oldest


def test_a_whole_file_signature_answers_for_editor_metadata_but_not_for_covered_text() -> None:
    signed = [{"intact": True, "valid": True, "covers_whole_file": True}]
    evidence = {"document": {"red_flags": ["editor_metadata"], "file": {"signatures": signed}}}
    assert rules.routed_flags(evidence) == []
    evidence["document"]["red_flags"] = ["editor_metadata", "text_covered"]
    assert rules.routed_flags(evidence) == ["text_covered"]


def test_malformed_settings_fall_back_to_the_defaults() -> None:
    settings = {"max_age_months": "three", "future_tolerance_days": [1]}
    assert rules.months_setting(settings) == rules.DEFAULT_MONTHS
    document = {"text_chars": 500, "document_kind": "GAS_BILL", "issuing_date": str(TODAY)}
    evidence = {"document": document, "declared_type": "GAS_BILL"}
    assert rules.decide(evidence, settings, TODAY)[1] == "POA_ADDRESS_MISMATCH"
