"""What the sequencer reports: the scene on screen, its place in the playlist, faulted
scenes and their back-off, and any switch on its way. A mixin of Sequencer; the engine
adds its own fields in engine_status.py."""

from __future__ import annotations

from typing import Any


class SequencerReporting:
    """The Sequencer's status (reads its show, current slot, faults and navigation)."""

    def status(self) -> dict[str, Any]:
        current = self.current
        playlist = self.show.playlist
        info: dict[str, Any] = {
            "scene": current.scene_id if current else None,
            "title": (self.show.scenes[current.scene_id].title if current and current.scene_id in self.show.scenes
                      else ("Safe mode" if current else None)),
            "elapsed": round(current.elapsed, 3) if current else 0.0,
            "position": current.index if current else None,
            "playlist": playlist,
            "in_transition": self.in_transition,
            # (skipped_at: each place the playlist lists it, counted from 0 as `position` is)
            "faulted": {k: {"count": v.count, "retry_in": max(0.0, round(v.retry_at - self.now(), 1)),
                            "error": v.last_message,
                            "skipped_at": [i for i, listed in enumerate(playlist) if listed == k]}
                        for k, v in self.faults.items()},
            "reload_pending": self.pending_show is not None,
            "switching_to": self._switching_to(),
        }
        if current and current.scene is not None:
            extra = self._guarded(current.scene_id, "status", current.scene.status, {}, current)
            if extra:
                info["scene_status"] = extra
        return info

    def _switching_to(self) -> str | None:
        """The scene a navigation is on its way to (asked this frame, or getting ready)."""
        playlist = self.show.playlist
        if self._wanted is not None and playlist:
            return playlist[self._wanted[0] % len(playlist)]
        return self.pending.scene_id if self.pending is not None else None
