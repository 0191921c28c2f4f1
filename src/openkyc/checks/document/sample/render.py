"""Draw sample identity documents: the page, a portrait, the visual zone and the MRZ.

Used by the tests, the benchmark and `openkyc check sample` (sandbox documents for
integrators). The MRZ is set in OCR-B (Debian package fonts-ocr-b), the rest in DejaVu.
Every document is marked SPECIMEN unless asked otherwise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from openkyc.checks.document.mrz import build
from openkyc.checks.document.mrz.build import Holder

FONT_DIRS = ("/usr/share/fonts/opentype/ocr-b", "/usr/share/fonts/truetype/dejavu")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


class FontMissing(RuntimeError):
    pass


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    raise FontMissing(f"font {name} not found (Debian packages fonts-ocr-b, fonts-dejavu-core)")


@dataclass(frozen=True)
class Spec:
    """A kind of document: its MRZ format, size in mm and resolution."""

    kind: str  # PASSPORT, NATIONAL_ID, RESIDENT_PERMIT, DRIVER_LICENSE, VISA
    mrz_format: str | None  # TD1, TD2, TD3, MRVA, MRVB, FRA_ID or None
    size_mm: tuple[float, float]
    mrz_on_back: bool = False


SPECS = {
    "TD3": Spec("PASSPORT", "TD3", (125, 88)),
    "TD2": Spec("NATIONAL_ID", "TD2", (105, 74)),
    "TD1": Spec("NATIONAL_ID", "TD1", (85.6, 54), mrz_on_back=True),
    "MRVA": Spec("VISA", "MRVA", (120, 80)),
    "MRVB": Spec("VISA", "MRVB", (105, 74)),
    "FRA_ID": Spec("NATIONAL_ID", "FRA_ID", (105, 74)),
    "DL": Spec("DRIVER_LICENSE", None, (85.6, 54)),
}
TITLES = {
    "PASSPORT": "PASSPORT / PASSEPORT",
    "NATIONAL_ID": "IDENTITY CARD / CARTE D'IDENTITE",
    "VISA": "VISA",
    "DRIVER_LICENSE": "DRIVING LICENCE / PERMIS DE CONDUIRE",
}


def mrz_lines(fmt: str, holder: Holder) -> list[str]:
    if fmt == "FRA_ID":
        return build.french_id(holder)
    code = {"TD3": "P<", "MRVA": "V<", "MRVB": "V<"}.get(fmt, "I<")
    return build.BUILDERS[fmt](holder, code)


def viz_date(day: date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def render(
    fmt: str,
    holder: Holder,
    side: str = "front",
    seed: int = 0,
    specimen: bool = True,
    lines: list[str] | None = None,
) -> Image.Image:
    """One side of a document, flat, at about 10 pixels per mm. `lines` replaces the
    MRZ (to draw a tampered one)."""
    spec = SPECS[fmt]
    rng = random.Random(seed)
    ppm = 12.0 if spec.size_mm[0] < 100 else 10.0
    size = (int(spec.size_mm[0] * ppm), int(spec.size_mm[1] * ppm))
    tint = (rng.randint(205, 235), rng.randint(215, 240), rng.randint(200, 235))
    page = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(page)
    _guilloche(draw, size, rng, tint)
    back = side == "back"
    has_mrz = spec.mrz_format is not None and back == spec.mrz_on_back
    mrz_top = _mrz_top(spec, size) if has_mrz else size[1]
    if back:
        _back(draw, size, holder, mrz_top)
    else:
        _front(page, draw, spec, holder, size, mrz_top, rng)
    if has_mrz and spec.mrz_format:
        _mrz(draw, lines or mrz_lines(spec.mrz_format, holder), size, mrz_top)
    if specimen:
        _stamp(page, "SPECIMEN")
    return page


def _guilloche(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random, tint: tuple[int, int, int]
) -> None:
    """Fine wavy background lines, as security prints have."""
    shade = tuple(max(0, c - 18) for c in tint)
    step = rng.randint(14, 22)
    for y in range(0, size[1], step):
        points = [(x, y + 4 * ((x // 9) % 2)) for x in range(0, size[0], 9)]
        draw.line(points, fill=shade, width=1)


def _mrz_top(spec: Spec, size: tuple[int, int]) -> int:
    lines = 3 if spec.mrz_format == "TD1" else 2
    return size[1] - int(size[1] * (0.36 if lines == 3 else 0.25))


def _front(
    page: Image.Image,
    draw: ImageDraw.ImageDraw,
    spec: Spec,
    holder: Holder,
    size: tuple[int, int],
    bottom: int,
    rng: random.Random,
) -> None:
    w, h = size
    title = font("DejaVuSans-Bold.ttf", max(16, h // 26))
    draw.text((int(w * 0.04), int(h * 0.03)), TITLES[spec.kind], font=title, fill=(40, 40, 90))
    state = "FRANCE" if spec.mrz_format == "FRA_ID" else _state_name(holder.issuing_state)
    draw.text((int(w * 0.62), int(h * 0.03)), state, font=title, fill=(40, 40, 90))
    top = int(h * 0.14)
    portrait = (int(w * 0.04), top, int(w * 0.30), min(bottom - int(h * 0.03), top + int(w * 0.34)))
    draw_portrait(page, portrait, rng)
    rows = _rows(spec, holder)
    x = int(w * 0.34)
    label_font = font("DejaVuSans.ttf", max(11, h // 44))
    value_font = font("DejaVuSans-Bold.ttf", max(14, h // 30))
    pitch = (bottom - top - int(h * 0.02)) / max(1, (len(rows) + 1) // 2)
    if spec.kind == "DRIVER_LICENSE":  # numbered fields, one per line: "1. MARTIN"
        step = (bottom - top) / (len(rows) + 1)
        for i, (label, value) in enumerate(rows):
            text = f"{label} {value}"
            draw.text((x, top + int(i * step)), text, font=value_font, fill=(15, 15, 25))
        return
    for i, (label, value) in enumerate(rows):
        col, row = i % 2, i // 2
        lx = x + col * int(w * 0.32)
        ly = top + int(row * pitch)
        draw.text((lx, ly), label, font=label_font, fill=(90, 90, 110))
        draw.text((lx, ly + label_font.size + 2), value, font=value_font, fill=(15, 15, 25))


def _rows(spec: Spec, h: Holder) -> list[tuple[str, str]]:
    if spec.kind == "DRIVER_LICENSE":
        return [
            ("1.", h.lastname.upper()),
            ("2.", h.firstname.upper()),
            ("3.", f"{h.birth_date:%d.%m.%Y} {h.birth_place.upper()}"),
            (
                "4a.",
                f"{(h.issue_date or h.expiry_date.replace(year=h.expiry_date.year - 10)):%d.%m.%Y}",
            ),
            ("4b.", f"{h.expiry_date:%d.%m.%Y}"),
            ("5.", h.document_number),
        ]
    if spec.mrz_format == "FRA_ID":
        return [
            ("Nom / Surname", h.lastname.upper()),
            ("Prénom(s) / Given names", h.firstname.upper().replace(",", ", ")),
            ("Sexe / Sex", h.sex),
            ("Né(e) le / Date of birth", f"{h.birth_date:%d.%m.%Y}"),
            ("à / Place of birth", h.birth_place.upper()),
            ("N° / Card No", h.document_number),
        ]
    return [
        ("Surname / Nom", h.lastname.upper()),
        ("Given names / Prénoms", h.firstname.upper()),
        ("Document No / N°", h.document_number),
        ("Nationality / Nationalité", h.nationality.strip("<")),
        ("Date of birth / Date de naissance", viz_date(h.birth_date)),
        ("Sex / Sexe", h.sex),
        ("Place of birth / Lieu de naissance", h.birth_place.upper()),
        ("Date of expiry / Date d'expiration", viz_date(h.expiry_date)),
    ]


def _state_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return found.name.upper()[:18] if found else code


def draw_portrait(page: Image.Image, box: tuple[int, int, int, int], rng: random.Random) -> None:
    """A plain drawn head and shoulders: enough to show where the photo sits."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    photo = Image.new("RGB", (w, h), (rng.randint(170, 200), rng.randint(180, 205), 215))
    draw = ImageDraw.Draw(photo)
    skin = (rng.randint(190, 235), rng.randint(150, 190), rng.randint(120, 160))
    draw.ellipse((w * 0.05, h * 0.72, w * 0.95, h * 1.4), fill=(60, 60, 90))
    draw.ellipse((w * 0.25, h * 0.16, w * 0.75, h * 0.70), fill=skin)
    draw.chord((w * 0.23, h * 0.10, w * 0.77, h * 0.45), 180, 360, fill=(70, 45, 30))
    for ex in (0.40, 0.60):
        draw.ellipse((w * (ex - 0.04), h * 0.38, w * (ex + 0.04), h * 0.43), fill=(40, 30, 30))
    draw.line((w * 0.42, h * 0.58, w * 0.58, h * 0.58), fill=(150, 60, 60), width=3)
    page.paste(photo, (x0, y0))


