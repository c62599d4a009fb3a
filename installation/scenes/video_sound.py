"""The video scene's sound: started with the film's first frame, paused with the show,
muted while the screen is blacked out, restarted with each loop pass, faded over the
outgoing transition, and the picture kept with it after a hitch. A mixin of VideoScene,
which decodes the track in prepare() and opens the mixer in enter()."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("bayard.scene.video")
AUDIO_DRIFT_S = 0.08  # picture further than this from the sound (after a hitch) jumps to it


class FilmSound:
    """Mixed into VideoScene: its audio, clock and playing state (see video.py)."""

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
