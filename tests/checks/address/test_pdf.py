"""PDF structure: refusals at upload, red flags, signatures as a trust signal."""

from __future__ import annotations

import io

import pytest
from tests.checks.address.conftest import TODAY, Doc
from tests.checks.address.pdfs import JAVASCRIPT, append_update, raw_pdf, sign, signing_identity

from openkyc.checks.address import pdf, sample, signature
from openkyc.checks.address.engine import analyse
from openkyc.checks.document.decode import FileRejected


def test_a_plain_pdf_passes_the_screen() -> None:
    pdf.screen(raw_pdf())
    assert pdf.read(raw_pdf(text="Hello")).segments[0].text == "Hello"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (raw_pdf(pages=2000), "the PDF has 2000 pages; at most 20 are accepted"),
        (raw_pdf(size=(20000, 20000)), "page 1 of the PDF has an unusable size"),
        (b"%PDF-1.7\nnot a pdf at all", "the PDF cannot be opened"),
    ],
)
def test_pdfs_no_bill_could_be_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(FileRejected) as caught:
        pdf.screen(data)
    assert caught.value.detail == message


def encrypted(user_password: str | None) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Statement")
    doc.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(doc.output())


@pytest.mark.parametrize("password", ["user-secret", None])
def test_encrypted_pdfs_are_refused_with_or_without_a_user_password(password: str | None) -> None:
    with pytest.raises(FileRejected, match="encrypted"):
        pdf.screen(encrypted(password))


def test_javascript_is_a_red_flag() -> None:
    assert "javascript" in pdf.read(raw_pdf(catalog_extra=JAVASCRIPT)).flags


def test_editor_metadata_and_attachments_are_red_flags() -> None:
    bill = sample.bill(7, TODAY)
    assert pdf.read(sample.digital_pdf(bill)).flags == []
    edited = pdf.read(sample.digital_pdf(bill, producer="Adobe Photoshop 25.0"))
    assert edited.flags == ["editor_metadata"]
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Bank statement")
    doc.embed_file(bytes=b"MZ payload", basename="tool.exe")
    assert "embedded_files" in pdf.read(bytes(doc.output())).flags


def covered_bill() -> bytes:
    """The classic edit: a white box over the printed figure, a new figure on top."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.set_xy(20, 20)
    doc.cell(text="Total due: 912.40 EUR")
    doc.set_fill_color(255, 255, 255)
    doc.rect(18, 18, 80, 9, style="F")
    doc.set_xy(20, 20)
    doc.cell(text="Total due: 12.40 EUR")
    return bytes(doc.output())


def test_text_hidden_under_a_shape_is_a_red_flag() -> None:
    reading = pdf.read(covered_bill())
    assert reading.facts["covered_text"] == 1
    assert "text_covered" in reading.flags


def test_an_update_appended_to_a_file_is_a_red_flag(digital: list[Doc]) -> None:
    updated = append_update(digital[0].data)
    assert pdf.revisions(updated) == 2
    assert "incremental_update" in pdf.read(updated).flags


def test_a_signature_over_the_whole_file_is_valid_and_trusted_only_with_its_root(
    digital: list[Doc],
) -> None:
    key, cert, pem = signing_identity()
    signed = sign(digital[0].data, key, cert)
    untrusted = signature.inspect(signed)
    assert untrusted == [
        {
            "intact": True,
            "valid": True,
            "trusted": False,
            "covers_whole_file": True,
            "signer": "Common Name: Voltaro Billing",
        }
    ]
    assert signature.inspect(signed, pem.decode())[0]["trusted"] is True
    evidence = analyse(signed, digital[0].bill.country)
    assert evidence["red_flags"] == []


def test_changes_after_signing_and_broken_signatures_are_red_flags(digital: list[Doc]) -> None:
    key, cert, _ = signing_identity()
    signed = sign(digital[1].data, key, cert)
    after = append_update(signed)
    assert "changed_after_signing" in analyse(after, digital[1].bill.country)["red_flags"]
    # one signed byte changed, same length: the producer's name in the Info dictionary
    assert b"(openkyc billing sample)" in signed[: len(digital[1].data)]
    tampered = signed.replace(b"(openkyc billing sample)", b"(openkyc billing sampLe)", 1)
    flags = analyse(tampered, digital[1].bill.country).get("red_flags", [])
    assert "signature_broken" in flags


def test_metadata_kept_in_evidence_says_only_which_software_made_the_file() -> None:
    from fpdf import FPDF

    doc = FPDF()
    doc.set_author("Claire Martin")
    doc.set_title("Claire's bill")
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Statement of account for the month, account total and date due")
    evidence = analyse(bytes(doc.output()), "FRA")
    assert set(evidence["file"]["metadata"]) <= {"Producer", "Creator", "CreationDate", "ModDate"}
    assert "Claire" not in str(evidence)


def test_control_characters_never_reach_the_evidence() -> None:
    reading = pdf.read(raw_pdf(text="Bill\\000 of\\007 May"))
    assert reading.segments[0].text == "Bill of May"
    assert pdf.printable("a\x00b\tc ") == "abc"


def scan_with_text_layer(picture_of: sample.Bill, layer_of: sample.Bill) -> bytes:
    """A scanned page with an invisible text layer, as OCR apps make them; the layer may
    say something else than the picture shows."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    doc = FPDF(format="A4")
    doc.set_auto_page_break(False)  # the footer stays on the page
    doc.add_page()
    doc.image(io.BytesIO(sample.scanned(picture_of)), x=0, y=0, w=210)
    doc.text_mode = TextMode.INVISIBLE
    for x, y, words, size, _ in sample.layout(layer_of):
        doc.set_font("helvetica", size=size)
        doc.set_xy(x, y)
        doc.cell(text=words)
    return bytes(doc.output())


def test_a_text_layer_that_contradicts_the_picture_is_a_red_flag() -> None:
    shown = sample.bill(71, TODAY, lang="en")
    honest = analyse(scan_with_text_layer(shown, shown), shown.country)
    assert honest["source"] == "ocr" and honest["red_flags"] == []
    assert honest["file"]["text_layer_agreement"] > 0.8
    other = sample.bill(72, TODAY, lang="de")
    forged = analyse(scan_with_text_layer(shown, other), shown.country)
    assert "text_layer_contradicts_image" in forged["red_flags"]
