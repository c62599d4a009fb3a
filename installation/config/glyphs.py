"""`bayard check`: visitor text with characters no typeface here can draw.

The house faces cover accented Latin, Greek and Cyrillic; other scripts need a font in
the show's `fonts/` folder (docs/languages.md). Without one, each such character is
drawn as a box on the wall, and until now only the rendered frames showed it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BaseModel

from ..runtime.files import read_text
from .errors import Problem
from .locate import key_path, line_of
from .media_check import is_media_field

# Invisible by design (joiners, variation selectors, combining marks set on a base
# letter): a face lacking them draws nothing wrong.
_SILENT_CATEGORIES = {"Mn", "Me", "Cf", "Cc", "Zs", "Zl", "Zp"}


def texts_of(model: BaseModel, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every string in a validated scene config, with its key path, except media paths
    (a file name in any script is fine: visitors never read it)."""
    found: list[tuple[tuple, str]] = []
    for name, info in type(model).model_fields.items():
        if is_media_field(info):
            continue
        value = getattr(model, name)
        here = (*loc, name)
        if isinstance(value, BaseModel):
            found += texts_of(value, here)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += texts_of(item, (*here, index))
                elif isinstance(item, str):
                    found.append(((*here, index), item))
        elif isinstance(value, str):
            found.append((here, value))
    return found


def check_glyphs(show: Any) -> list[Problem]:
    from ..engine import init_pygame
    from ..typefaces import drawable, show_faces

    init_pygame(headless=True)
    faces = show_faces(show.root)
    problems = []
    for scene_id, config in show.scenes.items():
        file = show.scene_files[scene_id]
        source = read_text(file) if file.exists() else ""
        for loc, text in texts_of(config):
            if text.isascii():
                continue  # every face here draws ASCII
            missing = sorted({ch for ch in text if unicodedata.category(ch) not in _SILENT_CATEGORIES
                              and not drawable(ch, faces)})
            if not missing:
                continue
            named = ", ".join(f"'{ch}' {unicodedata.name(ch, f'U+{ord(ch):04X}')}" for ch in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            problems.append(Problem(
                file, line_of(source, loc), key_path(loc),
                f"{len(missing)} character(s) no typeface here can draw ({named}{more}): visitors would see "
                f"boxes. Put a font that has them in {show.root / 'fonts'}/ (docs/languages.md)",
                severity="warning"))
    return problems
