"""Sample bills and bank statements with known fields, in en/fr/de/es, drawn as digital
PDFs (fpdf2, a development dependency) or as scanned pictures (Pillow: skew, noise, JPEG).

Used by the tests and the benchmark; every document is marked SPECIMEN in its footer.
The same layout feeds both renderers, so a digital PDF and its scan carry the same text.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

from openkyc.checks.address import sample_text as words
from openkyc.checks.document.sample.render import font

COUNTRIES = {"en": "GBR", "fr": "FRA", "de": "DEU", "es": "ESP"}
KINDS = tuple(words.TITLES["en"])
A4 = (210.0, 297.0)
DPI = 150


@dataclass(frozen=True)
class Bill:
    kind: str
    lang: str
    country: str
    firstname: str
    lastname: str
    address: str
    city: str
    zipcode: str
    issued: date
    seed: int
    numeric_date: bool = False

    @property
    def name(self) -> str:
        return f"{self.firstname} {self.lastname}"


def bill(seed: int, today: date, **changes: Any) -> Bill:
    """A random, coherent bill: language, kind, holder and an issuing date within 60 days."""
    rng = random.Random(seed)
    lang = changes.pop("lang", None) or rng.choice(sorted(COUNTRIES))
    first, last = rng.choice(words.NAMES[lang])
    city, zipcode = rng.choice(words.CITIES[lang])
    made = Bill(
        kind=rng.choice(KINDS),
        lang=lang,
        country=COUNTRIES[lang],
        firstname=first,
        lastname=last,
        address=words.street(lang, rng),
        city=city,
        zipcode=zipcode,
        issued=today - timedelta(days=rng.randint(1, 60)),
        seed=seed,
        numeric_date=rng.random() < 0.5,
    )
    return replace(made, **changes)


Item = tuple[float, float, str, int, bool]  # x mm, y mm, text, size pt, bold


def layout(b: Bill) -> list[Item]:
    """Every piece of text of the bill, placed on an A4 page."""
    rng = random.Random(b.seed * 7 + 1)
    t = words.LABELS[b.lang]
    provider, p_street, p_postal = words.provider(b.kind, b.lang, rng)
    items: list[Item] = [
        (15, 15, provider, 13, True),
        (15, 21, p_street, 10, False),
        (15, 26, p_postal, 10, False),
    ]
    holder = [b.name.upper() if rng.random() < 0.5 else b.name, b.address]
    if b.country == "GBR":
        holder += [b.city, b.zipcode] if rng.random() < 0.5 else [f"{b.city} {b.zipcode}"]
    else:
        holder.append(f"{b.zipcode} {b.city.upper() if rng.random() < 0.3 else b.city}")
    items += [(110, 48 + 5.5 * i, text, 11, i == 0) for i, text in enumerate(holder)]
    items.append((15, 85, words.TITLES[b.lang][b.kind], 18, True))
    period_end = b.issued - timedelta(days=rng.randint(2, 6))
    rows = [
        f"{t['issued']}: {words.date_text(b.issued, b.lang, b.numeric_date)}",
        f"{t['account']}: {rng.randint(10**7, 10**8 - 1)}",
        f"{t['period']}: {words.numeric(period_end - timedelta(days=30), b.lang)} - "
        f"{words.numeric(period_end, b.lang)}",
        f"{t['due']}: {words.numeric(b.issued + timedelta(days=14), b.lang)}",
    ]
    items += [(15, 97 + 6 * i, row, 10, False) for i, row in enumerate(rows)]
    for i, row in enumerate(words.body(b.kind, b.lang, rng)):
        items.append((15, 135 + 7 * i, row, 10, False))
    items.append((15, 280, f"{provider} - {words.LEGAL[b.lang]} - SPECIMEN", 7, False))
    return items


def digital_pdf(b: Bill, producer: str = "openkyc billing sample") -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)  # the footer stays on the page
    pdf.set_creator(producer)
    pdf.set_producer(producer)
    pdf.add_page()
    # Helvetica, a standard PDF font, covers every letter of the four languages (Latin-1)
    # and needs no embedding: a page is written in milliseconds.
    for x, y, text, size, bold in layout(b):
        pdf.set_font("helvetica", "B" if bold else "", size)
        pdf.set_xy(x, y)
        pdf.cell(text=text)
    return bytes(pdf.output())


def page_image(b: Bill) -> Image.Image:
    scale = DPI / 25.4
    page = Image.new("RGB", (int(A4[0] * scale), int(A4[1] * scale)), "white")
    draw = ImageDraw.Draw(page)
    for x, y, text, size, bold in layout(b):
        face = font("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", round(size / 72 * DPI))
        draw.text((x * scale, y * scale), text, fill=(20, 20, 30), font=face)
    return page


def scanned(b: Bill, fmt: str = "JPEG", upside_down: bool = False) -> bytes:
    """The page as a scanner or a phone gives it: skewed, noisy, compressed."""
    rng = random.Random(b.seed * 13 + 5)
    page = page_image(b)
    angle = rng.uniform(-3.0, 3.0) + (180.0 if upside_down else 0.0)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.7)))
    noise = Image.effect_noise(page.size, rng.uniform(6, 14)).convert("RGB")
    page = Image.blend(page, noise, 0.06)
    out = io.BytesIO()
    if fmt == "PNG":
        page.convert("L").save(out, "PNG", optimize=False)
    else:
        page.save(out, "JPEG", quality=rng.randint(60, 85))
    return out.getvalue()


def scanned_pdf(b: Bill) -> bytes:
    """A scan wrapped in a PDF with no text layer, as scanning apps make them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)  # the footer stays on the page
    pdf.add_page()
    pdf.image(io.BytesIO(scanned(b)), x=0, y=0, w=A4[0])
    return bytes(pdf.output())
