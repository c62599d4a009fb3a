"""`bayard check` for photograph scenes: will the picture look sharp on this screen?

A web-sized copy of a print, stretched to fill the mat of a large screen and then zoomed
into by the keyframes, looks soft, and nothing at run time says why. A curator learns it
before opening day, with the size of scan that would show sharp.
"""

from __future__ import annotations

import math
from typing import Any

from ..config.errors import Problem
from ..config.locate import key_path, line_of
from ..imaging import image_size
from ..runtime.files import read_text
from .layout import GRID_SHARE, SOFT_ENLARGEMENT, picture_and_column

# Each picture pixel drawn more than this many screen pixels wide, at the closest view,
# reads as soft from a visitor's distance (2x is where bilinear enlargement starts to blur
# edges visibly; up to it the paper grain and the print's own softness hide it).


def closest_zoom(config: Any) -> float:
    """The largest zoom the keyframes reach (1: the whole picture)."""
    return max([frame.zoom for frame in config.keyframes] + [1.0])


def check_photograph(config: Any, show: Any, full: bool = False) -> list[Problem]:
    """The photograph kind's `check_content` (`full`, `check --full`: nothing here is looked at in part)."""
    return _late_captions(config, show) + _late_keyframes(config, show) + _soft_picture(config, show)


def _late_captions(config: Any, show: Any) -> list[Problem]:
    """A caption (or the turn to the verso) timed after the scene ends never shows, and
    nothing said so: an artist's 45 s caption in a 30 s scene was simply missing."""
    duration = getattr(config, "duration", None)
    if duration is None:
        return []
    file = show.scene_files[config.id]
    source = read_text(file) if file.exists() else ""
    timed = [(("captions", i, "at"), f"caption {i + 1} (\"{c.text[:30]}{'...' if len(c.text) > 30 else ''}\")", c.at)
             for i, c in enumerate(config.captions)]
    if config.verso is not None:
        timed.append((("verso", "at"), "the turn to the back of the print", config.verso.at))
    return [Problem(file, line_of(source, loc), key_path(loc),
                    f"{what} begins at {at:g} s, after the scene ends at {duration:g} s, so visitors never "
                    f"see it; lower its 'at' or raise the scene's 'duration'", severity="warning")
            for loc, what, at in timed if at >= duration]


def _late_keyframes(config: Any, show: Any) -> list[Problem]:
    """A keyframe timed after the scene ends is never reached: the pan towards it is cut off
    part way, and the detail it frames is never shown, with nothing said (as the late
    captions were). One timed at the very end is reached on the scene's last frame."""
    duration = getattr(config, "duration", None)
    if duration is None:
        return []
    file = show.scene_files[config.id]
    source = read_text(file) if file.exists() else ""
    return [Problem(file, line_of(source, ("keyframes", i, "at")), key_path(("keyframes", i, "at")),
                    f"keyframe {i + 1} (zoom {frame.zoom:g}x on {frame.center[0]:g}, {frame.center[1]:g}) is "
                    f"reached at {frame.at:g} s, after the scene ends at {duration:g} s, so visitors never see the "
                    f"picture get there; lower its 'at' or raise the scene's 'duration'", severity="warning")
            for i, frame in enumerate(config.keyframes) if frame.at > duration]


def _soft_picture(config: Any, show: Any) -> list[Problem]:
    path = show.content_root / config.image
    if not path.is_file():
        return []  # check_media reports missing files
    size = image_size(path)
    if size is None:
        return []  # check_media reports files that do not decode
    width, height = size
    display = tuple(show.config.display.size)
    mat, _ = picture_and_column(display, share=GRID_SHARE)
    zoom = closest_zoom(config)
    enlargement = min(mat.width / width, mat.height / height) * zoom
    if enlargement <= SOFT_ENLARGEMENT:
        return []
    file = show.scene_files[config.id]
    source = read_text(file) if file.exists() else ""
    sharp = math.ceil(max(width, height) * enlargement / 100) * 100
    closest = f", at its closest zoom ({zoom:g}x)," if zoom > 1 else ""
    return [Problem(
        file, line_of(source, ("image",)), "image",
        f"'{config.image}' is {width}x{height} px; on this {display[0]}x{display[1]} display{closest} each "
        f"of its pixels is drawn {enlargement:.1f} screen pixels wide, so it will look soft. A scan about "
        f"{sharp} px on its long side shows it sharp",
        severity="warning")]
