"""Upright, the reveal's eyes are the evidence a visitor is asked to check for themselves:
they get the room to be seen, and the words keep theirs."""

from __future__ import annotations

import pygame
import pytest

from installation.scenes import quiz_draw, quiz_explain, quiz_reveal_plan
from installation.textlog import problems

from .conftest import drawn_reveals, quiz_reveals


def _reveals(tmp_path, monkeypatch, size, mode="single"):
    """Every reveal of the default quiz's round (a fixed order) at `size` in `mode`: where its eyes
    were drawn (None where the machine's cue is not the eyes), its visitor text boxes and
    whether one of the machine's accounts was among them."""
    drawn: list[pygame.Rect | None] = []
    original = quiz_draw.eyes_panel

    def recording(*args, **kwargs):
        rect = original(*args, **kwargs)
        drawn.append(rect)
        return rect

    monkeypatch.setattr(quiz_draw, "eyes_panel", recording)
    out = []
    for pilot, shown in quiz_reveals(tmp_path, size, before_reveal=drawn.clear, mode=mode):
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
        accounts = set(quiz_explain.accounts(shown.explanation, shown.item.kind))
        out.append((shown.item.key, drawn[-1] if drawn else None, boxes, any(b.text in accounts for b in boxes)))
    return out


@pytest.mark.parametrize("size", [(1080, 1920), (2160, 3840)])
def test_upright_the_eyes_are_large_enough_to_check_and_the_words_stay(tmp_path, monkeypatch, size):
    """On 1080x1920 the eyes came out as 142 to 185 px tiles under a panel 970 px wide, because the
    words took the room first: the highlights a visitor is asked to compare were a few
    pixels across. Each eye now takes at least a quarter of the screen's width, and the
    reveal still says everything it said (the verdict, the answers, an account of the
    machine, the credit), nothing over the eyes or over each other."""
    reveals = _reveals(tmp_path, monkeypatch, size)
    with_eyes = [(key, eyes, boxes, told) for key, eyes, boxes, told in reveals if eyes is not None]
    assert with_eyes, [key for key, *_ in reveals]
    for key, eyes, boxes, told in with_eyes:
        tile = eyes.height  # (two square tiles side by side)
        assert tile >= size[0] // 4, (key, eyes)
        assert told, key
        assert not [b.text for b in boxes if b.rect.colliderect(eyes)], key
        assert not problems(boxes), problems(boxes)


# Each eye's least share of the width: where the verdict stands beside the picture (4:5), a
# fifth (quiz_upright.FEATURE_LEAST); at 720x1280 the row still gives each eye a quarter.
LEAST_EYE_SHARE = {(1024, 1280): 0.2, (720, 1280): 0.25}


@pytest.mark.parametrize("mode", ["single", "pair"])
@pytest.mark.parametrize("size", [(1024, 1280), (720, 1280)])
def test_on_a_portrait_screen_every_reveal_shows_the_eyes_and_what_the_machine_saw(tmp_path, monkeypatch, size,
                                                                                 mode):
    """On a 4:5 screen (1024x1280) the words, at the kiosk's least type, left the machine's
    panel no room: the eyes were left out of every reveal, and no reveal of a single-picture
    round said what the machine saw; at 720x1280 three eyes were 174 px tiles. Then, moved
    aside for the eyes, the picture the visitor was asked about was 151-229 px, smaller than
    each eye. Every reveal now shows the picture at least a third of the width and larger than
    anything else on it (a pair's two faces and labels, 0.35), both eyes (a fifth of the width
    at 1024x1280, a quarter at 720x1280), one of the machine's accounts; the pictures, the panel and the words (the
    layout's own rectangles) overlap nowhere and stay on the screen."""
    screen = pygame.Rect((0, 0), size)
    for pilot, shown, drawn, panel, eyes, boxes in drawn_reveals(tmp_path, monkeypatch, size, mode):
        key = shown.item.key
        assert panel is not None, key
        assert eyes is not None, (key, panel)
        assert eyes.height >= LEAST_EYE_SHARE[size] * size[0], (key, eyes)
        face = quiz_reveal_plan.reveal_boxes(pilot.engine.sequencer.current.scene)["reveal_image"]
        # (a pair's box: both faces one above the other and their labels, no wider)
        # (a single picture gives way to a third of the width where the eyes need it, quiz_upright)
        assert face.width >= (1 / 3 if mode == "single" else 0.35) * size[0], (key, face)
        if mode == "single":  # (a pair's two faces share the box)
            assert face.width > max(eyes.height, *(r.width for r in drawn if r != face)), (key, face, eyes)
        assert set(quiz_explain.accounts(shown.explanation, shown.item.kind)) & {b.text for b in boxes}, key
        assert not problems(boxes), problems(boxes)
        assert not [b.text for b in boxes if b.rect.colliderect(eyes)], key
        assert len(drawn) == (2 if mode == "single" else 3), (key, drawn)
        for n, rect in enumerate(drawn):
            assert screen.contains(rect) and screen.contains(panel), (key, rect, panel)
            assert not rect.colliderect(panel), (key, rect, panel)
            assert not [b.text for b in boxes if b.rect.colliderect(rect)], (key, rect)
            assert not [other for other in drawn[n + 1:] if other.colliderect(rect)], (key, drawn)


