"""Offline renders: the show or one scene to a video file, deterministically.

The clock is stepped exactly 1/fps per frame and scenes are prepared synchronously,
so two renders of the same files give identical frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame

from .clock import FakeClock
from .config.loader import Show
from .engine import Engine, init_pygame


def render_frames(show: Show, seconds: float, fps: float, size: tuple[int, int] | None = None):
    """Yield (index, RGB uint8 frame) for `seconds` of show time."""
    init_pygame(headless=True)
    if size is not None:
        show.config = show.config.model_copy(update={
            "display": show.config.display.model_copy(update={"size": tuple(size)})})
    clock = FakeClock()
    engine = Engine(show, clock, synchronous_prepare=True)
    try:
        total = max(1, round(seconds * fps))
        for index in range(total):
            if index:
                clock.advance(1.0 / fps)
            frame = engine.step()
            yield index, pygame.surfarray.pixels3d(frame).swapaxes(0, 1).copy()
    finally:
        engine.shutdown()


def render_video(show: Show, out: Path, seconds: float, fps: float, size: tuple[int, int] | None = None,
                 progress: bool = True) -> int:
    import imageio_ffmpeg
    from tqdm import tqdm

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    width, height = size or show.config.display.size
    partial = out.with_name(out.name + ".part.mp4")
    writer = imageio_ffmpeg.write_frames(str(partial), (width, height), fps=fps, codec="libx264",
                                         quality=8, macro_block_size=2,  # keep the exact size (yuv420p needs even sides)
                                         output_params=["-pix_fmt", "yuv420p"])
    writer.send(None)
    total = max(1, round(seconds * fps))
    count = 0
    try:
        for _, frame in tqdm(render_frames(show, seconds, fps, size), total=total, unit="frame",
                             disable=not progress, desc=f"render {out.name}"):
            writer.send(np.ascontiguousarray(frame))
            count += 1
    finally:
        writer.close()
    partial.replace(out)  # a finished file appears atomically; a failed render leaves none
    return count
