"""dlib's face recognition ResNet, evaluated with numpy instead of dlib.

The dlib wheel we depend on is built without BLAS, and its own convolution code needs about
90 ms for one 150x150 chip. The same network, read from the same verified model file and
run as matrix products on numpy's BLAS, takes a fraction of that and gives the same
descriptor (to float rounding: |difference| < 1e-5 on the unit vector; see the tests).

The model file is dlib's serialisation of
`loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<...<alevel4<max_pool<3,3,2,2,
relu<affine<con<32,7,7,2,2, input_rgb_image_sized<150>>>>>>>>>>>>` (dlib's
dnn_face_recognition_ex.cpp): every layer's details follow each other from the input up,
tensors as raw little-endian float32, integers in dlib's packed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

Array = NDArray[np.float32]
CHIP = 150
# (filters, blocks, first block halves the size): alevel4 up to alevel0.
LEVELS = ((32, 3, False), (64, 4, True), (128, 3, True), (256, 3, True), (256, 1, True))


class ModelFormatError(ValueError):
    """The file is not the network this code knows how to run."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def int(self) -> int:
        control = self.data[self.pos]
        size = control & 0x0F
        value = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + size], "little")
        self.pos += 1 + size
        return -value if control & 0x80 else value

    def real(self) -> float:
        mantissa = self.int()
        return float(mantissa * 2.0 ** self.int())

    def text(self) -> str:
        size = self.int()
        value = self.data[self.pos : self.pos + size].decode("latin-1")
        self.pos += size
        return value

    def expect(self, name: str) -> None:
        found = self.text()
        if found != name:
            raise ModelFormatError(f"expected layer {name}, found {found!r}")

    def tensor(self) -> Array:
        if self.int() != 2:
            raise ModelFormatError("unknown tensor version")
        count = self.int() * self.int() * self.int() * self.int()
        values = np.frombuffer(self.data, dtype="<f4", count=count, offset=self.pos)
        self.pos += 4 * count
        return values.astype(np.float32)

    def layer_end(self) -> None:
        """Three flags and three empty tensors (training state) close every layer."""
        self.pos += 3
        for _ in range(3):
            self.tensor()


@dataclass(frozen=True)
class Conv:
    """A convolution with the affine layer after it folded into its weights."""

    weights: Array  # (filters, channels * rows * cols)
    bias: Array  # (filters, 1)
    size: int
    stride: int
    padding: int


@dataclass(frozen=True)
class Network:
    mean: Array  # (3, 1, 1) per-channel RGB means subtracted from the input
    stem: Conv
    blocks: list[tuple[Conv, Conv, bool]]  # (first conv, second conv, halves the size)
    fc: Array  # (256, 128)


def _conv(reader: _Reader, on_input: bool = False) -> Conv:
    reader.expect("con_4")
    params = reader.tensor()
    filters, rows, cols, stride_y, stride_x, pad_y, pad_x = (reader.int() for _ in range(7))
    if rows != cols or stride_y != stride_x or pad_y != pad_x:
        raise ModelFormatError("non-square convolution")
    reader.int()  # filters alias tensor: version, then its shape
    shape = [reader.int() for _ in range(4)]
    for _ in range(5):
        reader.int()  # biases alias tensor: version and shape
    for _ in range(4):
        reader.real()  # learning rate and weight decay multipliers
    reader.layer_end()
    if on_input:
        reader.int()  # the layer on the input keeps one more field
    weights = params[: filters * shape[1] * rows * cols].reshape(filters, -1)
    bias = params[filters * shape[1] * rows * cols :].reshape(filters, 1)
    reader.expect("affine_")
    affine = reader.tensor()
    for _ in range(11):
        reader.int()  # gamma and beta alias tensors (version, shape), then the mode
    reader.layer_end()
    gamma, beta = affine[:filters].reshape(filters, 1), affine[filters:].reshape(filters, 1)
    return Conv(weights * gamma, bias * gamma + beta, rows, stride_y, pad_y)


def _simple(reader: _Reader, name: str, fields: tuple[int, ...] = ()) -> None:
    """A layer without parameters; `fields` are its window, strides and padding."""
    reader.expect(name)
    found = tuple(reader.int() for _ in fields)
    if found != fields:
        raise ModelFormatError(f"{name} with {found}, expected {fields}")
    reader.layer_end()


def load(path: Path) -> Network:
    try:
        return _parse(_Reader(path.read_bytes()))
    except ModelFormatError:
        raise
    except (IndexError, ValueError) as exc:  # truncated or reshaped: not our network
        raise ModelFormatError(f"unreadable network file: {exc}") from exc


