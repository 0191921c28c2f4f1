"""The monitoring reverse index: an applicant's stored keys meet the keys a changed
entity's words look for when the names are variants of each other, and not otherwise."""

from __future__ import annotations

import pytest

from openkyc.checks.aml.keys import stored_keys, wanted_keys
from openkyc.checks.aml.text import analyze


def words_found(applicant: str, listed: str) -> int:
    stored = stored_keys([analyze(applicant)], ())
    return sum(bool(set(keys) & stored) for keys in wanted_keys(analyze(listed)))


@pytest.mark.parametrize(
    "listed",
    [
        "Ivan Drago",
        "Иван Драго",
        "DRAGO, Ivan",
        "Ivan Dargo",
        "Ivan Draggo",
        "Ivan Petrovich Drago",
    ],
)
def test_variants_of_a_name_share_two_words(listed: str) -> None:
    assert words_found("IVAN DRAGO", listed) >= 2


def test_other_names_share_at_most_one_word() -> None:
    assert words_found("IVAN DRAGO", "Ivan Petrov") == 1
    assert words_found("IVAN DRAGO", "Apollo Creed") == 0


def test_joined_words_and_identifiers() -> None:
    assert words_found("ABDUL RAHMAN YASIN", "Abdulrahman Yasin") == 2
    stored = stored_keys([analyze("Jane Roe")], ["AB 123-456"])
    assert "i:AB123456" in stored
