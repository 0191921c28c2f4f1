from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from tests.checks.face import images
from typer.testing import CliRunner

from openkyc.checks.face import models
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import DIMENSIONS, embed
from openkyc.checks.face.image import ImageInvalid, decode_image
from openkyc.checks.face.match import compare
from openkyc.checks.face.similarity import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    Verdict,
    cosine,
    verdict,
)
from openkyc.cli import cli


@pytest.fixture(scope="module")
def face_models() -> models.FaceModels:
    return models.load()


def embedding(face_models: models.FaceModels, rgb: np.ndarray) -> np.ndarray:
    faces = detect_faces(face_models, rgb)
    assert len(faces) == 1
    return embed(face_models, rgb, faces[0])


def test_model_files_are_the_pinned_ones() -> None:
    for name, digest in models.SHA256.items():
        assert models.verified_path(name).name == name
        assert len(digest) == 64


def test_detects_the_astronaut_with_five_landmarks(face_models: models.FaceModels) -> None:
    faces = detect_faces(face_models, images.astronaut())
    assert len(faces) == 1
    face = faces[0]
    # Eileen Collins' face sits around x 180-270, y 80-175 in the 512 px picture.
    assert 160 < face.x < 200 and 60 < face.y < 110 and 70 < face.width < 120
    assert len(face.landmarks) == 5
    left_eye, right_eye = face.eye_centres()
    assert left_eye[0] < face.nose()[0] < right_eye[0]
    assert face.nose()[1] > max(left_eye[1], right_eye[1])


def test_no_face_in_a_cat(face_models: models.FaceModels) -> None:
    assert detect_faces(face_models, images.cat()) == []


def test_embeddings_are_unit_vectors(face_models: models.FaceModels) -> None:
    vector = embedding(face_models, images.astronaut())
    assert vector.shape == (DIMENSIONS,) and vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


@pytest.mark.parametrize("name", ["mirrored", "smaller", "darker", "tilted", "compressed"])
def test_same_person_scores_above_the_threshold(face_models: models.FaceModels, name: str) -> None:
    reference = embedding(face_models, images.astronaut())
    other = images.variants(images.astronaut())[name]
    similarity = cosine(reference, embedding(face_models, other))
    assert similarity >= MATCH_THRESHOLD, similarity
    assert verdict(similarity) is Verdict.MATCH


def test_different_people_score_below_the_review_threshold(face_models: models.FaceModels) -> None:
    for variant in (images.astronaut(), images.variants(images.astronaut())["darker"]):
        similarity = cosine(
            embedding(face_models, variant), embedding(face_models, images.hopper())
        )
        assert similarity < REVIEW_THRESHOLD, similarity
        assert verdict(similarity) is Verdict.MISMATCH


def test_verdict_bands() -> None:
    assert verdict(MATCH_THRESHOLD) is Verdict.MATCH
    assert verdict((MATCH_THRESHOLD + REVIEW_THRESHOLD) / 2) is Verdict.BORDERLINE
    assert verdict(REVIEW_THRESHOLD - 0.001) is Verdict.MISMATCH
    assert cosine(np.zeros(3, np.float32), np.ones(3, np.float32)) == 0.0


def test_compare_reports_a_missing_face() -> None:
    result = compare(images.jpeg(images.cat()), images.jpeg(images.astronaut()))
    assert result["verdict"] == "no_face"
    assert result["document_face"] is False and result["live_face"] is True


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", images.png(images.astronaut())[:200]],
    ids=["empty", "text", "truncated"],
)
def test_bad_images_are_refused(data: bytes) -> None:
    with pytest.raises(ImageInvalid):
        decode_image(data)


def test_decompression_bombs_are_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, format="PNG")  # 50 Mpx in a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ImageInvalid, match="too large"):
        decode_image(out.getvalue())


def test_cli_compares_two_images(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "a.png").write_bytes(images.png(images.astronaut()))
    (folder / "b.jpg").write_bytes(images.jpeg(images.variants(images.astronaut())["mirrored"]))
    (folder / "c.jpg").write_bytes(images.jpeg(images.hopper()))
    runner = CliRunner()
    same = runner.invoke(
        cli, ["check", "face", str(folder / "a.png"), str(folder / "b.jpg"), "--json"]
    )
    assert same.exit_code == 0, same.output
    assert json.loads(same.output)["match"] is True
    other = runner.invoke(
        cli, ["check", "face", str(folder / "a.png"), str(folder / "c.jpg"), "--json"]
    )
    result = json.loads(other.output)
    assert result["match"] is False and result["similarity"] < REVIEW_THRESHOLD
    missing = runner.invoke(cli, ["check", "face", str(folder / "a.png"), str(folder / "none.jpg")])
    assert missing.exit_code == 2
