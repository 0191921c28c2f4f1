"""Fixtures of the back office tests: accounts, and for the browser tests a live server
(uvicorn with the embedded job queue, so checks and webhooks really run) and Debian's
chromium driven by Playwright. Nothing is downloaded: the browser is the system's."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.backoffice.helpers import make_user
from tests.conftest import make_settings
from tests.servers import wait_for

from openkyc.adapters.http import HttpxPoster
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parents[1] / "web" / "node" / "node_modules" / "axe-core" / "axe.min.js"
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Runs before any page script: records what the Content-Security-Policy blocks.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || ''));
});
"""


@pytest.fixture
def reviewer(system: System) -> str:
    make_user(system, "rita@example.com", "reviewer")
    return "rita@example.com"


@pytest.fixture
def second_reviewer(system: System) -> str:
    make_user(system, "sam@example.com", "reviewer")
    return "sam@example.com"


@pytest.fixture
def administrator(system: System) -> str:
    make_user(system, "ada@example.com", "admin")
    return "ada@example.com"


@dataclass
class Live:
    url: str
    system: System


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[Live]:
    """openkyc under uvicorn on a free port, its public URL (file links) being its own."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = make_settings(
        tmp_path, database_url, queue_url=f"sqlite:///{tmp_path}/queue.db", public_url=url
    )
    system = build_system(settings)
    config = uvicorn.Config(
        create_app(settings, system), log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        wait_for(lambda: server.started or not thread.is_alive(), "uvicorn to start")
        assert server.started, "uvicorn did not start"
        yield Live(url, system)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
        http = system.runtime.ports.http
        if isinstance(http, HttpxPoster):
            http.close()
        system.runtime.engine.dispose()


class BrowserThread:
    """Chromium driven by Playwright's sync API from a thread of its own. That API refuses
    to start in a thread where another instance is running (the hosted flow's browser
    tests keep one for the whole test session), so every call goes through this thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backoffice-browser")
        self._pool.submit(self._start).result(timeout=60)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

    def run(self, scenario: Callable[..., None], *args: Any) -> None:
        """Run `scenario(chromium, *args)` in the browser's thread; its failure is ours."""
        self._pool.submit(scenario, self.chromium, *args).result(timeout=180)

    def close(self) -> None:
        def stop() -> None:
            self.chromium.close()
            self._playwright.stop()

        self._pool.submit(stop).result(timeout=60)
        self._pool.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserThread]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt install chromium)")
    running = BrowserThread()
    yield running
    running.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: OPENKYC_SCREENSHOTS if set (to refresh docs/screenshots)."""
    wanted = os.environ.get("OPENKYC_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        return Path(wanted)
    return tmp_path_factory.mktemp("screenshots")


@contextmanager
def new_page(chromium: Any, base_url: str) -> Iterator[Any]:
    """A fresh browser context and tab (desktop size) with the CSP recorder and axe-core;
    fails if a script of the page raised."""
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", base_url=base_url)
    context.add_init_script(script=CSP_RECORDER)
    if AXE.exists():
        context.add_init_script(path=str(AXE))
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_default_timeout(10_000)
    try:
        yield tab
    finally:
        context.close()
    assert not errors, errors
