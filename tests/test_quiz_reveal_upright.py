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

