"""The hosted pages' words in en, fr, de, es (one JSON file per language under locales/),
the choice of language, and country names in that language (pycountry's translations)."""

from __future__ import annotations

import gettext
import json
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from openkyc.domain.step.client import language as preferred_language
from openkyc.domain.step.reasons import LANGUAGES

DEFAULT = "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = resources.files("openkyc.web.verify").joinpath(f"locales/{lang}.json").read_text("utf-8")
    words: dict[str, str] = json.loads(text)
    return words


def choose(explicit: str | None, accept_language: str | None) -> str:
    """The switcher's choice when it names a language we speak, else the browser's."""
    if explicit and explicit.strip().lower() in LANGUAGES:
        return explicit.strip().lower()
    found = preferred_language(accept_language)
    return found if found in LANGUAGES else DEFAULT


class Words:
    """`words("otp.sent", target=...)`: the text in the page's language, English as a
    fallback, the key itself if nobody wrote it (visible in review, never a crash)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._own = catalogue(lang)
        self._fallback = catalogue(DEFAULT)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._own.get(key) or self._fallback.get(key) or key
        return text.format(**values) if values else text

    def keys(self, prefix: str) -> dict[str, str]:
        """Every text under `prefix.` (for the scripts, as a JSON data attribute)."""
        return {k[len(prefix) + 1 :]: v for k, v in self._own.items() if k.startswith(prefix + ".")}


@cache
def countries(lang: str) -> list[tuple[str, str]]:
    """(alpha-3, name) in the language's alphabetical order of names."""
    translate = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    ).gettext
    names = [(c.alpha_3, translate(c.name)) for c in pycountry.countries]
    return sorted(names, key=lambda item: item[1].casefold())
