"""Hostile and tampered PDFs for the tests, written byte by byte or with pyHanko."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def raw_pdf(
    pages: int = 1,
    size: tuple[int, int] = (595, 842),
    text: str = "Hello",
    catalog_extra: str = "",
) -> bytes:
    """A minimal valid PDF: `pages` pages sharing one content stream and one font."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects: list[bytes] = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>".encode(),
        b"",  # the page tree, once the page numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    first_page = len(objects) + 1
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    page = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
        "/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ).encode()
    objects.extend([page] * pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


JAVASCRIPT = "/Names << /JavaScript << /Names [(run) << /S /JavaScript /JS (app.alert(1)) >>] >> >>"


def signing_identity() -> tuple[keys.PrivateKeyInfo, x509.Certificate, bytes]:
    """A self-signed key and certificate (asn1crypto objects) and the certificate's PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Voltaro Billing")])
    now = datetime.now(UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            cx509.KeyUsage(True, True, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    pem = cert.public_bytes(serialization.Encoding.PEM)
    return keys.PrivateKeyInfo.load(key_der), x509.Certificate.load(cert_der), pem


def sign(data: bytes, key: keys.PrivateKeyInfo, cert: x509.Certificate) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore()
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Issuer")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()  # type: ignore[no-any-return]


def append_update(data: bytes, title: str = "changed") -> bytes:
    """An incremental update (a new Info dictionary) appended to the file."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    info = generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject(title)})
    writer.trailer["/Info"] = writer.add_object(info)
    out = io.BytesIO()
    writer.write(out)
    return data + out.getvalue()[len(data) :] if out.getvalue().startswith(data) else out.getvalue()
