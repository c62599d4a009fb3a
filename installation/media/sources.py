"""Frame sources for the loop and video scenes: a still image, a film through ffmpeg, and
the live generator's walk, each a `frames.MediaSource` (the queue, the timing and the
counters they share, described there).
"""

from __future__ import annotations

import logging
import math
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import film_reads, looks, staging
from .frames import (  # noqa: F401  (the names callers have always imported from here)
    BLOCK_TIMEOUT_S,
    EPS,
    MEDIA_TROUBLE,
    QUEUE_FRAMES,
    Frame,
    FrameStats,
    MediaSource,
    fit_size,
    scale_image,
)
from .kinds import FILM_SUFFIXES, PICTURE_SUFFIXES

log = logging.getLogger("bayard.media")
# imageio-ffmpeg warns whenever the output size differs from the film's: that is our
# scaling on purpose, and it would repeat in the kiosk log at every loop pass.
logging.getLogger("imageio_ffmpeg").setLevel(logging.ERROR)

IMAGE_SUFFIXES = PICTURE_SUFFIXES  # (the names callers import from here)
VIDEO_SUFFIXES = FILM_SUFFIXES
AHEAD_S = 0.6  # then: this much film decoded ahead, to ride out moments when the CPU is busy elsewhere
AHEAD_MAX_BYTES = 160 * 2**20  # ...within this memory (25 frames of 1080p)
NOT_A_VIDEO = ("cannot be read as a video (half-copied, audio only, or not a video file): copy it again, "
               "or export it as an H.264 MP4")


class ImageSource(MediaSource):
    """A still image, decoded and scaled once on the worker."""

    kind = "image"

    def __init__(self, path: Path, box: tuple[int, int], fit: str = "contain") -> None:
        super().__init__(Path(path).name, queue_frames=2)
        self.path, self.box, self.fit = Path(path), box, fit

    def _run(self) -> None:
        from ..imaging import MediaError
        from .kept import read_picture

        try:
            image = read_picture(self.path, max_side=max(self.box) * 2)
        except MediaError as exc:
            raise RuntimeError(str(exc).split(": ", 1)[-1]) from None
        image = scale_image(image, self.box, self.fit)
        self.size = (image.shape[1], image.shape[0])
        self.period = math.inf
        self._put(Frame(0.0, math.inf, image))


