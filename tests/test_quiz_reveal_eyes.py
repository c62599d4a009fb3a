"""Upright, the reveal's eyes are the evidence a visitor is asked to check for themselves:
they get the room to be seen, and the words keep theirs."""

from __future__ import annotations

import pygame
import pytest

from installation.scenes import quiz_draw, quiz_explain
from installation.textlog import problems

from .conftest import quiz_reveals


def _reveals(tmp_path, monkeypatch, size):
    """Every reveal of the default quiz's round (a fixed order) at `size`: where its eyes
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
    for pilot, shown in quiz_reveals(tmp_path, size, before_reveal=drawn.clear):
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
