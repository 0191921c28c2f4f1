"""The reading of generated bills: every field, digital and scanned, in en/fr/de/es."""

from __future__ import annotations

from typing import Any

import pytest
from tests.checks.address.conftest import Doc

from openkyc.checks.address.engine import analyse
from openkyc.checks.address.match import key


@pytest.fixture(scope="module")
def scan_readings(scans: list[Doc]) -> list[dict[str, Any]]:
    """OCR costs about a second a page: each scan is read once for the module."""
    return [analyse(doc.data, doc.bill.country) for doc in scans]


def expect_fields(doc: Doc, evidence: dict[str, Any]) -> None:
    bill = doc.bill
    holder = evidence["holder"]
    assert holder is not None, (doc.form, bill, evidence)
    got = {
        "name": key(holder["name"]),
        "address": key(holder["address"]),
        "city": key(holder["city"]),
        "zipcode": key(holder["zipcode"]),
        "issuing_date": evidence["issuing_date"],
        "kind": evidence["document_kind"],
        "lang": evidence["lang"],
    }
    want = {
        "name": key(bill.name),
        "address": key(bill.address),
        "city": key(bill.city),
        "zipcode": key(bill.zipcode),
        "issuing_date": bill.issued.isoformat(),
        "kind": bill.kind,
        "lang": bill.lang,
    }
    assert got == want, (doc.form, bill.seed)
    assert evidence["red_flags"] == []


def test_every_kind_in_every_language_is_read_from_the_text_layer(digital: list[Doc]) -> None:
    assert len(digital) == 24
    for doc in digital:
        evidence = analyse(doc.data, doc.bill.country)
        expect_fields(doc, evidence)
        assert evidence["source"] == "text_layer"


@pytest.mark.parametrize("index", range(4))
def test_scans_are_read_by_ocr(
    scans: list[Doc], scan_readings: list[dict[str, Any]], index: int
) -> None:
    doc, evidence = scans[index], scan_readings[index]
    expect_fields(doc, evidence)
    assert evidence["source"] == "ocr"
    assert evidence["file"].get("upside_down", False) is (doc.form == "upside-down")


def test_the_holder_block_is_told_from_the_senders(digital: list[Doc]) -> None:
    """The provider's own address block (company name, postcode, city) is never taken."""
    for doc in digital:
        holder = analyse(doc.data, doc.bill.country)["holder"]
        assert "Ltd" not in holder["name"] and "GmbH" not in holder["name"]


def test_an_unreadable_file_is_evidence_not_a_crash() -> None:
    evidence = analyse(b"%PDF-1.4 garbage", "FRA")
    assert evidence["error"] == "the PDF cannot be opened"
    assert "error" in analyse(b"\x89PNG\r\n\x1a\nbroken", "FRA")
