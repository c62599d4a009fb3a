"""A pair round's reveal on the screen shapes museums run, landscape and upright: the two faces
the visitor was asked about are the largest pictures on it, the machine's map and the eyes
clearly smaller, and the map's label reads as a label, not a column of single words."""

from __future__ import annotations

import pygame
import pytest

from installation.textlog import problems

from .test_quiz_reveal_wide import _drawn

# (9:16 where each eye was as large as a face; the landscape sizes where the map was twice one;
# 5:4 and 4:3, where the map was 270 px beside faces of 129 at 1280x1024)
SHAPES = [(1920, 1080), (1366, 768), (800, 480), (3840, 2160), (1080, 1920), (1280, 1024), (1024, 768),
          (1600, 1200)]
# Each eye's tile at most this share of a face: at 1080x1920 they were 324 px beside faces of
# 326, and read as a second pair of pictures.
EYES_OF_FACE_MOST = 0.9


def _lines(box) -> int:
    """How many lines a text box of the typography log holds (a generous pitch of 1.75 caps)."""
    return 1 + round((box.baseline - box.cap_top - box.cap) / (1.75 * box.cap))


@pytest.mark.parametrize("size", SHAPES)
def test_a_pairs_faces_are_the_largest_pictures_on_every_shape(tmp_path, monkeypatch, size):
    """On landscape screens a pair's map was a square as large as both faces together (at
    1920x1080, 410 px beside faces of 199; 800x480, 211 beside 79), and the eyes under it were
    larger than the faces too (252 px); the rule that the pictures asked about are the largest
    things on the reveal held only upright, and there the eyes were 324 px beside faces of 326.
    On every shape the map is now no larger than a face and each eye clearly smaller; no
    picture overlaps another, the panel or a word, nothing leaves the screen."""
    screen = pygame.Rect((0, 0), size)
    seen = 0
    for key, drawn, (panel, eyes), boxes in _drawn(tmp_path, monkeypatch, size, "pair"):
        assert len(drawn) == 3 and eyes is not None, (key, drawn, eyes)
        *faces, shown_map = drawn
        face = min(min(rect.size) for rect in faces)
        assert shown_map.width <= face and shown_map.height <= face, (key, faces, shown_map)
        assert eyes.height <= EYES_OF_FACE_MOST * face, (key, faces, eyes)
        assert screen.contains(panel) and panel.contains(eyes), (key, panel, eyes)
        for n, rect in enumerate(drawn):
            assert screen.contains(rect) and not rect.colliderect(panel), (key, rect, panel)
            assert not [b.text for b in boxes if b.rect.colliderect(rect)], (key, rect)
            assert not [other for other in drawn[n + 1:] if other.colliderect(rect)], (key, drawn)
        assert not problems(boxes), (key, problems(boxes))
        seen += 1
    assert seen == 5


@pytest.mark.parametrize("size", [(1080, 1920), (720, 1280), (1920, 1080), (800, 480), (1280, 1024), (1024, 768)])
def test_a_pairs_map_label_reads_in_two_lines_at_most(tmp_path, monkeypatch, size):
    """At 9:16 the label under a pair's map, 3/5 of a face wide, read "the / generated / one's
    map", three lines of one or two words. It now takes two lines at most, under the map and
    no wider than it, and still names whose map it is."""
    seen = 0
    for key, drawn, _eyes, boxes in _drawn(tmp_path, monkeypatch, size, "pair"):
        shown_map = drawn[-1]
        (label,) = [b for b in boxes if b.text.endswith("map") and b.rect.top >= shown_map.bottom]
        assert _lines(label) <= 2, (key, label.text, label.rect)
        assert "generated" in label.text or "altered" in label.text, (key, label.text)
        assert shown_map.left <= label.rect.left and label.rect.right <= shown_map.right, (key, label.rect, shown_map)
        seen += 1
    assert seen == 5


# The eyes' longest sentence in a language whose words run longer than English (a German one):
# a show's words.toml may say it so (docs/languages.md).
LONG_EYES_DIFFER = ("Die beiden Glanzpunkte sitzen an unterschiedlichen Stellen; auf einer Fotografie stimmen "
                    "sie gewöhnlich überein. Bei dieser Bildgröße beweist das allein noch verhältnismäßig wenig.")


@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024)])
def test_a_longer_languages_eyes_show_on_every_reveal_at_one_size(tmp_path, monkeypatch, size):
    """On 5:4 and 4:3 screens a pair's faces stand over the map and the eyes; they were held no
    smaller than the map's side / EYES_OF_FACE, so where the eyes' longest sentence ran longer
    (a show in German) they took the row's room, and the reveal saying it lost its eyes: a
    round at 1024x768 showed them at 135 px on four reveals and not at all on the fifth. Now
    every reveal shows them, at one size, nothing over anything."""
    import copy

    from installation import words as show_words

    table = copy.deepcopy(show_words._table())
    table["quiz"]["explain"]["eyes_differ"] = LONG_EYES_DIFFER
    monkeypatch.setattr(show_words, "_table", lambda: table)
    screen = pygame.Rect((0, 0), size)
    tiles, said_long = {}, False
    for key, drawn, (panel, eyes), boxes in _drawn(tmp_path, monkeypatch, size, "pair"):
        said_long = said_long or any("Glanzpunkte" in b.text for b in boxes)
        assert eyes is not None, (key, panel)
        tiles[key] = eyes.height
        assert screen.contains(panel) and panel.contains(eyes), (key, panel, eyes)
        for n, rect in enumerate(drawn):
            assert screen.contains(rect) and not rect.colliderect(panel), (key, rect, panel)
            assert not [b.text for b in boxes if b.rect.colliderect(rect) or b.rect.colliderect(eyes)], key
            assert not [other for other in drawn[n + 1:] if other.colliderect(rect)], (key, drawn)
        assert not problems(boxes), (key, problems(boxes))
    assert said_long, "no reveal of the round said the eyes' longest sentence"
    assert len(tiles) == 5 and len(set(tiles.values())) == 1, tiles