def _parse(reader: _Reader) -> Network:
    start = reader.data.find(b"\x15input_rgb_image_sized")
    if not reader.data.startswith(b"\x01\x01\x01\x0dloss_metric_2") or start < 0:
        raise ModelFormatError("not dlib's metric-learning network")
    reader.pos = start - 1
    reader.expect("input_rgb_image_sized")
    mean = np.array([reader.real() for _ in range(3)], dtype=np.float32).reshape(3, 1, 1)
    if (reader.int(), reader.int()) != (CHIP, CHIP):
        raise ModelFormatError("unexpected input size")
    stem = _conv(reader, on_input=True)
    _simple(reader, "relu_")
    _simple(reader, "max_pool_2", (3, 3, 2, 2, 0, 0))
    blocks = []
    for filters, count, halves in LEVELS:
        for index in range(count):
            down = halves and index == 0
            first = _conv(reader)
            _simple(reader, "relu_")
            second = _conv(reader)
            if {len(first.bias), len(second.bias)} != {filters} or first.stride != 1 + down:
                raise ModelFormatError("unexpected residual block")
            if down:
                _simple(reader, "avg_pool_2", (2, 2, 2, 2, 0, 0))
            _simple(reader, "add_prev_")
            _simple(reader, "relu_")
            blocks.append((first, second, down))
    _simple(reader, "avg_pool_2", (0, 0, 1, 1, 0, 0))  # over everything
    reader.expect("fc_2")
    outputs, inputs = reader.int(), reader.int()
    fc = reader.tensor()
    if (outputs, inputs) != (128, 256) or fc.size != inputs * outputs:
        raise ModelFormatError("unexpected descriptor layer")
    return Network(mean, stem, blocks, fc.reshape(inputs, outputs))


def _apply(conv: Conv, x: Array) -> Array:
    if conv.padding:
        p = conv.padding
        padded = np.zeros((x.shape[0], x.shape[1] + 2 * p, x.shape[2] + 2 * p), np.float32)
        padded[:, p:-p, p:-p] = x
        x = padded
    windows = sliding_window_view(x, (conv.size, conv.size), axis=(1, 2))
    windows = windows[:, :: conv.stride, :: conv.stride]
    channels, rows, cols = windows.shape[:3]
    columns = windows.transpose(0, 3, 4, 1, 2).reshape(channels * conv.size**2, rows * cols)
    out = conv.weights @ columns + conv.bias
    return out.reshape(-1, rows, cols)


def _pool(x: Array, size: int, average: bool) -> Array:
    """Pooling with stride 2 and no padding, as the sum or maximum of shifted views."""
    rows, cols = (x.shape[1] - size) // 2 + 1, (x.shape[2] - size) // 2 + 1
    views = [
        x[:, dy : dy + 2 * rows - 1 : 2, dx : dx + 2 * cols - 1 : 2]
        for dy in range(size)
        for dx in range(size)
    ]
    out = views[0].copy()
    for view in views[1:]:
        if average:
            out += view
        else:
            np.maximum(out, view, out=out)
    return out / np.float32(size * size) if average else out


def _add(block: Array, shortcut: Array) -> Array:
    """dlib's add_prev: the larger shape, each input counted as zero outside its own."""
    shape = tuple(max(a, b) for a, b in zip(block.shape, shortcut.shape, strict=True))
    out = np.zeros(shape, dtype=np.float32)
    out[: block.shape[0], : block.shape[1], : block.shape[2]] += block
    out[: shortcut.shape[0], : shortcut.shape[1], : shortcut.shape[2]] += shortcut
    return out


def descriptor(net: Network, chip: NDArray[np.uint8]) -> Array:
    """The 128-d descriptor of a 150x150 RGB face chip (not normalised, as dlib gives it)."""
    if chip.shape != (CHIP, CHIP, 3):
        raise ValueError("the face chip must be 150x150 RGB")
    x = (chip.transpose(2, 0, 1).astype(np.float32) - net.mean) / 256.0
    x = np.maximum(_apply(net.stem, x), 0)
    x = _pool(x, 3, average=False)
    for first, second, down in net.blocks:
        y = _apply(second, np.maximum(_apply(first, x), 0))
        x = np.maximum(_add(y, _pool(x, 2, average=True) if down else x), 0)
    pooled = x.mean(axis=(1, 2))
    return np.asarray(pooled @ net.fc, dtype=np.float32)
