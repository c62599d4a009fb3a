"""The visitor camera: frames captured in their own thread, newest frame wins.

A device index, or a device path such as /dev/v4l/by-id/usb-...-video-index0 (the name
Linux gives one camera, the same after every reboot and replug, where indices follow the
order USB devices woke up in), opens a real camera; any other path opens a video file
played as if it were a camera (at its own frame rate, looping), which is how tests, demos
and benchmarks stand in for a visitor. The reader keeps one slot: a frame nobody took before the next one
arrived is dropped, so a slow consumer always gets the freshest image and latency never
accumulates. A camera that fails or is unplugged turns the state to "unavailable" and is
reopened with backoff; nothing here raises into the caller. Opening the device or file, and
fitting and turning its frames upright, is capture.py's.

Privacy: frames live in memory only. Nothing in this module writes a frame anywhere.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .camera_devices import device_hold, device_in_use, device_name, device_used
from .capture import fitted, is_device, open_capture, upright

log = logging.getLogger("bayard.camera")

# Reopen delays after a failure: quick first (a loose USB contact), then calmer so a
# missing camera does not spin a core all day.
BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 5.0
# A live camera that delivers nothing for this long is treated as unplugged.
STALL_S = 2.0
HUNG = "the camera stopped delivering frames (its driver hangs in a read)"
# A camera that gave no first frame this long after its start is unavailable: cameras take a
# second or two to open and settle, one hung in its open or its first read never would.
FIRST_FRAME_S = 5.0
NO_PICTURE = ("the camera gave no picture since it was started (its driver hangs in opening or reading it; "
              "unplugging it and plugging it in frees it)")
STILL_HELD = ("a read of the camera has hung since it was last stopped, and still holds the device (it is not "
              "opened a second time; unplugging it and plugging it in frees it)")

# The capture thread's own pacing (a film played at its frame rate, the pauses between failed
# reads) is real time whatever clock judges the camera: those are waits of a thread, which
# sleeps real seconds, and a clock that only a test moves would never end them.
_real_seconds = time.monotonic


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # RGB uint8, (h, w, 3)
    t: float  # the camera's clock (monotonic seconds unless one was injected) when it was captured
    index: int  # running count of frames captured since start (gaps = dropped frames)


class Camera:
    """Capture from `source` in a daemon thread. `latest()` returns the newest frame.

    `size` (w, h) asks a device for that resolution; video-file frames are fitted to it
    (aspect kept, edges extended). `rotation` (0, 90, 180 or 270): how far the camera's
    picture is turned clockwise; frames are turned back upright (a 640x480 camera on its
    side gives 480x640 frames).
    `opener` is injectable so tests can simulate an unplugged camera. `clock` (monotonic
    seconds) stamps the frames and judges the first-frame and stall limits, so a test steps
    past a hang instead of waiting it out; the thread's own waits stay real (_real_seconds).
    """

    def __init__(
        self,
        source: int | str | Path,
        size: tuple[int, int] | None = None,
        *,
        loop: bool = True,
        opener: Callable[..., object] | None = None,
        rotation: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rotation not in (0, 90, 180, 270):
            raise ValueError(f"camera rotation must be 0, 90, 180 or 270 degrees, not {rotation}")
        self.source = source
        self.size = size
        self.rotation = rotation
        self.loop = loop
        self._opener = opener or open_capture
        self._clock = clock
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._slot: Frame | None = None
        self._taken_index = -1
        self._count = 0
        self._dropped = 0
        self._state = "stopped"
        self._reason = ""
        self._started_t = 0.0  # (self._clock) when the camera was last started, for FIRST_FRAME_S
        # Started while the device is still held: by this camera's thread, stuck in a read since
        # the last stop, or by another camera's. Nothing opens it meanwhile; status says so.
        self._waiting_for_device = False
        # One more at each stop: a frame whose read began before the last stop belongs to the
        # visit that stop ended, however soon the camera is started again.
        self._visit = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reconnects = 0

    # -- life ----------------------------------------------------------------
    def start(self) -> Camera:
        """Capture (again). A thread that a stop left ending (its device stuck in a read) is
        asked to serve on rather than joined by a second one: two threads would open the
        device twice, and the second's open fails while the first still holds it."""
        with self._lock:
            self._stop.clear()
            if self._state == "stopped":
                self._state, self._started_t = "starting", self._clock()
                # The thread a stop left ending serves on once its read comes back (see _run):
                # until then its device is still held by that read.
                self._waiting_for_device = self._thread is not None and is_device(self.source)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bayard-camera", daemon=True)
                self._thread.start()
        return self

    def stop(self) -> None:
        """Stop capturing without waiting for the thread: it ends and releases the device on
        its own. A scene's exit calls this on the render thread, and a camera stuck in a read
        froze the show (for the 2 s a join waited) at every scene change."""
        with self._cond:
            self._stop.set()
            self._visit += 1
            self._cond.notify_all()
            self._state = "stopped"
            self._slot = None  # drop the last image of the visitor as soon as we stop

    def __enter__(self) -> Camera:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- reading -------------------------------------------------------------
    @property
    def state(self) -> str:
        """ "starting", "live", "unavailable" or "stopped". A live camera whose newest frame is
        older than STALL_S is unavailable: hung in a read, its thread cannot say so itself, and
        it stayed "live" for good, the visitor invited to a mirror that no longer moved."""
        with self._lock:
            return "unavailable" if self._hung() else self._state

    @property
    def reason(self) -> str:
        with self._lock:
            if not self._hung():
                return self._reason
            if self._state != "starting":
                return HUNG
            return STILL_HELD if self._waiting_for_device and self._thread is not None else NO_PICTURE

    def _hung(self) -> bool:
        """(With the lock held.) Live, and no frame for longer than STALL_S; or started, and no
        first frame for longer than FIRST_FRAME_S (hung there, it stayed "starting" for good)."""
        if self._state == "starting":
            return self._clock() - self._started_t > FIRST_FRAME_S
        return self._state == "live" and self._slot is not None and self._clock() - self._slot.t > STALL_S

    @property
    def dropped(self) -> int:
        """Frames overwritten before anyone took them."""
        return self._dropped

    def latest(self) -> Frame | None:
        """The newest frame (None before the first, and once the camera hangs: an old frame must
        not pass for a live visitor). Never blocks."""
        with self._lock:
            if self._hung():
                return None
            if self._slot is not None:
                self._taken_index = max(self._taken_index, self._slot.index)
            return self._slot

    def wait_new(self, after_index: int, timeout: float) -> Frame | None:
        """Block up to `timeout` real seconds for a frame newer than `after_index`; None on
        timeout or stop. Real, not the camera's clock: it bounds how long the calling thread
        sleeps (the animator worker paces its idle animation by it), and a thread waiting on a
        clock that nobody moves would never wake."""

        def fresh() -> bool:
            return self._stop.is_set() or (self._slot is not None and self._slot.index > after_index)

        with self._cond:
            if not self._cond.wait_for(fresh, timeout) or self._stop.is_set():
                return None
            self._taken_index = max(self._taken_index, self._slot.index)
            return self._slot

    def status(self) -> dict:
        return {
            "state": self.state,
            "reason": self.reason,
            "frames": self._count,
            "dropped": self._dropped,
            "reconnects": self.reconnects,
            # The device is still held by a read that never came back (or by another scene's
            # camera): this one waits rather than open it twice.
            "waiting_for_device": self._waiting_for_device,
        }

    # -- the thread ----------------------------------------------------------
    def _publish(self, image: np.ndarray, visit: int) -> None:
        """Hand out `image`, read in `visit` (self._visit when its read began)."""
        with self._cond:
            if self._stop.is_set() or visit != self._visit:
                # A read that returned after a stop: the visitor's image is not kept, nor handed
                # to a start that came meanwhile (its next visitor).
                return
            self._state, self._reason = "live", ""
            self._waiting_for_device = False
            if self._slot is not None and self._slot.index > self._taken_index:
                self._dropped += 1  # nobody took the previous frame: it is gone
            self._slot = Frame(image, self._clock(), self._count)
            self._count += 1
            self._cond.notify_all()

    def _set_unavailable(self, reason: str) -> None:
        with self._lock:
            if self._stop.is_set():
                return  # stopped meanwhile: "stopped" stands, not a failure of a thread now ending
            said = self._state == "unavailable" and reason == self._reason
            self._state, self._reason = "unavailable", reason
            self._slot = None  # an old frame must not pass for a live visitor
        if not said:
            # (Not a warning: the portrait owning this camera says it, with the fix, or the show's
            # files list its missing film with install.toml's line; the log said it twice.)
            log.debug("camera %s unavailable: %s", self.source, reason)

    def _end_of_film(self, visit: int) -> None:
        """A film played once (loop=False): "ended", its last frame kept, until the camera is
        stopped. It said so for 0.2 s and then played the film again from the start."""
        with self._cond:
            if visit == self._visit:  # (stopped meanwhile: "stopped" stands)
                self._state, self._reason = "ended", "end of the video file"
            self._cond.wait_for(lambda: visit != self._visit)

    def _run(self) -> None:
        while True:
            self._serve()
            with self._lock:  # (start() decides under the same lock whether to make a thread)
                if self._stop.is_set():
                    self._thread = None
                    return
                self._waiting_for_device = False
            # started again while this thread was ending: serve on, the device released

    def _serve(self) -> None:
        backoff = BACKOFF_START_S
        while not self._stop.is_set():
            try:
                ok = self._capture_session()
            except Exception as exc:  # boundary: a camera thread must never die
                self._set_unavailable(f"{type(exc).__name__}: {exc}")
                ok = False
            if self._stop.is_set():
                break
            if ok:
                backoff = BACKOFF_START_S
                continue
            self.reconnects += 1
            self._stop.wait(backoff)
            backoff = min(BACKOFF_MAX_S, backoff * 2)

    def _capture_session(self) -> bool:
        """Open, read until failure or stop. True when it ended cleanly (reopen at once). A
        camera is opened once the last reader of its device let it go: a stop no longer waits
        for its thread, and the next scene's camera, a new one on the same device, opened it
        while the old thread still held it (stuck in a read), and failed or took it twice."""
        if not is_device(self.source):
            return self._read_session()
        name = device_name(self.source)
        hold = device_hold(name)
        # (The acquire's 0.1 s is a real wait of this thread; the hang is judged on self._clock.)
        waiting_since = self._clock()
        while not hold.acquire(timeout=0.1):  # (on this thread: the render thread never waits here)
            with self._lock:
                self._waiting_for_device = not self._stop.is_set()
            if self._stop.is_set():
                return True
            if device_in_use(name):
                # Another scene's camera still live on it (a crossfade): a wait, not a fault;
                # the clocks of a hang start once that scene lets it go.
                waiting_since = self._clock()
                with self._lock:
                    self._started_t = waiting_since
            elif self._clock() - waiting_since > STALL_S:  # (said once: the same reason is not said again)
                self._set_unavailable("the camera has hung in a read since the last scene that used it "
                                      "(its driver no longer answers; unplugging it and plugging it in frees it)")
        with self._lock:
            self._waiting_for_device = False
        device_used(name, self._stop)
        try:
            return self._read_session()
        finally:
            with self._lock:
                self._waiting_for_device = False  # (a restart's wait ends when this read let go)
            device_used(name, None)
            hold.release()

    def _read_session(self) -> bool:
        import cv2

        is_file = not is_device(self.source)
        if not isinstance(self.source, int) and not Path(self.source).exists():
            # (A device path comes back when its camera is plugged in again.)
            self._set_unavailable("no such video file" if is_file  # (its path is said beside the reason)
                                  else f"no camera at {self.source} (unplugged?)")
            return False
        cap = self._opener(self.source, self.size)
        if cap is None:
            self._set_unavailable("could not open the camera (unplugged or in use?)")
            return False
        try:
            fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0) if is_file else 0.0
            period = 1.0 / fps if 1.0 <= fps <= 240.0 else 1.0 / 30.0
            next_t = _real_seconds()
            last_ok = self._clock()
            got_any = False
            while not self._stop.is_set():
                visit = self._visit  # (before the read: a stop during it makes its frame another visit's)
                ok, bgr = cap.read()
                if not ok or bgr is None:
                    if is_file and got_any and self.loop:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)  # loop like a camera that never ends
                        ok, bgr = cap.read()
                    if not ok or bgr is None:
                        if is_file and not got_any:
                            self._set_unavailable("the video file has no readable frames")
                            return False
                        if is_file and not self.loop:
                            self._end_of_film(visit)
                            return True
                        if self._clock() - last_ok > STALL_S or is_file:
                            self._set_unavailable("the camera stopped delivering frames")
                            return False
                        time.sleep(0.005)
                        continue
                last_ok = self._clock()
                got_any = True
                if self.size is not None and (bgr.shape[1], bgr.shape[0]) != tuple(self.size):
                    bgr = fitted(bgr, self.size)
                rgb = cv2.cvtColor(upright(bgr, self.rotation), cv2.COLOR_BGR2RGB)
                if is_file:
                    # Play at the file's own rate, as a camera would deliver it.
                    next_t += period
                    wait = next_t - _real_seconds()
                    if wait > 0:
                        self._stop.wait(wait)
                    elif wait < -0.25:
                        next_t = _real_seconds()  # fell far behind (a stall): do not burst
                self._publish(rgb, visit)
            return True
        finally:
            cap.release()
