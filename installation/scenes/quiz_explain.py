"""The words of the quiz's reveal: what the machine saw in *this* picture.

Kept apart from drawing so the rules can be tested on their own: a real photograph gets
its own text (never "bright dots" it does not have), an unsure machine says so, and the
text names the cue that weighed most and where it was strongest. The sentences live in
installation/words.toml ([quiz.explain]) with every other visitor-facing word.
"""

from __future__ import annotations

from typing import Any

from ..words import words


def picture_caption(explanation: Any, pair: bool) -> str:
    """The line under the cue's picture."""
    if getattr(explanation, "picture", None) is not None:
        return words("quiz.picture_pair" if pair else "quiz.picture_single")
    return words("quiz.spectrum_pair" if pair else "quiz.spectrum_single")


def _parts(explanation: Any, truth: str) -> tuple[str, str, str]:
    """(a note on the machine's state, what it saw, what the truth means)."""
    verdict = explanation.verdict
    note = ""
    if getattr(explanation, "face_found", None) is False:
        note = words("quiz.explain.no_face")
    elif getattr(explanation, "unsure", False):
        note = words("quiz.explain.unsure")
    if getattr(explanation, "cue", "spectrum") == "pixels":
        place = explanation.cue_place or "in the picture"
        fake = verdict is not None and verdict.fake
        saw = words("quiz.explain.pixels_fake" if fake else "quiz.explain.pixels_real", place=place)
    else:
        saw = words("quiz.explain.spectrum_peaks" if explanation.peaks else "quiz.explain.spectrum_none")
    meaning = words("quiz.explain.truth_real" if truth == "real" else "quiz.explain.truth_fake")
    return note, saw, meaning


def why(explanation: Any, truth: str) -> str:
    """The whole account: the machine's state, what it saw, what the truth means."""
    return " ".join(p for p in _parts(explanation, truth) if p)


def accounts(explanation: Any, truth: str) -> list[str]:
    """The account from fullest to shortest, for a screen with less room: what the machine
    saw is the last thing dropped."""
    note, saw, meaning = _parts(explanation, truth)
    return [why(explanation, truth), " ".join(p for p in (note, saw) if p), saw]
