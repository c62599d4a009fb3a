"""A film's sound: decoded ahead to raw PCM, played through pygame's mixer.

Decoding (`decode_track`) runs the ffmpeg binary that imageio-ffmpeg ships, on the
scene's preparation worker, into 16-bit stereo PCM at `RATE`: nothing here touches
pygame until `FilmAudio` is made on the render thread. The whole track is held in
memory so that starting, looping and pausing cost nothing at show time; tracks longer
than `MAX_SECONDS` (about 100 MB of PCM) are not decoded and the film plays silently,
with a log line saying so.

Every failure (no audio track, a track ffmpeg cannot decode, no sound device, a mixer
that will not start) is a `AudioUnavailable` whose message is one line for the kiosk
log; the film then plays silently.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("bayard.media.audio")

RATE = 44100  # Hz: what the mixer is opened at and every track is decoded to
CHANNELS = 2
SAMPLE_BYTES = 2  # signed 16-bit little-endian
MIXER_FORMAT = {"frequency": RATE, "size": -16, "channels": CHANNELS, "buffer": 2048}
MAX_SECONDS = 600.0  # longer tracks play silently: 10 min of PCM is ~106 MB
READ_CHUNK = 1 << 20
EXIT_FADE_MS = 40  # a stop this short is heard as a stop, but without the click of a cut waveform

_DURATION = re.compile(r"Duration:\s*(\d+):(\d\d):(\d\d(?:\.\d+)?)")
_AUDIO_STREAM = re.compile(r"Stream #\d+:\d+.*?: Audio:")


class AudioUnavailable(Exception):
    """Why a film plays silently, in one line."""


class FilmUnreadable(AudioUnavailable):
    """The file itself cannot be read (missing, not a film): the picture's log line says so already."""


@dataclass
class Track:
    pcm: bytearray  # interleaved s16le frames at `rate`
    rate: int = RATE
    channels: int = CHANNELS

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (self.rate * self.channels * SAMPLE_BYTES)


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def probe(path: Path) -> tuple[bool, float | None]:
    """(has an audio stream, container duration in seconds) without decoding anything.
    Raises FilmUnreadable when ffmpeg finds no streams at all."""
    result = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    # ffmpeg exits 1 here ("no output file"); the stream list is still on stderr.
    text = result.stderr.decode("utf-8", "replace")
    if "Stream #" not in text:
        raise FilmUnreadable("ffmpeg cannot read the file")
    match = _DURATION.search(text)
    duration = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) if match else None
    return bool(_AUDIO_STREAM.search(text)), duration


def decode_track(
    path: Path,
    rate: int = RATE,
    channels: int = CHANNELS,
    max_seconds: float = MAX_SECONDS,
    cancel: threading.Event | None = None,
) -> Track:
    """The film's first audio track as PCM. Raises AudioUnavailable with the reason."""
    path = Path(path)
    if not path.is_file():
        raise FilmUnreadable("file not found")
    has_audio, duration = probe(path)
    if not has_audio:
        raise AudioUnavailable("the film has no audio track")
    if duration is not None and duration > max_seconds:
        raise AudioUnavailable(
            f"the film is {duration / 60:.1f} min long; sound is played for films up to "
            f"{max_seconds / 60:.0f} min (trim it, or split it into several video scenes)"
        )
    limit = int((max_seconds + 1.0) * rate) * channels * SAMPLE_BYTES
    command = [
        _ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
        "-map", "0:a:0", "-vn", "-ac", str(channels), "-ar", str(rate), "-f", "s16le", "-",
    ]  # fmt: skip
    pcm = bytearray()
    # stderr to a file: a corrupt track can print more errors than a pipe holds, and a
    # full pipe would stall ffmpeg while we wait on its stdout.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    raise AudioUnavailable("cancelled")
                chunk = proc.stdout.read(READ_CHUNK)
                if not chunk:
                    break
                pcm += chunk
                if len(pcm) > limit:  # the container lied about its length
                    raise AudioUnavailable(
                        f"the sound track is longer than {max_seconds / 60:.0f} min; the film plays silently"
                    )
            code = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip().splitlines()
    if code != 0 or not pcm:
        why = message[-1][:160] if message else f"ffmpeg exited with {code}"
        raise AudioUnavailable(f"the sound track cannot be decoded ({why})")
    frame = channels * SAMPLE_BYTES
    del pcm[len(pcm) - len(pcm) % frame :]
    return Track(pcm, rate, channels)