class VideoSource(MediaSource):
    """A video file through ffmpeg (imageio-ffmpeg), scaled by ffmpeg to the box."""

    kind = "video"

    def __init__(
        self,
        path: Path,
        box: tuple[int, int],
        fit: str = "contain",
        loop: bool = True,
        queue_frames: int = QUEUE_FRAMES,
    ) -> None:
        super().__init__(Path(path).name, queue_frames)
        self.path, self.box, self.fit, self.loop = Path(path), box, fit, loop
        self.fps: float | None = None
        self.period_hint: float | None = None  # the container's duration, known before decoding ends
        # Whether the film was gone when it failed, looked at here on the decoder's thread: the
        # scene asked its drive on the render thread, and a stick that hangs in its reads froze
        # the screen for the kernel's error handling (tens of seconds). Set before `error`.
        self.missing = False
        self._reading_now: film_reads.FilmReads | None = None  # (the decoder's, closed with the showing)

    def close(self) -> None:
        super().close()
        # Left now, not when the decoder next wakes: the film's next showing, started at once,
        # must find a reading still in a hung read and not start one more beside it.
        reading = self._reading_now
        if reading is not None:
            reading.close()

    def _run(self) -> None:
        # A film on a USB stick plays from its copy on the show's disk (staging.py), so the
        # stick is free to go while it plays. Not while an earlier showing's reading of it
        # still waits on the stick (film_reads.py): its look would wait there too.
        film_reads.clear_to_read(self.path, self._stop)
        try:
            with staging.staged(self.path, self._stop) as play:
                if play is not None:
                    self._play(play)
        except looks.NoAnswer:
            raise  # (its drive is silent: not "missing", and not asked again)
        except Exception:
            # The look is shared and bounded (looks.py): a stick that hangs kept one more
            # decoder thread here for each showing.
            try:
                self.missing = not stat.S_ISREG(looks.look(self.path, self._stop).st_mode)
            except (FileNotFoundError, NotADirectoryError):
                self.missing = True
            except OSError:  # (a drive failing or silent in the look too: not "missing")
                pass
            raise

    def _open(self, output_params: list[str] | None, path: Path | None = None):
        import imageio_ffmpeg

        reader = imageio_ffmpeg.read_frames(str(path or self.path), pix_fmt="rgb24", output_params=output_params)
        meta = next(reader)
        return reader, meta

    def _reading(self, output_params: list[str] | None, path: Path, header_only: bool = False) -> film_reads.FilmReads:
        """ffmpeg's reading of `path` (its header, then its frames) on a thread of its own: the
        decoder waits for each with a deadline (film_reads.py), never on the drive itself."""

        def items():
            reader, meta = self._open(output_params, path)
            try:
                yield meta
                if not header_only:
                    yield from reader
            finally:
                reader.close()

        reading = self._reading_now = film_reads.FilmReads(path, items)
        if self._stop.is_set():  # (closed while it started: close() may have missed it)
            reading.close()
        return reading

    def _play(self, path: Path) -> None:
        # Its first look bounded and shared too: with copying off, no cache looked before.
        film_reads.clear_to_read(path, self._stop)
        try:
            if not stat.S_ISREG(looks.look(path, self._stop).st_mode):
                raise RuntimeError("file not found")
        except (FileNotFoundError, NotADirectoryError):
            raise RuntimeError("file not found") from None
        probe = self._reading(None, path, header_only=True)
        try:
            meta = probe.take(self._stop)
        except StopIteration:
            return  # (the showing ended)
        except looks.NoAnswer:
            raise
        except OSError:  # ffmpeg found no stream to describe
            raise RuntimeError(NOT_A_VIDEO) from None
        finally:
            probe.close()
        src = tuple(int(v) for v in meta.get("size") or (0, 0))
        fps = float(meta.get("fps") or 0)
        if not src[0] or not src[1]:
            raise RuntimeError("no video stream")
        if not (1 <= fps <= 240):
            fps = 30.0  # unknown or absurd rate: assume 30 rather than refuse the film
        self.fps = fps
        duration = meta.get("duration")
        self.period_hint = float(duration) if duration and float(duration) > 0 else None
        scaled, final = fit_size(src, self.box, self.fit)
        filters = []
        if scaled != src:
            filters.append(f"scale={scaled[0]}:{scaled[1]}:flags=bicubic")
        if final != scaled:
            filters.append(f"crop={final[0]}:{final[1]}")
        params = ["-vf", ",".join(filters)] if filters else None
        w, h = final
        self.size = final
        if self._queue.maxsize == QUEUE_FRAMES:  # not chosen by the caller
            frames_ahead = min(round(fps * AHEAD_S), AHEAD_MAX_BYTES // (w * h * 3))
            self._queue.maxsize = max(4, frames_ahead)
        frame_s = 1.0 / fps
        offset, index = 0.0, 0
        while not self._stop.is_set():
            reading = self._reading(params, path)
            count = 0
            try:
                reading.take(self._stop)  # (this pass's header: known from the probe)
                while True:
                    raw = reading.take(self._stop)
                    image = np.frombuffer(raw, np.uint8).reshape(h, w, 3)
                    if not self._put(Frame(offset + count * frame_s, frame_s, image, index)):
                        return
                    count += 1
                    index += 1
            except StopIteration:
                if self._stop.is_set():
                    return
            finally:
                reading.close()
            if count == 0:
                raise RuntimeError("has no decodable video frames")
            played = count * frame_s
            if self.period is None and self.period_hint and played < 0.9 * self.period_hint - 1.0:
                # It plays what is there and the show moves on, but a cut copy is worth a word.
                log.warning("%s ended after %.1f s of the %.1f s its header gives: the file may be "
                            "incomplete (a copy still in progress?); copy it again",
                            self.label, played, self.period_hint)
            self.period = played
            if not self.loop:
                return
            offset += self.period
            self.stats.loops += 1


class GeneratorSource(MediaSource):
    """A live latent walk: faces generated ahead at `fps`, looping every keys x seconds_per_face."""

    kind = "generator"

    def __init__(
        self,
        make_generator: Callable[[], Any],
        box: tuple[int, int],
        fps: float = 30.0,
        seconds_per_face: float = 3.0,
        faces: int = 12,
        seed: int = 0,
        batch: int = 8,
    ) -> None:
        super().__init__("live generator", queue_frames=max(QUEUE_FRAMES, 2 * batch))
        self.make_generator, self.box, self.fps = make_generator, box, fps
        self.seconds_per_face, self.faces, self.seed, self.batch = seconds_per_face, faces, seed, batch

    def _run(self) -> None:
        from ..models.generator.render import loop_path, upscale

        generator = self.make_generator()
        side = min(self.box)
        frames_per_loop = max(2, round(self.faces * self.seconds_per_face * self.fps))
        keys = np.random.default_rng(self.seed).standard_normal((self.faces, generator.latent_dim))
        path = loop_path(keys, frames_per_loop)
        self.period = frames_per_loop / self.fps
        self.size = (side, side)
        frame_s = 1.0 / self.fps
        index = 0
        while not self._stop.is_set():
            start = index % frames_per_loop
            z = path[start : start + self.batch]
            for image in upscale(generator.generate(z, batch=self.batch), side):
                if not self._put(Frame(index * frame_s, frame_s, image, index)):
                    return
                index += 1
                if index % frames_per_loop == 0:
                    self.stats.loops += 1
                    break


def open_source(path: Path, box: tuple[int, int], fit: str = "contain", loop: bool = True) -> MediaSource:
    suffix = Path(path).suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return VideoSource(path, box, fit, loop=loop)
    return ImageSource(path, box, fit)
