"""What both paths of `bayard animate` (the mesh, and the crop backends) share about the
film they write: the note that marks it synthetic, its steady frame rate, the driver's
sound, and how a failure is reported."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SYNTHETIC_NOTE = "Synthetic media: a portrait moved by a computer (Bayard) from another person's face."


def _sound_of(args: argparse.Namespace) -> Path | None:
    """The driver, when its sound goes into the film: a talking portrait is silent without
    it, and the film follows the driver's own timing (timing.py), so the two stay in step."""
    from ...video import has_sound

    return None if args.no_sound or not has_sound(args.driver) else args.driver


def _fail(message: str) -> int:
    print(f"bayard animate: {message}", file=sys.stderr)
    return 2


def _steady(times_ms: list[float], fps: float) -> tuple[float, list[int]]:
    """The film's rate and the driver frame in each film frame, with a note when the
    driver's rate varies."""
    from .timing import steady_schedule

    rate, shown = steady_schedule(times_ms, fps)
    if shown != list(range(len(times_ms))):
        print(f"bayard animate: note: the driver's frame rate varies ({fps:.3g} frames a second on "
              f"average); the film is written at a steady {rate:g} so that it keeps in step with the sound",
              file=sys.stderr)
    return rate, shown
