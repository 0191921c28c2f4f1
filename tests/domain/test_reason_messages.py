"""Reason codes and their messages in every language the applicant may read."""

from __future__ import annotations

import pytest

from openkyc.domain.step.reasons import LANGUAGES, REASONS, is_known, message

SYNAPS_CODES = [
    "FORGED_REJECTION",
    "DOCUMENT_HIDDEN",
    "BAD_ENVIRONMENT",
    "BLACK_WHITE_PICTURE",
    "BAD_QUALITY",
    "DOCUMENT_COMPLIANCE",
    "IDENTITY_DOCUMENT_EXPIRED",
    "DOCUMENT_INVALID_FRONT_SIDE",
    "DOCUMENT_INVALID_BACK_SIDE",
    "IDENTITY_DOCUMENT_DOB_DATE_MINOR",
    "RESTRICTED_NATIONALITY_TYPE",
    "DUPLICATE_USER",
]


def test_every_synaps_code_is_known() -> None:
    for code in SYNAPS_CODES:
        assert is_known(code), code
    assert not is_known("bad_quality")
    assert not is_known("")


def test_languages() -> None:
    assert set(LANGUAGES) >= {"en", "fr", "de", "es"}


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_code_has_a_message_in_every_language(code: str) -> None:
    texts = REASONS[code]
    assert set(texts) == set(LANGUAGES)
    english = texts["en"]
    assert english.strip() and english[0].isupper()
    for lang in LANGUAGES:
        assert texts[lang].strip(), (code, lang)
        assert message(code, lang) == {"original": english, "translated": texts[lang]}
    # A translation is not the English text left in place.
    assert len({texts[lang] for lang in LANGUAGES}) == len(LANGUAGES), code


def test_every_code_has_its_own_message() -> None:
    english = [texts["en"] for texts in REASONS.values()]
    assert len(set(english)) == len(english)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-FR", "fr"), ("DE", "de"), ("es-419", "es"), ("it", "en"), ("", "en"), (None, "en")],
)
def test_languages_are_matched_on_their_primary_tag(language: str | None, expected: str) -> None:
    assert message("BAD_QUALITY", language)["translated"] == REASONS["BAD_QUALITY"][expected]


def test_an_unknown_code_is_its_own_message() -> None:
    assert message("SOMETHING_NEW", "fr") == {
        "original": "SOMETHING_NEW",
        "translated": "SOMETHING_NEW",
    }
