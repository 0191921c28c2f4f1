"""Reason codes: Synaps' list plus ours, each with a message in en, fr, de, es.

`original` is the English text; `translated` is the applicant's language when known.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr", "de", "es")

REASONS: dict[str, dict[str, str]] = {
    "FORGED_REJECTION": {
        "en": "The document appears to be forged or altered.",
        "fr": "Le document semble falsifié ou altéré.",
        "de": "Das Dokument scheint gefälscht oder verändert zu sein.",
        "es": "El documento parece falsificado o alterado.",
    },
    "DOCUMENT_HIDDEN": {
        "en": "The document is hidden or not fully visible.",
        "fr": "Le document est masqué ou pas entièrement visible.",
        "de": "Das Dokument ist verdeckt oder nicht vollständig sichtbar.",
        "es": "El documento está oculto o no es completamente visible.",
    },
    "BAD_ENVIRONMENT": {
        "en": "The picture was taken in a poor environment (lighting, background).",
        "fr": "La photo a été prise dans un mauvais environnement (lumière, arrière-plan).",
        "de": "Das Foto wurde unter schlechten Bedingungen aufgenommen (Licht, Hintergrund).",
        "es": "La foto se tomó en un mal entorno (iluminación, fondo).",
    },
    "BLACK_WHITE_PICTURE": {
        "en": "The picture is in black and white; please send a colour picture.",
        "fr": "La photo est en noir et blanc ; veuillez envoyer une photo en couleur.",
        "de": "Das Foto ist schwarzweiß; bitte senden Sie ein Farbfoto.",
        "es": "La foto está en blanco y negro; envíe una foto en color.",
    },
    "BAD_QUALITY": {
        "en": "The picture quality is too low (blurry, glare or too small).",
        "fr": "La qualité de la photo est insuffisante (floue, reflets ou trop petite).",
        "de": "Die Bildqualität ist zu gering (unscharf, Spiegelung oder zu klein).",
        "es": "La calidad de la foto es insuficiente (borrosa, reflejos o demasiado pequeña).",
    },
    "DOCUMENT_COMPLIANCE": {
        "en": "This document type is not accepted.",
        "fr": "Ce type de document n'est pas accepté.",
        "de": "Dieser Dokumenttyp wird nicht akzeptiert.",
        "es": "Este tipo de documento no se acepta.",
    },
    "IDENTITY_DOCUMENT_EXPIRED": {
        "en": "The identity document has expired.",
        "fr": "La pièce d'identité a expiré.",
        "de": "Das Ausweisdokument ist abgelaufen.",
        "es": "El documento de identidad ha caducado.",
    },
    "DOCUMENT_INVALID_FRONT_SIDE": {
        "en": "The front side of the document is invalid or missing.",
        "fr": "Le recto du document est invalide ou manquant.",
        "de": "Die Vorderseite des Dokuments ist ungültig oder fehlt.",
        "es": "El anverso del documento no es válido o falta.",
    },
    "DOCUMENT_INVALID_BACK_SIDE": {
        "en": "The back side of the document is invalid or missing.",
        "fr": "Le verso du document est invalide ou manquant.",
        "de": "Die Rückseite des Dokuments ist ungültig oder fehlt.",
        "es": "El reverso del documento no es válido o falta.",
    },
    "IDENTITY_DOCUMENT_DOB_DATE_MINOR": {
        "en": "The document holder is under the minimum age.",
        "fr": "Le titulaire du document n'a pas l'âge minimum requis.",
        "de": "Der Dokumentinhaber hat das Mindestalter nicht erreicht.",
        "es": "El titular del documento no alcanza la edad mínima.",
    },
    "RESTRICTED_NATIONALITY_TYPE": {
        "en": "This nationality or document country is not accepted.",
        "fr": "Cette nationalité ou ce pays de document n'est pas accepté.",
        "de": "Diese Staatsangehörigkeit oder dieses Ausstellungsland wird nicht akzeptiert.",
        "es": "Esta nacionalidad o país del documento no se acepta.",
    },
    "DUPLICATE_USER": {
        "en": "This person has already been verified under another account.",
        "fr": "Cette personne a déjà été vérifiée sous un autre compte.",
        "de": "Diese Person wurde bereits unter einem anderen Konto verifiziert.",
        "es": "Esta persona ya ha sido verificada con otra cuenta.",
    },
    # Ours, for the checks of this server.
    "PHONE_NUMBER_INVALID": {
        "en": "The phone number is not valid.",
        "fr": "Le numéro de téléphone n'est pas valide.",
        "de": "Die Telefonnummer ist ungültig.",
        "es": "El número de teléfono no es válido.",
    },
    "PHONE_NUMBER_RESTRICTED": {
        "en": "This kind of phone number or its country is not accepted.",
        "fr": "Ce type de numéro ou son pays n'est pas accepté.",
        "de": "Diese Art von Telefonnummer oder ihr Land wird nicht akzeptiert.",
        "es": "Este tipo de número o su país no se acepta.",
    },
    "EMAIL_INVALID": {
        "en": "The email address is not valid or cannot receive mail.",
        "fr": "L'adresse e-mail n'est pas valide ou ne peut pas recevoir de courrier.",
        "de": "Die E-Mail-Adresse ist ungültig oder kann keine Post empfangen.",
        "es": "La dirección de correo no es válida o no puede recibir correo.",
    },
    "CODE_NOT_VERIFIED": {
        "en": "The verification code was not confirmed.",
        "fr": "Le code de vérification n'a pas été confirmé.",
        "de": "Der Bestätigungscode wurde nicht bestätigt.",
        "es": "El código de verificación no fue confirmado.",
    },
    "MANUAL_REJECTION": {
        "en": "The verification was rejected by a reviewer.",
        "fr": "La vérification a été refusée par un vérificateur.",
        "de": "Die Überprüfung wurde von einem Prüfer abgelehnt.",
        "es": "La verificación fue rechazada por un revisor.",
    },
}


def is_known(code: str) -> bool:
    return code in REASONS


def message(code: str, language: str | None) -> dict[str, str]:
    """{original, translated}: English, and the applicant's language (English if unknown)."""
    texts = REASONS.get(code, {})
    original = texts.get("en", code)
    lang = (language or "en")[:2].lower()
    return {"original": original, "translated": texts.get(lang, original)}
