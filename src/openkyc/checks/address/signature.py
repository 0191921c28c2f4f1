"""PDF signatures (pyHanko): a signature that is intact and covers the whole file is a
trust signal; one broken, or followed by changes, is a red flag.

Nothing is fetched: no revocation look-up, no certificate download. Trust is whether the
signer's chain reaches a root the operator configured (`trust_roots_pem` in the step's
settings); without roots a sound signature is reported as valid but not trusted.
"""

from __future__ import annotations

import io
import logging
from typing import Any

log = logging.getLogger(__name__)
MAX_SIGNATURES = 5


def inspect(data: bytes, trust_roots_pem: str = "") -> list[dict[str, Any]]:
    """One entry per embedded signature: intact, valid, trusted, whole-file coverage."""
    if b"/ByteRange" not in data:
        return []
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)[:MAX_SIGNATURES]
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return [{"intact": False, "valid": False, "trusted": False, "error": "unreadable"}]
    context = _context(trust_roots_pem)
    return [_one(sig, context) for sig in embedded]


def _context(trust_roots_pem: str) -> Any:
    from asn1crypto import pem, x509  # type: ignore[import-untyped]  # ships no type hints
    from pyhanko_certvalidator import ValidationContext

    roots = []
    if trust_roots_pem and pem.detect(trust_roots_pem.encode()):
        for _, _, der in pem.unarmor(trust_roots_pem.encode(), multiple=True):
            roots.append(x509.Certificate.load(der))
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _one(sig: Any, context: Any) -> dict[str, Any]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # a malformed signature of any shape is a finding, not a crash
        log.info("signature validation failed: %s", type(exc).__name__)
        return {"intact": False, "valid": False, "trusted": False, "error": type(exc).__name__}
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    subject = ""
    if status.signing_cert is not None:
        subject = str(status.signing_cert.subject.human_friendly)
    return {
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "covers_whole_file": whole,
        "signer": subject,
    }
