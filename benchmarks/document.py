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
    .venv/bin/python benchmarks/document.py --per-cell 2 --before --engines openkyc
        # the current OCR settings against the former ones, interleaved on the same images
One engine per process (`--engines openkyc` and `--engines passporteye` side by side)
lets a 300-image run use both cores; the images are the same for a given seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from openkyc.checks.document import ocr, read
from openkyc.checks.document.check import check_files
from openkyc.checks.document.mrz.build import Holder
from openkyc.checks.document.sample.photo import LEVELS, Degradation, photograph
from openkyc.checks.document.sample.render import render

FORMATS = ("TD3", "TD1", "TD2", "FRA_ID", "MRVA", "MRVB")
LEVEL_NAMES = ("clean", "light", "medium", "heavy", "rotated")
LASTNAMES = ("MARTIN", "OKAFOR", "NGUYEN", "SCHMIDT", "GARCIA LOPEZ", "DUBOIS", "KOWALSKI", "ROSSI")
FIRSTNAMES = ("CLAIRE", "JEAN PAUL", "AMINA", "LUKAS", "SOFIA", "MEHDI", "ANNA", "WEI")
# openkyc's own CPU time per image (all its threads), per engine setting.
CPU_SECONDS: dict[str, list[float]] = defaultdict(list)
# `--before`: the OCR settings until the latency work (two threads, detection at 960 px,
# lines recognised in batches of six padded to 320 px), run interleaved with the current.
BEFORE = {"threads": 2, "det_max_side": 960, "rec_batch": 6, "rec_min_width": 320}
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


def cases(per_cell: int, seed: int, formats: tuple[str, ...] = FORMATS) -> list[Case]:
    """The generated set; `formats` keeps some of it, each image the same as in the whole."""
    rng = random.Random(seed)
    out = []
    for fmt in FORMATS:
        for level in LEVEL_NAMES:
            for _ in range(per_cell):
                holder = holder_for(rng, fmt)
                side = "back" if fmt == "TD1" else "front"
                doc_seed = rng.randint(0, 10**6)
                how = degradation(level, rng)
                photo_seed = rng.randint(0, 10**6)
                if fmt in formats:
                    doc = render(fmt, holder, side, seed=doc_seed, specimen=False)
                    out.append(Case(fmt, level, holder, photograph(doc, how, seed=photo_seed)))
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


def run_openkyc(
    case: Case, engine: ocr.Engine, name: str = "openkyc"
) -> tuple[dict[str, str] | None, float]:
    kind = {"TD3": "PASSPORT", "MRVA": "PASSPORT", "MRVB": "PASSPORT"}.get(case.fmt, "NATIONAL_ID")
    side = read.DETECT_SIDE
    if name == "before":
        read.DETECT_SIDE = BEFORE["det_max_side"]
    started, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = check_files(case.image, None, kind, "", {}, True, date.today(), engine)
    finally:
        read.DETECT_SIDE = side
    elapsed = time.perf_counter() - started
    CPU_SECONDS[name].append(time.process_time() - cpu)
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
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Record:
    engine: str
    fmt: str
    level: str
    hit: bool
    wall: float
    cpu: float | None  # openkyc's own CPU time; None for PassportEye (tesseract runs apart)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-cell", type=int, default=10, help="images per format and level")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-passporteye", action="store_true")
    parser.add_argument("--before", action="store_true", help="also run the former settings")
    parser.add_argument(
        "--engines",
        default="openkyc,passporteye",
        help="comma-separated; run one per process to use both cores on the same images",
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="a part of the set")
    parser.add_argument("--dump", help="also write one JSON line per image and engine here")
    parser.add_argument("--merge", nargs="+", help="print the report of earlier --dump files")
    args = parser.parse_args()
    if args.merge:
        records = [
            Record(**json.loads(line))
            for path in args.merge
            for line in Path(path).read_text().splitlines()
            if line
        ]
        report(records)
        return
    loads = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"load average at the start of the run (1, 5, 15 min): {loads}", flush=True)
    engines = [e for e in args.engines.split(",") if e]
    if args.no_passporteye:
        engines = [e for e in engines if e != "passporteye"]
    if args.before:
        engines.insert(1 if "openkyc" in engines else 0, "before")
    data = cases(args.per_cell, args.seed, tuple(args.formats.split(",")))
    records = run(data, engines, args.dump)
    report(records)


def run(data: list[Case], engines: list[str], dump: str | None) -> list[Record]:
    settings = {"openkyc": ocr.Engine(), "before": ocr.Engine(**BEFORE)}
    for name in ("openkyc", "before"):
        if name in engines:  # warm-up: models load on first use
            run_openkyc(data[0], settings[name], name)
    out = open(dump, "a") if dump else None  # noqa: SIM115 (closed below)
    records = []
    for done, case in enumerate(data):
        if done and done % 10 == 0:
            print(f"... {done}/{len(data)} images", file=sys.stderr, flush=True)
        expected = truth(case)
        for name in engines:
            cpu: float | None = None
            if name == "passporteye":
                got, elapsed = run_passporteye(case)
            else:
                got, elapsed = run_openkyc(case, settings[name], name)
                cpu = CPU_SECONDS[name][-1]
            record = Record(name, case.fmt, case.level, got == expected, elapsed, cpu)
            records.append(record)
            if out:
                out.write(json.dumps(asdict(record)) + "\n")
                out.flush()
    if out:
        out.close()
    return records


def report(records: list[Record]) -> None:
    engines = list(dict.fromkeys(r.engine for r in records))
    count = sum(1 for r in records if r.engine == engines[0])
    formats = list(dict.fromkeys(r.fmt for r in records))
    print(f"{count} images: {', '.join(formats)} x {', '.join(LEVEL_NAMES)}")
    header = f"{'level':<9}" + "".join(
        f"{e + ' read':>18}{'p50 s':>8}{'p95 s':>8}" for e in engines
    )
    print(header)
    for level in (*LEVEL_NAMES, "all"):
        row = f"{level:<9}"
        for name in engines:
            mine = [r for r in records if r.engine == name and level in (r.level, "all")]
            ok = sum(r.hit for r in mine)
            rate = 100 * ok / max(1, len(mine))
            lat = [r.wall for r in mine]
            row += f"{f'{ok}/{len(mine)} {rate:.1f}%':>18}"
            row += f"{percentile(lat, 0.5):>8.2f}{percentile(lat, 0.95):>8.2f}"
        print(row)
    for name in engines:
        mine = [r for r in records if r.engine == name]
        by_format = {f: [r.hit for r in mine if r.fmt == f] for f in formats}
        print(
            f"{name} by format: "
            + ", ".join(f"{f} {sum(v)}/{len(v)}" for f, v in by_format.items())
        )
        cpu = [r.cpu for r in mine if r.cpu is not None]
        if cpu:
            print(
                f"{name} per image: wall median {statistics.median(r.wall for r in mine):.2f} s;"
                f" CPU (all threads) median {statistics.median(cpu):.2f} s,"
                f" p95 {percentile(cpu, 0.95):.2f} s"
            )
    loads = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"load average at the end of the run (1, 5, 15 min): {loads}")


if __name__ == "__main__":
    main()
