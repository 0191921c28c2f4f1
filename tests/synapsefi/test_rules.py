"""Pure rules: identifier validation, permission scopes, the selfie and document-type
decisions."""

from __future__ import annotations

import pytest

from openkyc.checks.base import Decision
from openkyc.checks.document.inferred import inferred_type
from openkyc.checks.face.selfie import decide as selfie_decide
from openkyc.checks.identifier.check import decide
from openkyc.checks.identifier.values import (
    assess,
    sandbox_result,
    validate_social,
    validate_virtual,
)
from openkyc.domain.credential import permission as perm
from openkyc.surfaces.synapsefi import mapping


@pytest.mark.parametrize(
    ("doc_type", "value", "country", "valid"),
    [
        ("SSN", "536-90-4399", "US", True),
        ("SSN", "000-12-3456", "US", False),  # area 000 is never issued
        ("TIN", "12-3456789", "US", True),
        ("PERSONAL_IDENTIFICATION", "12345678Z", "ES", True),
        ("PERSONAL_IDENTIFICATION", "12345678A", "ES", False),
        ("PERSONAL_IDENTIFICATION", "123", "ZZ", None),
        ("DUNS", "15-048-3782", "US", True),
        ("DUNS", "1504", "US", False),
        ("PASSPORT", "X4RT5Y2B9", "FR", None),
    ],
)
def test_virtual_validators(doc_type: str, value: str, country: str, valid: bool | None) -> None:
    assert validate_virtual(doc_type, value, country)[0] is valid


@pytest.mark.parametrize(
    ("doc_type", "value", "valid"),
    [
        ("EMAIL", "jane@example.com", True),
        ("EMAIL", "jane@", False),
        ("PHONE_NUMBER", "+1 415 555 0123", True),
        ("PHONE_NUMBER", "12", False),
        ("IP", "8.8.8.8", True),
        ("IP", "10.0.0.1", False),
        ("IP", "not-an-ip", False),
        ("FACEBOOK", "https://www.facebook.com/jane", None),
        ("FACEBOOK", "https://evil.example/jane", False),
    ],
)
def test_social_validators(doc_type: str, value: str, valid: bool | None) -> None:
    assert validate_social(doc_type, value, "US")[0] is valid


def test_sandbox_values_and_evidence_without_the_value() -> None:
    assert sandbox_result("virtual", "SSN", "777-77-2222")[0] is True
    assert sandbox_result("virtual", "SSN", "777-77-2223")[0] is False
    assert sandbox_result("social", "PHONE_NUMBER", "+1 (541) 754-3010")[0] is False
    assert sandbox_result("social", "EMAIL", "invalid@synapsefi.com")[0] is False
    assert sandbox_result("social", "EMAIL", "valid@synapsefi.com")[0] is True
    evidence = assess("virtual", "SSN", "777-77-2222", "US", sandbox=True)
    assert "777" not in str(evidence)


def test_identifier_decisions() -> None:
    assert decide({"valid": False}, {}).decision is Decision.RESUBMIT
    assert (
        decide({"valid": False, "sandbox": True, "category": "social"}, {}).decision
        is Decision.REJECT
    )
    assert decide({"valid": True, "duplicates": 1}, {}).decision is Decision.REVIEW
    assert (
        decide({"valid": True, "duplicates": 1}, {"on_duplicate": "reject"}).decision
        is Decision.REJECT
    )
    assert (
        decide({"valid": True, "duplicates": 1, "sandbox": True}, {}).decision is Decision.APPROVE
    )
    assert decide({"valid": None}, {}).decision is Decision.REVIEW


V, R, X, B = perm.VALID, perm.REVIEWING, perm.INVALID, perm.BLOCKED


@pytest.mark.parametrize(
    ("cip", "subs", "scope"),
    [
        (1, [], "UNVERIFIED"),
        (1, [("virtual", "SSN", R)], "UNVERIFIED"),
        (1, [("virtual", "SSN", V)], "RECEIVE|200|DAILY"),
        (1, [("physical", "GOVT_ID", V)], "RECEIVE|200|DAILY"),
        (1, [("virtual", "SSN", V), ("physical", "GOVT_ID", V)], "SEND|RECEIVE|1000|DAILY"),
        (
            1,
            [("virtual", "SSN", V), ("physical", "GOVT_ID", V), ("physical", "SELFIE", V)],
            "SEND|RECEIVE|10000|DAILY",
        ),
        (1, [("virtual", "SSN", V), ("physical", "GOVT_ID", X)], "RECEIVE|200|DAILY"),
        (1, [("virtual", "SSN", V), ("social", "FACEBOOK", B)], "UNVERIFIED"),
        (2, [("virtual", "SSN", V)], "UNVERIFIED"),
        (
            2,
            [("virtual", "SSN", V), ("physical", "GOVT_ID", V), ("physical", "SELFIE", V)],
            "SEND|RECEIVE|1000|DAILY",
        ),
        (3, [("virtual", "TIN", V), ("physical", "EIN_DOC", V)], "SEND|RECEIVE|1000|DAILY"),
    ],
)
def test_permission_scopes(cip: int, subs: list[tuple[str, str, str]], scope: str) -> None:
    assert perm.scope(cip, subs) == scope


def test_user_permission() -> None:
    assert (
        perm.user_permission("", ["RECEIVE|200|DAILY", "SEND|RECEIVE|1000|DAILY"])
        == "SEND-AND-RECEIVE"
    )
    assert perm.user_permission("", ["RECEIVE|200|DAILY"]) == "RECEIVE"
    assert perm.user_permission("", []) == "UNVERIFIED"
    assert perm.user_permission("LOCKED", ["SEND|RECEIVE|1000|DAILY"]) == "LOCKED"


def test_selfie_and_inferred_document_type() -> None:
    assert selfie_decide({"faces": 1}).decision is Decision.APPROVE
    assert selfie_decide({"faces": 2}).reason_code == "MULTIPLE_FACES"
    assert selfie_decide({"image_error": "x"}).reason_code == "FACE_NOT_FOUND"
    assert inferred_type({"mrz": {"fields": {"document_code": "P<"}}}) == "PASSPORT"
    assert inferred_type({"mrz": {"fields": {"document_code": "ID"}}}) == "NATIONAL_ID"
    assert inferred_type({"mrz": None}) == ""


def test_every_seed_physical_type_has_its_kinds() -> None:
    assert mapping.PHYSICAL_KINDS["VIDEO_AUTHORIZATION"] == mapping.VIDEOS
    assert mapping.PHYSICAL_KINDS["AUTHORIZATION"] == mapping.IMAGES
    assert mapping.PHYSICAL_KINDS["W9_DOC"] == mapping.IMAGES_PDF
    assert len(mapping.PHYSICAL_KINDS) == 28  # the rows of the seed's table
