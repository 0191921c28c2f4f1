"""MRZ read rate and latency of the ID document check, side by side with PassportEye.

Generates sample documents (TD3 passports, TD1 and TD2 cards, French 2x36 cards, MRV-A
and MRV-B visas) at five degradation levels (clean scan; light, medium and heavy photos;
photos turned 90/180/270 degrees), runs openkyc's full document check and PassportEye's
`read_mrz` on the very same JPEG bytes, and prints per level the MRZ read rate (every
field exact: number, names, dates, sex, nationality, issuing state) and p50/p95 latency.

PassportEye is only needed here, not by openkyc; install it for the run:
    apt-get install -y tesseract-ocr fonts-ocr-b
    .venv/bin/pip install passporteye==2.2.2
Run:
    .venv/bin/python benchmarks/document.py --per-cell 10     # 6 formats x 5 levels = 300
    .venv/bin/python benchmarks/document.py --per-cell 2      # quick look (60 images)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from openkyc.checks.document import ocr
from openkyc.checks.document.check import check_files
from openkyc.checks.document.mrz.build import Holder
from openkyc.checks.document.sample.photo import LEVELS, Degradation, photograph
from openkyc.checks.document.sample.render import render

FORMATS = ("TD3", "TD1", "TD2", "FRA_ID", "MRVA", "MRVB")
LEVEL_NAMES = ("clean", "light", "medium", "heavy", "rotated")
LASTNAMES = ("MARTIN", "OKAFOR", "NGUYEN", "SCHMIDT", "GARCIA LOPEZ", "DUBOIS", "KOWALSKI", "ROSSI")
FIRSTNAMES = ("CLAIRE", "JEAN PAUL", "AMINA", "LUKAS", "SOFIA", "MEHDI", "ANNA", "WEI")
CPU_SECONDS: list[float] = []  # openkyc's own CPU time per image (all its threads)
STATES = ("FRA", "DEU", "ITA", "ESP", "NLD", "BEL", "POL", "PRT")


@dataclass
class Case:
    fmt: str
    level: str
    holder: Holder
    image: bytes


def holder_for(rng: random.Random, fmt: str) -> Holder:
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 52))
    expiry = date.today() + timedelta(days=rng.randint(200, 3000))
    state = "FRA" if fmt == "FRA_ID" else rng.choice(STATES)
    if fmt == "FRA_ID":
        number = f"{rng.randint(95, 99):02d}{rng.randint(1, 12):02d}{rng.randint(10, 95):03d}"
        number += f"{rng.randint(0, 99999):05d}"
    else:
        alphabet = string.ascii_uppercase + string.digits
        number = rng.choice(string.ascii_uppercase) + "".join(rng.choices(alphabet, k=8))
    first = rng.choice(FIRSTNAMES)
    return Holder(
        rng.choice(LASTNAMES), first.replace(" ", ",") if fmt == "FRA_ID" else first,
        born, rng.choice("MF"), state, number, expiry, state, birth_place="LYON",
    )  # fmt: skip


def degradation(level: str, rng: random.Random) -> Degradation:
    if level == "rotated":
        return replace(LEVELS["light"], name="rotated", quarter_turns=rng.choice((1, 2, 3)))
    return LEVELS[level]


def cases(per_cell: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    out = []
    for fmt in FORMATS:
        for level in LEVEL_NAMES:
            for _ in range(per_cell):
                holder = holder_for(rng, fmt)
                side = "back" if fmt == "TD1" else "front"
                doc = render(fmt, holder, side, seed=rng.randint(0, 10**6), specimen=False)
                image = photograph(doc, degradation(level, rng), seed=rng.randint(0, 10**6))
                out.append(Case(fmt, level, holder, image))
    return out


def truth(case: Case) -> dict[str, str]:
    h = case.holder
    return {
        "number": h.document_number,
        "surname": h.lastname.replace("-", " "),
        "names": h.firstname.replace(",", " "),
        "birth": h.birth_date.isoformat(),
        "expiry": "" if case.fmt == "FRA_ID" else h.expiry_date.isoformat(),
        "sex": h.sex,
        "nationality": h.nationality,
        "state": h.issuing_state,
    }


def run_openkyc(case: Case, engine: ocr.Engine) -> tuple[dict[str, str] | None, float]:
    kind = {"TD3": "PASSPORT", "MRVA": "PASSPORT", "MRVB": "PASSPORT"}.get(case.fmt, "NATIONAL_ID")
    started, cpu = time.perf_counter(), time.process_time()
    outcome = check_files(case.image, None, kind, "", {}, True, date.today(), engine)
    elapsed = time.perf_counter() - started
    CPU_SECONDS.append(time.process_time() - cpu)
    mrz = outcome.evidence.get("mrz")
    if not mrz:
        return None, elapsed
    f = mrz["fields"]
    return {
        "number": f["document_number"],
        "surname": f["lastname"],
        "names": f["firstname"],
        "birth": f["birth_date"],
        "expiry": "" if case.fmt == "FRA_ID" else f["expiry_date"],
        "sex": f["sex"],
        "nationality": f["nationality"],
        "state": f["issuing_state"],
    }, elapsed


def run_passporteye(case: Case) -> tuple[dict[str, str] | None, float]:
    import io

    from passporteye import read_mrz

    started = time.perf_counter()
    try:
        mrz = read_mrz(io.BytesIO(case.image))
    except Exception:
        mrz = None
    elapsed = time.perf_counter() - started
    if mrz is None:
        return None, elapsed
    d = mrz.to_dict()

    def iso(yymmdd: str, birth: bool) -> str:
        if not yymmdd[:2].isdigit():
            return yymmdd
        yy = int(yymmdd[:2])
        century = 1900 if birth and yy > date.today().year % 100 else 2000
        return f"{century + yy:04d}-{yymmdd[2:4]}-{yymmdd[4:6]}"

    return {
        "number": d["number"].strip("<"),
        "surname": d["surname"].replace("<", " ").strip(),
        "names": " ".join(d["names"].replace("<", " ").split()),
        "birth": iso(d["date_of_birth"], True),
        "expiry": "" if case.fmt == "FRA_ID" else iso(d["expiration_date"], False),
        "sex": d["sex"],
        "nationality": d["nationality"].strip("<"),
        "state": d["country"].strip("<"),
    }, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-cell", type=int, default=10, help="images per format and level")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-passporteye", action="store_true")
    args = parser.parse_args()
    engine = ocr.Engine()
    data = cases(args.per_cell, args.seed)
    check_files(data[0].image, None, "PASSPORT", "", {}, True, date.today(), engine)  # warm-up
    engines = ["openkyc"] + ([] if args.no_passporteye else ["passporteye"])
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    for case in data:
        expected = truth(case)
        for name in engines:
            got, elapsed = run_openkyc(case, engine) if name == "openkyc" else run_passporteye(case)
            hits[(name, case.level)].append(got == expected)
            times[(name, case.level)].append(elapsed)
    report(data, engines, hits, times)


def report(
    data: list[Case],
    engines: list[str],
    hits: dict[tuple[str, str], list[bool]],
    times: dict[tuple[str, str], list[float]],
) -> None:
    print(f"{len(data)} images: {', '.join(FORMATS)} x {', '.join(LEVEL_NAMES)}")
    header = f"{'level':<9}" + "".join(
        f"{e + ' read':>18}{'p50 s':>8}{'p95 s':>8}" for e in engines
    )
    print(header)
    for level in (*LEVEL_NAMES, "all"):
        row = f"{level:<9}"
        for name in engines:
            keys = [(name, lv) for lv in LEVEL_NAMES] if level == "all" else [(name, level)]
            ok = [h for k in keys for h in hits[k]]
            lat = [t for k in keys for t in times[k]]
            rate = 100 * sum(ok) / max(1, len(ok))
            row += f"{f'{sum(ok)}/{len(ok)} {rate:.1f}%':>18}"
            row += f"{percentile(lat, 0.5):>8.2f}{percentile(lat, 0.95):>8.2f}"
        print(row)
    by_format: dict[str, list[bool]] = defaultdict(list)
    per_case = list(zip(data, hits_in_order(data, hits), strict=True))
    for case, ok in per_case:
        by_format[case.fmt].append(ok)
    print("openkyc by format: " + ", ".join(f"{f} {sum(v)}/{len(v)}" for f, v in by_format.items()))
    wall = [t for k, v in times.items() if k[0] == "openkyc" for t in v]
    print(f"openkyc wall time per image: median {statistics.median(wall):.2f} s")
    print(
        f"openkyc CPU time per image (all threads): median {statistics.median(CPU_SECONDS):.2f} s,"
        f" p95 {percentile(CPU_SECONDS, 0.95):.2f} s"
    )
    loads = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"load average at the end of the run (1, 5, 15 min): {loads}")


def hits_in_order(data: list[Case], hits: dict[tuple[str, str], list[bool]]) -> list[bool]:
    counters: dict[str, int] = defaultdict(int)
    out = []
    for case in data:
        out.append(hits[("openkyc", case.level)][counters[case.level]])
        counters[case.level] += 1
    return out


if __name__ == "__main__":
    main()
