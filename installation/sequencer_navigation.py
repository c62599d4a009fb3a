"""Navigation as intent: next, prev and goto only say where the show should go. Within one
frame they collapse to their net effect (two nexts move two scenes on from the scene on its
way, not from the one still on screen), and Sequencer.settle carries it out once per frame,
switching only when the target scene is ready. A mixin of Sequencer."""

from __future__ import annotations


class Navigating:
    """The Sequencer's navigation (uses its show, pending and current slots, faults, _wanted
    and _next_playable)."""

    def _base(self, fallback: int) -> int:
        """Where the next relative move counts from: this frame's intent, else the scene
        on its way, else the scene showing."""
        if self._wanted is not None:
            return self._wanted[0]
        if self.pending is not None:
            return self.pending.index
        if self.current is not None and self.current.index >= 0:
            return self.current.index
        return fallback

    def next(self) -> None:
        base = self._base(-1)
        if self.show.playlist:
            found = self._next_playable(base + 1, 1)
            self._wanted = (base + 1 if found is None else found, 1)

    def prev(self) -> None:
        base = self._base(1)
        if self.show.playlist:
            found = self._next_playable(base - 1, -1)
            self._wanted = (base - 1 if found is None else found, -1)

    def goto(self, target: str | int) -> bool:
        playlist = self.show.playlist
        if isinstance(target, str) and target.strip().lstrip("-").isdigit():
            target = int(target)
        if isinstance(target, int):
            if not playlist or not (-len(playlist) <= target < len(playlist)):
                return False
            self._wanted = (target % len(playlist), 1)
            return True
        if target in playlist:
            self.faults.pop(target, None)  # an explicit goto retries a faulted scene at once
            self._wanted = (playlist.index(target), 1)
            return True
        return False
