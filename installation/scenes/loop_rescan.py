"""A loop's folder looked at again while it plays (for files copied in or taken out), off the
render thread: the look itself runs in media/folder_looks.py; here the scene asks for one every
RESCAN_S, takes its answer in update, and tells the technician once when the folder's drive does
not answer (the loop plays what it has meanwhile)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ..media.folder_looks import LOOK_DEADLINE_S, FolderLooks
from .loop_check import folder_hung_words

RESCAN_S = 10.0  # how often a folder is looked at again for new or removed files


def folder_relatives(config: Any, content_root: Path) -> list[str]:
    """The files the loop's folder pattern matches, relative to the content folder, in play order
    (on the look's thread: the paths made relative there, not on the render thread)."""
    return [path.relative_to(content_root).as_posix() for path in config.folder_files(content_root)]


class FolderRescans:
    """The loop scene's looks at its folder (a mixin of LoopScene, which gives the attributes)."""

    config: Any
    context: Any
    log: Any
    id: str
    t: float
    block: bool
    items: list
    _places: dict[str, str]
    _scanned_at: float
    _looks: FolderLooks | None
    _said_hung: bool
    _rescan: Any  # (LoopScene._rescan: the items, with the files a look found)

    def _folder_looks(self) -> FolderLooks:
        if self._looks is None:
            root = self.context.content_root
            # (the look's thread calls the config's method, never the scene's)
            self._looks = FolderLooks(root, self.config.folder or "", partial(folder_relatives, self.config, root),
                                      lambda: self.t, self.id)
        return self._looks

    def _look_again(self) -> None:
        """Every RESCAN_S, the folder looked at on a worker (media/folder_looks.py): a folder of
        thousands on a slow stick, or a stick that hangs, held the render thread, the screen
        frozen. The loop plays what it has until the look answers; a look that hangs is said once."""
        looks = self._folder_looks()
        began = not looks.asking and self.t - self._scanned_at >= RESCAN_S
        if began:
            looks.begin()
        found = looks.wait(LOOK_DEADLINE_S) if self.block and began else looks.answer()
        if found is not None:
            if self._said_hung:
                self.log.info("the drive holding '%s' answers again; the loop plays its files", self.config.folder)
            self._said_hung = False
            self._rescan(found)
        elif looks.hung and not self._said_hung:
            self._said_hung = True
            self.context.report(folder_hung_words(self.config.folder or "", self._places, self.context.content_root,
                                                  self.context.show_root, len(self.items), LOOK_DEADLINE_S),
                                severity="warning")
