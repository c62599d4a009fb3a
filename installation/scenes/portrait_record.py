"""Recording a visit's animated portrait, when (and only when) the operator allows it.

`[camera] recording = true` in install.toml makes the portrait scene keep one clip per
live visit, from calibration to the visitor leaving, in `<state folder>/recordings/
visit-<UTC time>.mp4`. What is kept is the animated portrait as the screen shows it, never
the visitor's camera image: the painting moving is the exhibit; the face driving it is
the visitor's own and stays in memory (camera frames never reach disk).

The render loop only hands a reference to the newest portrait image to a bounded queue;
cropping, scaling and H.264 encoding happen on a background thread. When that thread falls
behind, frames are dropped and counted rather than making the screen wait. A clip stops at
`max_seconds`; a full disk or any other write error stops recording for that visit with one
log line, and the show goes on. After every clip the oldest clips are deleted until the
folder holds at most `max_total_mb`.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..models.motion.cli import SYNTHETIC_NOTE
from ..video import h264_writer

# Defaults of [camera] recording_fps, recording_seconds and recording_max_mb.
FPS = 15.0
MAX_SECONDS = 60.0
MAX_TOTAL_MB = 500.0
MAX_SIDE = 540  # a clip's longer side in pixels: enough to see the portrait move, small on disk
QUEUE_FRAMES = 8  # frames waiting for the encoder before new ones are dropped

# (The scene draws a red dot before these: the fonts have no "●" glyph.)
NOTICE_IDLE = (
    "Recording is on: the moving portrait of each visit is saved as a video. Your camera image is not."
)
NOTICE_ACTIVE = "Recording now: this moving portrait is being saved as a video. Your camera image is not."


def clip_size(shape: tuple[int, ...], max_side: int = MAX_SIDE) -> tuple[int, int]:
    """(width, height) of a clip for an image of `shape`, longer side at most `max_side`,
    both sides even (yuv420p needs that)."""
    h, w = shape[:2]
    scale = min(1.0, max_side / max(w, h))
    return max(2, int(round(w * scale / 2)) * 2), max(2, int(round(h * scale / 2)) * 2)


def recordings_size(folder: Path) -> int:
    """Bytes held by clips and unfinished clips in `folder`."""
    return sum(p.stat().st_size for p in folder.glob("visit-*.mp4") if p.is_file())


def enforce_cap(
    folder: Path, max_bytes: float, keep: Path | None = None, log: logging.Logger | None = None
) -> list[Path]:
    """Delete the oldest finished clips until the folder holds at most `max_bytes`.

    The newest clip (`keep`) is never deleted, even alone over the cap: a visitor was told
    it is recorded, and an operator who set the cap below one clip will see it in the log.
    Leftover `.part.mp4` files (a clip cut short by a power cut) are removed too."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for part in folder.glob("visit-*.part.mp4"):
        if keep is None or part.name != keep.name + ".part.mp4":
            part.unlink(missing_ok=True)
    clips = sorted(
        (p for p in folder.glob("visit-*.mp4") if not p.name.endswith(".part.mp4")),
        key=lambda p: (p.stat().st_mtime_ns, p.name),
    )
    total = sum(p.stat().st_size for p in clips)
    for clip in clips:
        if total <= max_bytes:
            break
        if keep is not None and clip.resolve() == keep.resolve():
            continue
        size = clip.stat().st_size
        clip.unlink(missing_ok=True)
        removed.append(clip)
        total -= size
    if total > max_bytes and log is not None:
        log.warning("recordings: the newest clip alone is over the %.0f MB cap; it is kept", max_bytes / 1e6)
    return removed


def _utc_name(wall: float) -> str:
    return "visit-" + datetime.fromtimestamp(wall, UTC).strftime("%Y%m%dT%H%M%SZ")


