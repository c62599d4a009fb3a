"""Which pictures the quiz may show, where they come from and how the reveal credits them
(build time): the studio portraits of content/loop/sources.tsv in the shipped detector's
held-out splits, gathered from a public checkout by sha256, credited in a visitor's words.
Kept apart from quiz_content.py (which chooses and makes the items) because what may be
shown is a matter of consent and licence, not of picture-making.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

# Short: the reveal shows the credit beside the explanation, and a long credit crowds it out.
# Visitor words: who and when, and "public domain". Licence names (CC0-1.0), repositories and
# "Bayard's own network" (a visitor takes Bayard for the photographer) stay in the item's
# `source`, the corpus's PROVENANCE.tsv and CREDITS.md.
FAKE_CREDIT = "Made for this exhibition by a computer, from a public-domain portrait."
ALTERED_CREDIT = "A public-domain portrait; a computer put its smile there for this exhibition."
# Photographs only: the voteview sets hold steel engravings and halftone screens among their
# photographs (the corpus README), which would be "real" for reasons a visitor cannot use.
QUIZ_SETS = ("oldpics-cc0",)
# And of those, only studio portraits: the loop's sources (content/loop/CREDITS.md). The
# quiz makes fakes of the people it shows, and people photographed as ethnographic "types"
# or under arrest (most of oldpics beside its studio portraits) were not asked once; the
# exhibition does not make a game of them a second time.
STUDIO_LIST = Path(__file__).resolve().parents[3] / "content" / "loop" / "sources.tsv"
# Sources the shipped detector's network never learned from: its test split, and its
# calibration split (which set only the two numbers of its Platt scaling and the threshold).
# The studio portraits in the test split alone are too few for a quiz (10).
QUIZ_SPLITS = ("test", "calibration")


def sitter_credit(row: dict[str, str]) -> str:
    """One short line for the reveal, in a visitor's words: who, when, and that the picture
    is free to show (the licence, the collection and its commit are the item's `source`
    and the corpus's PROVENANCE.tsv)."""
    who = row.get("subject_date", "").split("(")[0].strip().rstrip(",") or "Unidentified sitter"
    who = re.sub(r"(\d)-(\d)", "\\1\u2013\\2", who)  # years take an en dash: 1890–1925
    return f"{who[:1].upper() + who[1:]}. Public domain."


def item_credit(truth: str, provenance: dict[str, str]) -> str:
    """The reveal's line for an item: a real one's sitter and date (`sitter_credit`); a made one
    says it was made, and not whose portrait it was made from."""
    if truth == "real":
        return sitter_credit(provenance)
    return FAKE_CREDIT if truth == "fake" else ALTERED_CREDIT


def studio_rows() -> list[dict[str, str]]:
    """The studio portraits the loop was made from (content/loop/sources.tsv, chosen by eye
    and pinned by sha256): the only corpus files the quiz may show."""
    with open(STUDIO_LIST, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [r for r in rows if r["set"].startswith("studio portrait") and r["file"].startswith("oldpics-cc0/")]


def studio_portraits() -> set[str]:
    return {r["file"] for r in studio_rows()}


def gather(checkout: Path, corpus: Path) -> int:
    """Make the corpus folder the recipe needs from a checkout of the studio portraits'
    repository (github:kensanata/face at the commit the list names): each listed file,
    checked against its sha256, with faces.tsv and PROVENANCE.tsv. Returns the count."""
    rows = studio_rows()
    (corpus / "oldpics-cc0").mkdir(parents=True, exist_ok=True)
    for row in rows:
        path = checkout / row["source"].rsplit(":", 1)[-1]
        if not path.is_file():
            raise SystemExit(f"{path}: missing; {checkout} should be a checkout of {row['source'].rsplit(':', 1)[0]}")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            raise SystemExit(f"{path}: not the file {STUDIO_LIST.name} lists (sha256 differs); check out "
                             f"{row['source'].rsplit(':', 1)[0]}")
        (corpus / row["file"]).write_bytes(data)
    with open(corpus / "faces.tsv", "w", encoding="utf-8") as handle:
        handle.write("file\tusable_one_face_ge128\n" + "".join(f"{r['file']}\t1\n" for r in rows))
    with open(corpus / "PROVENANCE.tsv", "w", encoding="utf-8") as handle:
        handle.write("file\tsha256\tsource\tlicence\tsubject_date\n")
        for r in rows:
            handle.write("\t".join((r["file"], r["sha256"], r["source"], r["licence"], r["sitter"])) + "\n")
    return len(rows)
