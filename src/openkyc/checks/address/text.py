"""Normalised text, the document's language and its kind, from the words it uses.

Language and kind are scored from word lists in English, French, German and Spanish: a
bill names itself ("Stromrechnung", "facture d'électricité") and its units (kWh, m3),
and the title words weigh more than the words of its body.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+")

# Common words, then the words every bill of the language uses (a bill has few sentences);
# written as `plain` makes them (no accents).
_COMMON = {
    "en": "the and of to for your you is on at this by from with date account total due "
    "invoice bill payment amount statement balance price consumption period",
    "fr": "le la les de des du et pour votre vous est au aux sur une un date compte total "
    "facture montant paiement echeance releve solde prix consommation periode",
    "de": "der die das und fur ihr ihre sie ist im am zum zur von mit ein eine datum konto "
    "rechnung betrag gesamtbetrag verbrauch kundennummer zahlung fallig preis zeitraum",
    "es": "el la los las de del y para su usted es en al con una un fecha cuenta total "
    "factura importe consumo pago saldo precio periodo cliente emision",
}
STOPWORDS = {lang: set(plain_words.split()) for lang, plain_words in _COMMON.items()}

# Phrases (normalised, accents removed) that name each kind; title-level words count 3.
KINDS: dict[str, dict[str, int]] = {
    "ELECTRICITY_BILL": {
        "electricity": 3,
        "kwh": 1,
        "electricite": 3,
        "strom": 3,
        "stromrechnung": 3,
        "electricidad": 3,
        "factura de luz": 3,
        "energia electrica": 2,
        "meter": 1,
    },
    "GAS_BILL": {
        "gas": 2,
        "gaz": 2,
        "gas bill": 3,
        "natural gas": 3,
        "facture de gaz": 3,
        "gaz naturel": 3,
        "gasrechnung": 3,
        "erdgas": 3,
        "factura de gas": 3,
        "gas natural": 3,
    },
    "WATER_BILL": {
        "water": 3,
        "facture d eau": 3,
        "eau potable": 2,
        "wasser": 3,
        "wasserrechnung": 3,
        "abwasser": 1,
        "agua": 3,
        "factura de agua": 3,
        "m3": 1,
    },
    "INTERNET_BILL": {
        "broadband": 3,
        "internet": 3,
        "fibre": 2,
        "box": 1,
        "glasfaser": 2,
        "dsl": 2,
        "fibra": 2,
        "mbit": 1,
        "mbps": 1,
        "wifi": 1,
    },
    "LANDLINE_BILL": {
        "landline": 3,
        "home phone": 3,
        "telephone fixe": 3,
        "ligne fixe": 3,
        "festnetz": 3,
        "telefonrechnung": 3,
        "telefono fijo": 3,
        "linea fija": 3,
        "telefonia fija": 3,
        "call charges": 1,
        "appels": 1,
        "anrufe": 1,
        "llamadas": 1,
    },
    "BANK_STATEMENT": {
        "bank statement": 3,
        "account statement": 3,
        "statement of account": 3,
        "releve de compte": 3,
        "releve bancaire": 3,
        "kontoauszug": 3,
        "extracto bancario": 3,
        "extracto de cuenta": 3,
        "opening balance": 2,
        "closing balance": 2,
        "solde": 1,
        "kontostand": 2,
        "saldo": 1,
        "bic": 1,
    },
}


def plain(value: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: for comparisons."""
    decomposed = unicodedata.normalize("NFKD", value.replace("ß", "ss"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(WORD.findall(ascii_only))


def language(text: str) -> str:
    """The language among en/fr/de/es whose common words the text uses most ("" if none)."""
    words = plain(text).split()
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 3 else ""


def kind_scores(text: str, title: str = "") -> dict[str, int]:
    """How strongly the text names each kind; phrases in the title count twice."""
    body = f" {plain(text)} "
    head = f" {plain(title)} "
    scores: dict[str, int] = {}
    for kind, phrases in KINDS.items():
        total = 0
        for phrase, weight in phrases.items():
            needle = f" {phrase} "
            total += weight * min(body.count(needle), 3)
            # German compounds: "Festnetz-Telefonrechnung" holds "telefonrechnung"
            if needle in head or (phrase.endswith("rechnung") and phrase in head):
                total += 2 * weight
        scores[kind] = total
    return scores


def document_kind(text: str, title: str = "") -> tuple[str, dict[str, int]]:
    """The kind the document names most clearly, or "" when it names none clearly."""
    scores = kind_scores(text, title)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    runner_up = ranked[1][1]
    if score < 3 or score < runner_up + 2:
        return "", scores
    return best, scores