def _back(draw: ImageDraw.ImageDraw, size: tuple[int, int], holder: Holder, bottom: int) -> None:
    w, h = size
    label = font("DejaVuSans.ttf", max(11, h // 40))
    value = font("DejaVuSans-Bold.ttf", max(13, h // 32))
    rows = [
        ("Place of birth / Lieu de naissance", holder.birth_place.upper()),
        ("Issued / Délivré", viz_date(holder.issue_date or holder.expiry_date)),
    ]
    for i, (lab, val) in enumerate(rows):
        y = int(h * 0.06) + i * int(h * 0.16)
        draw.text((int(w * 0.05), y), lab, font=label, fill=(90, 90, 110))
        draw.text((int(w * 0.05), y + label.size + 2), val, font=value, fill=(15, 15, 25))
    del bottom


def _mrz(draw: ImageDraw.ImageDraw, lines: list[str], size: tuple[int, int], top: int) -> None:
    w, h = size
    margin = int(w * 0.04)
    probe = font("OCRB.otf", 100)
    size_pt = int(100 * (w - 2 * margin) / probe.getlength(lines[0]))
    mrz_font = font("OCRB.otf", size_pt)
    pitch = (h - top - int(h * 0.04)) / len(lines)
    for i, line in enumerate(lines):
        draw.text(
            (margin, top + int(i * pitch) + int(h * 0.01)), line, font=mrz_font, fill=(10, 10, 10)
        )


def _stamp(page: Image.Image, word: str) -> None:
    """A light diagonal SPECIMEN mark across the page."""
    w, h = page.size
    layer = Image.new("L", (w, h // 3), 0)
    ImageDraw.Draw(layer).text((w // 8, 0), word, font=font("DejaVuSans-Bold.ttf", h // 5), fill=60)
    layer = layer.rotate(12, expand=False)
    tint = Image.new("RGB", layer.size, (200, 60, 60))
    page.paste(tint, (0, int(h * 0.30)), layer)
