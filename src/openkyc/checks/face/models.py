"""The face models: dlib's HOG detector, its 5-point landmark model and its ResNet embedding.

The two model files ship inside the `face_recognition_models` package (pinned in
pyproject.toml); nothing is ever downloaded. Their SHA-256 are checked when they are
loaded, so a tampered or swapped file is refused instead of silently changing decisions.
The ResNet is read from its file and evaluated with numpy (`resnet.py`): the same
descriptor as dlib's, in a quarter of the time.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import dlib  # type: ignore[import-untyped]
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]  # no py.typed

from openkyc.checks.face import resnet

MODEL_PACKAGE = "face_recognition_models"
LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
EMBEDDING_FILE = "dlib_face_recognition_resnet_model_v1.dat"
SHA256 = {
    LANDMARKS_FILE: "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888",
    EMBEDDING_FILE: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
}
# Recorded as evidence with every score, so a decision can be traced to the model behind it.
MODEL_VERSION = "dlib-hog+resnet_v1-128d"


class ModelFileInvalid(RuntimeError):
    """A model file is missing or is not the file this code was calibrated with."""


@dataclass(frozen=True)
class FaceModels:
    """dlib's detector keeps scratch buffers, and the network changes the process's BLAS
    thread count while it runs: one caller at a time each."""

    detector: Any  # dlib.fhog_object_detector
    landmarks: Any  # dlib.shape_predictor (stateless, shared freely)
    network: resnet.Network
    detector_lock: threading.Lock = field(default_factory=threading.Lock)
    embedder_lock: threading.Lock = field(default_factory=threading.Lock)

    def detect(self, rgb: Any, upsample: int) -> tuple[list[Any], list[float]]:
        with self.detector_lock:
            rects, scores, _ = self.detector.run(rgb, upsample, 0.0)
        return list(rects), [float(s) for s in scores]

    def shape(self, rgb: Any, rect: Any) -> Any:
        return self.landmarks(rgb, rect)

    def descriptor(self, chip: Any) -> list[float]:
        # One BLAS thread: with more, OpenBLAS's waiting threads made the call cost ten
        # times the CPU on a busy machine (benchmarks/RESULTS-face.md).
        with self.embedder_lock, _blas().limit(limits=1, user_api="blas"):
            return [float(v) for v in resnet.descriptor(self.network, chip)]


_lock = threading.Lock()
_loaded: FaceModels | None = None
_controller: Any = None


def _blas() -> Any:
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller


def model_path(name: str) -> Path:
    return Path(str(resources.files(MODEL_PACKAGE).joinpath("models", name)))


def verified_path(name: str) -> Path:
    path = model_path(name)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelFileInvalid(f"face model {name} cannot be read") from exc
    if digest != SHA256[name]:
        raise ModelFileInvalid(f"face model {name} has an unexpected SHA-256 {digest}")
    return path


def load() -> FaceModels:
    """The process-wide models, loaded once (about 0.3 s) and shared by every thread."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = FaceModels(
                detector=dlib.get_frontal_face_detector(),
                landmarks=dlib.shape_predictor(str(verified_path(LANDMARKS_FILE))),
                network=resnet.load(verified_path(EMBEDDING_FILE)),
            )
        return _loaded
