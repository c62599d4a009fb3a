"""The files a loop's folder pattern ('faces/*.jpg', 'films/**/*.mp4') matches in the
content folder, as Python's glob matches them, but without following a folder twice.

glob follows links to folders and keeps no record of where it has been: two links
pointing back up the tree (a stick's 'all' -> '..' made by a helpful script) made the
paths it walked grow without end, and the watcher, which looks at the patterns about once
a second, never came back. Here each real folder (device and inode) is entered once for
each place in the pattern, and the count of folders looked in and of files found is
bounded, with one warning naming the pattern and the folder.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from pathlib import Path

log = logging.getLogger("bayard.media")

MAX_FILES = 10_000  # files matched: a loop plays a few hundred at most
MAX_FOLDERS = 10_000  # folders looked in for one pattern
MAX_DEPTH = 100  # folders within folders (links to ever other folders nest without end too)
_WARNED: set[tuple[str, str]] = set()  # (content folder, pattern) said once per process


def pattern_files(content_root: Path, pattern: str) -> list[Path]:
    """The regular files (links to files included) `pattern` matches under `content_root`,
    sorted as glob.glob's were, each folder followed once, at most MAX_FILES. A pattern that
    only names a folder ('faces', 'faces/') matches the files in it, as 'faces/*' does: the key
    is called `folder`, and an artist who wrote one got a loop resting with check's "OK"."""
    root = Path(content_root)
    if not _magic(pattern) and (root / pattern).is_dir():
        pattern = f"{pattern.rstrip('/')}/*"
    walk = _Walk(Path(pattern).parts)
    walk.look(root, 0, 0)
    if walk.cut_short:
        key = (str(root), pattern)
        if key not in _WARNED:
            _WARNED.add(key)
            log.warning("%s: the loop's folder pattern '%s' reaches more than %s; only the first found are "
                        "played: narrow the pattern, or move the other files out of the content folder",
                        root, pattern, walk.cut_short)
    return sorted(walk.found, key=str)


class _Walk:
    def __init__(self, parts: tuple[str, ...]) -> None:
        self.parts = parts
        self.found: list[Path] = []
        self.seen: set[tuple[int, int, int]] = set()  # (device, inode, place in the pattern)
        self.folders = 0
        self.cut_short = ""  # what the bound stopped at, in words

    def look(self, folder: Path, at: int, depth: int) -> None:
        """Match parts[at:] in `folder` (a folder, possibly reached through a link)."""
        if self.cut_short:
            return
        try:
            stat = folder.stat()
        except OSError:
            return
        if (stat.st_dev, stat.st_ino, at) in self.seen:
            return  # (this real folder, at this place in the pattern, is looked in already)
        self.seen.add((stat.st_dev, stat.st_ino, at))
        self.folders += 1
        if self.folders > MAX_FOLDERS or depth > MAX_DEPTH:
            self.cut_short = f"{MAX_FOLDERS} folders" if depth <= MAX_DEPTH else f"folders {MAX_DEPTH} deep"
            return
        part, last = self.parts[at], at == len(self.parts) - 1
        if part == "**":
            if not last:
                self.look(folder, at + 1, depth)  # ** matches no folder too
            for entry in self._entries(folder, "*"):
                if _is_dir(entry):
                    self.look(folder / entry.name, at, depth + 1)
                elif last and _is_file(entry):
                    self._add(folder / entry.name)
            return
        names = self._entries(folder, part) if _magic(part) else _named(folder, part)
        for entry in names:
            if last and _is_file(entry):
                self._add(folder / entry.name)
            elif not last and _is_dir(entry):
                self.look(folder / entry.name, at + 1, depth + 1)

    def _add(self, path: Path) -> None:
        if len(self.found) >= MAX_FILES:
            self.cut_short = f"{MAX_FILES} files"
            return
        self.found.append(path)

    @staticmethod
    def _entries(folder: Path, part: str) -> list[os.DirEntry]:
        """Entries whose names match `part`; hidden ones only where it starts with a dot (as glob)."""
        try:
            with os.scandir(folder) as entries:
                return [e for e in entries if fnmatch.fnmatchcase(e.name, part)
                        and (part.startswith(".") or not e.name.startswith("."))]
        except OSError:
            return []  # (unreadable, or gone mid-look: matches nothing, as with glob)


class _Named:
    """A pattern part without wildcards, looked up by name, not listed."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.path = folder / name

    def is_dir(self) -> bool:
        return self.path.is_dir()

    def is_file(self) -> bool:
        return self.path.is_file()


def _named(folder: Path, name: str) -> list:
    return [_Named(folder, name)] if name not in ("", ".") else []


def _magic(part: str) -> bool:
    return any(c in part for c in "*?[")


def _is_dir(entry) -> bool:
    try:
        return entry.is_dir()  # (links to folders followed: their real folder is entered once)
    except OSError:
        return False


def _is_file(entry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
