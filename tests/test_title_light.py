"""The title card's breathing light, on every screen a gallery hangs: a mark of its own,
clear of the footer's words and of the screen's edge, never crowding either."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from installation.harness import run_test
from installation.preview import single_scene_show

from .conftest import REPO, load_default_show

SUPPORTED = [(1920, 1080), (1080, 1920), (1024, 768), (1280, 1024), (3840, 2160)]
FOOTER = "Stay a while"  # scenes/opening.toml's footer begins so


def _light_and_footer(size):
    """The light's box (the accent's pixels outside every text and the heading's rule) and
    the footer's text box, with the opening card settled."""
    show = single_scene_show(load_default_show(), (REPO / "scenes/opening.toml").resolve())
    with run_test(show, fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(6.0)
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator"]
        scene = pilot.engine.sequencer.current.scene
        pixels = pygame.surfarray.array3d(pilot.frame()).transpose(1, 0, 2).astype(int)
    accent = np.array(pygame.Color(scene.config.accent)[:3])
    (footer,) = [b for b in boxes if b.text.startswith(FOOTER)]
    lit = np.abs(pixels - accent).sum(axis=2) < 60
    for box in boxes:
        lit[box.rect.top:box.rect.bottom, box.rect.left:box.rect.right] = False
    # The rule under the heading is the accent's too; the light is below every word but the footer.
    lit[:max(b.rect.bottom for b in boxes if b is not footer)] = False
    ys, xs = np.nonzero(lit)
    assert len(ys), "no breathing light drawn"
    return pygame.Rect(xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1), footer


@pytest.mark.parametrize("size", SUPPORTED, ids=[f"{w}x{h}" for w, h in SUPPORTED])
def test_the_breathing_light_stands_clear_of_the_footer_on_every_screen(size):
    """On an upright screen (1080x1920) the light sat 20 px under the footer's descenders and
    18 px from the screen's edge (the bottom line there is 3% of the height from the edge, not
    8%): it read as a stray full stop of the footer's. On every supported screen it now keeps
    at least a capital's height of the footer's type clear of its words and of the edge."""
    light, footer = _light_and_footer(size)
    clear = footer.cap
    apart = max(light.top - footer.rect.bottom, footer.rect.top - light.bottom)
    assert apart >= clear, f"the light is {apart} px from the footer, less than its capitals' {clear} px"
    assert light.top >= clear and size[1] - light.bottom >= clear, (light, size)
    assert abs(light.centerx - size[0] / 2) <= 1, light
