"""Face match: is the face on the document the face in front of the camera?"""

from __future__ import annotations

from typing import Any

from openkyc.checks.face import models
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import Embedding, embed
from openkyc.checks.face.image import ImageInvalid, decode_image
from openkyc.checks.face.models import MODEL_VERSION
from openkyc.checks.face.similarity import MATCH_THRESHOLD, REVIEW_THRESHOLD, cosine, verdict


def embedding_of(image: bytes) -> Embedding | None:
    """The largest face's embedding, or None when the picture shows no face."""
    try:
        rgb = decode_image(image)
    except ImageInvalid:
        return None
    faces = detect_faces(models.load(), rgb)
    return embed(models.load(), rgb, faces[0]) if faces else None


def compare(document_face: bytes, live_face: bytes) -> dict[str, Any]:
    """Evidence of the comparison; `verdict` is match, borderline, mismatch or no_face."""
    doc, live = embedding_of(document_face), embedding_of(live_face)
    evidence: dict[str, Any] = {
        "model": MODEL_VERSION,
        "match_threshold": MATCH_THRESHOLD,
        "review_threshold": REVIEW_THRESHOLD,
    }
    if doc is None or live is None:
        evidence.update(
            verdict="no_face", document_face=doc is not None, live_face=live is not None
        )
        return evidence
    similarity = cosine(doc, live)
    evidence.update(similarity=round(similarity, 4), verdict=str(verdict(similarity)))
    return evidence
