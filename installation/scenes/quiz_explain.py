"""The words of the quiz's reveal: what the machine saw in *this* picture.

Kept apart from drawing so the rules can be tested on their own: a real photograph gets
its own text (never "bright dots" it does not have), an unsure machine says so, and the
text names the cue that weighed most and where it was strongest. The sentences live in
installation/words.toml ([quiz.explain]) with every other visitor-facing word.
"""

from __future__ import annotations

from typing import Any

from ..words import words


def picture_caption(explanation: Any, pair: bool, kind: str = "fake") -> str:
    """The line under the cue's picture (in pair mode, of the `kind` of fake: 'fake' for
    generated, or 'altered')."""
    which = "picture" if getattr(explanation, "picture", None) is not None else "spectrum"
    if pair:
        return words(f"quiz.{which}_pair", kind=words(f"quiz.kind_{kind}"))
    return words(f"quiz.{which}_single")


def _parts(explanation: Any, truth: str) -> tuple[str, str, str]:
    """(a note on the machine's state, what it saw, what the truth means)."""
    note = ""
    if getattr(explanation, "face_found", None) is False:
        note = words("quiz.explain.no_face")
    elif getattr(explanation, "coin", False):
        note = words("quiz.explain.coin")
    elif getattr(explanation, "unsure", False):
        note = words("quiz.explain.unsure")
    if getattr(explanation, "cue", "spectrum") == "pixels":
        place = explanation.cue_place or "in the picture"
        # The map, its ring and the place speak for the side its own network took; when a
        # gallery's cross-fit decided otherwise, the sentence that describes the map goes on
        # with what tipped it ("found little of it ..., but ... tipped it to generated"): said
        # as a second sentence after "looked like a photograph's", a visitor who had just read
        # "the machine leaned towards generated" read the machine changing its mind.
        found = "fake" if _map_fake(explanation) else "real"
        tipped = "_tipped" if _overruled(explanation) else ""
        saw = f"{words('quiz.explain.pixels_look')} {words(f'quiz.explain.pixels_{found}{tipped}', place=place)}"
    else:
        saw = words("quiz.explain.spectrum_peaks" if explanation.peaks else "quiz.explain.spectrum_none")
    meaning = words(f"quiz.explain.truth_{truth}")  # real, fake (generated) or altered
    return note, saw, meaning


def _map_fake(explanation: Any) -> bool:
    """The side the picture's own map speaks for (the verdict's, where nothing overruled it)."""
    shown = getattr(explanation, "map_fake", None)
    verdict = explanation.verdict
    return (verdict is not None and verdict.fake) if shown is None else shown


def _overruled(explanation: Any) -> bool:
    """Whether a gallery's cross-fit decided against the picture's own map."""
    verdict, shown = explanation.verdict, getattr(explanation, "map_fake", None)
    return verdict is not None and shown is not None and shown != verdict.fake


def why(explanation: Any, truth: str) -> str:
    """The whole account: the machine's state, what it saw, what the truth means."""
    return " ".join(p for p in _parts(explanation, truth) if p)


def accounts(explanation: Any, truth: str) -> list[str]:
    """The account from fullest to shortest, for a screen with less room: what the machine
    saw is the last thing dropped, and when a gallery's cross-fit overruled the picture's
    own map, the sentence that says so is the very last (it alone explains the verdict).
    An altered picture keeps what it is with what the machine looked for: a real photograph
    with a changed face, told only that the machine looks for generators' traces, reads as
    explained by a generator, and none made it."""
    note, saw, meaning = _parts(explanation, truth)
    kept = meaning if truth == "altered" else ""
    out = [why(explanation, truth), " ".join(p for p in (note, saw, kept) if p), " ".join(p for p in (saw, kept) if p)]
    verdict = explanation.verdict
    if _overruled(explanation):
        side = "fake" if verdict.fake else "real"
        pixels = getattr(explanation, "cue", "spectrum") == "pixels"
        what = words("quiz.explain.what_map" if pixels else "quiz.explain.what_spectrum")
        # ... and shorter still for a 5:4 screen, where even that took five lines and the
        # reveal said nothing of what the machine saw.
        out += [words(f"quiz.explain.tipped_{side}_alone", what=what),
                words(f"quiz.explain.tipped_{side}_short", what=what)]
    else:
        # When a two-line heading and an unsure machine leave little room: one short line
        # that still points at the picture of what it saw.
        pixels = getattr(explanation, "cue", "spectrum") == "pixels"
        short = words("quiz.explain.pixels_short" if pixels else "quiz.explain.spectrum_short")
        if kept:
            # An altered picture keeps what it is before the pointer at the map goes: at
            # 1080x1920 and 1280x1024 the reveal fell back to "Its map shows where...", which
            # says nothing of a real photograph with a changed face (only the headline said
            # "altered"). The machine's state still goes after the pointer, before what it saw.
            out[2:2] = [" ".join(p for p in (note, short, kept) if p), " ".join(p for p in (note, kept) if p)]
            out += [f"{short} {kept}", kept]
        elif note:
            # Before what it saw goes whole, the machine's state stays with the short line:
            # with words at the kiosk minimum, "it guesses about as well as a coin here"
            # was dropped first and the visitor read a confident account of its evidence.
            out.insert(2, f"{note} {short}")
        # (the short line stays last: it is the room the layout keeps, account_least, so no
        # picture or eye is smaller for the versions above it)
        out.append(short)
    return list(dict.fromkeys(out))
