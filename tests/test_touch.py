"""The gesture recogniser and the pygame event translation."""

from __future__ import annotations

import os

import pytest

from installation.clock import FakeClock
from installation.inputs import touch
from installation.inputs.touch import GestureRecognizer, from_pygame, min_target_px


def rec(**kw) -> tuple[GestureRecognizer, FakeClock]:
    clock = FakeClock()
    return GestureRecognizer(size=(1920, 1080), clock=clock, **kw), clock


def test_tap_once_at_show_pixels():
    r, clock = rec()
    assert r.down(1, 0.5, 0.25) == []
    clock.advance(0.1)
    (cmd,) = r.up(1, 0.501, 0.25)
    assert (cmd.name, cmd.pos, cmd.source) == ("tap", (960.0, 270.0), "touch")


def test_positions_are_clamped():
    r, clock = rec()
    r.down(1, -0.2, 1.7)
    clock.advance(0.05)
    (cmd,) = r.up(1, -0.2, 1.7)
    assert cmd.pos == (0.0, 1079.0)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotation_maps_back_to_show_orientation(rotation):
    # Show point (a, b) = (0.1, 0.3) of a show turned clockwise by `rotation` onto the
    # panel lands at these panel coordinates; touching there must give the show pixel back.
    a, b = 0.1, 0.3
    panel = {0: (a, b), 90: (1 - b, a), 180: (1 - a, 1 - b), 270: (b, 1 - a)}[rotation]
    r, _ = rec(rotation=rotation)
    sx, sy = r.to_show(*panel)
    assert (round(sx), round(sy)) == (192, 324)


def test_rotation_must_be_a_right_angle():
    with pytest.raises(ValueError, match="0, 90, 180 or 270"):
        GestureRecognizer(rotation=45)


def test_long_press_fires_while_held_and_only_once():
    r, clock = rec()
    r.down(1, 0.3, 0.3)
    clock.advance(0.3)
    assert r.poll() == []
    clock.advance(0.4)
    (cmd,) = r.poll()
    assert cmd.name == "long_press"
    clock.advance(1.0)
    assert r.poll() == []
    assert r.up(1, 0.3, 0.3) == []  # no tap, no second long press


def test_press_between_tap_and_long_press_is_nothing():
    r, clock = rec()
    r.down(1, 0.3, 0.3)
    clock.advance(0.55)
    assert r.up(1, 0.3, 0.3) == []


@pytest.mark.parametrize(
    ("end", "direction"),
    [((0.2, 0.5), "left"), ((0.8, 0.5), "right"), ((0.5, 0.1), "up"), ((0.5, 0.9), "down")],
)
def test_swipe_directions_without_motion_events(end, direction):
    # Some resistive panels send no FINGERMOTION: down and up alone must make a swipe.
    r, clock = rec()
    r.down(7, 0.5, 0.5)
    clock.advance(0.2)
    (cmd,) = r.up(7, *end)
    assert (cmd.name, cmd.args, cmd.pos) == ("swipe", (direction,), (960.0, 540.0))


def test_slow_drag_is_not_a_swipe():
    r, clock = rec()
    r.down(1, 0.2, 0.5)
    clock.advance(2.0)
    assert [c.name for c in r.up(1, 0.8, 0.5)] == []


def test_panel_bounce_counts_once():
    r, clock = rec()
    r.down(1, 0.5, 0.5)
    clock.advance(0.05)
    first = r.up(1, 0.5, 0.5)
    clock.advance(0.01)
    r.down(2, 0.5, 0.5)
    clock.advance(0.02)
    second = r.up(2, 0.5, 0.5)
    assert [c.name for c in first] == ["tap"] and second == []
    clock.advance(0.5)
    r.down(3, 0.5, 0.5)
    clock.advance(0.05)
    assert [c.name for c in r.up(3, 0.5, 0.5)] == ["tap"]


def test_two_fingers_make_no_visitor_gesture():
    r, clock = rec()
    r.down(1, 0.4, 0.4)
    r.down(2, 0.6, 0.4)
    clock.advance(0.1)
    assert r.up(1, 0.4, 0.4) == [] and r.up(2, 0.6, 0.4) == []


