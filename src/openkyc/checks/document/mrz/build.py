"""Write MRZ lines from field values, check digits included (sample documents, tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openkyc.checks.document.mrz.checkdigit import compute


@dataclass(frozen=True)
class Holder:
    lastname: str
    firstname: str
    birth_date: date
    sex: str  # M, F or X
    nationality: str  # ICAO code, e.g. UTO, FRA, D
    document_number: str
    expiry_date: date
    issuing_state: str
    optional: str = ""
    birth_place: str = ""
    issue_date: date | None = None


def _pad(text: str, size: int) -> str:
    return (text + "<" * size)[:size]


def _name(text: str) -> str:
    return "<".join(text.upper().replace("-", " ").replace("'", " ").split())


def names(holder: Holder, size: int) -> str:
    return _pad(f"{_name(holder.lastname)}<<{_name(holder.firstname)}", size)


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _sex(holder: Holder) -> str:
    return holder.sex if holder.sex in ("M", "F") else "<"


def td3(holder: Holder, code: str = "P<") -> list[str]:
    line1 = _pad(code, 2) + _pad(holder.issuing_state, 3) + names(holder, 39)
    number = _pad(holder.document_number, 9)
    optional = _pad(holder.optional, 14)
    optional_check = compute(optional) if holder.optional else "<"
    birth, expiry = _yymmdd(holder.birth_date), _yymmdd(holder.expiry_date)
    body = (
        number
        + compute(number)
        + _pad(holder.nationality, 3)
        + birth
        + compute(birth)
        + _sex(holder)
        + expiry
        + compute(expiry)
        + optional
        + optional_check
    )
    composite = compute(body[0:10] + body[13:20] + body[21:43])
    return [line1, body + composite]


def mrva(holder: Holder, code: str = "V<") -> list[str]:
    return _visa(holder, code, 44)


def mrvb(holder: Holder, code: str = "V<") -> list[str]:
    return _visa(holder, code, 36)


def _number_to_expiry(holder: Holder) -> str:
    """The first 28 characters of the second line of TD2 and of both visa formats:
    number, nationality, birth date, sex and expiry, each with its check digit."""
    number = _pad(holder.document_number, 9)
    birth, expiry = _yymmdd(holder.birth_date), _yymmdd(holder.expiry_date)
    return (
        number
        + compute(number)
        + _pad(holder.nationality, 3)
        + birth
        + compute(birth)
        + _sex(holder)
        + expiry
        + compute(expiry)
    )


def _visa(holder: Holder, code: str, length: int) -> list[str]:
    line1 = _pad(code, 2) + _pad(holder.issuing_state, 3) + names(holder, length - 5)
    return [line1, _number_to_expiry(holder) + _pad(holder.optional, length - 28)]


def td2(holder: Holder, code: str = "I<") -> list[str]:
    line1 = _pad(code, 2) + _pad(holder.issuing_state, 3) + names(holder, 31)
    body = _number_to_expiry(holder) + _pad(holder.optional, 7)
    return [line1, body + compute(body[0:10] + body[13:20] + body[21:35])]


def td1(holder: Holder, code: str = "I<") -> list[str]:
    number = _pad(holder.document_number, 9)
    line1 = _pad(code, 2) + _pad(holder.issuing_state, 3) + number + compute(number)
    line1 += _pad(holder.optional, 15)
    birth, expiry = _yymmdd(holder.birth_date), _yymmdd(holder.expiry_date)
    line2 = birth + compute(birth) + _sex(holder) + expiry + compute(expiry)
    line2 += _pad(holder.nationality, 3) + "<" * 11
    composite = compute(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return [line1, line2 + composite, names(holder, 30)]


def french_id(holder: Holder, office: str = "750123") -> list[str]:
    """France's 1988-2021 card: the number (12) opens with the issue year and month."""
    line1 = "IDFRA" + _pad(_name(holder.lastname), 25) + _pad(office, 6)
    number = _pad(holder.document_number, 12)
    given = _pad("<<".join(_name(n) for n in holder.firstname.split(",")), 14)
    birth = _yymmdd(holder.birth_date)
    body = number + compute(number) + given + birth + compute(birth) + _sex(holder)
    return [line1, body + compute(line1 + body)]


BUILDERS = {"TD1": td1, "TD2": td2, "TD3": td3, "MRVA": mrva, "MRVB": mrvb}
