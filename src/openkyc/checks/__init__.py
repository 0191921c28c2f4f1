"""Verification engines, one folder per kind. Decision logic is pure and unit-tested."""

# onnxruntime (document OCR) must load before usearch (duplicate index): in the other
# order the process crashes while onnxruntime's native library initialises.
import onnxruntime  # type: ignore[import-untyped]  # noqa: F401
