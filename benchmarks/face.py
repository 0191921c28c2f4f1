"""Face engines: detection + embedding per image, liveness per video, duplicate search.

- images: detection + alignment + embedding of the photos shipped in scikit-image and
  matplotlib (and same-person variants), p50/p95 per image, with the ResNet evaluated by
  dlib (as before) and by checks/face/resnet.py (as now), interleaved in one run.
- liveness: the LIVENESS analysis (decode, faces and poses in every frame, identity,
  risk signals) of a 3 s, 15 fps synthetic recording following three head movements.
- duplicate: the production index (checks/duplicate/index.py, usearch HNSW on 8-bit
  vectors) over N synthetic 128-d unit embeddings drawn from clusters (people look alike
  in groups), with near-duplicates planted (a stored face + noise, cosine about 0.95).
  Each query is what the check does: the index proposes 13 candidates, which are scored
  again on the float32 vectors. Reports build time, index memory, single-query p50/p99 and
  recall@1 against exact numpy search run on the same queries in the same process.

Run (scikit-image and matplotlib are dev dependencies):
    .venv/bin/python benchmarks/face.py --part images          # per-image latency only
    .venv/bin/python benchmarks/face.py --part images --part liveness
    .venv/bin/python benchmarks/face.py --part duplicate --sizes 10000,100000
    .venv/bin/python benchmarks/face.py --part duplicate --sizes 1000000
    .venv/bin/python benchmarks/face.py --part duplicate --dtype f32 --ef 128   # as before
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the synthetic videos live with the tests

from openkyc.checks.duplicate.check import MAX_MATCHES  # noqa: E402
from openkyc.checks.duplicate.index import DTYPE, UsearchFaceIndex  # noqa: E402
from openkyc.checks.face import models  # noqa: E402
from openkyc.checks.face.detect import detect_faces  # noqa: E402
from openkyc.checks.face.embed import DIMENSIONS, embed  # noqa: E402
from openkyc.checks.liveness.challenge import parse_challenges  # noqa: E402
from openkyc.checks.liveness.check import run_liveness  # noqa: E402

# The duplicate check asks for this many neighbours (it skips its own session's) and the
# benchmark does the same; recall@1 is read from the first.
SEARCH_COUNT = MAX_MATCHES + 8


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_images(rounds: int) -> None:
    """Detection + embedding per image, with the ResNet run by dlib itself (as before) and
    by our numpy evaluation of the same network (as now), interleaved in the same run."""
    import dlib  # type: ignore[import-untyped]
    from tests.checks.face import images

    from openkyc.checks.face.embed import align

    face_models = models.load()
    reference = dlib.face_recognition_model_v1(
        str(models.verified_path(models.EMBEDDING_FILE))
    ).compute_face_descriptor
    pictures = [images.astronaut(), images.hopper(), *images.variants(images.astronaut()).values()]
    timings: dict[str, tuple[list[float], list[float]]] = {"dlib": ([], []), "numpy": ([], [])}
    for _ in range(rounds):
        for rgb in pictures:
            for name in ("dlib", "numpy"):
                start, start_cpu = time.perf_counter(), time.process_time()
                faces = detect_faces(face_models, rgb)
                if name == "dlib":
                    reference(align(rgb, faces[0]))
                else:
                    embed(face_models, rgb, faces[0])
                timings[name][0].append((time.perf_counter() - start) * 1000)
                timings[name][1].append((time.process_time() - start_cpu) * 1000)
    sizes = sorted({f"{p.shape[1]}x{p.shape[0]}" for p in pictures})
    runs = len(pictures) * rounds
    print(f"\n## detection + embedding per image ({runs} runs each; {', '.join(sizes)})")
    print("| ResNet run by | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, label in (("dlib", "dlib (before)"), ("numpy", "numpy, 1 BLAS thread (now)")):
        wall, cpu = timings[name]
        print(
            f"| {label} | {percentile(wall, 0.5):.1f} | {percentile(wall, 0.95):.1f} "
            f"| {percentile(cpu, 0.5):.1f} | {percentile(cpu, 0.95):.1f} |"
        )


def bench_liveness(rounds: int) -> None:
    from tests.checks.liveness import synth

    moves = ["turn_left", "look_up", "come_closer"]
    frames = synth.frames(moves)
    frames += [frames[-1]] * (45 - len(frames))  # exactly 3 s at 15 fps
    video = synth.encode(frames[:45])
    challenges = parse_challenges(moves)
    models.load()
    wall, cpu, evidence = [], [], {}
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        evidence, _ = run_liveness(video, challenges)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    performed = all(c["performed"] for c in evidence["challenges"])
    print(
        f"\n## liveness, 3 s 360x360 H.264 at 15 fps ({rounds} runs; challenges met: {performed})"
    )
    print("| wall p50 s | wall max s | CPU p50 s | CPU max s |\n|---:|---:|---:|---:|")
    print(
        f"| {percentile(wall, 0.5):.2f} | {max(wall):.2f} "
        f"| {percentile(cpu, 0.5):.2f} | {max(cpu):.2f} |"
    )


def synthetic(count: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors shaped like face embeddings: people (random directions) seen one to
    three times each, the pictures of one person at a cosine of about 0.93 to each other,
    and people sharing a little common structure, as real faces do."""
    common = rng.standard_normal(DIMENSIONS).astype(np.float32)
    out = np.empty((count, DIMENSIONS), dtype=np.float32)
    for start in range(0, count, 100_000):
        stop = min(count, start + 100_000)
        people = rng.standard_normal(((stop - start) // 2 + 1, DIMENSIONS), dtype=np.float32)
        people = people / np.linalg.norm(
            people, axis=1, keepdims=True
        ) + 0.3 * common / np.linalg.norm(common)
        who = rng.integers(0, len(people), stop - start)
        noise = rng.standard_normal((stop - start, DIMENSIONS), dtype=np.float32)
        out[start:stop] = people[who] + 0.025 * noise
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def exact_top1(data: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    best_score = np.full(len(queries), -2.0, dtype=np.float32)
    best_index = np.zeros(len(queries), dtype=np.int64)
    for start in range(0, len(data), 200_000):
        scores = queries @ data[start : start + 200_000].T
        index = scores.argmax(axis=1)
        score = scores[np.arange(len(queries)), index]
        better = score > best_score
        best_score[better], best_index[better] = score[better], index[better] + start
    return best_index, best_score


def bench_duplicate(
    size: int, queries: int, rng: np.random.Generator, ef: int | None, dtype: str
) -> dict[str, Any]:
    data = synthetic(size, rng)
    planted = rng.integers(0, size, queries // 2)
    near = data[planted] + 0.03 * rng.standard_normal((len(planted), DIMENSIONS), dtype=np.float32)
    asks = np.concatenate([near, synthetic(queries - len(planted), rng)])
    asks /= np.linalg.norm(asks, axis=1, keepdims=True)
    index = UsearchFaceIndex(dtype)
    start = time.perf_counter()
    index.add("bench", np.arange(1, size + 1, dtype=np.uint64), data)
    build = time.perf_counter() - start
    memory = index._indexes["bench"].memory_usage / 2**20
    if ef:
        index._indexes["bench"].expansion_search = ef
    timings, found = [], []
    for vector in asks:
        start = time.perf_counter()
        keys = np.array([key - 1 for key, _ in index.search("bench", vector, SEARCH_COUNT)])
        nearest = int(keys[np.argmax(data[keys] @ vector)]) if len(keys) else -1
        timings.append((time.perf_counter() - start) * 1000)
        found.append(nearest)
    start = time.perf_counter()
    truth, best = exact_top1(data, asks)
    exact_ms = (time.perf_counter() - start) * 1000 / len(asks)
    # A hit counts when it is the exact nearest or ties with it (two pictures of a person
    # can be equally near a query).
    got = np.einsum("ij,ij->i", asks, data[np.maximum(np.array(found), 0)])
    hit = (np.array(found) == truth) | (got >= best - 1e-6)
    half = len(planted)
    return {
        "size": size,
        "build_s": build,
        "memory_mb": memory,
        "p50": statistics.median(timings),
        "p99": percentile(timings, 0.99),
        "recall": float(hit.mean()),
        "planted": float(hit[:half].mean()),
        "strangers": float(hit[half:].mean()),
        "exact_ms": exact_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", action="append", choices=["images", "liveness", "duplicate"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--ef", type=int, help="override the index's expansion_search")
    parser.add_argument("--dtype", default=DTYPE, help="the index's vector type (i8, f16, f32)")
    args = parser.parse_args()
    parts = args.part or ["images", "liveness", "duplicate"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (CPU time is what an idle")
    print("core would take for the single-threaded parts; wall time includes waiting for one)")
    if "images" in parts:
        bench_images(args.rounds)
    if "liveness" in parts:
        bench_liveness(args.rounds)
    if "duplicate" in parts:
        rng = np.random.default_rng(42)
        kind = f"{args.dtype}, expansion_search {args.ef}" if args.ef else args.dtype
        print(f"\n## duplicate search ({args.queries} queries, half planted near-duplicates;")
        print(f"index: {kind})")
        print(
            "| embeddings | build s | index MiB | query p50 ms | query p99 ms | recall@1 "
            "| recall@1 near-duplicates | recall@1 strangers | exact numpy ms/query |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in (int(s) for s in args.sizes.split(",")):
            r = bench_duplicate(size, args.queries, rng, args.ef, args.dtype)
            print(
                f"| {r['size']:,} | {r['build_s']:.1f} | {r['memory_mb']:.0f} "
                f"| {r['p50']:.3f} | {r['p99']:.3f} | {r['recall']:.4f} | {r['planted']:.4f} "
                f"| {r['strangers']:.4f} | {r['exact_ms']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
