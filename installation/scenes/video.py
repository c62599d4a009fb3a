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
"""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pygame
from pydantic import Field

from ..config.common import MediaPath, SceneConfig
from ..imaging import draw_missing
from ..media import VideoSource
from ..media import audio as film_audio
from ..words import words
from .base import Scene, register_scene
from .style import Colour, fade, rgb

log = logging.getLogger("bayard.scene.video")
BROKEN_CARD_S = 8.0  # how long the "film not available" card stays before the show moves on
AUDIO_DRIFT_S = 0.08  # picture further than this from the sound (after a hitch) jumps to it

_TIME = re.compile(r"(\d+):(\d{1,2}):(\d{1,2})(?:[,.](\d{1,3}))?")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


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


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


class SubtitleError(Exception):
    pass


def _seconds(match: re.Match) -> float:
    h, m, s, ms = match.groups()
    return int(h) * 3600 + int(m) * 60 + int(s) + (int((ms or "0").ljust(3, "0")) / 1000)


def parse_srt(text: str, source: str = "subtitles") -> list[Cue]:
    """Cues from SRT text. Tolerates a BOM, CRLF, '.' for ',', missing numbers and
    formatting tags; raises SubtitleError naming the first line it cannot read."""
    cues: list[Cue] = []
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.isdigit():
            i += 1
            continue
        if "-->" not in line:
            raise SubtitleError(
                f"{source}, line {i + 1}: expected '00:00:01,000 --> 00:00:03,000', found '{line[:40]}'"
            )
        left, right = line.split("-->", 1)
        a, b = _TIME.search(left), _TIME.search(right)
        if not a or not b:
            raise SubtitleError(f"{source}, line {i + 1}: cannot read the times in '{line[:60]}'")
        i += 1
        body = []
        while i < len(lines) and lines[i].strip():
            body.append(_TAG.sub("", lines[i]).strip())
            i += 1
        start, end = _seconds(a), _seconds(b)
        if end > start and body:
            cues.append(Cue(start, end, "\n".join(body)))
    return sorted(cues, key=lambda c: c.start)


class VideoConfig(SceneConfig):
    file: MediaPath = Field(description="the film, relative to the content folder (mp4, mov, mkv, webm)")
    subtitles: MediaPath | None = Field(
        default=None, description="an .srt file of subtitles to show over the film"
    )
    on_end: Literal["advance", "loop"] = Field(
        default="advance", description="advance: the show moves on when the film ends; loop: play it again"
    )
    fit: Literal["contain", "cover"] = Field(
        default="contain", description="contain: whole film, bars if needed; cover: fill the screen, cropping"
    )
    caption: str = Field(
        default="", description="a title line shown at the start, e.g. the work and its maker"
    )
    credit: str = Field(default="", description="small print shown with the caption")
    caption_seconds: float = Field(default=8.0, ge=0, le=600, description="how long caption and credit stay")
    subtitle_size: float = Field(default=40, ge=16, le=96, description="subtitle size in pixels at 1080p")
    background: Colour = Field(default="#000000", description="colour of the bars around the film '#rrggbb'")
    foreground: Colour = Field(default="#f4efe6", description="subtitle and caption colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="credit colour '#rrggbb'")
    audio: bool = Field(
        default=False,
        description="play the film's sound (films up to 10 min); off by default: most galleries are silent",
    )
    volume: float = Field(
        default=1.0, ge=0.0, le=1.0, description="sound level from 0 (silent) to 1 (the film's own level)"
    )


@register_scene("video")
class VideoScene(Scene):
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
                self._track = film_audio.decode_track(self.context.media(c.file), cancel=self._cancel)
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
        if self.source is not None and self.source.failed and not self._told:
            self._told = True  # the card says it to visitors; the technician gets the reason
            if self.source.path.is_file():  # a missing file is reported by context.media()
                self.context.report(f"{self.source.error}; showing a card, then moving on")
        self._draws_since_update = 0
        self._updates_since_draw += 1
        if self.audio is not None:
            self._follow_show()

    # -- sound ----------------------------------------------------------------------
    def _silent(self, why: str) -> None:
        self.audio_note = f"silent: {why}"
        log.warning("%s: %s plays without sound: %s", self.config.id, Path(self.config.file).name, why)

    def _start_audio(self) -> None:
        self.audio.play()
        self._audio_started = self.context.clock.now()
        self._audio_offset = self.t

    def leaving(self, seconds: float) -> None:
        """The scene is on its way out: fade the sound over the transition."""
        if self.audio is not None and self.audio.state in ("playing", "paused", "ready"):
            self.audio.fade(seconds)

    def _planned_end(self) -> float | None:
        """Scene time at which the sequencer will move on by duration (None: the film's own end)."""
        if self.config.duration:
            return self.config.duration
        if self.config.on_end == "advance" and self.source is not None and self.source.period_hint:
            return self.source.period_hint  # what natural_duration() told the sequencer
        if self.config.on_end == "loop":
            show = self.context.show_config
            return show.attract.default_duration if show is not None else None
        return None

    def _outgoing_seconds(self) -> float:
        """The show's default transition: the real one belongs to the next scene, which a
        scene cannot see (the sequencer can: it calls leaving() where it has that hook)."""
        show = self.context.show_config
        transition = show.transitions.default if show is not None else None
        if transition is None or transition.kind != "crossfade":
            return 0.0
        return transition.duration

    def _follow_show(self) -> None:
        """Keep the sound with the picture: called from update(), so the show is running."""
        audio = self.audio
        now = self.context.clock.now()
        if self._updates_since_draw >= 2 and not audio.muted:
            audio.mute(True)  # updated but not drawn: the screen is blacked out, so is the sound
        if audio.state == "paused":  # the engine was paused (draws came without updates)
            self._audio_started += now - (self._paused_at or now)
            self._paused_at = None
            audio.resume()
        if audio.state not in ("playing", "paused"):
            return
        end = self._planned_end()
        if (end is not None and self.t >= end) or (self.config.on_end == "advance" and self.finished):
            self.leaving(self._outgoing_seconds())
            return
        if self.config.on_end == "loop" and self.source is not None:
            period = self.source.period or self.source.period_hint
            if period:
                n = int(self.t // period)
                if n != self._pass:
                    self._pass = n
                    self.audio.play()  # the new pass starts with its sound
                    self._audio_offset = n * period
                    self._audio_started = now - (self.t - n * period)
                    return
        # The engine clamps a long frame (a hitch) to 0.1 s; the sound card does not stop.
        # When the picture falls behind, it catches up with the sound, never the reverse.
        heard = self._audio_offset + (now - self._audio_started)
        if heard < audio.seconds and abs(heard - self.t) > AUDIO_DRIFT_S:
            self.t = heard

    def _note_draw(self) -> None:
        """Draws without updates mean the engine is paused: pause the sound with the picture."""
        self._draws_since_update += 1
        self._updates_since_draw = 0
        if self.audio is not None and self.audio.muted:
            self.audio.mute(False)
        if self.audio is not None and self._draws_since_update >= 2 and self.audio.state == "playing":
            self._paused_at = self.context.clock.now()
            self.audio.pause()

    def natural_duration(self) -> float | None:
        if self.config.on_end == "loop":
            return None
        if self.source is not None:
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
        if frame is None and self.source.failed:
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

    def _draw_caption(self, surface: pygame.Surface) -> None:
        c = self.config
        if not (c.caption or c.credit) or c.caption_seconds <= 0:
            return
        alpha = fade(self.t, 0.5, c.caption_seconds, 1.2)
        if alpha <= 0:
            return
        fonts = self.context.fonts
        width = round(surface.get_width() * 0.5)
        pieces = []
        for text, role, size, colour in (
            (c.caption, "serif", 40, rgb(c.foreground)),
            (c.credit, "sans", 22, rgb(c.accent)),
        ):
            if text:
                pieces.append(
                    fonts.block(text, role, size, colour, _tight_width(fonts, text, role, size, width))
                )
        # A translucent box, like the subtitles': legible over any picture.
        pad, gap = fonts.px(22), fonts.px(8)
        box = pygame.Surface(
            (
                max(p.get_width() for p in pieces) + 2 * pad,
                sum(p.get_height() for p in pieces) + gap * (len(pieces) - 1) + 2 * pad,
            ),
            pygame.SRCALPHA,
        )
        box.fill((0, 0, 0, 140))
        y = pad
        for piece in pieces:
            box.blit(piece, (pad, y))
            y += piece.get_height() + gap
        box.set_alpha(round(alpha * 255))
        surface.blit(box, (fonts.px(60), fonts.px(60)))

    def _draw_subtitle(self, surface: pygame.Surface, t: float) -> None:
        if not self.cues:
            return
        period = (self.source.period or self.source.period_hint) if self.source is not None else None
        local = t % period if period and self.config.on_end == "loop" else t
        index = next((i for i, cue in enumerate(self.cues) if cue.start <= local < cue.end), None)
        if index is None:
            return
        cue = self.cues[index]
        fonts = self.context.fonts
        block = self._cue_cache.get(index)
        if block is None:
            width = round(surface.get_width() * 0.8)
            # One block per line: a subtitle's line breaks are the subtitler's, keep them.
            lines = [
                fonts.block(
                    line,
                    "sans-semibold",
                    self.config.subtitle_size,
                    rgb(self.config.foreground),
                    _tight_width(fonts, line, "sans-semibold", self.config.subtitle_size, width),
                    align="center",
                )
                for line in cue.text.split("\n")
            ]
            text = pygame.Surface(
                (max(li.get_width() for li in lines), sum(li.get_height() for li in lines)), pygame.SRCALPHA
            )
            y = 0
            for li in lines:
                text.blit(li, ((text.get_width() - li.get_width()) // 2, y))
                y += li.get_height()
            # A translucent box behind the text: legible over any picture, as broadcast subtitles are.
            pad = fonts.px(14)
            block = pygame.Surface((text.get_width() + 2 * pad, text.get_height() + pad), pygame.SRCALPHA)
            block.fill((0, 0, 0, 150))
            block.blit(text, (pad, pad // 2))
            self._cue_cache = {index: block}
        rect = block.get_rect(
            midbottom=(surface.get_width() // 2, surface.get_height() - self.context.fonts.px(70))
        )
        surface.blit(block, rect)


def _tight_width(fonts, text: str, role: str, size: float, limit: int) -> int:
    """The width the wrapped text really needs (boxes behind text hug it)."""
    font = fonts.get(role, size)
    lines = fonts.wrap(text, role, size, limit)
    return min(limit, max((font.size(line)[0] for line in lines), default=1) + 2)
