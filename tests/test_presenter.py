"""The screen the show is presented on: a 16:9 show on a screen of another shape keeps
its shape, with bars, and a finger or a mouse lands where it points.

SDL's dummy driver opens a 1024x768 (4:3) "desktop" in full screen: the case of a 16:9
show on a 4:3 or 16:10 monitor, which used to be stretched to fill it."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from installation.app import Presenter
from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.inputs.touch import TouchService

from .conftest import title_scene, write_show

pytestmark = pytest.mark.filterwarnings("ignore:no fast renderer")


class RecordingEngine:
    """What the touch service needs of an engine: the show, a clock, and somewhere to post."""

    def __init__(self, show):
        self.show, self.clock, self.posted = show, FakeClock(), []

    def post(self, command):
        self.posted.append(command)


@pytest.fixture
def presenter(tmp_path):
    pygame.display.init()
    show = load_show(write_show(tmp_path, {"a": title_scene("a")}, size=(320, 180)))
    presenter = Presenter(show, fullscreen=True, headless=False)
    assert presenter.window.get_size() == (1024, 768)
    yield presenter, show


def test_a_wide_show_on_a_squarer_screen_keeps_its_shape_between_bars(presenter):
    presenter, _ = presenter
    assert presenter.viewport == pygame.Rect(0, 96, 1024, 576)
    frame = pygame.Surface((320, 180))
    frame.fill((200, 200, 200))
    pygame.draw.circle(frame, (200, 20, 20), (160, 90), 60)
    presenter.present(frame)
    shown = pygame.surfarray.array3d(presenter.window).swapaxes(0, 1).astype(int)
    assert shown[:90].max() == 0 and shown[-90:].max() == 0  # bars, black
    red = (shown[:, :, 0] > 150) & (shown[:, :, 1] < 80)
    rows, cols = np.nonzero(red)
    height, width = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
    assert abs(width / height - 1.0) < 0.03  # a circle, not an ellipse (stretched, it was 1.33 times as tall)
    assert abs((rows.min() + rows.max()) / 2 - 384) < 2 and abs((cols.min() + cols.max()) / 2 - 512) < 2


def test_a_mouse_click_maps_through_the_bars(presenter):
    presenter, _ = presenter
    assert presenter.to_show(512, 384) == pytest.approx((160, 90), abs=0.5)
    assert presenter.to_show(0, 96) == pytest.approx((0, 0), abs=0.5)
    assert presenter.to_show(1024, 672) == pytest.approx((320, 180), abs=0.5)
    assert presenter.to_show(300, 20) == pytest.approx((300 * 320 / 1024, 0), abs=0.5)  # in a bar: its edge


def test_a_finger_lands_where_it_points(presenter):
    presenter, show = presenter

    engine = RecordingEngine(show)
    touch = TouchService(engine, presenter)
    # 3/4 across and a quarter down the picture: window y = 96 + 0.25 * 576 = 240
    finger = {"touch_id": 1, "finger_id": 0, "x": 0.75, "y": 240 / 768, "dx": 0.0, "dy": 0.0, "pressure": 1.0}
    touch.feed_pygame(pygame.event.Event(pygame.FINGERDOWN, finger), engine)
    engine.clock.advance(0.05)
    touch.feed_pygame(pygame.event.Event(pygame.FINGERUP, finger), engine)
    taps = [c for c in engine.posted if c.name == "tap"]
    assert len(taps) == 1 and taps[0].pos == pytest.approx((240, 45), abs=1.0)
    # and the test helper's synthetic taps go through the same bars
    engine.posted.clear()
    touch.tap_for_test(engine, 100, 150, engine.clock)
    taps = [c for c in engine.posted if c.name == "tap"]
    assert len(taps) == 1 and taps[0].pos == pytest.approx((100, 150), abs=1.0)


def test_frames_are_paced_when_the_screen_grants_no_vsync(tmp_path, monkeypatch):
    """vsync is asked for, but SDL's dummy driver (like a kiosk with no accelerated
    renderer) cannot give it: pygame only warns. The loop trusted the request and spun,
    a whole core drawing frames nobody saw."""
    from installation import app

    path = write_show(tmp_path, {"a": title_scene("a")}, size=(320, 180))
    text = path.read_text().replace("fullscreen = false", "fullscreen = false\nfps = 10\nvsync = true")
    path.write_text(text)
    show = load_show(path)
    assert show.config.display.vsync and show.config.display.fps == 10
    slept = []
    real_sleep = app.time.sleep
    monkeypatch.setattr(app.time, "sleep", lambda seconds: (slept.append(seconds), real_sleep(seconds)))
    assert app.run(show, fullscreen=True, headless=False, seconds=1.0) == 0
    # a 100 ms budget and a title card that draws in a few: each frame sleeps most of it
    assert len(slept) >= 3 and max(slept) > 0.05


def test_a_turned_show_between_bars_still_takes_taps_where_they_land(tmp_path):
    """A portrait screen's show (turned 90°) on a landscape panel: the bars are at the
    sides, and the turn and the bars are undone together."""
    pygame.display.init()
    path = write_show(tmp_path, {"a": title_scene("a")}, size=(320, 180))
    path.write_text(path.read_text().replace("fullscreen = false", "fullscreen = false\nrotation = 90"))
    show = load_show(path)
    presenter = Presenter(show, fullscreen=True, headless=False)
    assert presenter.viewport == pygame.Rect(296, 0, 432, 768)  # 180x320 turned, scaled 2.4x

    engine = RecordingEngine(show)
    touch = TouchService(engine, presenter)
    for x, y in ((100, 150), (10, 10), (300, 170)):
        engine.posted.clear()
        touch.tap_for_test(engine, x, y, engine.clock)
        taps = [c for c in engine.posted if c.name == "tap"]
        assert len(taps) == 1 and taps[0].pos == pytest.approx((x, y), abs=1.5)
    # the picture's top-left corner on the panel is the show's bottom-left (turned clockwise)
    engine.posted.clear()
    corner = {"touch_id": 1, "finger_id": 0, "x": 300 / 1024, "y": 4 / 768,
              "dx": 0.0, "dy": 0.0, "pressure": 1.0}
    touch.feed_pygame(pygame.event.Event(pygame.FINGERDOWN, corner), engine)
    engine.clock.advance(0.05)
    touch.feed_pygame(pygame.event.Event(pygame.FINGERUP, corner), engine)
    taps = [c for c in engine.posted if c.name == "tap"]
    assert len(taps) == 1 and taps[0].pos == pytest.approx((2, 177), abs=2.0)
    # a click on the left bar lands on the picture's nearest edge, not beyond it
    u, v = presenter.to_show(100, 384)
    assert 0 <= u <= 320 and 0 <= v <= 180
