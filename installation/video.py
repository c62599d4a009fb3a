"""Writing H.264 video files: one place for the encoder settings every tool shares
(`bayard render`, `animate`, `generator render`, benchmark test films)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np


def has_sound(path: Path | str) -> bool:
    """Whether a media file has an audio stream (ffmpeg's own reading of it; False for a
    file ffmpeg cannot open)."""
    import subprocess

    import imageio_ffmpeg

    try:
        probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                               capture_output=True, text=True, errors="replace", timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return re.search(r"^\s*Stream #\d+:\d+.*: Audio: ", probe.stderr, re.MULTILINE) is not None


@contextlib.contextmanager
def h264_writer(path: Path | str, size: tuple[int, int], fps: float, *, crf: int = 18, preset: str = "medium",
                extra: Sequence[str] = (), macro_block_size: int = 2,
                sound_from: Path | str | None = None) -> Iterator[Callable[[np.ndarray], None]]:
    """Yield `send(rgb_frame)`; the file appears at `path` only when writing succeeded.

    Frames go to `<name>.part.mp4` first and are renamed at the end, so a render that
    fails or is interrupted never leaves a truncated file where a player would find it.
    `macro_block_size=2` keeps the exact size (yuv420p only needs even sides).
    `sound_from`: a file with an audio stream (check with `has_sound`) whose first audio
    track becomes the film's sound, re-encoded as AAC (any codec the source has fits MP4).
    """
    import imageio_ffmpeg

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part.mp4")
    sound = {"audio_path": str(sound_from), "audio_codec": "aac"} if sound_from is not None else {}
    writer = imageio_ffmpeg.write_frames(
        str(partial), tuple(size), fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None,
        macro_block_size=macro_block_size,
        output_params=["-crf", str(crf), "-preset", preset, *extra], **sound,
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