def test_three_finger_hold_opens_the_overlay_once():
    r, clock = rec()
    for i, x in enumerate((0.3, 0.4, 0.5)):
        r.down(i, x, 0.5)
    clock.advance(touch.OPERATOR_HOLD_S - 0.1)
    assert r.poll() == []
    clock.advance(0.2)
    (cmd,) = r.poll()
    assert (cmd.name, cmd.args, cmd.source) == ("overlay", (1,), "touch")
    clock.advance(1.0)
    assert r.poll() == []
    assert [c for i in range(3) for c in r.up(i, 0.3 + 0.1 * i, 0.5)] == []


def test_three_fingers_lifted_early_do_nothing():
    r, clock = rec()
    for i in range(3):
        r.down(i, 0.3 + 0.1 * i, 0.5)
    clock.advance(1.0)
    r.up(0, 0.3, 0.5)
    clock.advance(5.0)
    assert [c.name for c in r.poll()] == []


def test_stuck_finger_is_forgotten():
    r, clock = rec()
    r.down(1, 0.5, 0.5)  # its "up" never comes
    clock.advance(touch.STUCK_S + 1)
    r.poll()
    r.down(2, 0.2, 0.2)
    clock.advance(0.1)
    assert [c.name for c in r.up(2, 0.2, 0.2)] == ["tap"]


def test_min_target_scales_with_height():
    assert min_target_px(1080) == touch.MIN_TARGET_PX
    assert min_target_px(2160) == 2 * touch.MIN_TARGET_PX
    assert touch.MIN_TARGET_PX >= 70  # ~20 mm on a 21.5-inch 1080p panel


# -- pygame translation -------------------------------------------------------------------


@pytest.fixture
def pygame_mod():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    return pytest.importorskip("pygame")


def test_finger_tap_counts_once_with_synthesised_mouse(pygame_mod):
    pg = pygame_mod
    r, clock = rec()
    size = (1920, 1080)
    events = [
        pg.event.Event(pg.FINGERDOWN, touch_id=1, finger_id=0, x=0.25, y=0.5, dx=0, dy=0, pressure=0.3),
        pg.event.Event(pg.MOUSEBUTTONDOWN, pos=(480, 540), button=1, touch=True),
        pg.event.Event(pg.FINGERUP, touch_id=1, finger_id=0, x=0.25, y=0.5, dx=0, dy=0, pressure=0),
        pg.event.Event(pg.MOUSEBUTTONUP, pos=(480, 540), button=1, touch=True),
    ]
    out = []
    for event in events:
        clock.advance(0.05)
        out.extend(from_pygame(r, event, size) or [])
    assert [(c.name, c.pos) for c in out] == [("tap", (480.0, 540.0))]


def test_real_mouse_acts_as_a_finger(pygame_mod):
    pg = pygame_mod
    r, clock = rec()
    size = (960, 540)  # window half the show size: positions still land in show pixels
    from_pygame(r, pg.event.Event(pg.MOUSEBUTTONDOWN, pos=(480, 270), button=1, touch=False), size)
    from_pygame(
        r, pg.event.Event(pg.MOUSEMOTION, pos=(700, 270), rel=(220, 0), buttons=(1, 0, 0), touch=False), size
    )
    clock.advance(0.2)
    out = from_pygame(r, pg.event.Event(pg.MOUSEBUTTONUP, pos=(800, 270), button=1, touch=False), size)
    assert [(c.name, c.args, c.source) for c in out] == [("swipe", ("right",), "mouse")]
    assert out[0].pos == (960.0, 540.0)
    assert from_pygame(r, pg.event.Event(pg.KEYDOWN, key=pg.K_SPACE), size) is None
    assert from_pygame(r, pg.event.Event(pg.MOUSEBUTTONDOWN, pos=(1, 1), button=3, touch=False), size) == []


def test_posted_finger_events_round_trip(pygame_mod):
    pg = pygame_mod
    pg.display.init()
    try:
        pg.display.set_mode((320, 180))
        pg.event.clear()
        pg.event.post(
            pg.event.Event(pg.FINGERDOWN, touch_id=1, finger_id=3, x=0.5, y=0.5, dx=0, dy=0, pressure=1)
        )
        pg.event.post(
            pg.event.Event(pg.FINGERUP, touch_id=1, finger_id=3, x=0.5, y=0.5, dx=0, dy=0, pressure=0)
        )
        r, clock = rec()
        out = []
        for event in pg.event.get():
            clock.advance(0.05)
            out.extend(from_pygame(r, event, (320, 180)) or [])
        assert [c.name for c in out] == ["tap"]
    finally:
        pg.display.quit()
