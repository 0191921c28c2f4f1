"""The words of the sample bills (sample.py): names, places, providers and labels."""

from __future__ import annotations

import random
from datetime import date

NAMES = {
    "en": [("John", "Doe"), ("Mary", "Watson"), ("Oliver", "Smith"), ("Emily", "Clarke"),
           ("Harry", "Turner"), ("Sophie", "Bennett"), ("James", "O'Neill"), ("Grace", "Hughes")],
    "fr": [("Pierre", "Durand"), ("Claire", "Martin"), ("Amélie", "Lefèvre"), ("Julien", "Moreau"),
           ("Hélène", "Girard"), ("Louis", "Fontaine"), ("Chloé", "Rousseau"), ("Marc", "Lambert")],
    "de": [("Hans", "Müller"), ("Anna", "Schmidt"), ("Jürgen", "Weber"), ("Lena", "Fischer"),
           ("Karl", "Becker"), ("Sophie", "Wagner"), ("Lukas", "Hoffmann"), ("Greta", "Schäfer")],
    "es": [("Carlos", "García"), ("Lucía", "Fernández"), ("Javier", "López"), ("María", "Sánchez"),
           ("Pablo", "Romero"), ("Elena", "Navarro"), ("Sergio", "Ruiz"), ("Marta", "Jiménez")],
}  # fmt: skip
CITIES = {
    "en": [("London", "NW1 6XE"), ("Manchester", "M1 1AE"), ("Leeds", "LS1 4DY"),
           ("Bristol", "BS1 5TR"), ("Glasgow", "G2 1DU"), ("Oxford", "OX1 2JD")],
    "fr": [("Paris", "75002"), ("Lyon", "69003"), ("Marseille", "13001"), ("Toulouse", "31000"),
           ("Nantes", "44000"), ("Strasbourg", "67000")],
    "de": [("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667"),
           ("Frankfurt am Main", "60311"), ("Leipzig", "04109")],
    "es": [("Madrid", "28013"), ("Barcelona", "08001"), ("Valencia", "46002"), ("Sevilla", "41004"),
           ("Bilbao", "48001"), ("Málaga", "29005")],
}  # fmt: skip
STREETS = {
    "en": ["{n} Baker Street", "{n} Station Road", "{n} Church Lane", "{n} Victoria Avenue",
           "Flat {f}, {n} Queen Street", "{n} Mill Road"],
    "fr": ["{n} rue de la Paix", "{n} avenue Victor Hugo", "{n} boulevard Voltaire",
           "{n} rue des Lilas", "{n} place de la République", "{n} impasse des Roses"],
    "de": ["Hauptstraße {n}", "Bahnhofstraße {n}", "Gartenweg {n}", "Lindenallee {n}",
           "Schillerstraße {n}", "Am Markt {n}"],
    "es": ["Calle Mayor {n}", "Avenida de la Constitución {n}", "Calle del Prado {n}",
           "Paseo de Gracia {n}", "Calle Real {n}, 2º B", "Plaza de España {n}"],
}  # fmt: skip
TITLES = {
    "en": {"ELECTRICITY_BILL": "Electricity bill", "GAS_BILL": "Gas bill",
           "WATER_BILL": "Water bill", "INTERNET_BILL": "Broadband and internet bill",
           "LANDLINE_BILL": "Home phone bill (landline)", "BANK_STATEMENT": "Bank statement"},
    "fr": {"ELECTRICITY_BILL": "Facture d'électricité", "GAS_BILL": "Facture de gaz naturel",
           "WATER_BILL": "Facture d'eau", "INTERNET_BILL": "Facture internet",
           "LANDLINE_BILL": "Facture de téléphone fixe", "BANK_STATEMENT": "Relevé de compte"},
    "de": {"ELECTRICITY_BILL": "Stromrechnung", "GAS_BILL": "Gasrechnung",
           "WATER_BILL": "Wasserrechnung", "INTERNET_BILL": "Internet-Rechnung (DSL)",
           "LANDLINE_BILL": "Festnetz-Telefonrechnung", "BANK_STATEMENT": "Kontoauszug"},
    "es": {"ELECTRICITY_BILL": "Factura de electricidad", "GAS_BILL": "Factura de gas natural",
           "WATER_BILL": "Factura de agua", "INTERNET_BILL": "Factura de internet y fibra",
           "LANDLINE_BILL": "Factura de teléfono fijo", "BANK_STATEMENT": "Extracto bancario"},
}  # fmt: skip
LABELS = {
    "en": {"issued": "Invoice date", "account": "Account number", "period": "Billing period",
           "due": "Payment due", "bank_issued": "Statement date"},
    "fr": {"issued": "Date de facture", "account": "Numéro de compte",
           "period": "Période de facturation", "due": "Date d'échéance"},
    "de": {"issued": "Rechnungsdatum", "account": "Kundennummer", "period": "Abrechnungszeitraum",
           "due": "Fällig am"},
    "es": {"issued": "Fecha de emisión", "account": "Número de cliente",
           "period": "Periodo de facturación", "due": "Fecha de cargo"},
}  # fmt: skip
LEGAL = {
    "en": "Registered in England and Wales",
    "fr": "Société anonyme au capital de 1 000 000 EUR",
    "de": "Sitz der Gesellschaft und Registergericht",
    "es": "Sociedad inscrita en el Registro Mercantil",
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}
PROVIDER = {
    "ELECTRICITY_BILL": "Voltaro", "GAS_BILL": "Calorgas", "WATER_BILL": "Aquaris",
    "INTERNET_BILL": "Fibrelink", "LANDLINE_BILL": "Telefonix", "BANK_STATEMENT": "Banco Orbis",
}  # fmt: skip
SUFFIX = {"en": "Ltd", "fr": "SA", "de": "GmbH", "es": "S.L."}
BODY = {
    "ELECTRICITY_BILL": ["{u} 1 245 kWh", "{s} 0,28 / kWh"],
    "GAS_BILL": ["{u} 842 kWh (m3 x 11.2)", "{s} 0,09 / kWh"],
    "WATER_BILL": ["{u} 38 m3", "{s} 3,45 / m3"],
    "INTERNET_BILL": ["{u} 500 Mbit/s", "{s} wifi"],
    "LANDLINE_BILL": ["{u} 312 min", "{s} 0,05 / min"],
    "BANK_STATEMENT": ["IBAN GB29 NWBK 6016 1331 9268 19 - BIC NWBKGB2L", "{o} 1 520,00",
                       "{c} 1 304,12"],
}  # fmt: skip
BODY_WORDS = {
    "en": {"u": "Consumption", "s": "Unit price", "o": "Opening balance", "c": "Closing balance"},
    "fr": {"u": "Consommation", "s": "Prix unitaire", "o": "Solde initial", "c": "Solde final"},
    "de": {"u": "Verbrauch", "s": "Preis je Einheit", "o": "Alter Kontostand",
           "c": "Neuer Kontostand"},
    "es": {"u": "Consumo", "s": "Precio unitario", "o": "Saldo inicial", "c": "Saldo final"},
}  # fmt: skip
TOTAL = {"en": "Total amount due", "fr": "Montant total à payer", "de": "Gesamtbetrag",
         "es": "Importe total de la factura"}  # fmt: skip


