"""What a loop plays, and in what order: its items (the listed ones, then its folder's files),
the next one to open, and a file that cannot be played skipped with one word to the technician.
A mixin of LoopScene (loop.py), which gives the attributes; `Slot` is one item on screen.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np
import pygame

from ..media import MediaSource, open_source
from .loop_check import skipped_words
from .loop_config import LoopItem
from .loop_rescan import folder_relatives


class Slot:
    """One item on screen: its source and when it started, in scene time."""

    def __init__(self, item: LoopItem, source: MediaSource, start: float) -> None:
        self.item, self.source, self.start = item, source, start
        self.surface: pygame.Surface | None = None
        self.surface_index = -1
        self.morph: list[np.ndarray] | None = None  # in-between pictures into this item, when morphing
        self.morph_cache: dict[int, pygame.Surface] = {}
        self.morph_thread: threading.Thread | None = None

    def duration(self, default: float) -> float:
        if self.item.duration is not None:
            return self.item.duration
        hint = getattr(self.source, "period_hint", None) or self.source.period
        if self.source.kind == "video" and hint and math.isfinite(hint):
            return hint
        return default


class LoopPlaylist:
    """The loop scene's items and their order (a mixin of LoopScene, which gives the attributes)."""

    config: Any
    context: Any
    t: float
    block: bool
    frame_rect: pygame.Rect
    items: list[LoopItem]
    skipped: list[str]
    _scanned_at: float
    _order: list[int]
    _last_index: int | None
    _rng: Any
    _places: dict[str, str]
    _folder_items: dict[str, LoopItem]
    _found: list[str]
    _skipped_at: dict[str, int]

    def _scan(self, found: list[str] | None = None) -> list[LoopItem]:
        """The listed items, then the folder's files `found` (None: look now, on this thread)."""
        c = self.config
        items = [item for item in c.items]
        listed = {item.file for item in items}
        if found is None:
            found = folder_relatives(c, self.context.content_root)
        self._found = found  # (a skipped file played again joins these: loop_rescan._look_at_skipped)
        # Items made at an earlier look are kept: making 5000 of them again at each look held
        # the render thread some 50 ms (a dropped frame every RESCAN_S); only new files are made.
        made, self._folder_items = self._folder_items, {}
        for relative in found:
            if relative not in listed:
                item = self._folder_items[relative] = made.get(relative) or LoopItem(file=relative)
                items.append(item)
        return [item for item in items if item.file not in self.skipped]

    def _rescan(self, found: list[str] | None = None) -> None:
        """The items, with the files the folder's look `found` (None: look now, on this thread)."""
        self.items = self._scan(found)
        self._scanned_at = self.t
        self._order = [i for i in self._order if i < len(self.items)]

    def _next_item(self) -> LoopItem | None:
        if not self.items:
            return None
        if not self._order:
            order = list(range(len(self.items)))
            if self.config.shuffle:
                self._rng.shuffle(order)
                if len(order) > 1 and order[0] == self._last_index:
                    order[0], order[-1] = order[-1], order[0]  # never the same face twice in a row
            self._order = order
        self._last_index = self._order.pop(0)
        return self.items[self._last_index]

    def _open(self, item: LoopItem, start: float) -> Slot:
        box = self.frame_rect.size
        source = open_source(self.context.media(item.file), box, self.config.fit, loop=True)
        return Slot(item, source.start(), start)

    def _open_next(self, start: float) -> Slot | None:
        """The next playable item, skipping (once, with one log line) files that fail."""
        for _ in range(max(1, len(self.items) + 1)):
            item = self._next_item()
            if item is None:
                return None
            slot = self._open(item, start)
            if self.block:
                slot.source.wait_ready()
            if slot.source.failed:
                self._skip(slot)
                continue
            return slot
        return None

    def _skip(self, slot: Slot) -> None:
        # The worker handed the reason over (source.error); remember the file so it is not retried
        # until a look finds it changed (loop_rescan._look_at_skipped).
        self.skipped.append(slot.item.file)
        # Real time, not the show's clock: a look compares it with when the file was last written
        # (its ctime), to play it again once it is replaced or copied back.
        self._skipped_at[slot.item.file] = time.time_ns()
        # ... and tell the technician: /bayard/status and the overlay, not only the log
        # (unless it is a file the scene has already reported missing, with its fix)
        self.items = [i for i in self.items if i.file != slot.item.file]
        if slot.item.file not in self.context.said_missing:
            # A warning while the loop plays others, as `check` says it; an error when nothing
            # is left to play (visitors see the resting card).
            error, label = slot.source.error, slot.source.label
            reason = error.removeprefix(f"{label}: ") if error else "cannot be played"
            others_left = bool(self.items) or self.config.generator is not None
            self.context.report(skipped_words(slot.item.file, reason, self._places, self.context.content_root,
                                              self.context.show_root, others_left),
                                severity="warning" if others_left else "error")
        slot.source.close()
        self._order = []
