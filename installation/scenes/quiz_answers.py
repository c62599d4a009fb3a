"""What the quiz takes as an answer from outside (OSC `/bayard/scene/<id>/answer`): each
mode's words, a pair's positions as numbers, and a desk button's release told apart from an
answer. Touch answers by place (quiz.py); these are a technician's or a button desk's."""

from __future__ import annotations

import math
from typing import Any

SINGLE_WORDS = {"real": "real", "photo": "real", "photograph": "real",
                "fake": "fake", "generated": "fake", "synthetic": "fake"}
PAIR_WORDS = {"left": 0, "upper": 0, "top": 0, "0": 0, "right": 1, "lower": 1, "bottom": 1, "1": 1}
EXPECTED = {"single": "real or fake (or photo, photograph, generated, synthetic)",
            "pair": "which picture is real: left or right (upper or lower, top or bottom, 0 or 1)"}
# A desk button (TouchOSC's) sends its value on press and 0 on release: a numeric 0 this soon
# after an answer is that button let go. Taken as "left", it answered the next question, or
# moved on from the reveal the visitor had just asked for. (Touch waits as long: quiz.py.)
RELEASE_S = 0.6


def read_answer(value: Any, mode: str) -> str | int | None:
    """"real" or "fake" (single), 0 or 1 (pair: the left or upper picture, the right or
    lower), or None when `value` names no answer in `mode`. A number is a pair's position
    whether sent as an integer or a float (1.0, as desks send it, as every OSC address takes
    it); in single mode no number is an answer."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if mode == "pair" and math.isfinite(value) and value in (0, 1):
            return int(value)
        return None
    word = str(value).strip().lower()
    return SINGLE_WORDS.get(word) if mode == "single" else PAIR_WORDS.get(word)


def is_release(value: Any, since_answer_s: float) -> bool:
    """A numeric 0 (or false) within RELEASE_S of the last answer: a button let go."""
    return isinstance(value, (int, float)) and value == 0 and since_answer_s < RELEASE_S
