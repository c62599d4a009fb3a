"""Shared look: colours parsed from scene files, easing, and timed fades."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def _check_colour(value: str) -> str:
    if not _HEX.match(value.strip()):
        raise ValueError(f"'{value}' is not a colour; write it as '#rrggbb', for example '#f2e8d8'")
    return value.strip()


Colour = Annotated[str, AfterValidator(_check_colour)]


def rgb(value: str) -> tuple[int, int, int]:
    digits = _HEX.match(value.strip()).group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


def fade(t: float, start: float, end: float | None, fade_s: float) -> float:
    """Opacity 0..1 of something shown from `start` to `end` with fades of fade_s seconds."""
    if t < start:
        return 0.0
    rise = smoothstep((t - start) / fade_s) if fade_s > 0 else 1.0
    if end is None:
        return rise
    fall = smoothstep((end - t) / fade_s) if fade_s > 0 else (1.0 if t < end else 0.0)
    return max(0.0, min(rise, fall))


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t
