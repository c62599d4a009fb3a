"""The operator overlay: opened by the operator gesture, buttons post Commands once,
big hit targets, PIN pad, closes by itself."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
pygame = pytest.importorskip("pygame")

from installation.clock import FakeClock  # noqa: E402
from installation.commands import Command  # noqa: E402
from installation.inputs import touch  # noqa: E402
from installation.inputs.touch import GestureRecognizer, min_target_px  # noqa: E402
from installation.overlay import IDLE_CLOSE_S, PIN_TRIES, Overlay  # noqa: E402

from .conftest import drawn_overlay  # noqa: E402

STATUS = {
    "scene": "drowned",
    "position": "2/5",
    "fps": 59.9,
    "blackout": False,
    "errors": ["scenes/quiz.toml: missing image q1.jpg"],
}


def make(size=(1920, 1080), pin=None, status=None):
    clock = FakeClock()
    posted: list[Command] = []
    overlay = Overlay(size, posted.append, lambda: dict(status or STATUS), clock=clock, pin=pin)
    return overlay, posted, clock


def button(overlay, label):
    return next(b for b in overlay.buttons if b.label == label)


def tap(overlay, label):
    return overlay.handle(Command("tap", pos=button(overlay, label).rect.center, source="touch"))


def test_closed_overlay_lets_taps_through():
    overlay, posted, _ = make()
    assert overlay.handle(Command("tap", pos=(10, 10))) is False
    assert posted == []


def test_three_finger_hold_opens_it_and_next_acts_once():
    overlay, posted, clock = make()
    rec = GestureRecognizer((1920, 1080), clock=clock)
    for i in range(3):
        rec.down(i, 0.4 + 0.05 * i, 0.5)
    clock.advance(touch.OPERATOR_HOLD_S + 0.1)
    for cmd in rec.poll():
        overlay.handle(cmd)
    assert overlay.is_open
    for i in range(3):
        rec.up(i, 0.4 + 0.05 * i, 0.5)
    # A real tap through the recogniser on the Next button.
    cx, cy = button(overlay, "Next").rect.center
    clock.advance(1.0)
    rec.down(9, cx / 1920, cy / 1080)
    clock.advance(0.1)
    for cmd in rec.up(9, cx / 1920, cy / 1080):
        assert overlay.handle(cmd) is True
    assert [(c.name, c.source) for c in posted] == [("next", "overlay")]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 720), (3840, 2160)])
def test_buttons_are_at_least_a_fingertip_and_on_screen(size):
    overlay, _, _ = make(size)
    overlay.open()
    target = min_target_px(min(size))
    screen = pygame.Rect(0, 0, *size)
    for b in overlay.buttons:
        assert b.rect.width >= target and b.rect.height >= target, b.label
        assert screen.contains(b.rect), b.label
    rects = [b.rect for b in overlay.buttons]
    assert all(a.collidelist([r for r in rects if r is not a]) == -1 for a in rects)  # no overlaps


def test_buttons_post_show_commands():
    overlay, posted, _ = make()
    overlay.open()
    for label in ("Previous", "Reload", "Blackout"):
        tap(overlay, label)
    assert [(c.name, c.args) for c in posted] == [("prev", ()), ("reload", ()), ("blackout", (1,))]
    tap(overlay, "Close")
    assert not overlay.is_open


def test_blackout_button_ends_a_blackout():
    overlay, posted, _ = make(status={**STATUS, "blackout": True})
    overlay.open()
    overlay.draw(pygame.Surface((1920, 1080)))
    tap(overlay, "End blackout")
    assert [(c.name, c.args) for c in posted] == [("blackout", (0,))]


def test_every_gesture_is_swallowed_while_open():
    overlay, posted, _ = make()
    overlay.open()
    assert overlay.handle(Command("swipe", ("left",), pos=(5, 5)))
    assert overlay.handle(Command("tap", pos=(5, 5)))  # on no button: nothing, but not the scene's
    assert posted == []
    assert overlay.handle(Command("next", source="osc")) is False  # show commands still flow


def test_closes_itself_when_left_alone():
    overlay, _, clock = make()
    overlay.open()
    clock.advance(IDLE_CLOSE_S - 1)
    overlay.update()
    assert overlay.is_open
    clock.advance(2)
    overlay.update()
    assert not overlay.is_open


def test_pin_pad_guards_the_buttons():
    overlay, posted, clock = make(pin="2468")
    overlay.handle(Command("overlay", (1,), source="touch"))
    labels = {b.label for b in overlay.buttons}
    assert "Next" not in labels and {"0", "9", "OK", "Clear", "Cancel"} <= labels
    for digit in "2468":
        tap(overlay, digit)
    tap(overlay, "OK")
    assert overlay.unlocked
    tap(overlay, "Next")
    assert [c.name for c in posted] == ["next"]


def test_wrong_pins_lock_the_overlay_for_a_while():
    overlay, posted, clock = make(pin="2468")
    overlay.open()
    for _ in range(PIN_TRIES):
        for digit in "1111":
            tap(overlay, digit)
        tap(overlay, "OK")
    assert not overlay.is_open
    assert overlay.open() is False
    clock.advance(61)
    assert overlay.open() is True
    assert posted == []


def test_draws_over_the_show_without_a_working_status():
    def broken():
        raise RuntimeError("engine status failed")

    overlay = Overlay((1280, 720), [].append, broken, clock=FakeClock())
    overlay.open()
    surface = pygame.Surface((1280, 720))
    surface.fill((200, 200, 200))
    overlay.draw(surface)
    # The veil darkens the show; a button is drawn in its own colour.
    assert surface.get_at((640, 360))[0] < 100
    b = overlay.buttons[0].rect
    assert surface.get_at((b.x + 4, b.centery))[:3] != surface.get_at((640, 360))[:3]


def test_bad_pin_configuration_is_refused():
    with pytest.raises(ValueError, match="3 to 8 digits"):
        Overlay((1920, 1080), [].append, pin="12a4")


def test_status_facts_read_as_a_technician_counts():
    """"position: 1" counted from 0 while the 1-9 keys count from 1, and "paused: False"
    named a state that was off."""
    from installation.overlay_words import facts_of

    facts = facts_of({"position": 1, "playlist": ["a", "b", "c"], "elapsed": 12.34, "paused": False,
                      "blackout": True, "fps": 59.8, "uptime": 3725.0})
    assert facts == ["scene 2 of 3", "12 s in", "BLACKOUT", "60 fps", "up 1 h 02 min"]


def test_long_names_and_faults_stay_in_the_panel_and_say_they_were_cut():
    """On an 800x480 kiosk a long scene title ran off the panel and the screen's edge (drawn
    unwrapped), and a portrait's fault longer than its two lines stopped mid-sentence with
    nothing to say more was cut. Every line now ends inside the panel, a cut one with "…".
    (A fault is cut only where the panel has no room for it whole (test_overlay_room.py): this
    one is longer than the 800x480 panel.)"""
    fault = "RuntimeError: CUDA error: an illegal memory access was encountered; " * 40 + "THE END"
    status = {"show": ("Faces That Never Were - the touring edition, with a show name far longer than the screen "
                       "is wide, as artists name them, and then some more"),
              "scene": "portrait-of-the-visitor-in-the-manner-of-an-old-master",
              "title": "The visitor in an old master's face, moved by their own, in the long gallery",
              "scene_status": {"state": "live", "camera": "live", "backend": "fomm", "calibrated": True, "fps": 14.0,
                               "animator_error": fault}}
    drawn, overlay = drawn_overlay((800, 480), status)
    margin = overlay.target // 3
    inside = 800 - 4 * margin  # (the panel's width less its own margins)
    lines = [text for text, _ in drawn]
    assert all(width <= inside for _, width in drawn), [(t, w) for t, w in drawn if w > inside]
    scene = next(text for text in lines if text.startswith("Scene: "))
    assert scene.endswith("\u2026") and "The visitor in" in scene
    assert next(text for text in lines if text.startswith("Show: ")).endswith("\u2026")
    faults = [i for i, text in enumerate(lines) if text.startswith("Portrait's last fault")]
    assert faults and lines[faults[0] + 1].endswith("\u2026") and "THE END" not in " ".join(lines)


def test_a_panel_too_full_for_the_screen_says_what_it_left_out():
    """At 800x480 with errors, a lost backend and a broken show file listed, the lines that
    did not fit above the buttons (the film cache's "too small" among them) were dropped
    without a word; the last line that fits now says how many more there are."""
    drawn: list[str] = []

    def font(size: int, bold: bool):
        from installation.overlay import _default_font

        real = _default_font(size, bold)

        class Recording:
            def render(self, text, *args):
                drawn.append(str(text))
                return real.render(text, *args)

            def __getattr__(self, name):
                return getattr(real, name)

        return Recording()

    status = {"scene": "p", "last_good": {"saved": "today", "show_file": "install.toml"},
              "models": {"failed_backends": {name: "CUDA lost " * 12 for name in ("fomm", "liveportrait", "tps")}},
              "errors": [f"scenes/wall.toml: film films/{n}.mp4 could not be opened: " + "invalid data " * 12
                         for n in range(5)],
              "services": {"runtime": {"film_cache": {"films": 1, "mb": 1.0, "limit_mb": 2.0, "too_small": "set it"}}}}
    overlay = Overlay((800, 480), [].append, lambda: status, clock=FakeClock(), font=font)
    overlay.open()
    surface = pygame.Surface((800, 480))
    overlay.draw(surface)
    if os.environ.get("BAYARD_TEST_PNG"):
        pygame.image.save(surface, os.environ["BAYARD_TEST_PNG"])
    assert not any("Film cache" in text for text in drawn)  # (no room for it here)
    more = [text for text in drawn if "more lines" in text]
    assert len(more) == 1 and more[0].startswith("\u2026 ") and "/bayard/status" in more[0], drawn
