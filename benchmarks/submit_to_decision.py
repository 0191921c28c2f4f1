"""Submit-to-decision latency of an EMAIL step through the embedded SQLite queue.

`openkyc serve` runs as a subprocess on SQLite with the embedded queue (its consumer
threads inside the server). A sandbox app whose flow is just EMAIL gets a webhook endpoint
served by this script. For each session, one after the other, the clock starts when the
applicant's `POST /v3/email/verify` (correct code) is sent and stops when the decision is
seen, in one of two ways:

  webhook  the step's APPROVED webhook arrives at the receiver (signature checked); this
           includes the second queue hop (the delivery job) and the HTTP POST, so it is an
           upper bound of the decision itself, and what a tenant actually experiences;
  poll     `GET /v4/individual/session/{id}` (the tenant's status poll) every --poll-ms until
           the step shows APPROVED there (adds up to one poll interval plus the poll's own
           time, and the polls compete with the check for the server's CPU).

    .venv/bin/python benchmarks/submit_to_decision.py              # 200 sessions each way
    .venv/bin/python benchmarks/submit_to_decision.py --sessions 50 --detect webhook
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from common import (
    ADMIN_TOKEN,
    KeepAlive,
    Server,
    call,
    create_app,
    database,
    machine,
    openkyc_server,
    percentile,
    server_env,
    set_flow,
    table,
)

from openkyc.kit.signing import webhook_signature

TIMEOUT = 10.0


class Receiver:
    """A webhook endpoint on this machine: when each (step or session, status) arrived."""

    def __init__(self) -> None:
        self.secret = ""
        self.arrived: dict[tuple[str, str], float] = {}
        self.bad_signatures = 0
        self.changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the server's pooled client likes

            def do_POST(self) -> None:
                at = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.record(at, body, self.headers)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        return Handler

    def record(self, at: float, body: bytes, headers: Any) -> None:
        timestamp = int(headers.get("X-Openkyc-Timestamp", "0"))
        expected = f"v1={webhook_signature(self.secret, timestamp, body)}"
        payload = json.loads(body)
        with self.changed:
            if expected not in headers.get("X-Openkyc-Signature", "").split():
                self.bad_signatures += 1
                return
            key = (payload["step_id"] or payload["session_id"], payload["status"])
            self.arrived.setdefault(key, at)
            self.changed.notify_all()

    def wait(self, subject: str, status: str) -> float | None:
        deadline = time.monotonic() + TIMEOUT
        with self.changed:
            while (subject, status) not in self.arrived:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)
            return self.arrived[(subject, status)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def prepare(
    base: str, app: dict[str, Any], receiver: Receiver, count: int
) -> list[tuple[str, str]]:
    """Flow EMAIL only, the webhook endpoint, then `count` sessions whose code was sent."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    set_flow(base, app["app_id"], ["EMAIL"])
    hook = call("POST", f"{base}/admin/apps/{app['app_id']}/webhooks", {"url": receiver.url}, admin)
    receiver.secret = hook["secret"]
    key = {"Api-Key": app["api_key"]}
    pairs = []
    for i in range(count):
        made = call("POST", f"{base}/v4/session/init", {"alias": f"bench-{i}"}, key)
        session_id = made["session_id"]
        details = call("GET", f"{base}/v4/individual/session/{session_id}", None, key)
        step_id = next(s["id"] for s in details["session"]["steps"] if s["type"] == "EMAIL")
        applicant = {"Session-Id": session_id}
        body = {"email": f"applicant-{i}@example.com"}
        call("POST", f"{base}/v3/email/send?step_id={step_id}", body, applicant)
        pairs.append((session_id, step_id))
    return pairs


def verify(client: KeepAlive, session_id: str, step_id: str) -> float:
    """Send the right code; return when the request was sent (monotonic clock)."""
    started = time.monotonic()
    status, body = client.json(
        "POST",
        f"/v3/email/verify?step_id={step_id}",
        {"code": "000000"},
        {"Session-Id": session_id},
    )
    if status != 200:
        raise RuntimeError(f"verify answered {status}: {body}")
    return started


def healthz(client: KeepAlive) -> float:
    """One GET /healthz round trip: the anchor, showing how busy the machine is right now."""
    started = time.monotonic()
    client.json("GET", "/healthz")
    return time.monotonic() - started


