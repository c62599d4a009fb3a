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


def why(explanation: Any, truth: str) -> str:
    """A few sentences on what the detector saw and what the truth means."""
    verdict = explanation.verdict
    parts: list[str] = []
    if getattr(explanation, "unsure", False):
        parts.append(words("quiz.explain.unsure"))
    if getattr(explanation, "face_found", None) is False:
        parts.append(words("quiz.explain.no_face"))
    if getattr(explanation, "cue", "spectrum") == "pixels":
        place = explanation.cue_place or "in the picture"
        fake = verdict is not None and verdict.fake
        parts.append(words("quiz.explain.pixels_fake" if fake else "quiz.explain.pixels_real", place=place))
    else:
        parts.append(words("quiz.explain.spectrum_peaks" if explanation.peaks else "quiz.explain.spectrum_none"))
    parts.append(words("quiz.explain.truth_real" if truth == "real" else "quiz.explain.truth_fake"))
    return " ".join(parts)
