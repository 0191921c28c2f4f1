"""The whole check on generated pictures: real OCR, so each picture is read once per module
and shared by the assertions."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest
from PIL import Image
from tests.checks.document.samples import TODAY, adult, jpeg, picture, png

from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.checks.document import ocr
from openkyc.checks.document.check import DocumentCheck, check_files
from openkyc.checks.document.mrz.build import td3
from openkyc.checks.document.sample.photo import LEVELS
from openkyc.checks.document.sample.render import render

HOLDER = adult()


def run(
    front: bytes, back: bytes | None = None, kind: str = "PASSPORT", sandbox: bool = False
) -> CheckOutcome:
    return check_files(front, back, kind, "FRA", {}, sandbox, TODAY, ocr.shared())


@pytest.fixture(scope="module")
def outcomes() -> dict[str, CheckOutcome]:
    """Every picture of this module, read once."""
    results: dict[str, CheckOutcome] = {}
    results["clean"] = run(picture("TD3", HOLDER))
    results["medium"] = run(picture("TD3", HOLDER, "medium", seed=5))
    turned = replace(LEVELS["heavy"], quarter_turns=1, glare=False)
    results["turned"] = run(picture("TD3", HOLDER, turned, seed=8))
    results["upside_down"] = run(
        picture("TD3", HOLDER, replace(LEVELS["light"], quarter_turns=2), seed=9)
    )
    card = adult(document_number="ID7731955")
    results["td1"] = run(
        picture("TD1", card, "light", "front", seed=11),
        picture("TD1", card, "light", "back", seed=12),
        "NATIONAL_ID",
    )
    results["td2"] = run(picture("TD2", card, seed=13), None, "RESIDENT_PERMIT")
    french = adult(document_number="190875123456", firstname="CLAIRE,MARIE")
    results["french"] = run(picture("FRA_ID", french, seed=14), None, "NATIONAL_ID")
    results["licence"] = run(picture("DL", HOLDER, seed=15), None, "DRIVER_LICENSE")
    results["visa"] = run(picture("MRVA", HOLDER, seed=16))
    return results


def test_clean_passport_is_read_and_approved(outcomes: dict[str, CheckOutcome]) -> None:
    outcome = outcomes["clean"]
    assert (outcome.decision, outcome.reason_code) == (Decision.APPROVE, None)
    ev = outcome.evidence
    assert ev["mrz"]["format"] == "TD3" and ev["mrz"]["valid"]
    assert all(ev["mrz"]["check_digits"].values())
    assert ev["fields"] == {
        "firstname": "CLAIRE",
        "lastname": "MARTIN",
        "birth_date": "1990-05-17",
        "document_expiration": HOLDER.expiry_date.isoformat(),
        "document_number": "X4RT5Y2B9",
        "nationality": "FRA",
        "gender": "F",
        "birth_place": "LYON",
        "full_name": "CLAIRE MARTIN",
    }
    assert ev["country"] == "FRA"
    for field in ("lastname", "firstname", "birth_date", "document_number"):
        assert ev["crosscheck"][field]["score"] == 1.0
    front = ev["sides"]["front"]
    assert set(front["quality"]) >= {"sharpness", "glare", "brightness", "colourfulness"}
    assert front["ocr_mean_confidence"] > 0.8 and front["texts"]
    assert ev["models"]["rapidocr"] and ev["models"]["models"]["rec"].endswith(".onnx")
    assert set(outcome.files) == {"front", "face"}
    assert ev["portrait"]["method"] in ("face_detector", "layout")
    face = Image.open(io.BytesIO(outcome.files["face"][0]))
    assert face.height > face.width  # a portrait crop, not the page


@pytest.mark.parametrize("name", ["medium", "turned", "upside_down"])
def test_degraded_and_turned_photos_read_exactly(
    outcomes: dict[str, CheckOutcome], name: str
) -> None:
    ev = outcomes[name].evidence
    assert ev["mrz"]["valid"], ev["mrz"]
    assert ev["fields"]["document_number"] == "X4RT5Y2B9"
    assert ev["fields"]["birth_date"] == "1990-05-17"
    assert outcomes[name].decision is Decision.APPROVE
    turns = {"medium": 0, "turned": 3, "upside_down": 2}[name]
    assert ev["sides"]["front"]["quarter_turns"] == turns
    cropped = Image.open(io.BytesIO(outcomes[name].files["front"][0]))
    assert cropped.width > cropped.height  # straightened, upright


def test_id_card_front_and_back(outcomes: dict[str, CheckOutcome]) -> None:
    outcome = outcomes["td1"]
    ev = outcome.evidence
    assert ev["mrz"]["format"] == "TD1" and ev["mrz"]["side"] == "back" and ev["mrz"]["valid"]
    assert ev["fields"]["document_number"] == "ID7731955"
    assert (outcome.decision, outcome.reason_code) == (Decision.APPROVE, None)
    assert set(outcome.files) == {"front", "back", "face"}
    assert ev["portrait"]["side"] == "front"


def test_td2_french_card_and_visa(outcomes: dict[str, CheckOutcome]) -> None:
    assert outcomes["td2"].evidence["mrz"]["format"] == "TD2"
    assert outcomes["td2"].decision is Decision.APPROVE
    french = outcomes["french"].evidence
    assert french["mrz"]["format"] == "FRA_ID" and french["mrz"]["valid"]
    assert french["fields"]["firstname"] == "CLAIRE MARIE"
    assert french["fields"]["document_number"] == "190875123456"
    visa = outcomes["visa"]
    assert visa.evidence["mrz"]["format"] == "MRVA" and visa.evidence["mrz"]["valid"]
    assert (visa.decision, visa.reason_code) == (Decision.RESUBMIT, "DOCUMENT_COMPLIANCE")


def test_driving_licence_from_printed_fields(outcomes: dict[str, CheckOutcome]) -> None:
    outcome = outcomes["licence"]
    assert outcome.evidence["mrz"] is None
    fields = outcome.evidence["fields"]
    assert fields["lastname"] == "MARTIN" and fields["firstname"] == "CLAIRE"
    assert fields["birth_date"] == "1990-05-17"
    assert fields["document_number"] == "X4RT5Y2B9"
    assert fields["document_expiration"] == HOLDER.expiry_date.isoformat()
    assert outcome.decision is Decision.APPROVE


@pytest.fixture(scope="module")
def bad() -> dict[str, CheckOutcome]:
    results: dict[str, CheckOutcome] = {}
    rng = np.random.default_rng(4)
    scene = np.clip(
        rng.normal(0, 25, (700, 1000, 3)) + np.linspace(40, 200, 1000)[None, :, None], 0, 255
    )
    results["no_document"] = run(jpeg(Image.fromarray(scene.astype(np.uint8))))
    table = Image.new("RGB", (1600, 700), (50, 60, 45))
    for i, x in enumerate((40, 830)):
        page = render("TD3", adult(document_number=f"X4RT5Y2B{i}"), seed=i, specimen=False)
        table.paste(page.resize((730, 514)), (x, 90))
    results["two_documents"] = run(jpeg(table))
    thumb = render("TD3", HOLDER, specimen=False).resize((150, 106))
    results["thumbnail"] = run(png(thumb))
    lines = td3(HOLDER)
    lines[1] = lines[1][:13] + "900518" + lines[1][19:]  # birth date changed, digits not
    results["fake_mrz"] = run(picture("TD3", adult(birth_date=date(1990, 5, 17)), lines=lines))
    grey = render("TD3", HOLDER, specimen=False).convert("L").convert("RGB")
    results["grey"] = run(jpeg(grey))
    return results


@pytest.mark.parametrize(
    ("name", "decision", "reason"),
    [
        ("no_document", Decision.RESUBMIT, "DOCUMENT_HIDDEN"),
        ("two_documents", Decision.RESUBMIT, "MULTIPLE_DOCUMENTS"),
        ("thumbnail", Decision.RESUBMIT, "BAD_QUALITY"),
        ("fake_mrz", Decision.REJECT, "FORGED_REJECTION"),
        ("grey", Decision.RESUBMIT, "BLACK_WHITE_PICTURE"),
    ],
)
def test_bad_pictures_get_a_clear_reason(
    bad: dict[str, CheckOutcome], name: str, decision: Decision, reason: str
) -> None:
    outcome = bad[name]
    assert (outcome.decision, outcome.reason_code) == (decision, reason), outcome.evidence.get(
        "sides"
    )


def test_fake_mrz_keeps_the_failed_digits(bad: dict[str, CheckOutcome]) -> None:
    mrz = bad["fake_mrz"].evidence["mrz"]
    assert mrz["valid"] is False
    assert mrz["check_digits"]["birth_date"] is False and mrz["check_digits"]["composite"] is False


def gif() -> bytes:
    frames = [Image.new("RGB", (80, 60), (90 * i, 20, 20)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("text", b"%!PS not a picture at all"),
        ("truncated", jpeg(Image.new("RGB", (640, 480), (10, 90, 160)))[:900]),
        ("bomb", None),
        ("animated", gif()),
    ],
)
def test_unusable_files_never_crash(name: str, data: bytes | None) -> None:
    if data is None:
        from tests.checks.document.test_decode import png_header_only

        data = png_header_only(30000, 30000)
    outcome = run(data)
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "DOCUMENT_FILE_INVALID")
    assert outcome.evidence["sides"]["front"]["error"]
    assert outcome.files == {}


def test_the_check_class_reads_its_inputs() -> None:
    data = CheckInput(
        step_type="ID_DOCUMENT",
        settings={},
        submission={"document_type": "PASSPORT", "country": "FRA"},
        sandbox=False,
        files={"front": lambda: b"not a picture"},
    )
    outcome = DocumentCheck().run(data)
    assert outcome.reason_code == "DOCUMENT_FILE_INVALID"
    empty: Any = DocumentCheck().run(replace(data, files={}))
    assert empty.reason_code == "DOCUMENT_FILE_INVALID"
