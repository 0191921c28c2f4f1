"""Corpora of generated bills, made once per test session: every kind in every language as a
digital PDF, and a smaller set of scans (OCR costs about a second a page)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from openkyc.checks.address import sample
from openkyc.kit.clock import utcnow

TODAY = utcnow().date()


@dataclass(frozen=True)
class Doc:
    bill: sample.Bill
    data: bytes
    form: str  # pdf, jpeg, png, scanned-pdf, upside-down


@pytest.fixture(scope="session")
def digital() -> list[Doc]:
    docs = []
    for index, lang in enumerate(sorted(sample.COUNTRIES)):
        for offset, kind in enumerate(sample.KINDS):
            bill = sample.bill(100 + index * 10 + offset, TODAY, lang=lang, kind=kind)
            docs.append(Doc(bill, sample.digital_pdf(bill), "pdf"))
    return docs


@pytest.fixture(scope="session")
def scans() -> list[Doc]:
    forms = ["jpeg", "png", "scanned-pdf", "upside-down"]
    docs = []
    for index, lang in enumerate(sorted(sample.COUNTRIES)):
        form = forms[index]
        bill = sample.bill(300 + index, TODAY, lang=lang)
        if form == "scanned-pdf":
            data = sample.scanned_pdf(bill)
        else:
            data = sample.scanned(bill, "PNG" if form == "png" else "JPEG", form == "upside-down")
        docs.append(Doc(bill, data, form))
    return docs
