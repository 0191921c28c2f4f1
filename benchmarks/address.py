"""Field extraction accuracy and latency of the proof-of-address reading.

Generates bills and bank statements (six kinds, en/fr/de/es, known fields), as digital
PDFs and as scans (JPEG and greyscale PNG pictures, scanned PDFs with no text layer, pages
upside down; all skewed by up to 3 degrees, blurred, noisy), runs the engine on the bytes
and prints, digital and scanned apart, the exact-match rate of each field and the p50/p95
latency per document, wall and CPU (the machine may be shared: CPU time is the steadier).

A field matches when it equals the truth after `match.key` (case, accents, punctuation and
spaces ignored: "NW1 6XE" == "nw16xe"); dates must be the same day.

Run:
    .venv/bin/python benchmarks/address.py                  # 100 digital + 100 scanned
    .venv/bin/python benchmarks/address.py --digital 20 --scanned 10
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from openkyc.checks.address import sample
from openkyc.checks.address.engine import analyse
from openkyc.checks.address.match import key
from openkyc.kit.clock import utcnow

FIELDS = ("name", "address", "city", "zipcode", "issuing_date", "document_type", "lang")
SCAN_FORMS = ("jpeg", "jpeg", "png", "scanned-pdf", "upside-down")


def truth(bill: sample.Bill) -> dict[str, str]:
    return {
        "name": key(bill.name),
        "address": key(bill.address),
        "city": key(bill.city),
        "zipcode": key(bill.zipcode),
        "issuing_date": bill.issued.isoformat(),
        "document_type": bill.kind,
        "lang": bill.lang,
    }


def read(evidence: dict[str, Any]) -> dict[str, str]:
    holder = evidence.get("holder") or {}
    return {
        "name": key(holder.get("name", "")),
        "address": key(holder.get("address", "")),
        "city": key(holder.get("city", "")),
        "zipcode": key(holder.get("zipcode", "")),
        "issuing_date": evidence.get("issuing_date", ""),
        "document_type": evidence.get("document_kind", ""),
        "lang": evidence.get("lang", ""),
    }


def scan_of(bill: sample.Bill, form: str) -> bytes:
    if form == "scanned-pdf":
        return sample.scanned_pdf(bill)
    return sample.scanned(bill, "PNG" if form == "png" else "JPEG", form == "upside-down")


def corpus(count: int, first_seed: int, make: Callable[[sample.Bill, int], bytes]) -> list[Any]:
    today = utcnow().date()
    docs = []
    for index in range(count):
        bill = sample.bill(first_seed + index, today)
        docs.append((bill, make(bill, index)))
    return docs


def measure(docs: list[Any]) -> dict[str, Any]:
    hits = dict.fromkeys(FIELDS, 0)
    wall: list[float] = []
    cpu: list[float] = []
    misses: list[str] = []
    for bill, data in docs:
        started, cpu_started = time.perf_counter(), time.process_time()
        evidence = analyse(data, bill.country)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        got, want = read(evidence), truth(bill)
        for name in FIELDS:
            hits[name] += got[name] == want[name]
            if got[name] != want[name] and len(misses) < 12:
                misses.append(f"seed {bill.seed} {name}: {got[name]!r} != {want[name]!r}")
    return {"n": len(docs), "hits": hits, "wall": wall, "cpu": cpu, "misses": misses}


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def table(results: dict[str, dict[str, Any]]) -> str:
    head = "| set | n | " + " | ".join(FIELDS) + " | p50 wall | p95 wall | p50 CPU |"
    rows = [head, "|" + "---|" * (len(FIELDS) + 5)]
    for name, r in results.items():
        rates = " | ".join(f"{100 * r['hits'][f] / r['n']:.1f} %" for f in FIELDS)
        rows.append(
            f"| {name} | {r['n']} | {rates} | {1000 * p(r['wall'], 50):.0f} ms | "
            f"{1000 * p(r['wall'], 95):.0f} ms | {1000 * p(r['cpu'], 50):.0f} ms |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digital", type=int, default=100)
    parser.add_argument("--scanned", type=int, default=100)
    args = parser.parse_args()
    warm = sample.bill(1, utcnow().date())
    analyse(sample.scanned(warm), warm.country)  # models loaded outside the measures
    results = {
        "digital PDF": measure(corpus(args.digital, 5000, lambda b, i: sample.digital_pdf(b))),
        "scanned": measure(
            corpus(args.scanned, 9000, lambda b, i: scan_of(b, SCAN_FORMS[i % len(SCAN_FORMS)]))
        ),
    }
    print(table(results))
    for name, r in results.items():
        for miss in r["misses"]:
            print(f"  {name} miss: {miss}")


if __name__ == "__main__":
    main()
