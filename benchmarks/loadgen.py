"""Load generators, run as separate processes from the server: wrk, or a Python fallback.

Both send keep-alive GETs from a fixed number of connections (closed loop) over a list of
paths, and report requests/s, latency percentiles and the count of failed or non-200 answers.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from common import have_wrk, percentile


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# wrk calls request() for each request and done() once; the result is printed as one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
%(headers)s
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50": %%.0f, "p90": %%.0f, "p99": %%.0f, ' ..
    '"max": %%.0f, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII is a valid Lua string literal


def run_wrk(
    base_url: str,
    paths: list[str],
    headers: dict[str, str],
    seconds: float,
    connections: int,
    threads: int,
) -> LoadResult:
    header_lines = "\n".join(
        f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()
    )
    script = WRK_SCRIPT % {
        "paths": ", ".join(_lua_string(p) for p in paths),
        "headers": header_lines,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s"]
        done = subprocess.run(
            [*cmd, "-s", handle.name, base_url], capture_output=True, text=True, check=True
        )
    finally:
        Path(handle.name).unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    data = json.loads(line[len("RESULT ") :])
    return LoadResult(
        tool="wrk",
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50"] / 1000,
        p90_ms=data["p90"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        errors=data["errors"],
    )


async def _connection(
    host: str, port: int, requests: list[bytes], until: float, latencies: list[float]
) -> int:
    errors = 0
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    while time.perf_counter() < until:
        started = time.perf_counter()
        writer.write(requests[i % len(requests)])
        i += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        errors += head[9:12] != b"200"
    writer.close()
    return errors


def _client(args: tuple[str, int, list[bytes], int, float, float]) -> tuple[list[float], int]:
    host, port, requests, connections, start, seconds = args
    while time.time() < start:  # all client processes begin together
        time.sleep(0.001)
    until = time.perf_counter() + seconds
    latencies: list[float] = []

    async def main() -> int:
        jobs = [_connection(host, port, requests, until, latencies) for _ in range(connections)]
        return sum(await asyncio.gather(*jobs))

    return latencies, asyncio.run(main())


def run_python(
    base_url: str,
    paths: list[str],
    headers: dict[str, str],
    seconds: float,
    connections: int,
    processes: int,
) -> LoadResult:
    """The fallback when wrk is absent: `processes` asyncio clients sharing the connections."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode() for p in paths]
    per = [connections // processes + (i < connections % processes) for i in range(processes)]
    start = time.time() + 0.5
    jobs = [(host, port, requests, n, start, seconds) for n in per if n]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_client, jobs)
    latencies = [x for lat, _ in results for x in lat]
    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=seconds,
        p50_ms=percentile(latencies, 50) * 1000,
        p90_ms=percentile(latencies, 90) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        max_ms=max(latencies) * 1000,
        errors=sum(err for _, err in results),
    )


def drive(
    base_url: str,
    paths: list[str],
    headers: dict[str, str],
    seconds: float,
    connections: int,
    tool: str = "auto",
) -> LoadResult:
    """wrk when installed (one thread is plenty and leaves the cores to the server), else the
    Python client in two processes."""
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return run_wrk(base_url, paths, headers, seconds, connections, threads=1)
    return run_python(base_url, paths, headers, seconds, connections, processes=2)
