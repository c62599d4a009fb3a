"""Offline renders: the show or one scene to a video file, deterministically.

The clock is stepped exactly 1/fps per frame and scenes are prepared synchronously,
so two renders of the same files give identical frames.
"""

from __future__ import annotations

import math
from pathlib import Path

import pygame

from .clock import FakeClock
from .config.loader import Show
from .engine import MAX_STEP_S, Engine, init_pygame


def render_frames(show: Show, seconds: float, fps: float, size: tuple[int, int] | None = None):
    """Yield (index, RGB uint8 frame) for `seconds` of show time."""
    init_pygame(headless=True)
    if size is not None:
        show.set_display(size=tuple(size))
    without_live_camera(show)
    clock = FakeClock()
    engine = Engine(show, clock, synchronous_prepare=True)
    # The engine lets at most MAX_STEP_S of show time pass in one step (a live hitch must
    # not jump animations): a render slower than that steps several times per frame it
    # keeps, or a 1 fps preview would play the show at a tenth of its speed.
    substeps = max(1, math.ceil(1.0 / (fps * MAX_STEP_S) - 1e-9))
    try:
        total = max(1, round(seconds * fps))
        for index in range(total):
            for _ in range(substeps if index else 1):
                if index:
                    clock.advance(1.0 / fps / substeps)
                frame = engine.step()
            # SDL turns SIGTERM into a quit event (its own handler replaces Python's), which
            # nothing here read: `timeout -s TERM` let a render run to its end and exit 0.
            # Stopped as Ctrl-C stops it, so the part-written film is removed the same way.
            if pygame.event.get(pygame.QUIT):  # (taken from the queue: peeked, it stopped the next run too)
                raise KeyboardInterrupt("stopped by a signal")
            yield index, pygame.surfarray.pixels3d(frame).swapaxes(0, 1).copy()
    finally:
        engine.shutdown()


def without_live_camera(show: Show) -> None:
    """A render never opens the live camera: on a kiosk it reached the visitor standing there,
    so no two films were alike and their mirror (the camera's picture) went to disk, where
    camera frames never go. The portrait plays as with no camera; a video set as the camera
    (`file`, for demos) is no visitor and still plays."""
    camera = show.config.camera
    if not camera.file and camera.device is not None:
        show.config = show.config.model_copy(update={"camera": camera.model_copy(update={"device": None})})


def render_video(show: Show, out: Path, seconds: float, fps: float, size: tuple[int, int] | None = None,
                 progress: bool = True) -> int:
    from tqdm import tqdm

    from .video import h264_writer

    width, height = size or show.config.display.size
    total = max(1, round(seconds * fps))
    count = 0
    with h264_writer(out, (width, height), fps) as send:
        for _, frame in tqdm(render_frames(show, seconds, fps, size), total=total, unit="frame",
                             disable=not progress, desc=f"render {Path(out).name}"):
            send(frame)
            count += 1
    return count


def render_still(show: Show, out: Path, seconds: float, fps: float, size: tuple[int, int] | None = None) -> float:
    """The frame at `seconds` of show time, as a PNG: what a curator looks at to check a
    caption's timing or a layout, without pulling frames out of a film. Written whole or
    not at all; VideoWriteError with the reason and the fix when it cannot be. Returns the
    show time the frame shows."""
    import cv2

    from .runtime.files import atomic_write_bytes
    from .video import VideoWriteError, why_not_written

    # Frame k shows time k / fps: one frame more than a film of `seconds` holds ends on the
    # moment asked for (a film's last frame is one frame short of it), to the nearest frame.
    frames = round(seconds * fps) + 1
    last = None
    for _, frame in render_frames(show, frames / fps, fps, size):
        last = frame
    out = Path(out)
    ok, data = cv2.imencode(".png", cv2.cvtColor(last, cv2.COLOR_RGB2BGR))
    if not ok:
        raise VideoWriteError(f"cannot write {out}: the frame could not be encoded as PNG")
    try:
        # (the shared helper: no half picture left beside it by Ctrl-C or a full disk, whichever comes)
        atomic_write_bytes(out, data.tobytes())
    except OSError as error:
        raise VideoWriteError(f"cannot write {out}: {why_not_written(out, error)}") from None
    return (frames - 1) / fps