def by_webhook(
    client: KeepAlive, receiver: Receiver, pairs: list[tuple[str, str]], gap: float
) -> tuple[list[float], list[float], list[float]]:
    latencies, answers, anchors = [], [], []
    for session_id, step_id in pairs:
        time.sleep(random.uniform(0, gap))  # arrive at any phase of the consumers' timers
        anchors.append(healthz(client))
        started = verify(client, session_id, step_id)
        answers.append(time.monotonic() - started)
        arrived = receiver.wait(step_id, "APPROVED")
        if arrived is None:
            raise RuntimeError(f"no APPROVED webhook for step {step_id} within {TIMEOUT} s")
        latencies.append(arrived - started)
        receiver.wait(session_id, "APPROVED")  # let the session's webhook go before the next
    return latencies, answers, anchors


def by_polling(
    client: KeepAlive, api_key: str, pairs: list[tuple[str, str]], gap: float, poll: float
) -> list[float]:
    latencies = []
    for session_id, step_id in pairs:
        time.sleep(random.uniform(0, gap))
        started = verify(client, session_id, step_id)
        path = f"/v4/individual/session/{session_id}"
        while True:
            _, details = client.json("GET", path, None, {"Api-Key": api_key})
            step = next(s for s in details["session"]["steps"] if s["id"] == step_id)
            if step["status"] == "APPROVED":
                latencies.append(time.monotonic() - started)
                break
            if time.monotonic() - started > TIMEOUT:
                raise RuntimeError(f"step {step_id} not APPROVED within {TIMEOUT} s")
            time.sleep(poll)
    return latencies


def row(label: str, seconds: list[float]) -> list[str]:
    ms = [s * 1000 for s in seconds]
    pcts = [percentile(ms, p) for p in (50, 90, 99)]
    return [label, str(len(ms)), *(f"{v:.1f}" for v in pcts), f"{max(ms):.1f}"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="sessions per method")
    parser.add_argument("--detect", default="webhook,poll", help="webhook, poll or both")
    parser.add_argument("--poll-ms", type=float, default=2.0, help="interval between polls")
    parser.add_argument("--gap-ms", type=float, default=50.0, help="random pause before each")
    return parser.parse_args()


def measure(
    args: argparse.Namespace, server: Server, app: dict[str, Any], receiver: Receiver
) -> tuple[list[list[str]], float | None]:
    """The table's rows, and the server's CPU per submission during the webhook pass."""
    methods = args.detect.split(",")
    pairs = prepare(server.url, app, receiver, args.sessions * len(methods))
    client = KeepAlive(server.url)
    gap = args.gap_ms / 1000
    rows, cpu_ms = [], None
    if "webhook" in methods:
        todo, pairs = pairs[: args.sessions], pairs[args.sessions :]
        cpu = server.cpu_seconds()
        hooks, answers, anchors = by_webhook(client, receiver, todo, gap)
        cpu_ms = (server.cpu_seconds() - cpu) / len(todo) * 1000
        rows.append(row("anchor: GET /healthz answered", anchors))
        rows.append(row("POST /v3/email/verify answered", answers))
        rows.append(row("decision: APPROVED webhook received", hooks))
    if "poll" in methods:
        found = by_polling(client, app["api_key"], pairs, gap, args.poll_ms / 1000)
        rows.append(row(f"decision: session GET shows it ({args.poll_ms:g} ms polls)", found))
    client.close()
    return rows, cpu_ms


def main() -> None:
    args = parse_args()
    receiver = Receiver()
    with tempfile.TemporaryDirectory(prefix="openkyc-bench-") as tmp:
        workdir = Path(tmp)
        with database("sqlite", workdir, "") as url:
            env = server_env(url, workdir)
            app = create_app(env, sandbox=True)
            with openkyc_server(env, 1, workdir, "submit") as server:
                rows, cpu_ms = measure(args, server, app, receiver)
    receiver.close()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(
        "openkyc serve (1 process), SQLite, embedded SQLite queue; latency from sending the "
        f"verify request; bad webhook signatures: {receiver.bad_signatures}"
    )
    if cpu_ms is not None:
        print(
            "server CPU per submission (verify, check job, 4 webhook deliveries, the healthz "
            f"anchor; webhook pass): {cpu_ms:.1f} ms"
        )
    print(table(["measured until", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"], rows))


if __name__ == "__main__":
    main()