# -- the render thread's side -------------------------------------------------------
_mixer_failure: str | None = None  # remembered: a kiosk without a sound card need not retry every film


def open_mixer() -> str:
    """Start pygame's mixer in our format if nobody has; returns the driver name.
    Raises AudioUnavailable (remembered) when there is no usable sound output."""
    global _mixer_failure
    import pygame

    if _mixer_failure is not None:
        raise AudioUnavailable(_mixer_failure)
    if not pygame.mixer.get_init():
        try:
            pygame.mixer.init(**MIXER_FORMAT)
        except pygame.error as exc:
            _mixer_failure = f"no sound output ({exc}); check the sound card and SDL_AUDIODRIVER"
            raise AudioUnavailable(_mixer_failure) from None
    frequency, size, channels = pygame.mixer.get_init()
    if (frequency, abs(size), channels) != (RATE, 16, CHANNELS):
        # Someone else opened the mixer in another format: our PCM would play at the wrong speed.
        raise AudioUnavailable(
            f"the mixer runs at {frequency} Hz, {channels} channels; films need {RATE} Hz stereo "
            "(open it with installation.media.audio.MIXER_FORMAT)"
        )
    try:
        return pygame.mixer.get_driver()
    except (AttributeError, pygame.error):
        return os.environ.get("SDL_AUDIODRIVER", "")


class FilmAudio:
    """One film's sound on one mixer channel. Render thread only."""

    def __init__(self, track: Track, volume: float) -> None:
        import pygame

        self.sound = pygame.mixer.Sound(buffer=track.pcm)
        self.seconds = track.seconds
        self.volume = volume
        self.channel: Any = None
        self.state = "ready"  # ready, playing, paused, fading, stopped
        self.muted = False

    def play(self) -> None:
        """(Re)start from the beginning: at the film's first frame, and at each loop pass."""
        import pygame

        if self.state in ("fading", "stopped"):
            return
        if self.channel is None:
            self.channel = pygame.mixer.find_channel(True)
        self.channel.set_volume(0.0 if self.muted else self.volume)
        self.channel.play(self.sound)
        if self.state == "paused":
            self.channel.pause()
        else:
            self.state = "playing"

    def pause(self) -> None:
        if self.state == "playing":
            self.channel.pause()
            self.state = "paused"

    def resume(self) -> None:
        if self.state == "paused":
            self.channel.unpause()
            self.state = "playing"

    def mute(self, muted: bool) -> None:
        """Silence without losing the place (the screen is blacked out)."""
        self.muted = muted
        if self.channel is not None and self.state in ("playing", "paused"):
            self.channel.set_volume(0.0 if muted else self.volume)

    def fade(self, seconds: float) -> None:
        """Fade to silence over `seconds` (the scene's outgoing transition), then stop."""
        if self.channel is not None and self.state in ("playing", "paused", "ready"):
            if self.state == "paused":
                self.channel.unpause()
            self.channel.fadeout(max(EXIT_FADE_MS, round(seconds * 1000)))
        if self.state != "stopped":
            self.state = "fading"

    def stop(self) -> None:
        """Silence now (a fade still running is cut short: the scene is gone)."""
        if self.channel is not None and self.state != "stopped":
            if self.state == "paused":
                self.channel.stop()  # a paused channel would never finish a fade
            else:
                self.channel.fadeout(EXIT_FADE_MS)
        self.state = "stopped"

    @property
    def busy(self) -> bool:
        return self.channel is not None and bool(self.channel.get_busy())
