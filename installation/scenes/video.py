"""`video`: one film or clip (a documentary excerpt, an artwork), with optional SRT
subtitles; it loops, or ends and lets the show move on.

Decoding starts in `prepare()`, on the sequencer's worker, a few seconds before the
scene is shown, so the first frame is ready when the crossfade begins. Frames are
picked by presentation time (see installation.media), so the film plays at its own
rate whatever the display's. A missing or broken file shows a designed card for a
few seconds and then counts as finished, so an unattended show never stalls on it.

Sound plays only when the scene file says `audio = true`: a gallery's default is a
silent screen, and sound spilling into the neighbouring works is a curator's decision.
The track is decoded to PCM in `prepare()` (installation.media.audio) and starts with
the film's first frame; it pauses with the show, stops while the screen is blacked
out, restarts with each loop pass, fades out over the outgoing transition, and any
problem (no track, no sound card, a track ffmpeg cannot read) leaves the film playing
silently with one log line.

Here: the scene's lifetime (prepare, enter, exit, update, when it is finished) and the
film's frames. Its keys are in video_config.py, subtitles in video_subtitles.py, sound
in video_sound.py, and the caption and subtitles it draws in video_draw.py.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from pathlib import Path
from typing import Any

import pygame

from ..imaging import draw_missing
from ..media import VideoSource, staging
from ..media import audio as film_audio
from ..words import words
from .base import Scene, register_scene
from .style import rgb
from .video_config import VideoConfig
from .video_draw import VideoDrawing
from .video_sound import FilmSound
from .video_subtitles import Cue, SubtitleError, parse_srt

log = logging.getLogger("bayard.scene.video")
BROKEN_CARD_S = 8.0  # how long the "film not available" card stays before the show moves on


def film_seconds(path: Path) -> float | None:
    """A film's length as its container gives it, read from the header without decoding the
    picture; None when ffmpeg cannot say."""
    import imageio_ffmpeg

    try:
        reader = imageio_ffmpeg.read_frames(str(path))
        try:
            duration = next(reader).get("duration")
        finally:
            reader.close()
    except (OSError, RuntimeError, StopIteration):
        return None
    return float(duration) if duration and float(duration) > 0 else None


@register_scene("video")
class VideoScene(FilmSound, VideoDrawing, Scene):
    Config = VideoConfig
    config: VideoConfig

    def __init__(self, config: VideoConfig, context) -> None:
        super().__init__(config, context)
        self.t = 0.0
        self.source: VideoSource | None = None
        self.cues: list[Cue] = []
        self.problem = ""
        self._surface: pygame.Surface | None = None
        self._surface_index = -1
        self._frame = None
        self._cue_cache: dict[int, pygame.Surface] = {}
        self.block = context.deterministic
        # Sound: the decoded track (worker) becomes a FilmAudio (render thread) in enter().
        self.audio_note = "off" if not config.audio else ""  # why the film is silent, for status
        self.audio: film_audio.FilmAudio | None = None
        self._track: film_audio.Track | None = None
        self._cancel = threading.Event()
        self._audio_started = 0.0  # context clock when the sound (re)started, minus time paused
        self._audio_offset = 0.0  # scene time at that start
        self._paused_at: float | None = None
        self._draws_since_update = 0
        self._updates_since_draw = 0
        self._pass = 0
        self._told = False  # a failed film reported to status once per showing

    def prepare(self) -> None:
        c = self.config
        if self.source is None:
            self.source = VideoSource(
                self.context.media(c.file), self.context.size, c.fit, loop=c.on_end == "loop"
            ).start()
        if c.audio and self._track is None and not self.audio_note:
            try:
                self._track = self._decode_track(self.context.media(c.file))
            except film_audio.FilmUnreadable as exc:  # the picture's own log line names the file
                self.audio_note = f"silent: {exc}"
            except film_audio.AudioUnavailable as exc:
                self._silent(str(exc))
            except (OSError, subprocess.SubprocessError) as exc:  # ffmpeg missing or stuck
                self._silent(f"the sound track cannot be decoded ({exc})")
        if c.subtitles and not self.cues:
            path = self.context.media(c.subtitles)
            try:
                self.cues = parse_srt(path.read_text(encoding="utf-8-sig", errors="replace"), str(path))
            except (OSError, SubtitleError) as exc:
                log.warning("%s: subtitles not shown (%s)", c.id, exc)

    def _decode_track(self, film: Path) -> film_audio.Track:
        # From the copy the picture plays from (media/staging.py), not from the USB stick:
        # read from the stick, the sound went silent when the stick was taken out.
        try:
            with staging.staged(film, self._cancel, showing=False) as play:  # (the picture counts the showing)
                if play is None:
                    raise film_audio.AudioUnavailable("cancelled")
                return film_audio.decode_track(play, cancel=self._cancel)
        except RuntimeError as exc:  # (staging's own words: out of reach, or changing)
            raise film_audio.FilmUnreadable(str(exc)) from None

    def enter(self) -> None:
        if self.source is None:
            self.prepare()
        if self.block:
            self.source.wait_ready()
        if self._track is not None:
            track, self._track = self._track, None  # the mixer copies it; do not hold it twice
            try:
                driver = film_audio.open_mixer()
                self.audio = film_audio.FilmAudio(track, self.config.volume)
            except film_audio.AudioUnavailable as exc:
                self._silent(str(exc))
            except pygame.error as exc:
                self._silent(f"the mixer refused the sound ({exc})")
            else:
                if driver == "dummy":
                    # Not an error (tests, headless renders), but a kiosk that should be heard is not.
                    log.warning(
                        "%s: sound goes to SDL's dummy audio driver and will not be heard "
                        "(SDL_AUDIODRIVER=dummy)",
                        self.config.id,
                    )
                self.audio_note = "playing"
                self._start_audio()  # enter() is followed by this scene's first frame

    def exit(self) -> None:
        self._cancel.set()  # a decode still running on the worker stops
        if self.audio is not None:
            self.audio.stop()
        if self.source is not None:
            self.source.close()

    def update(self, dt: float) -> None:
        self.t += dt
        source = self.source
        if source is not None and source.error is not None and not self._told and (source.failed or source.ended):
            self._told = True  # the card says it to visitors; the technician gets the reason
            if source.failed and not source.missing:  # a missing file is reported by context.media()
                self.context.report(f"{source.error}; showing a card, then moving on")
            elif not source.failed:  # it played, then its reads failed (a stick that stopped answering)
                then = "its card shows" if self.config.on_end == "loop" else "the show moves on"
                self.context.report(f"{source.error}; the film stopped there and {then}")
        self._draws_since_update = 0
        self._updates_since_draw += 1
        if self.audio is not None:
            self._follow_show()

    def natural_duration(self) -> float | None:
        if self.config.on_end == "loop":
            return None
        if self.source is not None:
            # The sequencer asks this on the render thread at every frame. A live show never
            # waits for the film here: its decoder may still be copying it off a stick that
            # hangs (media/staging.py), and the wait froze the screen 2 s a frame. Until the
            # film's length is known the show's default stands; renders wait, to be exact.
            if self.block:
                self.source.wait_ready(2.0)
            if self.source.period_hint:
                return self.source.period_hint
            return None
        # Not playing (`bayard check`'s summary): the film's own length from its header; the
        # loop length once counted a 5 s film as the default 30 s.
        return film_seconds(self.context.content_root / self.config.file)

    @property
    def finished(self) -> bool:
        if self.config.on_end == "loop" or self.source is None:
            return False
        if self.source.failed:
            return self.t >= BROKEN_CARD_S
        return self.source.ended

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.config.file,
            "subtitles": len(self.cues),
            "audio": self.audio_note,
        }
        if self.source is not None:
            out.update(frames=self.source.stats.as_dict(), error=self.source.error)
        return out

    # -- drawing --------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        c = self.config
        self._note_draw()
        surface.fill(rgb(c.background))
        if self.source is None:
            return
        frame = self.source.frame_at(self.t, block=self.block)
        # A looping film whose reads failed midway cannot come round again: its card, not its
        # last frame frozen for the rest of the scene (one that ends moves on from that frame).
        stopped = self.config.on_end == "loop" and self.source.error is not None and self.source.ended
        if (frame is None and self.source.failed) or stopped:
            # Visitor words only: which file and why is for the log, status and `bayard check`.
            draw_missing(
                surface,
                self.context.fonts,
                c.caption or words("video.unavailable_title"),
                words("video.unavailable"),
                self.t,
            )
            return
        if frame is not None and frame.index != self._surface_index:
            self._surface = pygame.image.frombuffer(
                frame.image, (frame.image.shape[1], frame.image.shape[0]), "RGB"
            )
            self._surface_index, self._frame = frame.index, frame
        if self._surface is not None:
            surface.blit(self._surface, self._surface.get_rect(center=surface.get_rect().center))
        self._draw_caption(surface)
        self._draw_subtitle(surface, frame.pts if frame is not None else self.t)
