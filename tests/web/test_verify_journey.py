"""An applicant goes through the hosted flow in a real browser: phone, email, the ID
document through the (fake) camera, the selfie video (a first try that fails, then a
retry), and ends on the completion page that leads back to the tenant; the tenant's
webhook receiver sees every step's events."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from playwright.sync_api import Request, Route, expect
from tests.checks.liveness import synth
from tests.servers import signed_with, wait_for
from tests.web import documents, multipart
from tests.web.conftest import Live, audit, shoot

from openkyc.domain.step.reasons import REASONS

# Proof of address waits for a reviewer here: what its check decides is tested elsewhere.
FLOW = [
    "PHONE",
    "EMAIL",
    "ID_DOCUMENT",
    "LIVENESS",
    {"type": "PROOF_OF_ADDRESS", "settings": {"manual_review": True}},
]
WEBM = b"\x1a\x45\xdf\xa3"  # EBML magic: the start of every WebM file


def verify_code(page: Any, label: str, target: str, shots: Path | None) -> None:
    page.get_by_role("textbox", name=label).fill(target)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".sent")).to_have_text(f"We sent a code to {target}.")
    expect(page.locator(".throttle")).to_contain_text("You can ask for a new code in")
    expect(page.get_by_role("button", name="Send a new code")).to_be_disabled()
    if shots:
        audit(page)
        shoot(page, shots, "code")
    page.get_by_label("6-digit code").fill("000000")  # the sandbox code
    page.get_by_role("button", name="Confirm").click()


def capture_document(page: Any, shots: Path) -> None:
    page.get_by_label("Document type").select_option("PASSPORT")
    page.get_by_label("Issuing country").select_option("FRA")
    expect(page.locator("fieldset[data-side=back]")).to_be_hidden()  # a passport has one side
    page.get_by_role("button", name="Take a photo").click()
    page.wait_for_function("() => document.querySelector('.camera video').videoWidth > 0")
    audit(page)
    shoot(page, shots, "document-camera")
    page.get_by_role("button", name="Capture").click()
    expect(page.get_by_role("img", name="Preview of the Front side")).to_be_visible()
    shoot(page, shots, "document-preview")
    page.get_by_role("button", name="Send my document").click()


def record_selfie(page: Any) -> None:
    """Start, let the camera run a moment, then skip the rest of the on-screen prompts
    (the page's clock is Playwright's, so the test need not wait them out)."""
    page.locator(".start").click()
    expect(page.locator(".prompt")).to_have_text("Look straight at the camera")
    page.wait_for_timeout(1500)
    page.clock.run_for(20_000)


def fill_address(page: Any) -> None:
    page.get_by_label("Document type", exact=True).select_option("ELECTRICITY_BILL")
    page.get_by_label("Country", exact=True).select_option("FRA")
    page.get_by_label("Full postal address").fill("12 rue de la Paix")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Postcode (optional)").fill("75002")
    page.get_by_label("Document (JPEG, PNG or PDF, 4 MB at most)").set_input_files(
        {"name": "bill.png", "mimeType": "image/png", "buffer": documents.bill()}
    )


class Applicant:
    """Plays the applicant's head movements: the fake camera films a still passport and
    cannot follow random prompts, so the browser's recording (checked to be a real WebM)
    is replaced with a video that performs the challenges the page was given."""

    def __init__(self, page: Any) -> None:
        self.challenges: list[str] = []
        self.recorded: list[bytes] = []
        page.on("response", self._seen)

    def _seen(self, response: Any) -> None:
        if "/v3/liveness/init" in response.url and response.ok:
            self.challenges = response.json()["challenges"]

    def perform(self, route: Route, request: Request) -> None:
        sent = multipart.parse(request.headers["content-type"], request.post_data_buffer or b"")
        named = {part[0]: part for part in sent}
        self.recorded.append(named["video"][3])
        video = synth.video(self.challenges, container="webm")
        content_type, body = multipart.build(
            [named["nonce"], ("video", "selfie.webm", "video/webm", video)]
        )
        headers = {k: v for k, v in request.headers.items() if k != "content-length"}
        route.continue_(post_data=body, headers={**headers, "content-type": content_type})


def test_an_applicant_completes_a_sandbox_session(page: Any, live: Live, shots: Path) -> None:
    tenant = live.tenant(FLOW)
    back = f"{live.receiver.url}/back?ref=42"
    sid = live.session(tenant["api_key"], metadata={"redirect_url": back})
    ids = {kind: step["id"] for kind, step in live.steps(tenant["api_key"], sid).items()}
    applicant = Applicant(page)
    page.clock.install()

    page.goto(f"/verify?session_id={sid}")
    expect(page.locator("h1")).to_have_text("Phone number")
    assert "session_id" not in page.url and sid not in page.url  # kept in the page only
    expect(page.locator(".progress .count")).to_have_text("Step 1 of 5")
    audit(page)
    shoot(page, shots, "phone", desktop=True)
    verify_code(page, "Mobile phone number", "+33686521748", shots)

    expect(page.locator("h1")).to_have_text("Email address")
    expect(page.locator(".progress .count")).to_have_text("Step 2 of 5")
    verify_code(page, "Email address", "jane@example.com", None)

    expect(page.locator("h1")).to_have_text("Identity document")
    audit(page)
    shoot(page, shots, "document", desktop=True)
    capture_document(page, shots)

    expect(page.locator("h1")).to_have_text("Selfie video", timeout=60_000)
    audit(page)
    shoot(page, shots, "liveness")
    record_selfie(page)  # films the passport: no face
    expect(page.locator(".notice .reason")).to_be_visible(timeout=60_000)
    reason = page.locator(".notice .reason").inner_text()
    assert reason in {texts["en"] for texts in REASONS.values()}, reason
    expect(page.locator(".start")).to_have_text("Try again")
    audit(page)
    shoot(page, shots, "liveness-retry", desktop=True)

    page.route("**/v3/liveness/submit*", applicant.perform)
    record_selfie(page)
    expect(page.locator("h1")).to_have_text("Proof of address", timeout=60_000)
    assert [video[:4] for video in applicant.recorded] == [WEBM]
    audit(page)
    shoot(page, shots, "address")
    fill_address(page)
    page.get_by_role("button", name="Send my proof of address").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    link = page.get_by_role("link", name=re.compile(r"^Return to 127\.0\.0\.1"))
    assert link.get_attribute("href") == back
    audit(page)
    shoot(page, shots, "done", desktop=True)

    seen = webhook_statuses(live, tenant["secret"], ids, "LIVENESS")
    assert seen[ids["PROOF_OF_ADDRESS"]] == {"PENDING_VERIFICATION"}, seen
    for kind in ("PHONE", "EMAIL", "ID_DOCUMENT"):
        assert seen[ids[kind]] >= {"PENDING_VERIFICATION", "APPROVED"}, (kind, seen)
    assert seen[ids["LIVENESS"]] >= {"PENDING_VERIFICATION", "RESUBMISSION_REQUIRED"}, seen
    assert "PENDING_VERIFICATION" in seen[""] or "APPROVED" in seen[""], seen


def webhook_statuses(
    live: Live, secret: str, ids: dict[str, str], last: str
) -> dict[str, set[str]]:
    """Statuses per step id ("" for the session) the receiver got, once the `last` step's
    second submission was announced; each delivery signed with the endpoint's secret."""

    def collect() -> dict[str, list[str]]:
        seen: dict[str, list[str]] = defaultdict(list)
        for request in list(live.receiver.requests):
            if request.path == "/hooks":
                assert signed_with(request, secret)
                body = request.json()
                seen[body["step_id"]].append(body["status"])
        return seen

    # pending, resubmission required, pending again (then a decision, or a reviewer)
    wait_for(lambda: len(collect()[ids[last]]) >= 3, "the webhooks", 30)
    return {step: set(states) for step, states in collect().items()}
