"""Sample documents for the tests: holders with dates relative to today, pictures as bytes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

from PIL import Image

from openkyc.checks.document.mrz.build import Holder
from openkyc.checks.document.sample.photo import LEVELS, Degradation, photograph
from openkyc.checks.document.sample.render import render

TODAY = date.today()


def adult(**changes: object) -> Holder:
    holder = Holder(
        lastname="MARTIN",
        firstname="CLAIRE",
        birth_date=date(1990, 5, 17),
        sex="F",
        nationality="FRA",
        document_number="X4RT5Y2B9",
        expiry_date=TODAY + timedelta(days=4 * 365),
        issuing_state="FRA",
        optional="",
        birth_place="LYON",
    )
    return replace(holder, **changes)  # type: ignore[arg-type]


def picture(
    fmt: str,
    holder: Holder,
    level: str | Degradation = "clean",
    side: str = "front",
    seed: int = 3,
    specimen: bool = False,
    lines: list[str] | None = None,
) -> bytes:
    degradation = LEVELS[level] if isinstance(level, str) else level
    doc = render(fmt, holder, side, seed=seed, specimen=specimen, lines=lines)
    return photograph(doc, degradation, seed=seed)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
