"""A media path that is almost right: what the artist probably meant."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

SEARCHED_FILES = 5000  # a content folder is searched this far for a misnamed file


def nearest_media(content_root: Path, relative: str) -> str:
    """'; did you mean ...' for a media path that is almost right: written with content/ in
    front, in another letter case, or in another folder of the content; else ''."""
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
        return ""
    found.sort(key=lambda name: (name.lower() != relative.lower(), len(name)))
    why = " (letter case matters)" if found[0].lower() == relative.lower() else ""
    return f"; did you mean '{found[0]}'?{why}"
