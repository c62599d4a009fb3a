"""What the quiz's reveal says: the headline, the visitor's answer and the machine's, in the
words of the show (quiz_reveal_plan measures and arranges them, quiz_screens draws them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..words import words
from .quiz_layout import geometry, side_word

if TYPE_CHECKING:
    from .quiz import QuizScene


def shown_percent(probability: float) -> int:
    """A verdict's probability as the visitor reads it, 1-99%: a statistical model is never
    certain, and the show must not say it is (a cross-fitted verdict on a few items reads
    0.9999, and the reveal said "100% sure" of a machine that is right half the time)."""
    return int(min(99, max(1, round(100 * probability))))


def _picked(scene: QuizScene, key: str) -> str:
    """A pair's picture named as the reveal labels it (REAL, GENERATED, ALTERED), never by its
    place: an upright screen asked with the faces stacked and reveals them side by side, so a
    visitor who touched the upper face read "You said the left picture was real"."""
    item = scene.items[key].item
    if item.truth == "real":
        return words("quiz.picked_real")
    return words("quiz.picked_made", kind=words(f"quiz.kind_{item.kind}"))


def _machine_words(scene: QuizScene, question, explained, record, g, across: bool) -> str:
    """What the reveal says of the machine's answer."""
    if record["machine_correct"] is None:
        return words("quiz.machine_off")
    verdict = explained.verdict
    word = words("quiz.said_fake" if verdict.fake else "quiz.said_real")
    if scene.config.mode == "pair":
        picked = scene.machine_answer(question)
        # (side= still fills a show's own words written before the pictures were named.)
        side, named = side_word(g, question[0].key == picked, across), _picked(scene, picked)
        if getattr(explained.explanation, "coin", False):
            return words("quiz.machine_unsure_pair", side=side, picked=named)
        return words("quiz.machine_said_pair", side=side, picked=named, kind=words(f"quiz.kind_{explained.item.kind}"),
                     percent=shown_percent(verdict.probability))
    if getattr(explained.explanation, "unsure", False):
        return words("quiz.machine_unsure", word=word)
    return words("quiz.machine_said", word=word, percent=shown_percent(verdict.confidence))


def texts(scene: QuizScene, question, answer: str | None, record, across: bool = False) -> tuple:
    """What a reveal of `question` says, `answer` being the visitor's: the item explained, the
    headline, the visitor's answer and the machine's; `across`, whether the reveal sets a
    stacked pair's faces side by side (quiz_upright.pair_band)."""
    g = geometry(scene)
    if scene.config.mode == "single":
        explained = scene.items[question[0].key]
        truth_text = words(f"quiz.truth_{explained.item.kind}")
        said = words("quiz.said_real" if answer == "real" else "quiz.said_fake")
    else:
        explained = scene.items[next(i for i in question if i.truth == "fake").key]
        truth_text = words("quiz.truth_pair_right" if record["correct"] else "quiz.truth_pair_wrong")
        said = words("quiz.said_side", side=side_word(g, question[0].key == answer, across),
                     picked=_picked(scene, answer))
    return explained, truth_text, said, _machine_words(scene, question, explained, record, g, across)


def answers(scene: QuizScene, question) -> list[tuple[str, dict]]:
    """Each answer a visitor may give to `question`, with the record it would leave."""
    machine = scene.machine_answer(question)
    if scene.config.mode == "pair":
        truth = next(i.key for i in question if i.truth == "real")
        given = [item.key for item in question]
    else:
        truth = question[0].truth
        given = ["real", "fake"]
    return [(answer, {"question": question, "correct": answer == truth,
                      "machine_correct": machine == truth if machine is not None else None}) for answer in given]
