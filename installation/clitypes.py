"""Argument types for the command line: a wrong number is one line from argparse (exit 2),
never a traceback from deep inside (`render --fps 0` was a ZeroDivisionError, `--fps nan`
and `--seconds inf` crashed the renderer, `--size 100000x100000` ran out of memory)."""

from __future__ import annotations

import argparse
import math

MAX_SIZE = (7680, 4320)  # as [display] size allows


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}': give a finite number")
    return value


def seconds(text: str) -> float:
    """A length of time: more than zero."""
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}': give a number of seconds above 0")
    return value


def frame_rate(text: str) -> float:
    value = _number(text)
    if not 1 <= value <= 240:
        raise argparse.ArgumentTypeError(f"'{text}': give frames per second from 1 to 240")
    return value


def factor(text: str) -> float:
    """A strength such as --exaggeration: 0 to 5."""
    value = _number(text)
    if not 0 <= value <= 5:
        raise argparse.ArgumentTypeError(f"'{text}': give a number from 0 to 5 (1 is faithful)")
    return value


def height(text: str) -> int:
    """Pixels of height, or 0 for the default."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of pixels") from None
    if value != 0 and not 16 <= value <= MAX_SIZE[1]:
        raise argparse.ArgumentTypeError(f"'{text}': give a height from 16 to {MAX_SIZE[1]} pixels (0: the default)")
    return value


def whole(low: int, high: int | None = None, what: str = "a whole number"):
    """A whole number from `low` (to `high`): `generator render --frames 0` wrote an empty
    video and said it was made, `--crf 99` failed inside ffmpeg."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not {what}") from None
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise argparse.ArgumentTypeError(f"'{text}': give {what} {span}")
        return value

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


def ranged(low: float, high: float, what: str, *, open_low: bool = False):
    """A finite number from `low` to `high` (above `low` when `open_low`)."""
    def parse(text: str) -> float:
        value = _number(text)
        if value > high or value < low or (open_low and value == low):
            above = "above" if open_low else "from"
            raise argparse.ArgumentTypeError(f"'{text}': give {what} {above} {low:g} to {high:g}")
        return value

    parse.__name__ = what
    return parse
