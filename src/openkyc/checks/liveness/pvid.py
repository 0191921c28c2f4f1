"""PVID: an ID document and a liveness video in one submission. The rules behind PVID
require a human to validate, so this check never decides: it gathers the document's
reading, the liveness analysis and the face match side by side, and asks for review."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openkyc.checks.base import Check, CheckInput, CheckOutcome, Decision
from openkyc.checks.face import models
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import align
from openkyc.checks.face.image import ImageInvalid, decode_image, encode_jpeg
from openkyc.checks.face.match import compare
from openkyc.checks.liveness.check import challenges_of, decide, run_liveness, submission_timing


def document_face(image: bytes) -> bytes | None:
    """The largest face printed on the document, cropped."""
    try:
        rgb = decode_image(image)
    except ImageInvalid:
        return None
    faces = detect_faces(models.load(), rgb)
    return encode_jpeg(align(rgb, faces[0], size=224, padding=0.4)) if faces else None


class PvidCheck:
    """`document` is the ID document check the registry installs (given, not looked up:
    the registry is what imports this module)."""

    def __init__(self, document: Check | None = None) -> None:
        self.document = document

    def _document(self, data: CheckInput) -> CheckOutcome | None:
        """The ID document check's own reading of the same files, when one is installed."""
        if self.document is None:
            return None
        return self.document.run(replace(data, step_type="ID_DOCUMENT"))

    def run(self, data: CheckInput) -> CheckOutcome:
        produced: dict[str, tuple[bytes, str]] = {}
        evidence: dict[str, Any] = {}
        document = self._document(data)
        if document is not None:
            evidence["document"] = document.evidence
            evidence["fields"] = document.evidence.get("fields", {})
            produced.update(document.files)
        face = produced.get("face")
        for kind in ("face", "front"):  # an uploaded face picture, else the document's
            if face is None and kind in data.files:
                found = document_face(data.files[kind]())
                face = (found, "image/jpeg") if found else None
        if face is not None:
            produced["face"] = face
        evidence["liveness"] = self._liveness(data, produced)
        if face is not None and "liveness" in produced:
            evidence["face_match"] = compare(face[0], produced["liveness"][0])
        return CheckOutcome(Decision.REVIEW, None, evidence, produced)

    def _liveness(self, data: CheckInput, produced: dict[str, tuple[bytes, str]]) -> dict[str, Any]:
        loader = data.files.get("video")
        if loader is None:
            return {"video_error": "missing"}
        evidence, result = run_liveness(loader(), challenges_of(data.submission))
        evidence["timing"] = submission_timing(data.submission)
        # What LIVENESS would have decided, shown to the reviewer as a recommendation.
        verdict = decide(evidence, data.settings)
        evidence["recommendation"] = {
            "decision": str(verdict.decision),
            "reason": verdict.reason_code,
        }
        if result is not None and result.best_frame is not None:
            produced["liveness"] = (encode_jpeg(result.best_frame), "image/jpeg")
        return evidence