class Clip:
    """One visit's recording: a bounded queue in front of an encoder thread."""

    def __init__(
        self,
        path: Path,
        fps: float,
        max_frames: int,
        max_bytes: float,
        log: logging.Logger,
        block: bool = False,
        queue_frames: int = QUEUE_FRAMES,
    ) -> None:
        self.path = path
        self.fps = fps
        self.max_frames = max_frames
        self.max_bytes = max_bytes
        self.log = log
        # block: renders and tests (deterministic) wait for the encoder instead of dropping.
        self.block = block
        self.queue: queue.Queue = queue.Queue(maxsize=queue_frames)
        self.size: tuple[int, int] | None = None
        self.offered = 0  # frame slots the clip's timeline has had
        self.written = 0
        self.dropped = 0
        self.failed: str | None = None
        self.done = threading.Event()  # the file is finished (or abandoned)
        self._closing = threading.Event()
        self._t0: float | None = None
        self._thread = threading.Thread(target=self._run, name="bayard-recorder", daemon=True)
        self._thread.start()

    @property
    def accepting(self) -> bool:
        return self.failed is None and not self._closing.is_set() and self.offered < self.max_frames

    def offer(self, image: np.ndarray, crop: tuple[int, int, int, int] | None, t: float) -> None:
        """Called by the render loop with the newest portrait (not copied: results are
        fresh arrays). Fills the clip's timeline up to `t` at the clip's frame rate: when
        the screen is slower than the clip, the same frame covers several slots, so a clip
        lasts as long as the visit did."""
        if not self.accepting:
            return
        if self._t0 is None:
            self._t0 = t
        due = min(self.max_frames, int(math.floor((t - self._t0) * self.fps + 1e-6)) + 1)
        repeat = due - self.offered
        if repeat <= 0:
            return
        self.offered = due
        try:
            self.queue.put((image, crop, repeat), block=self.block, timeout=10.0 if self.block else None)
        except queue.Full:
            self.dropped += repeat  # the encoder is behind: the screen never waits for it
        if self.offered >= self.max_frames:
            self.close()  # the length cap: the visit goes on, the clip ends

    def close(self) -> None:
        """End the clip; returns at once (the encoder finishes the file on its thread)."""
        self._closing.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    def _frames(self):
        """Queued frames until the clip is closed and the queue is empty."""
        while True:
            try:
                item = self.queue.get(timeout=0.05)
            except queue.Empty:
                if self._closing.is_set():
                    return
                continue
            yield item

    def _prepare(self, image: np.ndarray, crop) -> np.ndarray:
        import cv2

        if crop is not None:
            x0, y0, x1, y1 = crop
            image = image[y0:y1, x0:x1]
        if self.size is None:
            self.size = clip_size(image.shape)
        if (image.shape[1], image.shape[0]) != self.size:
            image = cv2.resize(image, self.size, interpolation=cv2.INTER_AREA)
        return image

    def _run(self) -> None:
        frames = self._frames()
        try:
            first = next(frames, None)
            if first is None:
                return  # closed before a single frame: no file at all
            image = self._prepare(first[0], first[1])
            # Leftovers of a clip cut short (a power cut) go before a new one starts.
            enforce_cap(self.path.parent, self.max_bytes, keep=self.path, log=None)
            # (a module global looked up at call time, so tests can swap the writer)
            with h264_writer(self.path, self.size, self.fps, crf=26, preset="veryfast",
                             extra=["-metadata", f"comment={SYNTHETIC_NOTE}"]) as send:
                for _ in range(first[2]):
                    send(image)
                    self.written += 1
                for img, crop, repeat in frames:
                    image = self._prepare(img, crop)
                    for _ in range(repeat):
                        send(image)
                        self.written += 1
        except Exception as exc:  # boundary: a full disk, a lost folder, ffmpeg dying
            self.failed = f"{type(exc).__name__}: {exc}"
            self._closing.set()
            self.log.warning("recording stopped for this visit (%s); the show goes on", self.failed)
            self._drain()
        else:
            try:
                enforce_cap(self.path.parent, self.max_bytes, keep=self.path, log=self.log)
            except OSError as exc:
                self.log.warning("recordings: could not apply the size cap: %s", exc)
        finally:
            self.done.set()

    def _drain(self) -> None:
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return


class VisitRecorder:
    """Starts and ends one `Clip` per visit; the scene calls `start`, `offer`, `stop`."""

    def __init__(
        self,
        folder: Path,
        log: logging.Logger,
        wall: Callable[[], float] = time.time,
        fps: float = FPS,
        max_seconds: float = MAX_SECONDS,
        max_total_mb: float = MAX_TOTAL_MB,
        block: bool = False,
        queue_frames: int = QUEUE_FRAMES,
    ) -> None:
        self.folder = Path(folder)
        self.log = log
        self.wall = wall
        self.fps = fps
        self.max_frames = max(1, int(round(max_seconds * fps)))
        self.max_bytes = max_total_mb * 1e6
        self.block = block
        self.queue_frames = queue_frames
        self.clip: Clip | None = None
        self.clips: list[Clip] = []  # this scene's clips, newest last (status and tests)

    @property
    def writing(self) -> bool:
        """A clip is open or its file still being finished (the notice says 'Recording now')."""
        return any(not c.done.is_set() for c in self.clips)

    def _path(self) -> Path:
        name = _utc_name(self.wall())
        path = self.folder / f"{name}.mp4"
        n = 2
        taken = {c.path for c in self.clips}
        while path in taken or path.exists():
            path = self.folder / f"{name}-{n}.mp4"
            n += 1
        return path

    def start(self) -> Clip:
        self.stop()
        clip = Clip(
            self._path(), self.fps, self.max_frames, self.max_bytes, self.log, self.block, self.queue_frames
        )
        self.clip = clip
        self.clips.append(clip)
        self.clips = self.clips[-20:]
        return clip

    def offer(self, image: np.ndarray, crop, t: float) -> None:
        if self.clip is not None:
            self.clip.offer(image, crop, t)

    def stop(self) -> None:
        if self.clip is not None:
            self.clip.close()
            self.clip = None

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait until every clip is finished (tests and shutdown; never the render loop)."""
        deadline = time.monotonic() + timeout
        return all(c.wait(max(0.0, deadline - time.monotonic())) for c in self.clips)

    def status(self) -> dict:
        c = self.clip or (self.clips[-1] if self.clips else None)
        return {
            "writing": self.writing,
            "clip": c.path.name if c is not None else None,
            "frames": c.written if c is not None else 0,
            "dropped": c.dropped if c is not None else 0,
            "failed": c.failed if c is not None else None,
        }
