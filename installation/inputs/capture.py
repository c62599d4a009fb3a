"""Opening a visitor camera or a stand-in video file, and shaping the frames it gives: the
device side of camera.py, which keeps the capture thread, its frame slot and its pacing.

Privacy: nothing here keeps or writes a frame; each is handed back to the caller.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def is_device(source: int | str | Path) -> bool:
    """A camera (an index or a path under /dev), not a video file."""
    return isinstance(source, int) or str(source).startswith("/dev/")


def open_capture(source: int | str | Path, size: tuple[int, int] | None):
    import cv2

    if is_device(source):
        # A missing camera makes OpenCV print an error on every try (every few seconds, all
        # day); our own state and one log line say it instead.
        quiet = getattr(getattr(cv2, "utils", None), "logging", None)
        previous = quiet.getLogLevel() if quiet else None
        if quiet:
            quiet.setLogLevel(quiet.LOG_LEVEL_SILENT)
        try:
            cap = cv2.VideoCapture(source) if isinstance(source, int) else cv2.VideoCapture(
                str(source), cv2.CAP_V4L2)
        finally:
            if quiet:
                quiet.setLogLevel(previous)
        if size is not None:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        # One buffered frame at most: the driver's own queue would add latency.
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    else:
        cap = cv2.VideoCapture(str(source))
    if not cap.isOpened():
        cap.release()
        return None
    return cap


# cv2.rotate codes that turn a picture turned this far clockwise back upright.
_UPRIGHT = {90: "ROTATE_90_COUNTERCLOCKWISE", 180: "ROTATE_180", 270: "ROTATE_90_CLOCKWISE"}


def upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """A frame from a camera whose picture is turned `rotation` degrees clockwise, turned
    back upright."""
    if not rotation:
        return image
    import cv2

    return cv2.rotate(image, getattr(cv2, _UPRIGHT[rotation]))


def fitted(bgr: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Scale to fit `size` keeping the aspect, and extend the edges to fill the rest: a
    square video stands in for a 4:3 camera without squashing the face."""
    import cv2

    w, h = size
    k = min(w / bgr.shape[1], h / bgr.shape[0])
    nw, nh = max(1, round(bgr.shape[1] * k)), max(1, round(bgr.shape[0] * k))
    small = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR)
    if (nw, nh) == (w, h):
        return small
    left, top = (w - nw) // 2, (h - nh) // 2
    return cv2.copyMakeBorder(small, top, h - nh - top, left, w - nw - left, cv2.BORDER_REPLICATE)
