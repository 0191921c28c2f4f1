"""The numpy evaluation of dlib's ResNet gives dlib's own descriptor."""

from __future__ import annotations

from pathlib import Path

import dlib  # type: ignore[import-untyped]
import numpy as np
import pytest
from tests.checks.face import images

from openkyc.checks.face import models, resnet
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import align


@pytest.fixture(scope="module")
def face_models() -> models.FaceModels:
    return models.load()


@pytest.mark.parametrize("name", ["astronaut", "hopper"])
def test_same_descriptor_as_dlib(face_models: models.FaceModels, name: str) -> None:
    rgb = images.astronaut() if name == "astronaut" else images.hopper()
    chip = align(rgb, detect_faces(face_models, rgb)[0])
    reference = dlib.face_recognition_model_v1(
        str(models.verified_path(models.EMBEDDING_FILE))
    ).compute_face_descriptor(chip)
    ours = np.asarray(face_models.descriptor(chip))
    assert np.abs(ours - np.asarray(reference)).max() < 1e-5


def test_descriptor_of_a_tilted_chip_differs(face_models: models.FaceModels) -> None:
    rgb = images.astronaut()
    chip = align(rgb, detect_faces(face_models, rgb)[0])
    turned = np.ascontiguousarray(np.rot90(chip))
    first = np.asarray(face_models.descriptor(chip))
    second = np.asarray(face_models.descriptor(turned))
    assert np.abs(first - second).max() > 0.01


def test_refuses_a_chip_of_another_size(face_models: models.FaceModels) -> None:
    with pytest.raises(ValueError, match="150x150"):
        resnet.descriptor(face_models.network, np.zeros((100, 100, 3), dtype=np.uint8))


def test_refuses_another_network_file(tmp_path: Path) -> None:
    landmarks = models.verified_path(models.LANDMARKS_FILE)
    with pytest.raises(resnet.ModelFormatError):
        resnet.load(landmarks)
    source = models.verified_path(models.EMBEDDING_FILE).read_bytes()
    broken = tmp_path / "broken.dat"
    broken.write_bytes(source.replace(b"affine_", b"affinX_", 1))
    with pytest.raises(resnet.ModelFormatError):
        resnet.load(broken)


def test_refuses_a_truncated_network_file(tmp_path: Path) -> None:
    source = models.verified_path(models.EMBEDDING_FILE).read_bytes()
    for size in (100, 20_000, len(source) // 2):
        cut = tmp_path / f"cut{size}.dat"
        cut.write_bytes(source[:size])
        with pytest.raises(resnet.ModelFormatError):
            resnet.load(cut)
