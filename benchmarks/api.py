"""GET /v4/individual/session/{id} under load: requests/s and p50/p99 latency.

For each database (SQLite file, PostgreSQL in a throwaway database) and each count of
uvicorn worker processes (`openkyc serve --workers N`), the script migrates, creates an app
and its key with the CLI, starts the server as a subprocess, creates sessions through the
API, then drives load from a separate process (wrk, else a Python client) over those
sessions. Two anchors run in the same conditions so that figures can be compared across
noisy runs: openkyc's own /healthz (same stack, no database) and a bare Starlette app served
by the same uvicorn. Prints one Markdown table.

    .venv/bin/python benchmarks/api.py                # 10 s per cell
    .venv/bin/python benchmarks/api.py --seconds 3 --databases sqlite --workers 1
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

from common import (
    PG_DEFAULT,
    PYTHON,
    Server,
    call,
    create_app,
    database,
    free_port,
    have_wrk,
    init_sessions,
    machine,
    openkyc_server,
    postgres_reachable,
    process,
    server_env,
    set_flow,
    table,
)
from loadgen import LoadResult, drive

HERE = Path(__file__).resolve().parent
PEER = "GET /healthz (bare Starlette peer)"
HEALTH = "GET /healthz"
SESSION = "GET /v4/individual/session/{id}"
# A fixed flow, so that the figures do not move when the default flow grows.
FLOW = ["ID_DOCUMENT", "LIVENESS", "PHONE", "EMAIL"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--sessions", type=int, default=100, help="sessions the load cycles over")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts")
    parser.add_argument("--pg-url", default=PG_DEFAULT, help="a PostgreSQL server to use")
    parser.add_argument("--rounds", type=int, default=1, help="repeat each cell; medians")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    return parser.parse_args()


@dataclass
class Cell:
    load: LoadResult
    cpu_us: float  # server CPU (all its processes) per request


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        # (database, workers, endpoint) -> one cell per round
        self.results: dict[tuple[str, int, str], list[Cell]] = {}

    def measure(
        self, key: tuple[str, int, str], server: Server, paths: list[str], auth: str
    ) -> None:
        a = self.args
        headers = {"Api-Key": auth} if auth else {}
        if a.warmup > 0:  # fills pools, prepares statements, wakes every worker
            drive(server.url, paths, headers, a.warmup, a.connections, a.tool)
        cpu = server.cpu_seconds()
        load = drive(server.url, paths, headers, a.seconds, a.connections, a.tool)
        cpu_us = (server.cpu_seconds() - cpu) / max(load.requests, 1) * 1e6
        self.results.setdefault(key, []).append(Cell(load, cpu_us))
        print(
            f"  {key[0]:10} workers={key[1]} {key[2]:34} {load.rps:7.0f} req/s "
            f"p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
            f"{cpu_us:6.0f} us CPU/req  errors {load.errors}",
            flush=True,
        )

    def peer(self, workers: int, workdir: Path) -> AbstractContextManager[Server]:
        port = free_port()
        cmd = [PYTHON, "-m", "uvicorn", "peer:app", "--app-dir", str(HERE)]
        cmd += ["--port", str(port), "--workers", str(workers)]
        cmd += ["--log-level", "warning", "--no-access-log"]
        log = workdir / f"peer-{workers}.log"
        return process(cmd, server_env("", workdir), f"http://127.0.0.1:{port}", log)

    def database(self, kind: str, workdir: Path) -> None:
        with database(kind, workdir, self.args.pg_url) as url:
            env = server_env(url, workdir)
            app = create_app(env)
            key = app["api_key"]
            paths: list[str] = []
            for workers in (int(w) for w in self.args.workers.split(",")):
                with (
                    openkyc_server(env, workers, workdir, f"{kind}-{workers}") as server,
                    self.peer(workers, workdir) as peer,
                ):
                    if not paths:
                        set_flow(server.url, app["app_id"], FLOW)
                        sessions = init_sessions(server.url, key, self.args.sessions)
                        paths = [f"/v4/individual/session/{s['id']}" for s in sessions]
                    # The figure is only worth something if the answer is the real one.
                    sample = call("GET", server.url + paths[0], None, {"Api-Key": key})
                    assert sample["session"]["id"] in paths[0] and sample["session"]["steps"]
                    # Rounds alternate the peer and openkyc, so both see the same noise.
                    for _ in range(self.args.rounds):
                        self.measure((kind, workers, PEER), peer, ["/healthz"], "")
                        self.measure((kind, workers, HEALTH), server, ["/healthz"], "")
                        self.measure((kind, workers, SESSION), server, paths, key)

    def report(self) -> str:
        headers = ["database", "workers", "endpoint", "req/s", "p50 ms", "p99 ms", "errors"]
        headers += ["req/s vs peer", "server CPU us/req"]
        rows = []
        for (kind, workers, what), cells in self.results.items():
            peers = self.results[(kind, workers, PEER)]
            ratios = [
                c.load.rps / p.load.rps for c, p in zip(cells, peers, strict=True) if p.load.rps
            ]
            rows.append(
                [
                    kind,
                    str(workers),
                    what,
                    f"{median(c.load.rps for c in cells):.0f}",
                    f"{median(c.load.p50_ms for c in cells):.2f}",
                    f"{median(c.load.p99_ms for c in cells):.2f}",
                    str(sum(c.load.errors for c in cells)),
                    f"{median(ratios):.3f}" if ratios else "-",
                    f"{median(c.cpu_us for c in cells):.0f}",
                ]
            )
        return table(headers, rows)


def main() -> None:
    args = parse_args()
    tool = "wrk" if args.tool == "wrk" or (args.tool == "auto" and have_wrk()) else "python"
    bench = Bench(args)
    with tempfile.TemporaryDirectory(prefix="openkyc-bench-") as tmp:
        workdir = Path(tmp)
        print(f"load: {tool}, {args.connections} connections, {args.seconds:g} s per cell")
        for kind in args.databases.split(","):
            if kind == "postgresql" and not postgres_reachable(args.pg_url):
                print(f"postgresql skipped: cannot connect to {args.pg_url}")
                continue
            bench.database(kind, workdir)
    print()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(
        f"load generator: {tool} (keep-alive, {args.connections} connections, closed loop), "
        f"{args.seconds:g} s per cell after {args.warmup:g} s warm-up, "
        f"{args.sessions} sessions of {len(FLOW)} steps cycled"
    )
    print(bench.report())


if __name__ == "__main__":
    main()
