"""What the duplicate check may ask of the rest of the system, bound to one job.

The check gets no database handle: it gets this narrow view of its own session's app,
read through the read-only view the check runs with and the process's vector index
(ports.faces). The enrolment is kept until `write`, called in the transaction that
records the decision: it commits with the decision or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import phonenumbers

from openkyc.checks.duplicate import store
from openkyc.checks.face.embed import Embedding
from openkyc.checks.face.models import MODEL_VERSION
from openkyc.domain.context import Ctx
from openkyc.domain.file import service as files
from openkyc.domain.session import repository as session_repo
from openkyc.domain.step import repository as steps_repo
from openkyc.models import FaceEmbedding, Step

ENROLLING_TYPE = "DUPLICATE"


@dataclass(frozen=True)
class FaceHit:
    session_id: str
    similarity: float
    face: bytes | None  # the picture enrolled for that session, when still stored


def _seal_aad(app_id: str) -> str:
    return f"face-embedding:{app_id}"


def normalise(kind: str, value: str) -> str:
    """The form two spellings of one identifier share (so their hashes match)."""
    value = value.strip()
    if kind == "phone":
        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return re.sub(r"\D", "", value)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if kind == "email":
        return value.lower()
    return re.sub(r"[^0-9A-Z|]", "", value.upper())


class SessionLookup:
    def __init__(self, ctx: Ctx, app_id: str, session_id: str) -> None:
        self.ctx, self.app_id, self.session_id = ctx, app_id, session_id
        self.enrolment: tuple[Embedding | None, dict[str, str]] | None = None

    def _vector(self, row: FaceEmbedding) -> Embedding:
        sealed = self.ctx.ports.crypto.decrypt_file(row.vector, _seal_aad(self.app_id))
        return np.frombuffer(sealed, np.float32)

    def _sync(self) -> None:
        """Bring this process's index up to the rows: all of them on first use."""
        index = self.ctx.ports.faces
        while True:
            rows = store.embeddings_after(self.ctx.db, self.app_id, index.last_key(self.app_id))
            if not rows:
                return
            keys = np.array([r.id for r in rows], dtype=np.uint64)
            index.add(self.app_id, keys, np.stack([self._vector(r) for r in rows]))

    def similar_faces(self, vector: Embedding, limit: int) -> list[FaceHit]:
        """The nearest faces of other sessions, best first. The index only proposes
        candidates (its vectors are 8-bit); each is scored again on the stored float32
        embedding, so thresholds are applied to the exact cosine."""
        self._sync()
        found = self.ctx.ports.faces.search(self.app_id, vector, limit + 8)
        rows = {
            r.id: r
            for r in store.embeddings_by_keys(self.ctx.db, self.app_id, [k for k, _ in found])
        }
        gone = [key for key, _ in found if key not in rows]
        if gone:  # replaced or deleted rows: forget them here too
            self.ctx.ports.faces.remove(self.app_id, gone)
        scored = [
            (float(np.dot(self._vector(row), vector)), row)
            for row in rows.values()
            if row.session_id != self.session_id
        ]
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return [
            FaceHit(row.session_id, similarity, self._face_of(row.step_id))
            for similarity, row in scored[:limit]
        ]

    def _face_of(self, step_id: str) -> bytes | None:
        step = steps_repo.get(self.ctx.db, self.app_id, step_id)
        if step is None:
            return None
        for row in files.of_attempt(self.ctx, step):
            if row.kind == files.PROCESSED + "face":
                return files.read(self.ctx, row)
        return None

    def identifiers(self) -> dict[str, str]:
        """Keyed hashes of the session's document number, phone and email, when known."""
        values: dict[str, str] = {}
        for step in session_repo.steps(self.ctx.db, self.session_id):
            values.update(self._values_of(step))
        return {
            kind: self.ctx.ports.crypto.keyed_hash(
                f"duplicate|{self.app_id}|{kind}|{normalise(kind, value)}"
            )
            for kind, value in values.items()
            if normalise(kind, value)
        }

    def _values_of(self, step: Step) -> dict[str, str]:
        if step.type not in ("PHONE", "EMAIL", "ID_DOCUMENT") or not step.submission:
            return {}
        decrypted = self.ctx.ports.crypto.decrypt_json(step.submission)
        submission = decrypted if isinstance(decrypted, dict) else {}
        if step.type == "PHONE" and step.status == "APPROVED":
            return {"phone": str(submission.get("number", ""))}
        if step.type == "EMAIL" and step.status == "APPROVED":
            return {"email": str(submission.get("value", ""))}
        fields = (step.evidence or {}).get("fields") or {}
        number = str(fields.get("document_number") or "")
        country = str(submission.get("country") or fields.get("country") or "")
        return {"document": f"{number}|{country}"} if number and country else {}

    def identifier_matches(self, hashes: dict[str, str]) -> list[dict[str, str]]:
        kinds = {h: k for k, h in hashes.items()}
        rows = store.identifier_matches(self.ctx.db, self.app_id, self.session_id, list(kinds))
        return [{"kind": kinds[r.value_hash], "session_id": r.session_id} for r in rows]

    def enrol(self, vector: Embedding | None, hashes: dict[str, str]) -> None:
        self.enrolment = (vector, hashes)

    def write(self, ctx: Ctx) -> None:
        """The session's face and identifiers, replacing an earlier run's."""
        if self.enrolment is None:
            return
        vector, hashes = self.enrolment
        step = next(
            (s for s in session_repo.steps(ctx.db, self.session_id) if s.type == ENROLLING_TYPE),
            None,
        )
        if step is None:
            return
        now, db = ctx.now, ctx.db
        store.replace_identifiers(db, self.app_id, self.session_id, step.id, hashes, now)
        if vector is None:
            return
        sealed = ctx.ports.crypto.encrypt_file(
            np.asarray(vector, dtype=np.float32).tobytes(), _seal_aad(self.app_id)
        )
        store.replace_embedding(
            db, self.app_id, self.session_id, step.id, sealed, MODEL_VERSION, now
        )
