"""Dates, language, kind, postal lines, names and addresses: the pieces of the reading."""

from __future__ import annotations

from datetime import date

import pytest

from openkyc.checks.address import dates, fields, match, text


@pytest.mark.parametrize(
    ("line", "month_first", "expected"),
    [
        ("Invoice date: 06/07/2021", False, date(2021, 7, 6)),
        ("Invoice date: 06/07/2021", True, date(2021, 6, 7)),
        ("Date: 13/07/2021", True, date(2021, 7, 13)),
        ("Rechnungsdatum: 06.07.2021", False, date(2021, 7, 6)),
        ("Issued 2021-07-06", False, date(2021, 7, 6)),
        ("06-07-21", False, date(2021, 7, 6)),
        ("Date of issue: 6 July 2021", False, date(2021, 7, 6)),
        ("July 6th, 2021", True, date(2021, 7, 6)),
        ("Date d'émission : 1er août 2021", False, date(2021, 8, 1)),
        ("6 juil. 2021", False, date(2021, 7, 6)),
        ("Datum: 6. März 2021", False, date(2021, 3, 6)),
        ("Fecha de emisión: 6 de julio de 2021", False, date(2021, 7, 6)),
        ("14 dic 2021", False, date(2021, 12, 14)),
    ],
)
def test_dates_in_national_formats(line: str, month_first: bool, expected: date) -> None:
    assert dates.find_dates(line, month_first) == [expected]


def test_impossible_dates_are_no_dates() -> None:
    assert dates.find_dates("31/02/2021 and 2021-13-01 and 99/99/99") == []


def test_the_issuing_date_is_the_labelled_one_not_the_due_date() -> None:
    lines = ["Payment due: 20/07/2021", "Invoice date: 06/07/2021", "Period 01/06/2021"]
    assert dates.issuing_date(lines) == (date(2021, 7, 6), "label")
    assert dates.issuing_date(["Rechnungsdatum", "06.07.2021"]) == (date(2021, 7, 6), "label")
    assert dates.issuing_date(["Total 12", "On 06/07/2021"]) == (date(2021, 7, 6), "only")
    assert dates.issuing_date(["Due 01/01/2021", "Paid 02/02/2021"]) == (None, "")


@pytest.mark.parametrize(
    ("words", "lang"),
    [
        ("Your account and the total due for this period", "en"),
        ("Le montant total de votre facture pour la période", "fr"),
        ("Die Rechnung für Ihr Konto und der Betrag ist fällig", "de"),
        ("El importe total de la factura para su cuenta", "es"),
        ("12 34 56", ""),
    ],
)
def test_language(words: str, lang: str) -> None:
    assert text.language(words) == lang


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Stromrechnung", "ELECTRICITY_BILL"),
        ("Facture de gaz naturel", "GAS_BILL"),
        ("Factura de agua", "WATER_BILL"),
        ("Broadband and internet bill", "INTERNET_BILL"),
        ("Festnetz-Telefonrechnung", "LANDLINE_BILL"),
        ("Relevé de compte", "BANK_STATEMENT"),
        ("Extracto bancario", "BANK_STATEMENT"),
        ("Restaurant receipt", ""),
    ],
)
def test_document_kind_from_its_title(title: str, kind: str) -> None:
    assert text.document_kind(title, title)[0] == kind


@pytest.mark.parametrize(
    ("line", "country", "expected"),
    [
        ("London NW1 6XE", "GBR", ("NW1 6XE", "London")),
        ("NW16XE", "GBR", ("NW1 6XE", "")),
        ("75002 PARIS CEDEX 02", "FRA", ("75002", "PARIS")),
        ("D-10115 Berlin", "DEU", ("10115", "Berlin")),
        ("60311 Frankfurt am Main", "DEU", ("60311", "Frankfurt am Main")),
        ("Springfield, IL 62701", "USA", ("62701", "Springfield")),
        ("Invoice 12345 total", "FRA", None),
        ("Total: 75002 EUR", "FRA", None),
    ],
)
def test_postal_lines(line: str, country: str, expected: tuple[str, str] | None) -> None:
    assert fields.postal(line, country) == expected


@pytest.mark.parametrize(
    ("printed", "hints", "expected"),
    [
        ("Jean DUPONT", None, ("Jean", "DUPONT")),
        ("JOHN DOE", None, ("JOHN", "DOE")),
        ("Mr John Michael Doe", None, ("John Michael", "Doe")),
        ("DOE, John", None, ("John", "DOE")),
        ("MARIA GARCIA LOPEZ", [("Maria", "García López")], ("MARIA", "GARCIA LOPEZ")),
    ],
)
def test_names_are_split(
    printed: str, hints: list[tuple[str, str]] | None, expected: tuple[str, str]
) -> None:
    assert fields.split_name(printed, hints) == expected


def test_name_matching_is_order_insensitive_and_strict_on_the_surname() -> None:
    assert match.name_score("DOE John", "John", "Doe") >= match.NAME_THRESHOLD
    assert match.name_score("John Michael Doe", "John", "Doe") >= match.NAME_THRESHOLD
    assert match.name_score("Mme Hélène GIRARD", "Helene", "Girard") >= match.NAME_THRESHOLD
    assert match.name_score("John Smith", "John", "Doe") < match.NAME_THRESHOLD
    assert match.name_score("Jane Doe", "John", "Doe") < match.NAME_THRESHOLD


def test_addresses_are_normalised_but_house_numbers_are_not_typos() -> None:
    assert match.address_score("Hauptstr. 12", "Hauptstraße 12") >= match.ADDRESS_THRESHOLD
    assert match.address_score("221B Baker St", "221b baker street") >= match.ADDRESS_THRESHOLD
    assert match.address_score("12 r. de la Paix", "12 rue de la paix") >= match.ADDRESS_THRESHOLD
    assert match.address_score("14 rue de la Paix", "12 rue de la Paix") < match.ADDRESS_THRESHOLD
    assert match.city_score("MÜNCHEN", "Munchen") >= match.ADDRESS_THRESHOLD
    assert match.zip_matches("NW1 6XE", "nw16xe")
    assert not match.zip_matches("75002", "75003")
