"""A crossfade between two scenes with words: the pictures cross, the words do not.

Blended with their pictures, the outgoing scene's captions and the incoming scene's title
were both half there for about a second, one text over the other (installation/sequencer_draw)."""

from __future__ import annotations

import pygame

from installation.harness import run_test
from installation.typography import Fonts

from .conftest import write_show

BACKGROUND = (18, 16, 14)


def card(scene_id: str, heading: str, body: str, background: str = "#12100e") -> str:
    return f"""
        type = "title"
        id = "{scene_id}"
        duration = 4
        heading = "{heading}"
        body = "{body}"
        background = "{background}"
        transition = {{ kind = "crossfade", duration = 1.5 }}
        """


def two_cards(tmp_path, third: bool = False):
    scenes = {
        "a": card("a", "Staged, Synthetic, Real", "The first faked photograph was made in 1840."),
        "b": card("b", "Self Portrait as a Drowned Man", "So he staged his own death."),
    }
    if third:
        scenes["c"] = card("c", "Real or generated?", "Photograph or invented by a computer?")
    return write_show(tmp_path, scenes, size=(640, 360))


def words_seen(pilot) -> tuple[float, float]:
    """How much the most visible words of the outgoing and of the incoming scene show on the
    frame just drawn: their own opacity times their picture's share of the blend."""
    sequencer, engine = pilot.engine.sequencer, pilot.engine
    progress = sequencer.transition_progress()
    incoming_share = progress * progress * (3 - 2 * progress)
    boxes = [box for box in engine.fonts.log.boxes if box.tier != "operator"]
    on_screen = [box.alpha for box in boxes if box.target == id(engine.frame)]
    on_buffer = [box.alpha for box in boxes if box.target != id(engine.frame)]
    if not sequencer.in_transition:
        return 0.0, max(on_screen, default=0.0)
    return max(on_screen, default=0.0) * (1 - incoming_share), max(on_buffer, default=0.0) * incoming_share


def until_crossfade(pilot) -> None:
    while not pilot.engine.sequencer.in_transition:
        pilot.step()


def test_a_crossfade_never_shows_both_scenes_words(tmp_path):
    with run_test(two_cards(tmp_path), fps=40) as pilot:
        pilot.engine.fonts.log.recording = True
        until_crossfade(pilot)
        seen = []
        while pilot.engine.sequencer.in_transition:
            seen.append(words_seen(pilot))
            pilot.step()
        seen.append(words_seen(pilot))
    assert len(seen) >= 55  # (1.5 s at 40 frames a second)
    both = max(min(leaving, coming) for leaving, coming in seen)
    assert both < 0.02, f"both scenes' words showed at once, the fainter at {both:.2f}"
    # Words leave and come all the same: the first card's as the crossfade begins, the next's by its end.
    assert seen[0][0] > 0.9 and seen[-1][1] > 0.9, (seen[0], seen[-1])


def test_half_way_the_words_are_gone_and_the_ground_is_plain(tmp_path):
    """What a visitor sees half-way: neither card's heading, not two headings in one place."""
    with run_test(two_cards(tmp_path), fps=40) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(3.5)
        headings = [box.rect for box in pilot.engine.fonts.log.boxes if box.text.startswith("Staged")]
        until_crossfade(pilot)
        pilot.advance(0.75)
        assert pilot.engine.sequencer.in_transition
        frame = pygame.surfarray.array3d(pilot.frame()).astype(int)
        pilot.advance(1.5)
        headings += [box.rect for box in pilot.engine.fonts.log.boxes if box.text.startswith("Self")]
    assert len(headings) == 2
    for rect in headings:
        patch = frame[rect.left:rect.right, rect.top:rect.bottom]
        assert abs(patch - BACKGROUND).max() <= 6, f"words show half-way through the crossfade at {tuple(rect)}"


def test_pictures_still_cross(tmp_path):
    """Only words keep apart: the two cards' grounds blend as before."""
    scenes = {"a": card("a", "One", "", "#ff0000"), "b": card("b", "Two", "", "#00ff00")}
    with run_test(write_show(tmp_path, scenes, size=(320, 180)), fps=40) as pilot:
        until_crossfade(pilot)
        pilot.advance(0.75)
        r, g, _ = tuple(pilot.frame().get_at((4, 4)))[:3]
    assert 90 < r < 165 and 90 < g < 165, (r, g)


def test_a_crossfade_cut_short_does_not_bring_back_the_words_that_had_left(tmp_path):
    """Next, half-way from a to b: b's words had not come yet; they do not flash up as b leaves."""
    with run_test(two_cards(tmp_path, third=True), fps=40) as pilot:
        pilot.engine.fonts.log.recording = True
        until_crossfade(pilot)
        pilot.advance(0.75)
        pilot.command("next")
        assert pilot.scene_id == "c" and pilot.engine.sequencer.in_transition
        leaving, _ = words_seen(pilot)
    assert leaving < 0.02, f"b's words flashed up at {leaving:.2f} as it left"


def test_faded_words_keep_their_place(tmp_path):
    """A scene hangs its next block under the box place() returns: faded, the box is the same."""
    pygame.init()
    fonts = Fonts(360)
    text = fonts.block("Staged, Synthetic, Real", "serif", 60, (240, 230, 216), 400)
    target = pygame.Surface((480, 270))
    shown = fonts.place(target, text, (20, 30))
    target.fill((0, 0, 0))
    with fonts.words_faded(0.0):
        hidden = fonts.place(target, text, (20, 30))
    assert hidden == shown and hidden.height > 0
    assert pygame.surfarray.array3d(target).max() == 0
    with fonts.words_faded(0.5):
        fonts.place(target, text, (20, 30))
    half = pygame.surfarray.array3d(target).max()
    assert fonts.words_opacity == 1.0 and 60 < half < 200, half  # (half the ink of 240, and back to whole after)


def test_the_quizs_button_comes_with_its_words(tmp_path):
    """Half-way into the quiz, its start button stood whole and empty, its label not yet there:
    a button is words to a visitor, and comes with them."""
    from .conftest import load_default_show

    with run_test(load_default_show(), size=(960, 540), fps=40) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.command("goto", "quiz")
        assert pilot.scene_id == "quiz" and pilot.engine.sequencer.in_transition
        pilot.advance(0.75)
        half = pilot.frame()
        pilot.advance(2.0)
        label = next(box.rect for box in pilot.engine.fonts.log.boxes if box.text == "Touch to play")
        whole = pilot.frame()
    # Just left of the label, inside the button: gold once the quiz is on, ground half-way.
    x, y = label.left - max(3, label.height // 3), label.centery
    gold, ground = tuple(whole.get_at((x, y)))[:3], tuple(half.get_at((x, y)))[:3]
    assert gold[0] > 120 and gold[0] - gold[2] > 50, f"no button at {(x, y)}: {gold}"
    assert max(ground) < 60, f"the button showed before its words, {ground} half-way at {(x, y)}"
