"""Writing H.264 video files: one place for the encoder settings every tool shares
(`bayard render`, `animate`, `generator render`, benchmark test films)."""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from .runtime.files import free_bytes


class VideoWriteError(OSError):
    """A film could not be written: the message names the file, why and what to do."""


# Below this much free space where the film goes, a failed write is a full disk.
FULL_DISK_BYTES = 1 << 20


def why_not_written(path: Path, error: BaseException) -> str:
    """Plain words for an encoder that stopped: imageio-ffmpeg raises a broken pipe with
    ffmpeg's command line and output in the message, which says nothing to an artist."""
    text = str(error)
    space = free_bytes(path.parent)
    # (/proc, /sys and the like report no space at all: they are not full disks.)
    full = space is not None and space[1] > 0 and space[0] < FULL_DISK_BYTES
    if full or "No space left" in text:
        return "the disk is full; free some space or write to another folder"
    if isinstance(error, PermissionError) or "Permission denied" in text:
        return "no permission to write there; choose a folder you can write to"
    code = getattr(error, "errno", None)
    if code == errno.EROFS or "Read-only file system" in text:
        return "that folder is on a read-only disk; write to another folder"
    if code in (errno.EEXIST, errno.ENOTDIR):
        return "a file stands where its folder should be; write to another folder"
    if code in (errno.ENOENT, errno.EINVAL):  # /proc and the like
        return "that folder cannot hold files; write to another folder"
    # ffmpeg's last words, without the "[out#0/mp4 @ 0x55...]" of the part that said them
    said = [re.sub(r"^\[[^\]]*\]\s*", "", line.strip())
            for line in text.split("FFMPEG STDERR OUTPUT:")[-1].splitlines() if line.strip()]
    return f"the video encoder stopped ({said[-1] if said else type(error).__name__})"


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
                sound_from: Path | str | None = None, seconds: float | None = None,
                ) -> Iterator[Callable[[np.ndarray], None]]:
    """Yield `send(rgb_frame)`; the file appears at `path` only when writing succeeded.

    Frames go to `<name>.part.mp4` first and are renamed at the end, so a render that
    fails or is interrupted never leaves a truncated file where a player would find it.
    `macro_block_size=2` keeps the exact size (yuv420p only needs even sides).
    `sound_from`: a file with an audio stream (check with `has_sound`) whose first audio
    track becomes the film's sound, re-encoded as AAC (any codec the source has fits MP4).
    `seconds`: the film's length, where a longer sound track is cut (a driver whose sound
    ran on 17 s past its picture gave a film that long, the portrait frozen through it).
    """
    import imageio_ffmpeg

    path = Path(path)
    partial = path.with_name(path.name + ".part.mp4")

    def failed(error: BaseException) -> VideoWriteError:
        return VideoWriteError(f"cannot write {path}: {why_not_written(path, error)}")

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Made here first: ffmpeg's own failure to open a file reaches us as a broken pipe
        # that says nothing of why.
        partial.open("wb").close()
        sound = {"audio_path": str(sound_from), "audio_codec": "aac"} if sound_from is not None else {}
        length = ["-t", f"{seconds:.3f}"] if sound_from is not None and seconds is not None else []
        writer = imageio_ffmpeg.write_frames(
            str(partial), tuple(size), fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None,
            macro_block_size=macro_block_size,
            output_params=["-crf", str(crf), "-preset", preset, *length, *extra], **sound,
        )
        writer.send(None)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise failed(exc) from None

    def send(frame: np.ndarray) -> None:
        try:
            writer.send(np.ascontiguousarray(frame))
        except OSError as exc:  # a full disk, a lost folder, ffmpeg gone
            raise failed(exc) from None

    finished = False
    try:
        yield send
        finished = True
    finally:
        kept = False
        try:
            writer.close()
            if finished:
                partial.replace(path)
                kept = True
        except OSError as exc:
            if finished:  # (an error from the body is already on its way out: it stands)
                raise failed(exc) from None
        finally:
            if not kept:
                partial.unlink(missing_ok=True)
