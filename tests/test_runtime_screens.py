"""The closed-hours clock: grey, large, and moving every minute."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from installation.clock import FakeClock  # noqa: E402
from installation.runtime.screens import ClosedClock  # noqa: E402


def test_closed_clock_is_grey_and_moves_each_minute():
    pygame.font.init()
    clock = FakeClock()
    active = [True]
    overlay = ClosedClock(clock.wall, "Europe/Paris", active=lambda: active[0])

    def frame():
        surface = pygame.Surface((1280, 720))
        surface.fill((0, 0, 0))
        overlay.draw(surface)
        return pygame.surfarray.array3d(surface)

    image = frame()
    lit = np.argwhere(image.max(axis=2) > 0)
    # grey, never white, and a small part of the screen lit (nothing bright stands long enough to burn in)
    assert 0 < image.max() <= 140 and len(lit) < 0.03 * 1280 * 720
    clock.advance(30)
    assert np.array_equal(frame(), image)  # steady within the minute (no flicker)
    clock.advance(30)
    moved = np.argwhere(frame().max(axis=2) > 0)
    assert tuple(lit.min(axis=0)) != tuple(moved.min(axis=0))
    active[0] = False  # monitor off by DPMS, or a blackout: nothing drawn
    assert frame().max() == 0
