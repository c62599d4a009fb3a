"""What the sequencer draws each frame: the scene on screen, or during a crossfade the
outgoing scene with the incoming one blended over it (smoothstep, no visible jolt). A
mixin of Sequencer: every draw goes through its fault boundary."""

from __future__ import annotations

import pygame


class SequencerDrawing:
    """The Sequencer's frame (uses its current and outgoing slots, transition and
    _guarded)."""

    def _buffer(self, key: int, size: tuple[int, int]) -> pygame.Surface:
        buffer = self._buffers.get(key)
        if buffer is None or buffer.get_size() != size:
            buffer = pygame.Surface(size)
            self._buffers[key] = buffer
        return buffer

    def draw(self, surface: pygame.Surface) -> None:
        current = self.current
        if current is None or current.scene is None:
            # Between a fault and the next scene: keep the last frame rather than black.
            return
        if self.outgoing is None or self.outgoing.scene is None:
            self._guarded(current.scene_id, "draw", lambda: current.scene.draw(surface), slot=current)
            return
        out = self.outgoing
        self._guarded(out.scene_id, "draw", lambda: out.scene.draw(surface), slot=out)
        incoming = self._buffer(1, surface.get_size())
        ok = self._guarded(current.scene_id, "draw", lambda: (current.scene.draw(incoming), True)[1], False, current)
        if ok:
            progress = min(1.0, self.transition_t / max(self.transition.duration, 1e-6))
            eased = progress * progress * (3.0 - 2.0 * progress)  # smoothstep: no visible start/stop jolt
            # A whole-surface alpha of 255 takes pygame's slow blending path (33 ms at
            # 1080p, measured), so the fully faded-in frames are plain copies.
            alpha = round(eased * 255)
            incoming.set_alpha(alpha if alpha < 255 else None)
            surface.blit(incoming, (0, 0))
            incoming.set_alpha(None)
