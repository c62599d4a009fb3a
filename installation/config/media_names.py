"""A media path that is almost right: what the artist probably meant."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection
from pathlib import Path, PurePosixPath

from ..media.kinds import FILM_SUFFIXES, PICTURE_SUFFIXES
from .errors import shown

SEARCHED_FILES = 5000  # a content folder is searched this far for a misnamed file
# A backslash, and what TOML makes of one in double quotes before n, t, r, b or f: each as the
# slash and letter meant.
BACKSLASHED = {"\\": "/", "\n": "/n", "\t": "/t", "\r": "/r", "\b": "/b", "\f": "/f"}
# What a key naming one file may name: pictures, films, a quiz's manifest, subtitles.
PLAYABLE_SUFFIXES = PICTURE_SUFFIXES | FILM_SUFFIXES | {".toml", ".srt"}


def missing_media_words(relative: str, content_root: Path, show_root: Path | None,
                        named: Collection[str] = (), folder: bool = False) -> str:
    """What `check`, status and the overlay say of a media file a scene names that is not there,
    in the same words wherever it is told: the path as the scene file gives it (inside the
    content folder), the folder once, named from the show folder where it lies in it (an
    absolute path ran most overlay lines off an 800-pixel panel), and the fix. `named`: the
    media the show's other lines name (see nearest_media). `folder`: the key names a folder of
    pictures (a quiz's), said as one: a misspelt quiz folder was a "media file" to "copy there"."""
    within = shown(content_root, show_root)
    fix = nearest_media(content_root, relative, named, folder) or "; restore it or fix the scene file"
    return f"{'folder' if folder else 'media file'} '{printable(relative)}' not found in {within}/{fix}"


def printable(text: str) -> str:
    """A file name as it can be printed and read: characters a terminal cannot show (a line
    break, a byte no encoding gave, which made `print` raise) written as escapes. ("photos\\new.jpg"
    in a scene file reads as photos, a new line, ew.jpg: check's message broke across two lines.)"""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def wrong_kind_words(relative: str, name: str, content_root: Path, folder: bool) -> str:
    """What is said of a key that names a file where a folder goes, or a folder where a file
    goes, with the line to write: both played as nothing (a folder named as a photograph hung an
    empty mat; a picture named as a quiz's folder rested the quiz) while `check` passed them."""
    wanted = PurePosixPath(relative)
    if folder:
        if wanted.parent == PurePosixPath("."):
            fix = "put the pictures in a folder of their own inside the content folder, and name that folder"
        else:
            fix = f'write {name} = "{wanted.parent.as_posix()}" (the folder it lies in)'
        return (f"'{relative}' is a file, and {name} names a folder: every picture in it is asked about; {fix}; "
                "until then the quiz rests")
    try:
        inside = sorted(p.name for p in itertools.islice((content_root / wanted).iterdir(), SEARCHED_FILES)
                        if p.is_file() and p.suffix.lower() in PLAYABLE_SUFFIXES)
    except OSError:
        inside = []
    fix = (f'write {name} = "{(wanted / inside[0]).as_posix()}"' if inside
           else f"put the file in it and name it, as '{(wanted / 'NAME.jpg').as_posix()}'")
    return f"'{relative}' is a folder, and {name} names one file in it; {fix}; a folder cannot be shown"


def nearest_media(content_root: Path, relative: str, named: Collection[str] = (), folder: bool = False) -> str:
    """'; did you mean ...' for a media path that is almost right: written with content/ in
    front, in another letter case, in another folder of the content, or misspelt beside the
    file in its folder; else the fix for a file that is not there. A near name that another
    line of the show names (`named`) is not offered as the misspelling: it is that line's
    file, most often the next of a series (loop/a.jpg missing beside loop/b.jpg), and a
    technician who took the hint renamed or repointed the wrong file. (The one rule for every
    missing file's hint, a scene's media and the camera's film alike; `relative` itself, named
    by the line that misses it, is not another line's.)"""
    named = [n for n in named if n != relative]
    slashed = "".join(BACKSLASHED.get(c, c) for c in relative)
    if slashed != relative:
        # Folders separated as Windows does: "photos\\letter.jpg" (or, in double quotes, its
        # escapes: "photos\\new.jpg" is photos, a new line, ew.jpg).
        if (content_root / slashed).exists():
            return f"; did you mean '{slashed}'? (folders are separated with /, not \\)"
        return f"; separate folders with /, not \\ ('{slashed}'), and check that the file is there"
    wanted = PurePosixPath(relative)
    if wanted.parts[:1] == ("content",) and (content_root / Path(*wanted.parts[1:])).exists():
        return (f"; did you mean '{PurePosixPath(*wanted.parts[1:])}'? (paths start inside the content "
                "folder)")
    try:
        found = []
        for count, candidate in enumerate(content_root.rglob("*")):
            if count >= SEARCHED_FILES:
                break
            if candidate.name.lower() == wanted.name.lower() and (not folder or candidate.is_dir()):
                found.append(candidate.relative_to(content_root).as_posix())
    except OSError:
        return ""
    if not found:
        return _misspelt(content_root, wanted, named, folder)
    found.sort(key=lambda name: (name.lower() != relative.lower(), len(name)))
    why = " (letter case matters)" if found[0].lower() == relative.lower() else ""
    return f"; did you mean '{found[0]}'?{why}"


def _misspelt(content_root: Path, wanted: PurePosixPath, named: Collection[str], folder: bool = False) -> str:
    """A file (`folder`: a folder) of nearly that name in the folder the path names
    ('loop/facez.mp4' beside loop/faces.mp4 was reported only as not found), and not one another
    line names, or what to do where there is none."""
    parent = content_root / Path(*wanted.parts[:-1])
    taken = {PurePosixPath(n).as_posix().lower() for n in named}
    try:
        names = sorted(p.name for p in itertools.islice(parent.iterdir(), SEARCHED_FILES)
                       if (p.is_dir() if folder else p.is_file())
                       and (wanted.parent / p.name).as_posix().lower() not in taken)
    except OSError:
        names = []
    close = difflib.get_close_matches(wanted.name, names, n=1, cutoff=0.8)
    if close:
        return f"; did you mean '{(wanted.parent / close[0]).as_posix()}'?"
    if folder:
        return "; make the folder and put its pictures in it, or correct the path (it starts inside the content folder)"
    return "; copy the file there, or correct the path (it starts inside the content folder)"