def street(lang: str, rng: random.Random) -> str:
    return rng.choice(STREETS[lang]).format(n=rng.randint(1, 240), f=rng.randint(1, 30))


def provider(kind: str, lang: str, rng: random.Random) -> tuple[str, str, str]:
    """The sender's name and its own address (a trap: a second postal block on the page)."""
    city, zipcode = rng.choice(CITIES[lang])
    postal = f"{city} {zipcode}" if lang == "en" else f"{zipcode} {city}"
    return f"{PROVIDER[kind]} {SUFFIX[lang]}", street(lang, rng), postal


def date_text(day: date, lang: str, numeric_form: bool) -> str:
    if numeric_form:
        return numeric(day, lang)
    month = MONTHS[lang].split()[day.month - 1]
    return {
        "en": f"{day.day} {month} {day.year}",
        "fr": f"{day.day} {month} {day.year}",
        "de": f"{day.day}. {month} {day.year}",
        "es": f"{day.day} de {month} de {day.year}",
    }[lang]


def numeric(day: date, lang: str) -> str:
    separator = "." if lang == "de" else "/"
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


def body(kind: str, lang: str, rng: random.Random) -> list[str]:
    values = BODY_WORDS[lang]
    rows = [row.format(**values) for row in BODY[kind]]
    rows.append(f"{TOTAL[lang]}: {rng.randint(20, 400)},{rng.randint(0, 99):02d} EUR")
    return rows
