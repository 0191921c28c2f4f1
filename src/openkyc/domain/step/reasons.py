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
    "FACE_MISMATCH": {
        "en": "The face on the identity document does not match the applicant's face.",
        "fr": "Le visage de la pièce d'identité ne correspond pas à celui du demandeur.",
        "de": "Das Gesicht auf dem Ausweis stimmt nicht mit dem des Antragstellers überein.",
        "es": "El rostro del documento de identidad no coincide con el del solicitante.",
    },
    "FACE_NOT_FOUND": {
        "en": "No face could be seen clearly; please face the camera in good light.",
        "fr": "Aucun visage n'est clairement visible ; placez-vous face à la caméra, bien éclairé.",
        "de": "Kein Gesicht war deutlich zu sehen; bitte bei gutem Licht in die Kamera schauen.",
        "es": "No se ve ningún rostro con claridad; mire a la cámara con buena iluminación.",
    },
    "MULTIPLE_FACES": {
        "en": "More than one face appears in the video; please record it alone.",
        "fr": "Plus d'un visage apparaît dans la vidéo ; veuillez l'enregistrer seul.",
        "de": "Im Video ist mehr als ein Gesicht zu sehen; bitte nehmen Sie es allein auf.",
        "es": "Aparece más de un rostro en el vídeo; grábelo a solas.",
    },
    "LIVENESS_FAILED": {
        "en": "The requested head movements were not performed in order and in time.",
        "fr": "Les mouvements de tête demandés n'ont pas été effectués dans l'ordre et à temps.",
        "de": "Die verlangten Kopfbewegungen wurden nicht der Reihe nach und rechtzeitig gemacht.",
        "es": "Los movimientos de cabeza solicitados no se hicieron en orden y a tiempo.",
    },
    "LIVENESS_FACE_CHANGED": {
        "en": "The face changed during the recording.",
        "fr": "Le visage a changé pendant l'enregistrement.",
        "de": "Das Gesicht hat sich während der Aufnahme verändert.",
        "es": "El rostro cambió durante la grabación.",
    },
    "VIDEO_INVALID": {
        "en": "The video could not be read, or is too long or too large.",
        "fr": "La vidéo est illisible, trop longue ou trop volumineuse.",
        "de": "Das Video ist nicht lesbar, zu lang oder zu groß.",
        "es": "El vídeo no se puede leer o es demasiado largo o grande.",
    },
    "SPOOF_SUSPECTED": {
        "en": "The recording shows signs of a screen, a print or an edited video.",
        "fr": "L'enregistrement présente des signes d'écran, d'impression ou de vidéo modifiée.",
        "de": "Die Aufnahme zeigt Spuren eines Bildschirms, Ausdrucks oder bearbeiteten Videos.",
        "es": "La grabación muestra indicios de una pantalla, una impresión o un vídeo editado.",
    },
    "DOCUMENT_FILE_INVALID": {
        "en": "The file could not be read as a picture of the document; please send a photo.",
        "fr": "Le fichier n'a pas pu être lu comme une photo du document ; envoyez une photo.",
        "de": "Die Datei ist kein lesbares Bild des Dokuments; bitte senden Sie ein Foto.",
        "es": "El archivo no se pudo leer como una foto del documento; envíe una foto.",
    },
    "MULTIPLE_DOCUMENTS": {
        "en": "More than one document appears in the picture; please show one at a time.",
        "fr": "Plusieurs documents apparaissent sur la photo ; montrez-en un seul à la fois.",
        "de": "Auf dem Foto sind mehrere Dokumente zu sehen; bitte zeigen Sie nur eines.",
        "es": "En la foto aparece más de un documento; muestre uno cada vez.",
    },
    "DOCUMENT_SPECIMEN": {
        "en": "The document is a published specimen, not a real identity document.",
        "fr": "Le document est un spécimen publié, pas une vraie pièce d'identité.",
        "de": "Das Dokument ist ein veröffentlichtes Muster, kein echtes Ausweisdokument.",
        "es": "El documento es un modelo publicado, no un documento de identidad real.",
    },
    "AML_MATCH": {
        "en": "The applicant matches an entry of a sanctions, PEP or watch list.",
        "fr": "Le demandeur figure sur une liste de sanctions, de PPE ou de surveillance.",
        "de": "Der Antragsteller steht auf einer Sanktions-, PEP- oder Beobachtungsliste.",
        "es": "El solicitante figura en una lista de sanciones, PEP o vigilancia.",
    },
    "AML_MONITORING_HIT": {
        "en": "Ongoing monitoring found a new match on an updated sanctions or watch list.",
        "fr": "La surveillance continue a trouvé une correspondance sur une liste à jour.",
        "de": "Die laufende Überwachung fand einen neuen Treffer auf einer Liste.",
        "es": "La supervisión continua encontró una coincidencia en una lista actualizada.",
    },
    "POA_DOCUMENT_UNREADABLE": {
        "en": "The proof of address could not be read; please send a clear, complete copy.",
        "fr": "Le justificatif de domicile est illisible ; envoyez une copie nette et complète.",
        "de": "Der Adressnachweis ist nicht lesbar; bitte senden Sie eine klare Kopie.",
        "es": "El justificante de domicilio no se puede leer; envíe una copia clara y completa.",
    },
    "POA_DOCUMENT_TYPE_MISMATCH": {
        "en": "The document is not of the type you selected.",
        "fr": "Le document ne correspond pas au type que vous avez choisi.",
        "de": "Das Dokument entspricht nicht dem gewählten Dokumenttyp.",
        "es": "El documento no es del tipo que ha seleccionado.",
    },
    "POA_DOCUMENT_TOO_OLD": {
        "en": "The proof of address is too old; please send a more recent one.",
        "fr": "Le justificatif de domicile est trop ancien ; envoyez-en un plus récent.",
        "de": "Der Adressnachweis ist zu alt; bitte senden Sie einen aktuelleren.",
        "es": "El justificante de domicilio es demasiado antiguo; envíe uno más reciente.",
    },
    "POA_ISSUING_DATE_INVALID": {
        "en": "The issuing date of the document is not valid.",
        "fr": "La date d'émission du document n'est pas valide.",
        "de": "Das Ausstellungsdatum des Dokuments ist ungültig.",
        "es": "La fecha de emisión del documento no es válida.",
    },
    "POA_ISSUING_DATE_MISSING": {
        "en": "No issuing date could be found on the document.",
        "fr": "Aucune date d'émission n'a été trouvée sur le document.",
        "de": "Auf dem Dokument wurde kein Ausstellungsdatum gefunden.",
        "es": "No se encontró ninguna fecha de emisión en el documento.",
    },
    "POA_NAME_MISMATCH": {
        "en": "The name on the proof of address does not match your identity document.",
        "fr": "Le nom du justificatif de domicile ne correspond pas à votre pièce d'identité.",
        "de": "Der Name auf dem Adressnachweis stimmt nicht mit Ihrem Ausweis überein.",
        "es": "El nombre del justificante no coincide con su documento de identidad.",
    },
    "POA_ADDRESS_MISMATCH": {
        "en": "The address on the document does not match the address you entered.",
        "fr": "L'adresse du document ne correspond pas à l'adresse que vous avez saisie.",
        "de": "Die Adresse auf dem Dokument stimmt nicht mit der eingegebenen Adresse überein.",
        "es": "La dirección del documento no coincide con la dirección que ha indicado.",
    },
    "POA_TAMPERING_SUSPECTED": {
        "en": "The document shows signs of editing and must be checked by a person.",
        "fr": "Le document présente des signes de modification et doit être vérifié.",
        "de": "Das Dokument zeigt Spuren einer Bearbeitung und wird manuell geprüft.",
        "es": "El documento muestra indicios de edición y debe ser revisado.",
    },
    "POA_HOST_ID_INVALID": {
        "en": "Your host's identity document could not be verified.",
        "fr": "La pièce d'identité de votre hébergeur n'a pas pu être vérifiée.",
        "de": "Der Ausweis Ihres Gastgebers konnte nicht überprüft werden.",
        "es": "No se pudo verificar el documento de identidad de su anfitrión.",
    },
    "CHECK_FAILED": {
        "en": "The automatic check could not be completed; a reviewer will look at it.",
        "fr": "La vérification automatique n'a pas pu aboutir ; un vérificateur va l'examiner.",
        "de": "Die automatische Prüfung wurde nicht abgeschlossen; ein Prüfer sieht sie an.",
        "es": "La verificación automática no pudo completarse; un revisor la examinará.",
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
