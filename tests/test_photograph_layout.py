"""Bayard's print and its words on screens of every shape: the print is the point of the
room, and the words are read from a metre or two; neither is given up for the other."""

from __future__ import annotations

import pygame
import pytest

from installation.harness import run_test
from installation.preview import single_scene_show
from installation.textlog import problems

from .conftest import REPO, load_default_show

LABEL = ("Self Portrait as a Drowned Man", "HIPPOLYTE BAYARD", "A drawing of the photograph", "Written by Bayard")


def _bayard(size, moments=(12.0, 45.0), shown=0.98):
    """The print's rect, the words' overrun, and the visitor text boxes at each moment
    (those at least `shown` opaque: settled, or with 0.02 any at all)."""
    show = single_scene_show(load_default_show(), (REPO / "scenes/bayard.toml").resolve())
    shots = []
    with run_test(show, fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        t = 0.0
        for moment in moments:
            pilot.advance(moment - t)
            t = moment
            boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > shown]
            shots.append(boxes)
        scene = pilot.engine.sequencer.current.scene
        return scene._photo_rect(), scene.words_overrun, shots, pilot.engine.fonts.size("serif", 0)


@pytest.mark.parametrize(("size", "least_width"), [((1280, 1024), 430), ((1024, 768), 330)])
def test_on_a_squarer_screen_the_label_stands_beside_a_larger_print_and_the_story_runs_below(size, least_width):
    """On a 5:4 screen the print gave way to a column of words beside it until it was 333
    px wide (a twentieth of the screen). The label (title, date, credit) now stands beside
    the print as on a gallery wall, the story runs under both the full width of the
    screen, and the print is a third larger again, the words still at the kiosk's type."""
    print_rect, overrun, shots, _ = _bayard(size)
    assert overrun == 0
    assert print_rect.width >= least_width, print_rect
    for boxes in shots:
        assert not problems(boxes), problems(boxes)
        label = [b for b in boxes if b.text.startswith(LABEL)]
        story = [b for b in boxes if not b.text.startswith(LABEL)]
        assert label and story, [b.text[:30] for b in boxes]
        # Beside the print: its first capitals on the print's top, its last baseline on its foot.
        assert all(b.rect.left > print_rect.right for b in label)
        assert abs(min(b.cap_top for b in label) - print_rect.top) <= 1
        assert abs(max(b.baseline for b in label) - print_rect.bottom) <= 1
        # Below it, from the print's left edge (a glyph's side bearing aside), never over it.
        assert all(b.rect.top > print_rect.bottom for b in story)
        assert all(abs(b.rect.left - print_rect.left) <= 3 for b in story), [b.rect for b in story]


def test_on_a_wide_screen_the_print_keeps_the_grids_column_beside_it():
    """16:9 screens keep one column of words beside the print, on the show's grid."""
    print_rect, _, shots, _ = _bayard((1920, 1080), moments=(12.0,))
    assert all(b.rect.left > print_rect.right for b in shots[0])


# Every shape of screen a gallery hangs: upright 4:5 and 9:16, square, 5:4, 16:9 small,
# full HD and 4K.
EVERY_SCREEN = [(1024, 1280), (1080, 1080), (1080, 1920), (1280, 1024), (1280, 720), (1920, 1080), (3840, 2160)]
# Each caption in full and in passing, the print turning, its back with the translation
# and attribution, and the back's last seconds (scenes/bayard.toml).
EVERY_MOMENT = (3.0, 12.0, 19.2, 25.0, 35.5, 38.0, 45.0, 57.0)


@pytest.mark.parametrize("size", EVERY_SCREEN, ids=[f"{w}x{h}" for w, h in EVERY_SCREEN])
def test_every_moment_of_bayard_fits_every_screen(size):
    """On a square screen (1080x1080) the back's attribution ran 168 px off the bottom: the
    type was at the kiosk's minimum and could shrink no further, while the lines stayed 1.8
    times the type size apart with an empty line between paragraphs, beside a print 281 px
    wide. Every line of every moment now lies on the screen, none over another, none under
    the minimum, on every shape of screen."""
    _, overrun, shots, _ = _bayard(size, EVERY_MOMENT, shown=0.02)
    screen = pygame.Rect((0, 0), size)
    for moment, boxes in zip(EVERY_MOMENT, shots, strict=True):
        assert boxes, moment
        off = [(b.text[:40], tuple(b.rect)) for b in boxes if not screen.contains(b.rect)]
        assert not off, f"{size} at {moment}s: {off}"
        assert not problems(boxes), (moment, problems(boxes))
    assert overrun == 0


def test_on_a_square_screen_the_lines_close_up_before_the_print_shrinks_to_a_thumbnail():
    """What a typographer does first where room is short: the lines of the back's
    translation close up (no more than the face's own line height apart, half a line
    between paragraphs), and the print beside its title stays larger than the 281 px
    thumbnail it had shrunk to, its story and credits under both."""
    print_rect, overrun, shots, _ = _bayard((1080, 1080), moments=(45.0,))
    assert overrun == 0
    assert print_rect.width >= 360, print_rect
    translation = next(b for b in shots[0] if b.text.startswith("“The corpse"))
    # Eight lines and a paragraph's space, at most 1.4 times the type's line height each.
    assert translation.rect.height <= 8.5 * 1.4 * 36 + 36, translation.rect
    assert translation.rect.top > print_rect.bottom


def test_words_that_cannot_fit_at_all_are_reported_not_clipped_silently(tmp_path, capsys):
    """An artist's own text too long for any layout at the kiosk's type (a translation
    many times Bayard's) cannot be drawn whole: the technician is told in status and the
    log while the show plays, and `bayard check` names the file and the line to shorten."""
    from installation.cli import main
    from installation.scenes.photograph_captions import TIGHTEST

    from .conftest import write_show

    letter = " ".join(["The Government, which gave far too much to Monsieur Daguerre, said it could do nothing."] * 12)
    path = write_show(tmp_path, {"print": f"""
        type = "photograph"
        id = "print"
        title = "A print"
        image = "print.png"
        duration = 30

        [[captions]]
        at = 1
        role = "title"
        text = "A print"

        [verso]
        at = 5
        text = "Le Gouvernement."
        translation = "{letter}"
        attribution = "Written on the back."
        """}, size=(1080, 1080))
    pygame.image.save(pygame.Surface((400, 300)), str(tmp_path / "content" / "print.png"))
    with run_test(path, size=(1080, 1080)) as pilot:
        pilot.advance(0.5)
        scene = pilot.engine.sequencer.current.scene
        assert scene.words_overrun > 0 and scene._setting == TIGHTEST
        told = [e for e in pilot.engine.errors if e["where"] == "print" and "shorten" in e["message"]]
        assert told and told[0]["severity"] == "warning", pilot.engine.errors
        assert "1080x1080" in told[0]["message"]
    assert not [e for e in pilot.engine.errors if e["severity"] == "error"], pilot.engine.errors
    assert main(["check", "--show", str(path)]) == 0
    said = capsys.readouterr().out
    assert "print.toml:15: verso.translation: the captions need" in said and "1080x1080 screen" in said
