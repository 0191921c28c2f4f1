"""An operator's own passive anti-spoofing model (ONNX), when one is configured.

No package ships such a model, so openkyc has none by default and never downloads one.
An operator may point `OPENKYC_LIVENESS_ANTISPOOF_MODEL` at a local ONNX file taking one
NCHW RGB image scaled to [0, 1] at the input's own size. Its first output is recorded as
evidence: for one value, that value; for several, their softmax, with `live_score` read
at index 1 (the common [spoof, live, ...] layout). The score informs reviewers only.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from openkyc.checks.face.image import RGBImage

_lock = threading.Lock()
_sessions: dict[str, tuple[Any, str]] = {}


def _session(path: str) -> tuple[Any, str]:
    with _lock:
        if path not in _sessions:
            runtime = importlib.import_module("onnxruntime")
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            session = runtime.InferenceSession(path, providers=["CPUExecutionProvider"])
            _sessions[path] = (session, digest)
        return _sessions[path]


def score(path: str, face_rgb: RGBImage) -> dict[str, Any]:
    try:
        session, digest = _session(path)
        node = session.get_inputs()[0]
        height, width = (int(d) if isinstance(d, int) else 112 for d in node.shape[2:4])
        image = cv2.resize(face_rgb, (width, height)).astype(np.float32) / 255.0
        output = session.run(None, {node.name: image.transpose(2, 0, 1)[None]})[0]
    except Exception as exc:  # an operator's model: report, never fail the check
        return {"model": Path(path).name, "error": type(exc).__name__}
    values = np.asarray(output, dtype=np.float64).reshape(-1)
    if values.size > 1:
        exp = np.exp(values - values.max())
        values = exp / exp.sum()
    live = float(values[1] if values.size > 1 else values[0])
    return {
        "model": Path(path).name,
        "sha256": digest,
        "live_score": round(live, 4),
        "outputs": [round(float(v), 4) for v in values[:8]],
    }
