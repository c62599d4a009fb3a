"""The reveal on a 9:16 screen (1080x1920) as a visitor reads it: the machine's answer in lines
of a readable length, and the eyes they are asked to compare at one size from question to question."""

from __future__ import annotations

import pytest

from .test_quiz_reveal_eyes import _reveals

# The least characters a line of the reveal's answers holds on average: body text is set at
# 45-75 a line in print, and a kiosk's larger type allows fewer; beside the picture they held
# 13-15 ("You said a / real photograph.", "The machine / leaned towards / generated, but it /
# was unsure.").
LEAST_PER_LINE = 24


@pytest.mark.parametrize("size", [(1080, 1920)])
def test_upright_the_machines_answer_reads_in_lines_not_words(tmp_path, monkeypatch, size):
    """At 1080x1920 the verdict stood beside the picture in a column of 433 px: the machine's
    answer took four lines of two or three words, and hung 160 px below the picture. It now
    runs across under the picture, leading to the machine's map and eyes; the eyes keep their
    quarter of the width, and one size from question to question."""
    reveals = _reveals(tmp_path, monkeypatch, size)
    assert reveals
    tiles = {key: eyes.height for key, eyes, *_ in reveals if eyes is not None}
    assert len(tiles) >= 3 and max(tiles.values()) - min(tiles.values()) <= 1, tiles
    for key, eyes, boxes, _ in reveals:
        machine = [b for b in boxes if b.text.startswith("The machine")]
        assert len(machine) == 1, (key, [b.text for b in boxes])
        (answer,) = machine
        pitch = 1.75 * answer.cap  # (a generous line pitch: a line more would be far more than this)
        lines = 1 + round((answer.baseline - answer.cap_top - answer.cap) / pitch)
        assert len(answer.text) / lines >= LEAST_PER_LINE, (key, answer.text, lines)
        if eyes is not None:
            assert eyes.height >= size[0] // 4, (key, eyes)



@pytest.mark.parametrize("size", [(1024, 1280), (1080, 1350), (1200, 1600)])
def test_squarish_a_pair_rounds_eyes_are_one_size(tmp_path, monkeypatch, size):
    """On a 4:5 screen (1024x1280) a pair round's eye tiles were 212, 258, 212, 210 and 220 px
    from one reveal to the next (each panel took what its verdict and its sentence left): the
    evidence a visitor compares jumped in size as if the screen were broken. Every reveal of the
    round now shows them at one size, still at least a fifth of the width; nothing the visitor
    reads runs over them."""
    reveals = _reveals(tmp_path, monkeypatch, size, mode="pair")
    shown = [(key, eyes, boxes) for key, eyes, boxes, _ in reveals if eyes is not None]
    assert len(shown) == len(reveals), [key for key, *_ in reveals]
    sizes = {eyes.height for _, eyes, _ in shown}
    # (each picture's pixel is drawn a whole number of screen pixels a side, quiz_draw.eyes_picture:
    # the drawing is the tile's box less a remainder of a few pixels, by the eye's own size)
    assert max(sizes) - min(sizes) <= 0.02 * max(sizes), [(key, eyes.height) for key, eyes, _ in shown]
    assert min(sizes) >= 0.2 * size[0], sizes
    for key, eyes, boxes in shown:
        assert not [b.text for b in boxes if b.rect.colliderect(eyes)], key
