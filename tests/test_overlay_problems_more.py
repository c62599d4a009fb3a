"""The overlay lists five of the show's files' problems: past five it said nothing of the rest
but the heading's count, and a technician who fixed the five listed was left wondering why
the count had not fallen. A line says how many more, and where they are said."""

from __future__ import annotations

import pytest

from .conftest import drawn_overlay


def _status(listed: int, count: int) -> dict:
    problems = [f"scenes/quiz{i}.toml:{10 + i}: picture: media file 'portraits/sitter-{i}.jpg' not found in "
                f"content/; copy it there" for i in range(listed)]
    errors = [{"time": 0, "where": "reload", "message": "scenes/quiz0.toml: refused", "severity": "error"}]
    return {"show": "Deepfakes", "scene": "intro", "problems": problems, "problem_count": count,
            "standing": [], "errors": errors}


@pytest.mark.parametrize("size", [(800, 480), (3840, 2160)])
def test_the_problems_past_those_listed_are_counted_and_sent_where_they_are_said(size):
    drawn, overlay = drawn_overlay(size, _status(10, 12))  # (status lists ten, and counts all twelve)
    width = overlay.size[0]
    more = [(text, w) for text, w in drawn if "more" in text and "bayard check" in text]
    assert [text for text, _ in more] == ["… and 7 more (see the log / bayard check)"], drawn
    assert all(w < width for _, w in more)
    listed = [text for text, _ in drawn if text.startswith("scenes/quiz")]
    assert len(listed) == 5, listed
    drawn, _ = drawn_overlay(size, _status(5, 5))  # every one listed: no line for none
    assert not any("more (see the log" in text for text, _ in drawn), drawn

