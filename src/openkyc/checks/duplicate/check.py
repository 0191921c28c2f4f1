"""DUPLICATE: is this person already known to the app under another session?

The face is the liveness frame (or, without a liveness step, the document's face); it is
compared with every face the app enrolled, through the in-process index. The document
number + country, the phone and the email are compared through keyed hashes. The session
is then enrolled itself, so the next applicant is compared with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.checks.face import models
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import Embedding, align, embed
from openkyc.checks.face.image import ImageInvalid, decode_image, encode_jpeg
from openkyc.checks.face.models import MODEL_VERSION
from openkyc.checks.face.similarity import MATCH_THRESHOLD, REVIEW_THRESHOLD

if TYPE_CHECKING:
    from openkyc.checks.duplicate.lookup import FaceHit
    from openkyc.domain.context import Ctx

MAX_MATCHES = 5
FACE_SOURCES = ("LIVENESS:liveness", "PVID:liveness", "ID_DOCUMENT:face", "PVID:face")


class Lookup(Protocol):
    """Read while the check runs; the enrolment is written by `write`, in the transaction
    that records the step's decision."""

    def similar_faces(self, vector: Embedding, limit: int) -> list[FaceHit]: ...
    def identifiers(self) -> dict[str, str]: ...
    def identifier_matches(self, hashes: dict[str, str]) -> list[dict[str, str]]: ...
    def enrol(self, vector: Embedding | None, hashes: dict[str, str]) -> None: ...
    def write(self, ctx: Ctx) -> None: ...


def decide(evidence: dict[str, Any], settings: dict[str, Any]) -> CheckOutcome:
    """Pure rule. Step settings: `threshold` (cosine, default MATCH_THRESHOLD) and
    `on_duplicate`: "reject" (default) or "review"."""
    threshold = float(settings.get("threshold", MATCH_THRESHOLD))
    scores = [m["similarity_score"] for m in evidence.get("matches", [])]
    if any(s >= threshold for s in scores) or evidence.get("identifier_matches"):
        if settings.get("on_duplicate", "reject") == "review":
            return CheckOutcome(Decision.REVIEW, "DUPLICATE_USER", evidence)
        return CheckOutcome(Decision.REJECT, "DUPLICATE_USER", evidence)
    # Just under the threshold: too close to call, as for the face match.
    if any(s >= threshold - (MATCH_THRESHOLD - REVIEW_THRESHOLD) for s in scores):
        return CheckOutcome(Decision.REVIEW, "DUPLICATE_USER", evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


def face_of(data: CheckInput) -> tuple[Embedding, bytes] | None:
    """The session's face: its embedding and a picture of it for reviewers."""
    for source in FACE_SOURCES:
        loader = data.session_files.get(source)
        if loader is None:
            continue
        try:
            rgb = decode_image(loader())
        except ImageInvalid:
            continue
        faces = detect_faces(models.load(), rgb)
        if faces:
            picture = encode_jpeg(align(rgb, faces[0], size=224, padding=0.4))
            return embed(models.load(), rgb, faces[0]), picture
    return None


# The session's face (embedding, picture), its identifiers' hashes, the check's input.
Pending = tuple[tuple[Embedding, bytes] | None, dict[str, str], CheckInput]


class DuplicateCheck:
    """Bound to a job: `run` (read-only) computes the face and compares; `record`, in the
    transaction that stores the decision, compares again (cheap: the index and a few
    rows) so that two sessions checked at once still find each other, then enrols."""

    def __init__(self, lookup: Lookup | None = None, ctx: Ctx | None = None) -> None:
        self.lookup = lookup
        self.ctx = ctx
        self.pending: Pending | None = None  # what `run` worked out, for `record`

    def bind(self, ctx: Ctx) -> DuplicateCheck:
        return DuplicateCheck(ctx=ctx)

    def _lookup(self, ctx: Ctx | None, data: CheckInput) -> Lookup:
        if ctx is None:
            if self.lookup is None:
                raise RuntimeError("the duplicate check runs inside a job (bind it)")
            return self.lookup
        from openkyc.checks.duplicate.lookup import SessionLookup  # domain imports stay lazy

        return SessionLookup(ctx, data.app_id, data.session_id)

    def run(self, data: CheckInput) -> CheckOutcome:
        if self.lookup is None:
            self.lookup = self._lookup(self.ctx, data)
        face = face_of(data)
        hashes = self.lookup.identifiers()
        self.pending = (face, hashes, data)
        return compare(self.lookup, face, hashes, data.settings)

    def record(self, ctx: Ctx, outcome: CheckOutcome) -> CheckOutcome:
        """Compare again with what is stored now, and enrol the session with the outcome
        (the next applicant is compared with it)."""
        if self.pending is None:
            return outcome
        face, hashes, data = self.pending
        lookup = self._lookup(ctx if self.ctx is not None else None, data)
        final = compare(lookup, face, hashes, data.settings)
        lookup.write(ctx)
        return final


def compare(
    lookup: Lookup,
    face: tuple[Embedding, bytes] | None,
    hashes: dict[str, str],
    settings: dict[str, Any],
) -> CheckOutcome:
    """The session's face and identifiers against the app's others; the enrolment asked."""
    evidence: dict[str, Any] = {
        "model": MODEL_VERSION,
        "face_found": face is not None,
        "identifiers_compared": sorted(hashes),
        "identifier_matches": lookup.identifier_matches(hashes),
        "matches": [],
    }
    produced: dict[str, tuple[bytes, str]] = {}
    if face is not None:
        produced["face"] = (face[1], "image/jpeg")
        for number, hit in enumerate(lookup.similar_faces(face[0], MAX_MATCHES)):
            if hit.similarity < REVIEW_THRESHOLD - 0.05:
                break  # far from anyone: not worth showing
            match: dict[str, Any] = {
                "session_id": hit.session_id,
                "similarity_score": round(hit.similarity, 4),
            }
            if hit.face is not None:
                match["face_file"] = f"match_{number}"
                produced[f"match_{number}"] = (hit.face, "image/jpeg")
            evidence["matches"].append(match)
    lookup.enrol(face[0] if face else None, hashes)
    outcome = decide(evidence, settings)
    return CheckOutcome(outcome.decision, outcome.reason_code, evidence, produced)
