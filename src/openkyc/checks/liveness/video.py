"""Decoding an untrusted liveness video (webm from MediaRecorder, mp4, mov) with PyAV.

Limits are checked from the container's header first, then again while decoding, since
a header can lie: at most MAX_DURATION_S seconds, MAX_WIDTH x MAX_HEIGHT pixels (either
orientation), MAX_DECODED_FRAMES frames decoded. Frames are sampled at SAMPLE_FPS and
scaled down to WORK_SIDE pixels on their longest side before anything looks at them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from enum import StrEnum

import av
import numpy as np

from openkyc.checks.face.image import RGBImage

MAX_DURATION_S = 20.0
MAX_WIDTH, MAX_HEIGHT = 1920, 1080
MAX_DECODED_FRAMES = 1200  # 20 s at 60 fps
SAMPLE_FPS = 15.0
WORK_SIDE = 480


class VideoProblem(StrEnum):
    EMPTY = "empty"
    NOT_A_VIDEO = "not_a_video"
    CORRUPT = "corrupt"
    TOO_LONG = "too_long"
    TOO_LARGE = "too_large"
    NO_FRAMES = "no_frames"


class VideoInvalid(ValueError):
    def __init__(self, problem: VideoProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class Video:
    frames: list[RGBImage]  # sampled, scaled down
    times: list[float]  # seconds, one per sampled frame
    decoded_times: list[float] = field(default_factory=list)  # every decoded frame
    width: int = 0
    height: int = 0
    codec: str = ""
    duration: float = 0.0


def decode_video(data: bytes) -> Video:
    if not data:
        raise VideoInvalid(VideoProblem.EMPTY, "the video is empty")
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except Exception as exc:  # ffmpeg reports hostile bytes through many error types
        raise VideoInvalid(VideoProblem.NOT_A_VIDEO, "the file is not a readable video") from exc
    with container:
        # ffmpeg reads a lone picture as a one-frame "video" through its image demuxers.
        still = container.format.name.endswith("_pipe") or container.format.name == "image2"
        if not container.streams.video or still:
            raise VideoInvalid(VideoProblem.NOT_A_VIDEO, "the file holds no video stream")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        _check_size(width, height)
        if container.duration is not None and container.duration / av.time_base > MAX_DURATION_S:
            raise _too_long()
        video = Video(
            frames=[], times=[], width=width, height=height, codec=stream.codec_context.name
        )
        try:
            _read_frames(container, stream, video)
        except VideoInvalid:
            raise
        except Exception as exc:
            raise VideoInvalid(VideoProblem.CORRUPT, "the video could not be decoded") from exc
    if not video.frames:
        raise VideoInvalid(VideoProblem.NO_FRAMES, "the video has no frame")
    video.duration = video.decoded_times[-1] - video.decoded_times[0]
    return video


def _read_frames(
    container: av.container.InputContainer, stream: av.VideoStream, video: Video
) -> None:
    next_sample = None
    rate = float(stream.average_rate or stream.guessed_rate or 30)
    for index, frame in enumerate(container.decode(stream)):
        if index >= MAX_DECODED_FRAMES:
            raise _too_long()
        _check_size(frame.width, frame.height)
        time = float(frame.time) if frame.time is not None else index / rate
        start = video.decoded_times[0] if video.decoded_times else time
        if time - start > MAX_DURATION_S:
            raise _too_long()
        video.decoded_times.append(time)
        if next_sample is not None and time < next_sample:
            continue
        next_sample = time + 1.0 / SAMPLE_FPS - 1e-3
        scale = min(1.0, WORK_SIDE / max(frame.width, frame.height))
        size = (max(2, round(frame.width * scale)), max(2, round(frame.height * scale)))
        rgb = frame.to_ndarray(format="rgb24", width=size[0], height=size[1])
        video.frames.append(upright(np.asarray(rgb, dtype=np.uint8), frame.rotation or 0))
        video.times.append(time)


def upright(rgb: RGBImage, rotation: float) -> RGBImage:
    """Apply the display rotation a phone writes in the container (degrees, counter-
    clockwise): a portrait recording is stored sideways and shown upright."""
    turns = round(rotation / 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, turns) if turns else rgb, dtype=np.uint8)


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise VideoInvalid(VideoProblem.CORRUPT, "the video has no picture size")
    if max(width, height) > MAX_WIDTH or min(width, height) > MAX_HEIGHT:
        raise VideoInvalid(
            VideoProblem.TOO_LARGE,
            f"the video is {width}x{height}; the limit is {MAX_WIDTH}x{MAX_HEIGHT}",
        )


def _too_long() -> VideoInvalid:
    return VideoInvalid(
        VideoProblem.TOO_LONG, f"the video is longer than {MAX_DURATION_S:.0f} seconds"
    )
