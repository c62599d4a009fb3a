"""An upright pair round's reveal as a visitor meets it: the two faces they were asked about are
the largest pictures on it, and its top band holds them and the machine's map without a hole."""

from __future__ import annotations

import pygame
import pytest

from installation.textlog import problems

from .test_quiz_reveal_wide import _drawn

# Upright screens a kiosk is hung on: 9:16 at three densities, 4:5 poster, 4:5 and 3:4 monitors.
UPRIGHT = [(1080, 1920), (720, 1280), (2160, 3840), (1080, 1350), (1024, 1280), (1200, 1600)]
# At 9:16 each face takes at least this share of the width (it was 0.22 at 1080x1920).
FACE_SHARE_9_16 = 0.28
# The widest run of nothing across the band of faces and map, as a share of the width: the
# gutters between pictures, not a hole (it was 0.23 at 1080x1920).
MOST_GAP = 0.08


@pytest.mark.parametrize("size", UPRIGHT)
def test_upright_a_pairs_faces_are_larger_than_the_eyes_and_the_map(tmp_path, monkeypatch, size):
    """At 1080x1920 the faces stood one above the other at the band's left, 239 px each (0.22 of
    the width), while each eye tile under them was 303: the evidence outweighed the pictures the
    visitor was asked about (at 1200x1600, faces of 294 px above eyes of 297). On every upright
    reveal of a pair round each face is now at least as large as each eye and as the map, at
    9:16 at least FACE_SHARE_9_16 of the width; no picture overlaps another, the panel or a
    word, nothing is off the screen, and no word is under the kiosk's least size."""
    screen = pygame.Rect((0, 0), size)
    seen = 0
    for key, drawn, (panel, eyes), boxes in _drawn(tmp_path, monkeypatch, size, "pair"):
        assert len(drawn) == 3 and eyes is not None, (key, drawn, eyes)
        *faces, shown_map = drawn
        face = min(min(rect.size) for rect in faces)
        assert face >= eyes.height and face >= shown_map.width, (key, faces, eyes, shown_map)
        if size[1] * 9 == size[0] * 16:
            assert face >= FACE_SHARE_9_16 * size[0], (key, faces)
        for n, rect in enumerate(drawn):
            assert screen.contains(rect) and screen.contains(panel) and not rect.colliderect(panel), (key, rect)
            assert not [b.text for b in boxes if b.rect.colliderect(rect)], (key, rect)
            assert not [other for other in drawn[n + 1:] if other.colliderect(rect)], (key, drawn)
        assert not problems(boxes), (key, problems(boxes))
        seen += 1
    assert seen == 5


def _widest_gap(spans: list[tuple[int, int]]) -> int:
    """The widest run of x no span covers, between the first span's start and the last's end."""
    spans = sorted(spans)
    widest, reached = 0, spans[0][1]
    for start, end in spans[1:]:
        widest = max(widest, start - reached)
        reached = max(reached, end)
    return widest


@pytest.mark.parametrize("size", [(1080, 1920), (720, 1280), (2160, 3840)])
def test_upright_a_pairs_top_band_has_no_hole(tmp_path, monkeypatch, size):
    """At 1080x1920 the band of pictures held the stacked faces and their labels at the left,
    the map at the right, and between them 0.23 of the width empty: a hole in the composition
    a designer would not hang. Across the band, from the faces' top to the lowest picture's
    foot, no run of the frame's width wider than MOST_GAP of the screen holds no picture and
    no word, on any reveal; the pictures reach the frame's right edge (the panel's)."""
    seen = 0
    for key, drawn, (panel, _eyes), boxes in _drawn(tmp_path, monkeypatch, size, "pair"):
        top, foot = min(r.top for r in drawn), max(r.bottom for r in drawn)
        spans = [(r.left, r.right) for r in drawn]
        spans += [(b.rect.left, b.rect.right) for b in boxes if b.rect.top < foot and b.rect.bottom > top]
        assert _widest_gap(spans) <= MOST_GAP * size[0], (key, sorted(spans))
        assert max(r.right for r in drawn) >= panel.right - 1, (key, drawn, panel)
        seen += 1
    assert seen == 5
