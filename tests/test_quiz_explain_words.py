"""What the quiz's reveal says of the machine, as a visitor reads it: true of the picture shown
(an altered photograph is never explained as a generator's work), one plain thought where the
quiz's cross-fit decided against the picture's own map, and in the show's own language."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pytest

from installation.models.detector.base import Verdict
from installation.scenes import quiz_explain
from installation.words import use_show_words, words

from .conftest import quiz_reveals


@dataclass
class _Explanation:
    verdict: Verdict
    cue: str = "pixels"
    cue_place: str = "around the mouth"
    peaks: list = field(default_factory=list)
    picture: object = None
    face_found: bool | None = True
    unsure: bool = False
    coin: bool = False
    map_fake: bool | None = None


def _every_explanation():
    """The machine in each state the reveal can meet: either side, its map agreeing or
    overruled, sure, unsure or a coin, by its map or by the spectrum (with and without dots)."""
    for fake, map_fake, state, cue, peaks in itertools.product(
            (True, False), (None, True, False), ("sure", "unsure", "coin"), ("pixels", "spectrum"), ([], [(3, 4)])):
        verdict = Verdict(0.9, 0.5, 2.2) if fake else Verdict(0.1, 0.5, -2.2)
        yield _Explanation(verdict, cue=cue, peaks=peaks, map_fake=map_fake,
                           unsure=state != "sure", coin=state == "coin")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_an_altered_picture_is_never_explained_by_a_generator():
    """The default quiz's altered faces are photographs given a smile by the portrait engine's
    mesh warp: no generator made them. On a screen with less room the reveal dropped what the
    picture is and kept "The machine looks for the regular pattern a generator's enlarging
    steps leave...", so the altered picture was explained by a generator alone. Every account
    of an altered picture that tells what the machine looks for now says what the picture is
    (the one-line pointer at the map or spectrum, the last resort, says neither)."""
    began = words("quiz.explain.truth_altered")
    for explanation in _every_explanation():
        for account in quiz_explain.accounts(explanation, "altered"):
            if "machine looks" in account:
                assert began in account, (explanation, account)


def test_an_overruled_map_and_the_verdict_are_said_in_one_sentence():
    """With the map photographic and the verdict generated, the reveal said "Here they looked
    like a photograph's, most clearly around the eyes (cool colours, ringed). Weighed against
    the other pictures in this quiz, though, its finest detail tipped the machine to
    generated." under "The machine leaned towards generated": read as the machine changing
    its mind. What the map showed and what tipped the verdict are one sentence with a "but"."""
    for explanation in _every_explanation():
        overruled = explanation.map_fake is not None and explanation.map_fake != explanation.verdict.fake
        for truth in ("real", "fake", "altered"):
            for account in quiz_explain.accounts(explanation, truth):
                for sentence in _sentences(account):
                    if "tipped" in sentence:
                        assert ", but " in sentence, (explanation, sentence)
                    if "colours" in sentence and overruled:
                        assert "tipped" in sentence, (explanation, account)


@pytest.fixture
def translated():
    """A show playing in its own words (docs/languages.md), set back after the test."""
    yield use_show_words
    use_show_words(None)


def test_a_translated_table_names_its_own_map(translated):
    """The short accounts said "Its {what} looked ...", with {what} the English "map" or
    "spectrum" passed in from the code: a French table's sentence read "Sa map ...". The
    words are the table's, so a translation says its own."""
    translated({"quiz.explain.what_map": "carte", "quiz.explain.what_spectrum": "spectre",
                "quiz.explain.tipped_fake_alone": "Sa {what} semblait photographique, mais le détail le plus fin "
                                                  "a fait pencher la machine vers « généré ».",
                "quiz.explain.tipped_fake_short": "Sa {what} semblait photographique, mais le détail fin a tranché."})
    by_map = _Explanation(Verdict(0.9, 0.5, 2.2), map_fake=False)
    by_spectrum = _Explanation(Verdict(0.9, 0.5, 2.2), cue="spectrum", map_fake=False)
    assert quiz_explain.accounts(by_map, "fake")[-1].startswith("Sa carte semblait")
    assert quiz_explain.accounts(by_spectrum, "fake")[-1].startswith("Sa spectre semblait")
    assert not any(" map " in a for a in quiz_explain.accounts(by_map, "fake")[-2:])


def test_the_default_rounds_altered_reveal_says_what_the_picture_is(tmp_path):
    """At 1920x1080 the single round's altered face (its smile put on by the portrait engine)
    was explained as "The machine looks for the regular pattern a generator's enlarging steps
    leave between neighbouring pixels. Here they looked like a photograph's ...", with nothing
    of how the picture was made: the account ran too long to keep it. The screen now says it."""
    began = words("quiz.explain.truth_altered")
    seen = []
    for pilot, shown in quiz_reveals(tmp_path, (1920, 1080)):
        if shown.item.kind != "altered":
            continue
        texts = {b.text for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98}
        account = texts & set(quiz_explain.accounts(shown.explanation, "altered"))
        assert account, texts
        assert all(began in a for a in account), account
        seen.append(shown.item.key)
    assert seen  # the default round has an altered face


@pytest.mark.parametrize("size", [(1080, 1920), (1280, 1024)])
def test_where_room_is_tightest_the_altered_reveal_still_says_what_the_picture_is(tmp_path, size):
    """Upright at 1080x1920 and on a 5:4 screen the single round's altered face fell back to
    "On these pictures it does about as well as a coin. Its map shows where the pixels looked
    generated (warm) or photographic (cool).": nothing said it began as a real photograph whose
    face a computer changed (only the headline said "altered"). The fallback keeps that, and
    what the machine's state is, in the room the pointer took."""
    began = words("quiz.explain.truth_altered")
    seen = []
    for pilot, shown in quiz_reveals(tmp_path, size):
        if shown.item.kind != "altered":
            continue
        texts = {b.text for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98}
        account = texts & set(quiz_explain.accounts(shown.explanation, "altered"))
        assert len(account) == 1, texts
        assert began in account.pop()
        seen.append(shown.item.key)
    assert seen
