"""The overlay lists five of the conditions that hold until they are mended: past five it said
nothing of the rest, and a technician who mended the five listed saw "Until it is mended:"
stay with nothing under it to mend. A line says how many more, and where they are said."""

from __future__ import annotations

import pytest

from .conftest import drawn_overlay


def _status(conditions: int) -> dict:
    standing = [{"where": f"portrait-{n}", "severity": "warning",
                 "message": f"camera /dev/video{n}: could not open the camera (unplugged?)"}
                for n in range(conditions)]
    return {"show": "Deepfakes", "scene": "intro", "problems": [], "standing": standing, "errors": []}


@pytest.mark.parametrize("size", [(800, 480), (3840, 2160)])
def test_the_conditions_past_those_listed_are_counted_and_sent_where_they_are_said(size):
    drawn, overlay = drawn_overlay(size, _status(8))
    width = overlay.size[0]
    listed = [text for text, _ in drawn if text.startswith("portrait-")]
    assert len(listed) == 5, drawn
    more = [(text, w) for text, w in drawn if text.startswith("… and")]
    assert [text for text, _ in more] == ["… and 3 more (in the log and /bayard/status)"], drawn
    assert all(w < width for _, w in more)
    assert not any(text.startswith("\u2026") and "more lines" in text for text, _ in drawn), drawn  # nothing cut
    drawn, _ = drawn_overlay(size, _status(5))  # every one listed: no line for none
    assert not any(text.startswith("… and") for text, _ in drawn), drawn
