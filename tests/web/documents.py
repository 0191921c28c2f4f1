"""Files an applicant sends: a utility bill picture, a PDF attestation (both generated)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

BILL_LINES = (
    "ELECTRICITE DE FRANCE - FACTURE",
    "Mme CLAIRE MARTIN",
    "12 rue de la Paix",
    "75002 PARIS",
    "Date: 02/11/2026   Montant: 84,20 EUR",
)


def bill() -> bytes:
    """A one-page bill as a PNG, printed in a system font Pillow ships."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=40)
    for index, line in enumerate(BILL_LINES):
        draw.text((120, 160 + index * 80), line, fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def attestation_pdf() -> bytes:
    """A real one-page PDF (A4, blank): what the upload screening opens."""
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()