@pytest.mark.parametrize("mode", ["single", "pair"])
@pytest.mark.parametrize("size", [(1080, 1920), (720, 1280), (1024, 1280)])
def test_upright_every_reveal_of_a_round_has_one_layout(tmp_path, size, mode):
    """At 1080x1920 four reveals set the verdict beside the picture and one, whose eyes had a
    shorter sentence, kept it under the eyes, with a larger picture: a visitor met the
    reveal's parts in another place on one question; at 1024x1280 the picture was 422 px on one
    reveal, 437 on another. Every reveal of a round now puts the verdict in one place, and a
    single picture at one size (a pair's box follows its two pictures' shapes)."""
    layouts = set()
    for pilot, _shown in quiz_reveals(tmp_path, size, mode=mode):
        boxes = quiz_reveal_plan.reveal_boxes(pilot.engine.sequencer.current.scene)
        verdict = boxes.get("reveal_verdict")
        image = boxes["reveal_image"]
        layouts.add(("beside" if verdict is not None else "under", tuple(image) if mode == "single" else image.topleft))
    assert len(layouts) == 1, (size, layouts)


@pytest.mark.parametrize("radius", [9.0, 10.0, 14.0, 16.0])
def test_each_eye_fills_its_tile_whatever_its_size(radius):
    """The eyes were drawn at a whole zoom of their picture, and where the picture's patch was
    smaller than the tile at that zoom they came out smaller than it, by each eye's own size: a
    1366x768 round's eyes were 129, 135 and 142 px in tiles of 142. Each eye now fills its tile
    on every reveal, the iris ringed where it is in the picture (its outline drawn through the
    dark disc painted at the iris), from a picture drawn in the test."""
    import cv2
    import numpy as np

    from installation.models.detector.eyes import EyeCues, views

    picture = np.full((300, 400, 3), 200, np.uint8)
    irises = [(130.0, 150.0, radius), (270.0, 150.0, radius)]
    for cx, cy, r in irises:
        cv2.circle(picture, (int(cx), int(cy)), int(r), (30, 30, 30), -1)
    view = views(picture, EyeCues(0.0, 0.0, irises, [None, None]))
    for tile in range(90, 321, 7):
        drawn = quiz_draw.eyes_picture(view, tile)
        assert drawn.shape[:2] == (tile, 2 * tile + max(2, tile // 20)), (radius, tile, drawn.shape)
        # (the iris, dark, in the middle of each tile, where its outline is drawn)
        for eye in (drawn[:, :tile], drawn[:, -tile:]):
            dark = np.argwhere(eye.max(axis=2) < 60)
            middle = dark.mean(axis=0)
            assert abs(middle[0] - tile / 2) < 0.08 * tile and abs(middle[1] - tile / 2) < 0.08 * tile, (tile, middle)
