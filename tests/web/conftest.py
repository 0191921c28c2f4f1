"""Browser fixtures: one Debian chromium for the whole test session (driven by Playwright,
with a fake camera filming a generated sandbox passport), a fresh context per test with
axe-core and a Content-Security-Policy recorder injected, and a live openkyc server per
test with a webhook receiver. Nothing is downloaded: the browser is the system's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import ADMIN_TOKEN, make_settings, new_app
from tests.servers import Receiver, http_receiver, serve
from tests.web import camera

from openkyc.adapters.http import HttpxPoster
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# Runs before any page script: records what the Content-Security-Policy blocks.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = [e.sourceFile, e.lineNumber, e.columnNumber].join(':');
  window.__cspViolations.push([e.violatedDirective, e.blockedURI, where, e.sample].join(' '));
});
"""


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/web/node`")
    from playwright.sync_api import sync_playwright

    video = camera.write_y4m(
        tmp_path_factory.mktemp("camera") / "document.y4m", camera.document_frame()
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: OPENKYC_SCREENSHOTS if set (to refresh docs/screenshots)."""
    wanted = os.environ.get("OPENKYC_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        return Path(wanted)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    context = browser.new_context(
        viewport=MOBILE, locale="en-GB", base_url=live.url, permissions=["camera"]
    )
    context.add_init_script(path=str(AXE))
    context.add_init_script(CSP_RECORDER)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@dataclass
class Live:
    url: str
    system: System
    receiver: Receiver
    http: httpx.Client

    def tenant(self, flow: list[Any], name: str = "acme") -> dict[str, str]:
        """A sandbox app with `flow` and a webhook endpoint at the receiver."""
        app = new_app(self.system, name, sandbox=True, flow=flow)
        hook = self.http.post(
            f"/admin/apps/{app['app_id']}/webhooks",
            json={"url": f"{self.receiver.url}/hooks"},
            headers=ADMIN,
        )
        assert hook.status_code == 201, hook.text
        return {**app, "secret": hook.json()["secret"]}

    def session(self, api_key: str, **extra: Any) -> str:
        response = self.http.post(
            "/v4/session/init", json={"alias": "applicant", **extra}, headers={"Api-Key": api_key}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["session_id"])

    def steps(self, api_key: str, session_id: str) -> dict[str, dict[str, Any]]:
        response = self.http.get(
            f"/v4/individual/session/{session_id}", headers={"Api-Key": api_key}
        )
        assert response.status_code == 200, response.text
        return {s["type"]: s for s in response.json()["session"]["steps"]}


@pytest.fixture
def live_settings() -> dict[str, Any]:
    """Settings of the live server beyond the test defaults (a test parametrizes it)."""
    return {}


@pytest.fixture
def live(tmp_path: Path, database_url: str, live_settings: dict[str, Any]) -> Iterator[Live]:
    """openkyc under uvicorn; jobs run at once after each commit (the memory queue), so a
    submission's check has run when its request answers; webhooks go out over HTTP."""
    settings = make_settings(tmp_path, database_url, **live_settings)
    system = build_system(settings)
    try:
        with (
            http_receiver() as receiver,
            serve(create_app(settings, system)) as url,
            httpx.Client(base_url=url, timeout=30) as http,
        ):
            yield Live(url, system, receiver, http)
    finally:
        poster = system.runtime.ports.http
        assert isinstance(poster, HttpxPoster)
        poster.close()
        system.runtime.engine.dispose()


def audit(page: Any) -> None:
    """axe-core over the page as it is now: no serious or critical violation; and the
    Content-Security-Policy blocked nothing (no inline script or style slipped in)."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
    assert page.evaluate("() => window.__cspViolations") == []


def shoot(page: Any, shots: Path, name: str, desktop: bool = False) -> None:
    """A screenshot at mobile width, and at desktop width too when asked."""
    page.screenshot(path=str(shots / f"verify-{name}-mobile.png"), full_page=True)
    if desktop:
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(shots / f"verify-{name}-desktop.png"), full_page=True)
        page.set_viewport_size(MOBILE)
