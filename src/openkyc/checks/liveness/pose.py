"""Head pose from dlib's 5 landmarks, as ratios that do not depend on the picture's size.

The nose base stands in front of the eyes, so when the head turns it moves across the eye
line, and when the head nods it moves along the face's vertical axis, more than the eyes
do. A flat photo turned in front of the camera keeps those ratios: its "nose" is on the
same plane as its eyes. Ratios are divided by the distance between the eyes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openkyc.checks.face.detect import Face


@dataclass(frozen=True)
class Pose:
    # Nose offset along the eye line. Positive: the nose moved towards the image's right,
    # which in an unmirrored recording is the applicant turning to their own left.
    yaw: float
    # Nose drop below the eye line. Larger: looking down; smaller: looking up.
    pitch: float
    roll: float  # degrees of the eye line
    size: float  # face width / frame width


def pose_of(face: Face, frame_width: int) -> Pose | None:
    (lx, ly), (rx, ry) = face.eye_centres()
    dx, dy = rx - lx, ry - ly
    distance = math.hypot(dx, dy)
    if distance < 1.0 or frame_width <= 0:
        return None
    ux, uy = dx / distance, dy / distance  # along the eye line
    vx, vy = -uy, ux  # perpendicular, pointing down the face
    nx, ny = face.nose()
    ox, oy = nx - (lx + rx) / 2, ny - (ly + ry) / 2
    return Pose(
        yaw=(ox * ux + oy * uy) / distance,
        pitch=(ox * vx + oy * vy) / distance,
        roll=math.degrees(math.atan2(dy, dx)),
        size=face.width / frame_width,
    )


def frontality(pose: Pose, neutral: Pose) -> float:
    """0 for the neutral pose, growing as the head turns, nods or tilts."""
    return abs(pose.yaw - neutral.yaw) + abs(pose.pitch - neutral.pitch) + abs(pose.roll) / 90
