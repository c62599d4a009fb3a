"""A frame source's timing: what every source of the loop and video scenes shares.

Each source owns one worker thread that decodes (and scales to the size it will be
shown at) ahead of time into a small bounded queue of `Frame`s, each stamped with
its presentation time. The scene asks `frame_at(t)` with its own clock: the newest
frame whose time has come is returned, so a 30 fps film is shown for exactly its own
frame durations at 24, 50, 60 or 144 Hz alike. With a stepped clock (tests and
offline renders) `block=True` waits for the decoder instead, so renders are exact.

A looping video keeps decoding across the loop point (the next pass's timestamps
continue from the last), so the loop has no gap and no black frame.

A file it cannot play ends its stream with the reason in `error`, for the scene to say (the worker
logs nothing of it: one line, in the engine's words, names the file with its place and fix).

Counters (for /status and the bench):
- dropped: frames that were due at a display instant but were not decoded in time,
  and were skipped when they arrived (at a display rate below the film's, frames
  that fall between two display instants are not "dropped": no display could show them);
- held: display instants at which the frame shown had already expired because its
  successor was not decoded yet (a frame held past its time).
"""

from __future__ import annotations

import queue
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import faults

EPS = 1e-6
QUEUE_FRAMES = 8  # frames decoded ahead before a video's size and rate are known
BLOCK_TIMEOUT_S = 10.0

_END = object()
# What a bad file raises (ffmpeg's OSError, or a RuntimeError saying what is wrong with it):
# the operator's to mend, logged and shown as a designed card. Anything else is a bug.
MEDIA_TROUBLE = (OSError, RuntimeError)


@dataclass
class Frame:
    pts: float  # seconds from the source's start (grows across loop passes)
    duration: float  # seconds this frame is shown (math.inf for a still image)
    image: np.ndarray  # RGB uint8 (h, w, 3), already at display size
    index: int = 0  # running number across loop passes

    @property
    def end(self) -> float:
        return self.pts + self.duration


@dataclass
class FrameStats:
    decoded: int = 0
    shown: int = 0
    dropped: int = 0
    held: int = 0
    loops: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def fit_size(
    src: tuple[int, int], box: tuple[int, int], mode: str = "contain"
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(scaled size, final size): contain fits inside the box; cover fills it, then crops."""
    sw, sh = src
    bw, bh = box
    scale = min(bw / sw, bh / sh) if mode == "contain" else max(bw / sw, bh / sh)
    scaled = (max(1, round(sw * scale)), max(1, round(sh * scale)))
    final = scaled if mode == "contain" else (min(bw, scaled[0]), min(bh, scaled[1]))
    return scaled, final


def scale_image(image: np.ndarray, box: tuple[int, int], mode: str = "contain") -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    scaled, final = fit_size((w, h), box, mode)
    if scaled != (w, h):
        shrink = scaled[0] < w
        image = cv2.resize(image, scaled, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
    if final != scaled:
        x0, y0 = (scaled[0] - final[0]) // 2, (scaled[1] - final[1]) // 2
        image = image[y0 : y0 + final[1], x0 : x0 + final[0]]
    return np.ascontiguousarray(image)


class MediaSource(ABC):
    """A worker-fed queue of timed frames, consumed by one scene on the render thread."""

    kind = "media"

    def __init__(self, label: str, queue_frames: int = QUEUE_FRAMES) -> None:
        self.label = label
        self.stats = FrameStats()
        self.error: str | None = None
        self.period: float | None = None  # seconds of one pass, once known
        self.size: tuple[int, int] | None = None  # frame size, once known
        self._queue: queue.Queue = queue.Queue(maxsize=queue_frames)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._current: Frame | None = None
        self._current_shown = False
        self._pending: Any = None
        self._ended = False
        self._last_t: float | None = None
        self._first = threading.Event()  # set when the first frame (or an error) is available

    # -- worker side --------------------------------------------------------------
    def start(self) -> MediaSource:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run_guarded, name=f"decode {self.label}", daemon=True
            )
            self._thread.start()
        return self

    def _run_guarded(self) -> None:
        try:
            self._run()
        except Exception as exc:  # worker boundary: hand the reason over, end the stream, never crash the show
            # Not logged here: the scene that plays the source says it, once, in the engine's
            # words (the scene file's line, the file from the show folder, the fix). A line from
            # this thread ("skipping truncated.jpg: ...") named the bare file beside it.
            self.error = f"{self.label}: {_one_line(exc)}"
            if not isinstance(exc, MEDIA_TROUBLE):
                # Not the file's fault (those raise OSError or RuntimeError with a reason):
                # a bug, which tests, the soak and `render --strict` must see.
                faults.report(self.label, "decoding", exc)
        finally:
            self._put(_END)
            self._first.set()

    @abstractmethod
    def _run(self) -> None:
        """Decode into the queue until the end of the media or until closed (worker thread)."""

    def _put(self, item: Any) -> bool:
        """Queue an item, waiting while the queue is full; False once the source is closed."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            if item is not _END:
                self.stats.decoded += 1
            self._first.set()
            return True
        return False

    def close(self) -> None:
        self._stop.set()
        while True:  # free the frames so the worker's last put() returns
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        # Do not wait for the worker: it sees the stop flag after its current frame and
        # ends by itself. Joining here cost a visible hitch at the end of every crossfade.

    # -- render side --------------------------------------------------------------
    def wait_ready(self, timeout: float = BLOCK_TIMEOUT_S) -> bool:
        """Block until the first frame (or an error) is available."""
        return self._first.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._current is not None or self._first.is_set()

    @property
    def failed(self) -> bool:
        return self.error is not None and self._current is None

    @property
    def ended(self) -> bool:
        """A non-looping source has shown its last frame's full duration (or failed)."""
        if self._pending is None:
            self._fetch(False)
        if self._pending is not _END:
            return False
        return self._current is None or (self._last_t is not None and self._last_t >= self._current.end - EPS)

    def _fetch(self, block: bool, timeout: float = BLOCK_TIMEOUT_S) -> None:
        if self._pending is not None:
            return
        try:
            self._pending = self._queue.get(timeout=timeout) if block else self._queue.get_nowait()
        except queue.Empty:
            self._pending = None

    def frame_at(self, t: float, block: bool = False) -> Frame | None:
        """The frame to show at source time `t` (None before the first is decoded)."""
        while True:
            due = self._current is None or self._current.end <= t + EPS
            self._fetch(block and due and not self._ended)
            nxt = self._pending
            if nxt is None or nxt is _END:
                self._ended = nxt is _END
                break
            if nxt.pts > t + EPS and self._current is not None:
                break
            cur, last = self._current, self._last_t
            if (
                cur is not None
                and not self._current_shown
                and last is not None
                and cur.pts <= last + EPS < cur.end
            ):
                self.stats.dropped += 1  # it was due at the last display instant but arrived late
            self._current, self._current_shown, self._pending = nxt, False, None
        current = self._current
        if current is not None:
            if current.end <= t + EPS and not self._ended:
                self.stats.held += 1
            if not self._current_shown:
                self._current_shown = True
                self.stats.shown += 1
        self._last_t = t
        return current

    def status(self) -> dict[str, Any]:
        return {"source": self.label, "error": self.error, **self.stats.as_dict()}


def _one_line(exc: BaseException) -> str:
    # First line only (ffmpeg's errors carry its whole output), long enough for a film's path on
    # a stick and the fix after it: at 200 the drive's "copy the film to the show's disk" was cut.
    text = str(exc).strip()
    return text.splitlines()[0][:320] if text else type(exc).__name__
