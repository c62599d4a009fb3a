"""What the sequencer draws each frame: the scene on screen, or during a crossfade the
outgoing scene with the incoming one blended over it (smoothstep, no visible jolt). A
mixin of Sequencer: every draw goes through its fault boundary.

Words cross on a curve of their own: the outgoing scene's words leave in the first part
of the crossfade and the incoming scene's come in its last part, while the pictures cross
over the whole of it. Blended with their pictures, the loop's words and the portrait's
were both half there for about a second, one text over another, which reads as a mistake
on a museum wall; the loop's faces still flow into the next scene. Scenes draw
their words through Fonts.place, which the sequencer fades (Fonts.words_faded): no second
surface and no second draw."""

from __future__ import annotations

import contextlib

import pygame

from .scenes.style import smoothstep

# Fractions of a crossfade: the outgoing scene's words are gone by WORDS_GONE_AT, before the
# pictures are a quarter crossed (smoothstep(0.3) = 0.22); the incoming scene's begin at
# WORDS_COME_AT, once its picture is three quarters there (smoothstep(0.7) = 0.78), and are
# whole as the crossfade ends. Between, neither scene's words show.
WORDS_GONE_AT = 0.3
WORDS_COME_AT = 0.7


def words_levels(progress: float, leaving_from: float = 1.0) -> tuple[float, float]:
    """How much of the outgoing and of the incoming scene's words show `progress` (0..1) into
    a crossfade; `leaving_from`: how much of the outgoing scene's words showed as it began
    (a crossfade cut short by another leaves its incoming scene's words part way in)."""
    leaving = leaving_from * (1.0 - smoothstep(progress / WORDS_GONE_AT))
    coming = smoothstep((progress - WORDS_COME_AT) / (1.0 - WORDS_COME_AT))
    return leaving, coming


class SequencerDrawing:
    """The Sequencer's frame (uses its current and outgoing slots, transition and
    _guarded)."""

    # How much of the outgoing scene's words showed as the crossfade began (words_levels).
    words_leaving_from = 1.0

    def _buffer(self, key: int, size: tuple[int, int]) -> pygame.Surface:
        buffer = self._buffers.get(key)
        if buffer is None or buffer.get_size() != size:
            buffer = pygame.Surface(size)
            self._buffers[key] = buffer
        return buffer

    def transition_progress(self) -> float:
        """How far the crossfade on screen is, 0..1 (1: none)."""
        if self.outgoing is None:
            return 1.0
        return min(1.0, self.transition_t / max(self.transition.duration, 1e-6))

    def words_now(self) -> tuple[float, float]:
        """words_levels of this moment: the outgoing scene's words, the current scene's."""
        if self.outgoing is None:
            return 0.0, 1.0
        return words_levels(self.transition_progress(), self.words_leaving_from)

    def draw(self, surface: pygame.Surface) -> None:
        current = self.current
        if current is None or current.scene is None:
            # Between a fault and the next scene: keep the last frame rather than black.
            return
        if self.outgoing is None or self.outgoing.scene is None:
            self._guarded(current.scene_id, "draw", lambda: current.scene.draw(surface), slot=current)
            return
        out = self.outgoing
        leaving, coming = self.words_now()
        with _words_faded(out, leaving):
            self._guarded(out.scene_id, "draw", lambda: out.scene.draw(surface), slot=out)
        incoming = self._buffer(1, surface.get_size())
        with _words_faded(current, coming):
            ok = self._guarded(current.scene_id, "draw", lambda: (current.scene.draw(incoming), True)[1], False,
                               current)
        if ok:
            eased = smoothstep(self.transition_progress())  # smoothstep: no visible start/stop jolt
            # A whole-surface alpha of 255 takes pygame's slow blending path (33 ms at
            # 1080p, measured), so the fully faded-in frames are plain copies.
            alpha = round(eased * 255)
            incoming.set_alpha(alpha if alpha < 255 else None)
            surface.blit(incoming, (0, 0))
            incoming.set_alpha(None)


def _words_faded(slot, opacity: float):
    """The scene's words faded to `opacity` while it draws (its fonts' words_faded); a scene
    with no fonts of its own (a stand-in) is drawn as it is."""
    fonts = getattr(getattr(slot.scene, "context", None), "fonts", None)
    faded = getattr(fonts, "words_faded", None)
    return faded(opacity) if faded is not None else contextlib.nullcontext()
