"""Shared by the benchmark scripts: throwaway databases, servers as subprocesses, HTTP helpers.

Nothing here is collected by pytest (benchmarks/ is outside `testpaths`, and no name starts
with `test`). Every server is started in its own process group and stopped by that id; every
database made here is dropped again.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "openkyc_bench"
SECRET = "benchmark-secret-key-0123456789abcdef-not-for-production"
ADMIN_TOKEN = "benchmark-admin-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def openkyc_command() -> list[str]:
    """The `openkyc` console script of this interpreter's environment."""
    script = Path(PYTHON).parent / "openkyc"
    if script.exists():
        return [str(script)]
    return [PYTHON, "-c", "from openkyc.cli import main; main()"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def _pg_admin_url(base: str) -> str:
    """The maintenance database of the server named by `base` (where CREATE DATABASE runs)."""
    return base.rsplit("/", 1)[0] + "/postgres"


def _pg_exec(base: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(_pg_admin_url(base), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def postgres_reachable(base: str) -> bool:
    import psycopg

    try:
        psycopg.connect(_pg_admin_url(base), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def database(kind: str, workdir: Path, pg_base: str) -> Iterator[str]:
    """A fresh, empty database URL; PostgreSQL's is a dedicated database dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir}/openkyc.db"
        return
    drop = f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)'
    _pg_exec(pg_base, drop, f'CREATE DATABASE "{PG_BENCH_DB}"')
    try:
        yield pg_base.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    finally:
        _pg_exec(pg_base, drop)


def server_env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of every openkyc command of one benchmark cell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENKYC_")}
    env.update(
        OPENKYC_DATABASE_URL=database_url,
        OPENKYC_QUEUE_URL=f"sqlite:///{workdir}/queue.db",
        OPENKYC_STORAGE_URL=f"file://{workdir}/files",
        OPENKYC_SECRET_KEY=SECRET,
        OPENKYC_ADMIN_TOKEN=ADMIN_TOKEN,
        OPENKYC_DEMO="false",
        OPENKYC_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*openkyc_command(), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"openkyc {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def create_app(env: dict[str, str], sandbox: bool = False) -> dict[str, Any]:
    """Migrate, then create an app and its key through the CLI (as an operator would)."""
    run_cli(env, "migrate")
    args = ["apps", "create", "benchmark", "--json"] + (["--sandbox"] if sandbox else [])
    out = run_cli(env, *args)
    return dict(json.loads(out.strip().splitlines()[-1]))


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # also its process group: uvicorn's worker processes are in it

    def cpu_seconds(self) -> float:
        """User + system CPU of every live process of the group so far (Linux /proc)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[2]) == self.pid:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def process(cmd: list[str], env: dict[str, str], base_url: str, log: Path) -> Iterator[Server]:
    """Start a server, wait until GET /healthz answers, stop its whole process group after."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT
        )
        try:
            wait_healthy(base_url, proc, log)
            yield Server(base_url, proc.pid)
        except BaseException:
            print(f"--- server log ({log.name}), last lines:", file=sys.stderr)
            print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
            raise
        finally:
            stop(proc)


def wait_healthy(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not healthy after 60 s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down gracefully and stops its workers), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def openkyc_server(
    env: dict[str, str], workers: int, workdir: Path, name: str
) -> AbstractContextManager[Server]:
    port = free_port()
    cmd = [*openkyc_command(), "serve", "--port", str(port), "--workers", str(workers)]
    return process(cmd, env, f"http://127.0.0.1:{port}", workdir / f"{name}.log")


def call(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """One JSON request; raises with the server's message on an error status."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{method} {url}: {exc.code} {exc.read()[:300]!r}") from exc


def set_flow(base_url: str, app_id: str, flow: list[str]) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    call("PUT", f"{base_url}/admin/apps/{app_id}/flow", {"flow": flow}, admin)


class KeepAlive:
    """One persistent HTTP/1.1 connection, for timed loops (no connect per request)."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)

    def json(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        self.conn.request(method, path, body=data, headers=sent)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def close(self) -> None:
        self.conn.close()


def init_sessions(base_url: str, api_key: str, count: int) -> list[dict[str, Any]]:
    """Create sessions through the tenant API; return each with its steps."""
    headers = {"Api-Key": api_key}
    out = []
    for i in range(count):
        made = call("POST", f"{base_url}/v4/session/init", {"alias": f"bench-{i}"}, headers)
        details = call(
            "GET", f"{base_url}/v4/individual/session/{made['session_id']}", None, headers
        )
        out.append(details["session"])
    return out


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (it pastes straight into RESULTS.md)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def have_wrk() -> bool:
    return shutil.which("wrk") is not None
