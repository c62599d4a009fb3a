"""A pair's reveal on a small screen: the real face's outline clear of the other face."""

from __future__ import annotations

import pygame
import pytest


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)])
def test_a_pairs_real_face_is_outlined_clear_of_the_other(tmp_path, monkeypatch, size):
    """At 800x480 a pair's reveal set its two faces 6 px apart (12 px at 1080p, floored) and
    outlined the real one 6 px wide outside its picture: the outline filled the gap and ran
    into the generated face beside it. The outline now stands clear of the other face."""
    from installation.scenes import quiz_draw

    from .conftest import quiz_reveals

    drawn = []
    real_picture = quiz_draw.picture

    def recorded(surface, image, rect, border=None, width=0):
        drawn.append((pygame.Rect(rect), border is not None, width))
        real_picture(surface, image, rect, border, width)

    monkeypatch.setattr(quiz_draw, "picture", recorded)
    seen = 0
    for _pilot, _shown in quiz_reveals(tmp_path, size, mode="pair"):
        outlined = [(rect, width) for rect, bordered, width in drawn if bordered]
        assert outlined
        rect, width = outlined[-1]
        # (the other face of the pair: drawn at the same size, not outlined)
        others = {tuple(r) for r, bordered, _ in drawn if not bordered and r.size == rect.size}
        drawn.clear()
        for other in others:
            seen += 1
            touching = rect.inflate(2 * width, 2 * width).colliderect(pygame.Rect(other).inflate(2 * width, 2 * width))
            assert not touching, (rect, other, width)
    assert seen
