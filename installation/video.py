"""Writing H.264 video files: one place for the encoder settings every tool shares
(`bayard render`, `animate`, `generator render`, benchmark test films)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np


@contextlib.contextmanager
def h264_writer(path: Path | str, size: tuple[int, int], fps: float, *, crf: int = 18, preset: str = "medium",
                extra: Sequence[str] = (), macro_block_size: int = 2) -> Iterator[Callable[[np.ndarray], None]]:
    """Yield `send(rgb_frame)`; the file appears at `path` only when writing succeeded.

    Frames go to `<name>.part.mp4` first and are renamed at the end, so a render that
    fails or is interrupted never leaves a truncated file where a player would find it.
    `macro_block_size=2` keeps the exact size (yuv420p only needs even sides).
    """
    import imageio_ffmpeg

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part.mp4")
    writer = imageio_ffmpeg.write_frames(
        str(partial), tuple(size), fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None,
        macro_block_size=macro_block_size,
        output_params=["-crf", str(crf), "-preset", preset, *extra],
    )
    writer.send(None)
    ok = False
    try:
        yield lambda frame: writer.send(np.ascontiguousarray(frame))
        ok = True
    finally:
        writer.close()
        if ok:
            partial.replace(path)
        else:
            partial.unlink(missing_ok=True)
