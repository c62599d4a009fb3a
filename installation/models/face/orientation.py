"""Whether the camera's picture is turned, told from the faces it shows.

A camera mounted upside down, or on its side on a screen turned for portrait, shows every
visitor's face turned. The face stack follows such faces (stack.py, `_right_way_up`), but
the visitor's own mirror image on the screen is turned too, and the technician should
know which `[camera] rotation` puts it right.
"""

from __future__ import annotations

import math
from collections import deque

# A camera is taken to be turned when, of the last TURN_SAMPLES faces it showed (3 s of a
# 30 fps camera, over one visitor or several), TURN_AGREE lie within TURN_TOLERANCE_DEG of
# the same quarter or half turn. People tilt their heads; nobody holds one on its side, or
# upside down, for seconds on end.
TURN_SAMPLES = 90
TURN_AGREE = 0.8
TURN_TOLERANCE_DEG = 35.0


class TurnWatch:
    """Watches the roll of the faces a camera shows (the eye line's angle in the picture,
    degrees, clockwise positive: `Expression.roll`) and says how far the picture itself
    seems turned."""

    def __init__(self, samples: int = TURN_SAMPLES) -> None:
        self._quarters: deque[int | None] = deque(maxlen=samples)
        # 90, 180 or 270 (degrees clockwise) once the faces agree the picture is turned,
        # else 0. A plain number, written by the thread that watches and read by the
        # scene (a deque read while another thread appends to it raises).
        self.turned = 0

    def see(self, roll_deg: float) -> None:
        if not math.isfinite(roll_deg):
            return  # a broken reading says nothing (and round() of NaN raises)
        quarter = round(roll_deg / 90.0)
        near = abs(roll_deg - 90.0 * quarter) <= TURN_TOLERANCE_DEG
        self._quarters.append(90 * (quarter % 4) if near else None)
        self.turned = self._agreed()

    def _agreed(self) -> int:
        if len(self._quarters) < (self._quarters.maxlen or 0):
            return 0
        for turn in (90, 180, 270):
            if self._quarters.count(turn) >= TURN_AGREE * len(self._quarters):
                return turn
        return 0


def turned_camera_advice(turned: int, setting: int) -> str:
    """What the technician is told when faces keep appearing `turned` degrees clockwise;
    `setting` is the [camera] rotation that puts them upright."""
    how = "upside down" if turned == 180 else f"turned on their side ({turned} degrees clockwise)"
    return (f"camera: visitors' faces keep appearing {how} in the camera's picture, so the "
            f"camera seems mounted turned; set rotation = {setting} under [camera] in "
            "install.toml. The portrait follows them as it is, but their mirror image on the "
            "screen is turned")


# A sitter's head tilted further than this from upright is a picture stored turned, almost
# always: painters and photographers tilt heads by 10-30 degrees.
TURNED_PICTURE_DEG = 60.0


def how_it_lies(roll_deg: float) -> str | None:
    """How a face with this eye-line angle (`Expression.roll`) lies in its picture, in a
    curator's words, if it is not upright; None if it is."""
    if abs(roll_deg) <= TURNED_PICTURE_DEG:
        return None
    if abs(roll_deg) >= 180.0 - TURNED_PICTURE_DEG / 2:
        return "upside down"
    way = "clockwise" if roll_deg > 0 else "anticlockwise"
    return f"on its side (turned {abs(roll_deg):.0f} degrees {way})"
