"""The show's typefaces as files: which file sets each role, reading a face into memory, the
show's own faces (its `fonts/` folder, perhaps on a USB stick) and noticing one replaced or
out of reach, and whether a face has a glyph for a character.

Source Serif Pro and Source Sans Pro (SIL OFL) ship as wheels; without them text is set in
pygame's bundled font. The typography layer (typography.py) sizes, wraps and places text in
these faces; this module only finds and reads them.
"""

from __future__ import annotations

import io
import logging
import os
from functools import cache
from pathlib import Path

import pygame

# (The typography layer's logger: an operator reading the log for a face's trouble finds it where it always was.)
log = logging.getLogger("bayard.typography")

_FACES = {
    "serif": ("font_source_serif_pro", "SourceSerifPro-Regular.ttf"),
    "serif-semibold": ("font_source_serif_pro", "SourceSerifPro-Semibold.ttf"),
    "serif-bold": ("font_source_serif_pro", "SourceSerifPro-Bold.ttf"),
    "serif-light": ("font_source_serif_pro", "SourceSerifPro-Light.ttf"),
    "sans": ("font_source_sans_pro", "SourceSansPro-Regular.ttf"),
    "sans-light": ("font_source_sans_pro", "SourceSansPro-Light.ttf"),
    "sans-semibold": ("font_source_sans_pro", "SourceSansPro-Semibold.ttf"),
    "sans-bold": ("font_source_sans_pro", "SourceSansPro-Bold.ttf"),
    "sans-italic": ("font_source_sans_pro", "SourceSansPro-It.ttf"),
}
# Source Serif Pro has no italic in this package: the serif italic is synthesised.
SYNTH_ITALIC = {"serif-italic": "serif"}
# Source Sans Pro's italic covers Latin only: Greek and Cyrillic fall back to the upright
# face slanted, rather than showing boxes.
ITALIC_FALLBACK = {"sans-italic": "sans"}


@cache
def font_file(role: str) -> Path | None:
    module_name, filename = _FACES.get(role, _FACES["sans"])
    try:
        module = __import__(module_name)
    except ImportError:
        return None
    base = Path(module.__file__).parent / "files" / filename
    return base if base.exists() else None


def drawable(char: str, extra_faces: list[Path] | tuple[Path, ...] = ()) -> bool:
    """Whether any face the show sets text in (the house faces, or the show's own) has a
    glyph for `char`; without one it is drawn as a box."""
    faces = [font_file("serif"), font_file("sans"), *extra_faces]
    return any(has_glyph(str(face), char) for face in faces if face is not None)


def show_faces(show_root: Path | None) -> list[Path]:
    """Extra faces an exhibition adds for other scripts: font files in its `fonts/` folder."""
    if show_root is None or not (Path(show_root) / "fonts").is_dir():
        return []
    return sorted(p for p in (Path(show_root) / "fonts").iterdir() if p.suffix.lower() in (".ttf", ".otf", ".ttc"))

_read_as: dict[str, tuple[int, int]] = {}  # a face file's (size, mtime) when its bytes were read


@cache
def _face_bytes(path: str) -> bytes:
    stat = os.stat(path)
    _read_as[path] = (stat.st_size, stat.st_mtime_ns)
    return Path(path).read_bytes()


def faces_changed(paths: list[Path] | tuple[Path, ...],
                  seen: dict[str, tuple[int, int]] | None = None) -> list[str]:
    """The faces among `paths` whose file changed since it was read (another size or time:
    a show's own face replaced on its USB stick under the same name), forgotten so they are
    read again. One out of reach keeps what was read (text goes on in it). `seen`: each face's
    (size, mtime) as a look off the render thread found them (face_looks.py), so a drive that
    hangs is never asked here; a face missing from it is out of reach."""
    changed = []
    for path in map(str, paths):
        if seen is not None:
            now = seen.get(path)
        else:
            try:
                stat = os.stat(path)
            except OSError:
                continue
            now = (stat.st_size, stat.st_mtime_ns)
        if now is not None and path in _read_as and _read_as[path] != now:
            changed.append(path)
    if changed:
        for path in changed:
            _read_as.pop(path, None)
        for cached in (_face_bytes, _glyph_probe, has_glyph):  # (keyed by path: all go, cheaply rebuilt)
            cached.cache_clear()
    return changed


_unreadable: set[str] = set()  # faces said to be out of reach (said once each, until back)


def readable_face(path: str) -> bool:
    """Whether the face at `path` can be read (it is then held in memory for good). A show's
    own face on a USB stick pulled before any text needed it failed the scene about to show
    that text (skipped, again and again, while the stick was out): its text is set in the
    other faces instead, and the face is read when it is back (a failure is not remembered)."""
    try:
        _face_bytes(path)
        # A face caught half copied onto the stick (empty, or cut short) reads well and then
        # fails to open or draw: it faulted the scene about to set text in it.
        _glyph_probe(path)
    except OSError as error:
        if path not in _unreadable:
            _unreadable.add(path)
            log.warning("the face %s cannot be read (%s); text is set in the other faces until it is back "
                        "(a character only it has shows as a box)", path, error.strerror or type(error).__name__)
        return False
    except (pygame.error, ValueError) as error:
        if path not in _unreadable:
            _unreadable.add(path)
            log.warning("the face %s is not a whole font file (%s; a copy not finished?); text is set in the "
                        "other faces until it is replaced", path, error)
        return False
    _unreadable.discard(path)
    return True


def open_face(path: str | None, size: int) -> pygame.font.Font:
    """A face read into memory, not opened from its file: SDL_ttf keeps the file of a face
    it opens open for as long as the face lives, and a show's own faces (its fonts/ folder)
    then held the USB stick they came on busy, so it could not be unmounted while the show
    ran. (The faces of one file share its bytes: BytesIO does not copy them.)"""
    if path is None:
        return pygame.font.Font(None, size)
    return pygame.font.Font(io.BytesIO(_face_bytes(path)), size)


@cache
def _glyph_probe(path: str) -> tuple[pygame.font.Font, bytes]:
    # One face opened once per file for the probes below, and its .notdef box drawn once
    # (opening the file for every character cost about 1 ms each on a scene's first words).
    font = open_face(path, 24)
    return font, pygame.image.tobytes(font.render("\ue000", True, (255, 255, 255)), "RGBA")


@cache
def has_glyph(path: str, char: str) -> bool:
    # SDL_ttf draws a missing glyph as the face's .notdef box: compare with a character
    # from the private use area, which no text face maps.
    try:
        font, missing = _glyph_probe(path)
        drawn = font.render(char, True, (255, 255, 255))
    except pygame.error:  # the font module was restarted since the face was opened
        _glyph_probe.cache_clear()
        font, missing = _glyph_probe(path)
        drawn = font.render(char, True, (255, 255, 255))
    return pygame.image.tobytes(drawn, "RGBA") != missing
