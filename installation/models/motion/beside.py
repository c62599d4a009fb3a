"""`bayard animate --beside-driver`: the driver's own frame to the left of the moved
portrait, at the portrait's height, in one film.

A curator checks a pairing by eye (does the portrait's mouth open when the driver's
does, does it blink with them), and a gallery documents the piece the same way; both
had to line two films up in an editor. The mesh path does not keep the driver's frames
(a long film would not fit in memory), so they are read a second time, in step with the
film: the film's frames show driver frames in order, some twice or skipped where the
driver's rate varies (timing.py), so one forward pass serves.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

GAP = 8  # dark pixels between the two pictures
GAP_COLOUR = 16


def driver_width(driver_size: tuple[int, int], height: int) -> int:
    """The driver's width at the film's height (even, as H.264 needs)."""
    w, h = driver_size
    width = max(2, round(w * height / max(h, 1)))
    return width - width % 2


def side_by_side(driver_rgb: np.ndarray | None, image: np.ndarray, width: int) -> np.ndarray:
    """`driver_rgb` scaled to `image`'s height and `width` wide, a gap, then `image`. With
    no driver frame (the video ended early) the driver's side is dark."""
    height = image.shape[0]
    out = np.full((height, width + GAP + image.shape[1], 3), GAP_COLOUR, np.uint8)
    if driver_rgb is not None:
        area = driver_rgb.shape[0] > height  # shrinking: average, don't alias
        out[:, :width] = cv2.resize(driver_rgb, (width, height),
                                    interpolation=cv2.INTER_AREA if area else cv2.INTER_LINEAR)
    out[:, width + GAP:] = image
    return out


def film_width(driver_size: tuple[int, int], image_size: tuple[int, int]) -> int:
    """The side-by-side film's width for a portrait of `image_size` (width, height)."""
    return driver_width(driver_size, image_size[1]) + GAP + image_size[0]


class DriverFrames:
    """The driver's frames read forward, one at a time, by index (RGB)."""

    def __init__(self, path: Path) -> None:
        self._capture = cv2.VideoCapture(str(path))
        self._index = -1
        self._frame: np.ndarray | None = None
        # From the first frame as decoded, not the container's fields: a phone's video
        # is turned upright on decoding, and some containers state no size at all.
        first = self.at(0)
        height, width = first.shape[:2] if first is not None else (2, 2)
        self.size = (width, height)

    def at(self, index: int) -> np.ndarray | None:
        """Frame `index` (never earlier than the last one asked for); the last frame read
        when the video ends before it."""
        while self._index < index:
            ok, bgr = self._capture.read()
            if not ok:
                break
            self._index += 1
            self._frame = bgr
        return None if self._frame is None else cv2.cvtColor(self._frame, cv2.COLOR_BGR2RGB)

    def close(self) -> None:
        self._capture.release()
