"""Which files the show plays, told by the ending of their names: one list for the scenes,
the loop's and the quiz's folders, and `bayard check`. (Three lists had drifted apart: a GIF
named as a photograph played its first frame, one in a loop's or a quiz's folder was passed
over without a word, and `check` called it a file the show cannot open.)"""

from __future__ import annotations

# A GIF plays as a still: its first frame (imaging.read_rgb), as a viewer's thumbnail shows
# it; `bayard check` says so of an animated one, whose movement would need a film.
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
FILM_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mpg", ".mpeg"})
