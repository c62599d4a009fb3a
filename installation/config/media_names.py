"""A media path that is almost right: what the artist probably meant."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection
from pathlib import Path, PurePosixPath

from .errors import shown

SEARCHED_FILES = 5000  # a content folder is searched this far for a misnamed file


def missing_media_words(relative: str, content_root: Path, show_root: Path | None,
                        named: Collection[str] = ()) -> str:
    """What `check`, status and the overlay say of a media file a scene names that is not there,
    in the same words wherever it is told: the path as the scene file gives it (inside the
    content folder), the folder once, named from the show folder where it lies in it (an
    absolute path ran most overlay lines off an 800-pixel panel), and the fix. `named`: the
    media the show's other lines name (see nearest_media)."""
    folder = shown(content_root, show_root)
    fix = nearest_media(content_root, relative, named) or "; restore it or fix the scene file"
    return f"media file '{relative}' not found in {folder}/{fix}"


def nearest_media(content_root: Path, relative: str, named: Collection[str] = ()) -> str:
    """'; did you mean ...' for a media path that is almost right: written with content/ in
    front, in another letter case, in another folder of the content, or misspelt beside the
    file in its folder; else the fix for a file that is not there. A near name that another
    line of the show names (`named`) is not offered as the misspelling: it is that line's
    file, most often the next of a series (loop/a.jpg missing beside loop/b.jpg), and a
    technician who took the hint renamed or repointed the wrong file. (The one rule for every
    missing file's hint, a scene's media and the camera's film alike; `relative` itself, named
    by the line that misses it, is not another line's.)"""
    named = [n for n in named if n != relative]
    wanted = PurePosixPath(relative)
    if wanted.parts[:1] == ("content",) and (content_root / Path(*wanted.parts[1:])).exists():
        return (f"; did you mean '{PurePosixPath(*wanted.parts[1:])}'? (paths start inside the content "
                "folder)")
    try:
        found = []
        for count, candidate in enumerate(content_root.rglob("*")):
            if count >= SEARCHED_FILES:
                break
            if candidate.name.lower() == wanted.name.lower():
                found.append(candidate.relative_to(content_root).as_posix())
    except OSError:
        return ""
    if not found:
        return _misspelt(content_root, wanted, named)
    found.sort(key=lambda name: (name.lower() != relative.lower(), len(name)))
    why = " (letter case matters)" if found[0].lower() == relative.lower() else ""
    return f"; did you mean '{found[0]}'?{why}"


def _misspelt(content_root: Path, wanted: PurePosixPath, named: Collection[str]) -> str:
    """A file of nearly that name in the folder the path names ('loop/facez.mp4' beside
    loop/faces.mp4 was reported only as not found), and not one another line names, or what to
    do where there is none."""
    folder = content_root / Path(*wanted.parts[:-1])
    taken = {PurePosixPath(n).as_posix().lower() for n in named}
    try:
        names = sorted(p.name for p in itertools.islice(folder.iterdir(), SEARCHED_FILES)
                       if p.is_file() and (wanted.parent / p.name).as_posix().lower() not in taken)
    except OSError:
        names = []
    close = difflib.get_close_matches(wanted.name, names, n=1, cutoff=0.8)
    if close:
        return f"; did you mean '{(wanted.parent / close[0]).as_posix()}'?"
    return "; copy the file there, or correct the path (it starts inside the content folder)"
