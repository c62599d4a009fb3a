"""The safe-mode card and the closed-hours screen: never black / almost black, always moving."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from installation.clock import FakeClock  # noqa: E402
from installation.runtime.screens import ClosedScene, SafeModeScene  # noqa: E402
from installation.scenes.base import SCENE_KINDS, SceneContext  # noqa: E402


@pytest.fixture
def context(tmp_path):
    pygame.font.init()
    clock = FakeClock()
    yield SceneContext(clock=clock, size=(640, 360), content_root=tmp_path, state_dir=tmp_path, fonts=None)


def frame(scene) -> np.ndarray:
    surface = pygame.Surface(scene.context.size)
    scene.draw(surface)
    return pygame.surfarray.array3d(surface)


def test_safe_card_is_registered_never_black_and_drifts(context):
    assert SCENE_KINDS.get("safe") is SafeModeScene
    scene = SafeModeScene.build(context, detail="3 restarts in 30 min; retrying at 15:20")
    scene.enter()
    first = frame(scene)
    assert first.max() > 150 and first.mean() > 10  # a readable card, not a black screen
    positions = {scene.position()}
    lit_count = np.zeros(first.shape[:2], int)
    for _ in range(240):  # twenty minutes, one frame every five seconds
        scene.update(5.0)
        positions.add(scene.position())
        lit_count += frame(scene).max(axis=2) > 100
    assert len(positions) > 200  # it keeps moving
    # Burn-in: no pixel carries bright text for more than a small share of the time.
    assert lit_count.max() / 240 < 0.25
    assert scene.status()["safe_mode"] is True


def test_closed_screen_is_dark_with_a_moving_clock(context, tmp_path):
    # 2026-01-01 00:00 UTC is 01:00 in Paris.
    scene = ClosedScene.build(context, timezone="Europe/Paris")
    image = frame(scene)
    assert image.mean() < 1.0 and 0 < image.max() < 80  # dark, but something is there
    lit = np.argwhere(image.max(axis=2) > 0)
    where = lit.min(axis=0)
    context.clock.advance(60)
    moved = np.argwhere(frame(scene).max(axis=2) > 0).min(axis=0)
    assert tuple(where) != tuple(moved)
    pygame.image.save(pygame.surfarray.make_surface(image * 4), str(Path(tmp_path) / "closed.png"))
