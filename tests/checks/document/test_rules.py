"""The decision rules, as pure functions over evidence (no pictures, no OCR)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from openkyc.checks.base import Decision
from openkyc.checks.document import rules, sandbox, specimen
from openkyc.checks.document.crosscheck import compare, conflicts, similarity
from openkyc.domain.step.reasons import REASONS

TODAY = date(2025, 3, 1)


def side(**extra: Any) -> dict[str, Any]:
    return {"error": None, "has_document": True, "documents": 1, "mrz_blocks": 0,
            "problems": [], "mrz_format": None, **extra}  # fmt: skip


def passport(**changes: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "document_type": "PASSPORT",
        "country": "FRA",
        "sides": {"front": side(mrz_blocks=1, mrz_format="TD3"), "back": None},
        "mrz": {
            "format": "TD3", "valid": True, "side": "front", "ocr_confidence": 0.97,
            "fields": {"document_code": "P"},
        },
        "fields": {
            "lastname": "MARTIN", "firstname": "CLAIRE", "birth_date": "1990-05-17",
            "document_expiration": "2030-01-01", "document_number": "X4RT5Y2B9",
            "nationality": "FRA",
        },
        "crosscheck": {},
        "conflicts": [],
        "specimen": [],
        "sandbox_magic": None,
    }  # fmt: skip
    evidence.update(changes)
    return evidence


def decide(
    evidence: dict[str, Any], sandbox_: bool = False, **settings: Any
) -> tuple[Decision, str | None]:
    return rules.decide(evidence, settings, sandbox_, TODAY)


def test_a_good_passport_is_approved() -> None:
    assert decide(passport()) == (Decision.APPROVE, None)


def test_expired_and_grace() -> None:
    ev = passport()
    ev["fields"]["document_expiration"] = "2025-02-27"
    assert decide(ev) == (Decision.REJECT, "IDENTITY_DOCUMENT_EXPIRED")
    assert decide(ev, expiry_grace_days=5) == (Decision.APPROVE, None)


def test_minor_with_configurable_age() -> None:
    ev = passport()
    ev["fields"]["birth_date"] = "2008-03-02"  # 16 on TODAY
    assert decide(ev) == (Decision.REJECT, "IDENTITY_DOCUMENT_DOB_DATE_MINOR")
    assert decide(ev, min_age=16) == (Decision.APPROVE, None)
    assert rules.age(date(2007, 3, 1), TODAY) == 18
    assert rules.age(date(2007, 3, 2), TODAY) == 17


def test_restricted_nationality_and_country() -> None:
    assert decide(passport(), restricted_nationalities=["FRA"])[1] == "RESTRICTED_NATIONALITY_TYPE"
    assert decide(passport(), restricted_countries=["FRA"])[1] == "RESTRICTED_NATIONALITY_TYPE"
    assert decide(passport(), allowed_countries=["DEU"])[1] == "RESTRICTED_NATIONALITY_TYPE"
    assert decide(passport(), allowed_countries=["FRA"]) == (Decision.APPROVE, None)


def test_document_type_compliance() -> None:
    assert decide(
        passport(document_type="NATIONAL_ID"),
    ) == (Decision.RESUBMIT, "DOCUMENT_COMPLIANCE")
    assert decide(passport(), accepted_types=["NATIONAL_ID"]) == (
        Decision.RESUBMIT,
        "DOCUMENT_COMPLIANCE",
    )
    visa = passport()
    visa["mrz"]["fields"]["document_code"] = "V"
    assert decide(visa) == (Decision.RESUBMIT, "DOCUMENT_COMPLIANCE")


def card(front_mrz: bool, back: dict[str, Any] | None) -> dict[str, Any]:
    ev = passport(document_type="NATIONAL_ID")
    ev["mrz"] = {**ev["mrz"], "format": "TD1", "side": "front" if front_mrz else "back",
                 "fields": {"document_code": "I"}}  # fmt: skip
    ev["sides"] = {"front": side(mrz_format="TD1" if front_mrz else None), "back": back}
    return ev


def test_id_card_sides() -> None:
    assert decide(card(False, side(mrz_format="TD1"))) == (Decision.APPROVE, None)
    # the MRZ side sent as the front, no back: the portrait side is missing
    assert decide(card(True, None)) == (Decision.RESUBMIT, "DOCUMENT_INVALID_FRONT_SIDE")
    # the same MRZ side twice
    assert decide(card(True, side(mrz_format="TD1"))) == (
        Decision.RESUBMIT,
        "DOCUMENT_INVALID_FRONT_SIDE",
    )
    # only the portrait side, no MRZ anywhere and no back
    ev = card(False, None)
    ev["mrz"] = None
    assert decide(ev) == (Decision.RESUBMIT, "DOCUMENT_INVALID_BACK_SIDE")


def test_check_digits_forged_review_or_unreadable() -> None:
    ev = passport()
    ev["mrz"]["valid"] = False
    assert decide(ev) == (Decision.REJECT, "FORGED_REJECTION")
    ev["mrz"]["ocr_confidence"] = 0.8
    assert decide(ev) == (Decision.REVIEW, "FORGED_REJECTION")
    ev["mrz"]["ocr_confidence"] = 0.5
    assert decide(ev) == (Decision.RESUBMIT, "BAD_QUALITY")
    ev["mrz"]["ocr_confidence"] = 0.97
    ev["sides"]["front"]["problems"] = ["blurry"]
    assert decide(ev) == (Decision.RESUBMIT, "BAD_QUALITY")


def test_mrz_and_printed_conflict() -> None:
    comparison = compare(
        {"lastname": "MARTIN", "birth_date": "1990-05-17"},
        {"lastname": "MARTIN", "birth_date": "1991-05-17"},
        {"lastname": 0.99, "birth_date": 0.98},
    )
    assert comparison["lastname"]["score"] == 1.0
    assert comparison["birth_date"]["score"] == 0.0
    assert conflicts(comparison) == ["birth_date"]
    ev = passport(crosscheck=comparison, conflicts=["birth_date"])
    assert decide(ev) == (Decision.REJECT, "FORGED_REJECTION")
    comparison["birth_date"]["ocr_confidence"] = 0.86
    assert decide(passport(crosscheck=comparison, conflicts=["birth_date"]))[0] is Decision.REVIEW


def test_similarity_tolerates_transliteration_and_truncation() -> None:
    assert similarity("lastname", "MULLER", "Müller") == 1.0
    assert similarity("firstname", "JEAN PAUL", "Jean-Paul") == 1.0
    assert similarity("lastname", "WOLFESCHLEGELSTEINH", "WOLFESCHLEGELSTEINHAUSEN") == 1.0
    assert similarity("lastname", "MARTIN", "DUPONT") < 0.6


def test_picture_problems() -> None:
    ev = passport()
    ev["sides"]["front"]["problems"] = ["black_white"]
    assert decide(ev) == (Decision.RESUBMIT, "BLACK_WHITE_PICTURE")
    assert decide(copy.deepcopy(ev), accept_black_white=True) == (Decision.APPROVE, None)
    ev["sides"]["front"]["problems"] = ["too_small"]
    assert decide(ev) == (Decision.RESUBMIT, "BAD_QUALITY")


def test_files_presence_and_multiple() -> None:
    ev = passport()
    ev["sides"]["front"] = {"error": "the picture is damaged or truncated", "has_document": False}
    assert decide(ev) == (Decision.RESUBMIT, "DOCUMENT_FILE_INVALID")
    ev = passport()
    ev["sides"]["front"]["has_document"] = False
    assert decide(ev) == (Decision.RESUBMIT, "DOCUMENT_HIDDEN")
    ev = passport()
    ev["sides"]["front"]["documents"] = 2
    assert decide(ev) == (Decision.RESUBMIT, "MULTIPLE_DOCUMENTS")


def test_specimen_live_and_sandbox() -> None:
    ev = passport(specimen=["known specimen holder"])
    ev["fields"]["document_expiration"] = "2012-04-15"
    assert decide(ev) == (Decision.REJECT, "DOCUMENT_SPECIMEN")
    assert decide(ev, sandbox_=True) == (Decision.APPROVE, None)


def test_specimen_detection() -> None:
    assert specimen.detect({"lastname": "ERIKSSON", "firstname": "ANNA MARIA"}, [])
    assert specimen.detect({"lastname": "MUSTERMANN", "firstname": "ERIKA"}, [])
    assert specimen.detect({}, ["Nom / Surname", "SPECIMEN"])
    assert specimen.detect({"document_number": "L898902C3"}, [])
    assert (
        specimen.detect({"lastname": "MARTIN", "firstname": "CLAIRE"}, ["SPECIMENS ARE NICE?"])
        == []
    )
    assert specimen.detect({"lastname": "MARTIN", "firstname": "CLAIRE"}, ["Surname"]) == []


def test_driver_licence_without_mrz() -> None:
    ev = passport(document_type="DRIVER_LICENSE", mrz=None)
    ev["visual"] = {"confidence": {"lastname": 0.99, "birth_date": 0.97}}
    assert decide(ev) == (Decision.APPROVE, None)
    ev["visual"]["confidence"]["lastname"] = 0.6
    assert decide(ev) == (Decision.REVIEW, None)
    del ev["fields"]["document_number"]
    assert decide(ev) == (Decision.RESUBMIT, "BAD_QUALITY")


def test_national_id_without_mrz_goes_to_a_person() -> None:
    ev = passport(document_type="NATIONAL_ID", mrz=None)
    ev["sides"]["back"] = side()
    ev["visual"] = {"confidence": {"lastname": 0.99}}
    assert decide(ev) == (Decision.REVIEW, None)


@pytest.mark.parametrize("keyword", sorted(sandbox.OUTCOMES))
def test_sandbox_magic_values(keyword: str) -> None:
    fields = {"lastname": "SANDBOX", "firstname": f"{keyword} MARIE"}
    assert sandbox.magic(fields) == keyword
    ev = passport(sandbox_magic=keyword)
    assert decide(ev, sandbox_=True) == sandbox.OUTCOMES[keyword]
    # live sessions ignore them
    assert decide(ev, sandbox_=False) == (Decision.APPROVE, None)
    reason = sandbox.OUTCOMES[keyword][1]
    assert reason is None or reason in REASONS


def test_every_reason_used_is_known() -> None:
    used = {"DOCUMENT_FILE_INVALID", "MULTIPLE_DOCUMENTS", "DOCUMENT_SPECIMEN", "BAD_QUALITY",
            "DOCUMENT_HIDDEN", "BLACK_WHITE_PICTURE", "DOCUMENT_COMPLIANCE", "FORGED_REJECTION",
            "IDENTITY_DOCUMENT_EXPIRED", "IDENTITY_DOCUMENT_DOB_DATE_MINOR",
            "RESTRICTED_NATIONALITY_TYPE", "DOCUMENT_INVALID_FRONT_SIDE",
            "DOCUMENT_INVALID_BACK_SIDE"}  # fmt: skip
    for code in used:
        assert set(REASONS[code]) >= {"en", "fr", "de", "es"}
