"""Text detection, orientation and recognition with rapidocr (PP-OCR ONNX models that ship
inside the rapidocr wheel; nothing is downloaded: a missing model file is an error).

One engine per process, loaded on first use; calls are serialised because the engine keeps
per-call state and two OCR runs at once on a 2-core machine only slow each other down.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# Model files inside the rapidocr wheel (version pinned in pyproject.toml).
MODELS = {
    "det": "PP-OCRv6_det_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
}
DET_MAX_SIDE = 960  # the default; callers that know their page size pass their own
# One thread per session: on this project's busy 2-core machines a second intra-op
# thread cost 10-15 % more CPU per page and gave no shorter wall time
# (benchmarks/RESULTS-document.md). Engine(threads=N) overrides it.
THREADS = 1
# Each line is recognised on its own, at its own width. rapidocr pads a batch of six to
# its widest line and to 320 px at least: on a page whose lines run from "M" to a 44-letter
# MRZ row, a quarter of the recogniser's work went into padding.
REC_BATCH = 1
REC_MIN_WIDTH = 8

Points = np.ndarray  # (4, 2) float32: top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True)
class Text:
    text: str
    score: float
    points: Points

    @property
    def x0(self) -> float:
        return float(self.points[:, 0].min())

    @property
    def x1(self) -> float:
        return float(self.points[:, 0].max())

    @property
    def y0(self) -> float:
        return float(self.points[:, 1].min())

    @property
    def y1(self) -> float:
        return float(self.points[:, 1].max())

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


class ModelMissing(RuntimeError):
    pass


class Engine:
    def __init__(
        self,
        threads: int = 0,
        det_max_side: int = DET_MAX_SIDE,
        rec_batch: int = REC_BATCH,
        rec_min_width: int = REC_MIN_WIDTH,
    ) -> None:
        self._threads = threads
        self._det_max_side = det_max_side
        self._rec = (rec_batch, rec_min_width)
        self._lock = threading.Lock()
        self._ocr: Any = None

    def _engine(self) -> Any:
        if self._ocr is None:
            import rapidocr
            from rapidocr import RapidOCR

            root = Path(rapidocr.__file__ or ".").parent / "models"
            paths = {task: root / name for task, name in MODELS.items()}
            for path in paths.values():
                if not path.is_file():
                    raise ModelMissing(f"OCR model {path.name} is missing from the rapidocr wheel")
            ocr = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "Det.model_path": str(paths["det"]),
                    "Cls.model_path": str(paths["cls"]),
                    "Rec.model_path": str(paths["rec"]),
                    "Det.limit_type": "max",
                    "Det.limit_side_len": self._det_max_side,
                    "Rec.rec_batch_num": self._rec[0],
                    "Rec.rec_img_shape": [3, 48, self._rec[1]],
                }
            )
            # rapidocr's sessions spin their threads while waiting, which on a busy
            # 2-core machine costs more than it saves: swap in sessions that sleep.
            loaders: dict[str, Any] = {
                "det": ocr._load_det_model,
                "cls": ocr._load_cls_model,
                "rec": ocr._load_rec_model,
            }
            for task, load in loaders.items():
                load().session.session = self._session(paths[task])
            self._ocr = ocr
        return self._ocr

    def _session(self, path: Path) -> Any:
        import onnxruntime  # type: ignore[import-untyped]

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self._threads or THREADS
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def detect(self, bgr: np.ndarray, max_side: int | None = None) -> list[Points]:
        """Text line quadrilaterals, in reading order of their corners. The picture is
        shrunk to `max_side` (default: the engine's) for detection; boxes map back."""
        with self._lock:
            det = self._engine()._load_det_model()
            det.limit_side_len = max_side or self._det_max_side
            out = det(bgr)
        if out.boxes is None:
            return []
        return [np.asarray(b, dtype=np.float32) for b in out.boxes]

    def upside_down(self, crops: list[np.ndarray]) -> list[float]:
        """For each crop, the probability that it is upside down."""
        if not crops:
            return []
        with self._lock:
            cls = self._engine()._load_cls_model()
            out = cls([c.copy() for c in crops])
        result = []
        for label, score in out.cls_res or []:
            result.append(float(score) if str(label) == "180" else 1.0 - float(score))
        return result

    def recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        with self._lock:
            rec = self._engine()._load_rec_model()
            out = rec(TextRecInput(img=list(crops)))
        texts = out.txts or ()
        return [(str(t), float(s)) for t, s in zip(texts, out.scores, strict=False)]


def crop(bgr: np.ndarray, points: Points, pad: float = 0.0) -> np.ndarray:
    """The straightened picture of one text line (optionally padded by a share of its height)."""
    pts = points.astype(np.float32)
    width = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    height = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    width, height = max(width, 1), max(height, 1)
    if pad:
        margin = pad * height
        extra_w, extra_h = int(margin), int(margin)
        target = np.array(
            [
                [extra_w, extra_h],
                [extra_w + width, extra_h],
                [extra_w + width, extra_h + height],
                [extra_w, extra_h + height],
            ],
            dtype=np.float32,
        )
        size = (width + 2 * extra_w, height + 2 * extra_h)
    else:
        target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
        size = (width, height)
    matrix = cv2.getPerspectiveTransform(pts, target)
    return cv2.warpPerspective(
        bgr, matrix, size, borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )


def versions() -> dict[str, Any]:
    return {
        "rapidocr": metadata.version("rapidocr"),
        "onnxruntime": metadata.version("onnxruntime"),
        "models": dict(MODELS),
    }


_shared: Engine | None = None
_shared_lock = threading.Lock()


def shared() -> Engine:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Engine()
        return _shared
