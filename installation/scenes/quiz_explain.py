"""The words of the quiz's reveal: what the machine saw in *this* picture.

Kept apart from drawing so the rules can be tested on their own: a real photograph gets
its own text (never "bright dots" it does not have), an unsure machine says so, and the
text names the cue that weighed most and where it was strongest.
"""

from __future__ import annotations

from typing import Any


def picture_caption(explanation: Any, pair: bool) -> str:
    """The line under the cue's picture."""
    if getattr(explanation, "picture", None) is not None:
        return "where the machine looked" if not pair else "where the machine looked (generated one)"
    return "its noise spectrum" if not pair else "the generated one's noise spectrum"


def why(explanation: Any, truth: str) -> str:
    """A few sentences on what the detector saw and what the truth means."""
    verdict = explanation.verdict
    parts: list[str] = []
    if getattr(explanation, "unsure", False):
        parts.append(
            "The machine is unsure about this one: its score sits right on its line between photograph and generated."
        )
    if getattr(explanation, "face_found", None) is False:
        parts.append("It found no face here, so it read the middle of the picture.")
    if getattr(explanation, "cue", "spectrum") == "pixels":
        place = explanation.cue_place or "in the picture"
        if verdict is not None and verdict.fake:
            parts.append(
                "It compares each pixel with its neighbours. Generators enlarge a picture step by step, and the "
                f"steps leave a regular pattern between neighbouring pixels. It found that pattern most strongly {place} "
                "(warm colours, ringed)."
            )
        else:
            parts.append(
                "It compares each pixel with its neighbours, looking for the regular pattern a generator's "
                f"enlarging steps leave. Here the pixels looked like a photograph's, most clearly {place} (cool colours, ringed)."
            )
    elif explanation.peaks:
        parts.append(
            "Generators build a picture by enlarging it step by step. The steps can leave a faint regular grid in the "
            "finest detail: bright dots in the spectrum (ringed here) and bumps in the curve."
        )
    else:
        parts.append(
            "Generators build a picture by enlarging it step by step, which can leave bright dots in the spectrum. "
            "This picture's spectrum has none, so the machine went by the shape of the curve."
        )
    if truth == "real":
        parts.append(
            "This photograph's fine grain comes from the film, paper or camera that made it, not from a network."
        )
    else:
        parts.append("This face was made by a computer for the exhibition: no such photograph exists.")
    return " ".join(parts)
