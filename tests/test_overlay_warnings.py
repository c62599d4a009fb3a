"""The technician's overlay listed a camera WARNING (advice: the show plays as meant) under the
red "Recent errors:" heading, so a kiosk with nothing broken looked broken. Status keeps each
entry's severity; the overlay lists warnings under their own heading, in their own colour."""

from __future__ import annotations

import pygame
import pytest

from installation.clock import FakeClock
from installation.overlay import ACCENT, Overlay, _default_font

WHEN = 1_700_000_000.0
CAMERA_WARNING = {"time": WHEN, "where": "portrait", "severity": "warning",
                  "message": "the camera gives 640x480; set [camera] size = [640, 480] in install.toml"}
BROKEN = {"time": WHEN + 60, "where": "film", "severity": "error", "message": "content/films/a.mp4 is missing"}


def _drawn(size: tuple[int, int], errors: list[dict]) -> list[tuple[str, tuple[int, ...]]]:
    """The overlay's lines on a screen of `size`, each with the colour it is written in."""
    written: list[tuple[str, tuple[int, ...]]] = []

    class Recording:
        def __init__(self, font) -> None:
            self.font = font

        def render(self, text, antialias, colour, *rest):
            written.append((str(text), tuple(colour)[:3]))
            return self.font.render(text, antialias, colour, *rest)

        def __getattr__(self, name):
            return getattr(self.font, name)

    pygame.init()
    overlay = Overlay(size, lambda command: None, lambda: {"scene": "p", "errors": errors}, clock=FakeClock(),
                      font=lambda points, bold: Recording(_default_font(points, bold)))
    assert overlay.open()
    overlay.draw(pygame.Surface(size))
    return written


def _heading_over(lines: list[tuple[str, tuple[int, ...]]], words: str) -> tuple[str, tuple[int, ...]]:
    """The heading ("...:") last written above the first line holding `words`."""
    at = next(i for i, (text, _) in enumerate(lines) if words in text)
    return next(line for line in reversed(lines[:at]) if line[0].endswith(":"))


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)])
def test_a_camera_warning_is_not_listed_as_an_error(size):
    lines = _drawn(size, [CAMERA_WARNING])
    assert not any(text.startswith("Recent errors") for text, _ in lines), lines
    heading, colour = _heading_over(lines, "the camera gives")
    assert heading == "Recent warnings:"
    assert colour != ACCENT, "a warning's heading is drawn in the errors' red"


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)])
def test_errors_and_warnings_each_come_under_their_own_heading(size):
    lines = _drawn(size, [CAMERA_WARNING, BROKEN])
    assert _heading_over(lines, "a.mp4 is missing") == ("Recent errors:", ACCENT)
    heading, colour = _heading_over(lines, "the camera gives")
    assert heading == "Recent warnings:" and colour != ACCENT
