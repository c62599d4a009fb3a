"""Re-make the quiz's default items, content/quiz (build time; torch, the face stack and
the public-domain corpus).

    python -m installation.models.detector.quiz_content --corpus PD_CORPUS --work build/faces -o content/quiz

Real items: public-domain / CC0 portraits from the corpus's *test* split (the shipped
detector never trained on them). Generated items: *other* people's portraits from the same
split, rebuilt by the project's autoencoder (`autogan.py`): faces the exhibition altered
itself. Both kinds are made one way: aligned FFHQ-style at 1024 px by the face stack, the
generated ones rebuilt at that size, then both shrunk 2:1 by the antialiased Lanczos filter
to 512 px and saved as JPEG quality 92 without metadata. Every real item is paired (`match`)
with a generated one of the same colour (greyscale or toned) and the same kind of source,
for pair mode; no item is made from another item's sitter. Living public figures are never
used (the corpus keeps them apart; they are not in `facecorpus.SETS`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

import cv2

from .facecorpus import SETS, read_index
from .faceframe import training_frame
from .preprocess import read_image
from .synth import lanczos_half

SIDE = 1024
# Short: the reveal shows the credit beside the explanation, and a long credit crowds it out.
FAKE_CREDIT = "Made for the exhibition by Bayard's own network from a CC0 portrait ({repo})."
JPEG_QUALITY = 92
PER_CLASS = 8  # items per colour (grey, toned): half real, half generated, 4 matched pairs
# Photographs only: the voteview sets hold steel engravings and halftone screens among their
# photographs (the corpus README), which would be "real" for reasons a visitor cannot use.
QUIZ_SETS = ("oldpics-cc0",)
# Outside the source picture the frame repeats its edge: reflection (the training frames')
# puts mirrored half-faces at the sides, which a visitor would read as a generator's error.
BORDER = cv2.BORDER_REPLICATE


def _credit(row: dict[str, str]) -> str:
    """One short line for the reveal: who, when, the licence and the collection (the full
    source, with its commit, is the item's `source` and the corpus's PROVENANCE.tsv)."""
    who = row.get("subject_date", "").split("(")[0].strip().rstrip(",") or "Unidentified sitter"
    repo = row.get("source", "").split("@")[0].removeprefix("github:")
    return f"{who[:1].upper() + who[1:]}. {row.get('licence', 'public domain')}, from {repo}."


def choose(work: Path, corpus: Path, stack) -> list[tuple[dict[str, str], str, str]]:
    """(index row, truth, match id). With its fine detail matched to its photograph's
    (`families.matched_rebuild`), a generated face's file is about its source's size; so
    the sharpest candidates (by the size of their own 512 px JPEG) are taken in neighbouring
    pairs, one rebuilt and one kept, which one alternating, dealt within each colour so
    every pair is colour-matched and close in file size."""
    from ..face import portrait_faces

    rows = [r for r in read_index(work) if r["split"] == "test" and r["source"].split("/")[0] in QUIZ_SETS]
    rows = [r for r in rows if float(r["native_side"]) >= 250]
    chosen = []
    for colour in ("grey", "colour"):
        sized = []
        for row in (r for r in rows if r["group"].endswith(colour)):
            image = read_image(corpus / row["source"])
            faces = portrait_faces(image, stack)
            if len(faces) != 1:
                continue
            published = lanczos_half(training_frame(image, faces[0].landmarks, SIDE, border=BORDER))
            ok, data = cv2.imencode(".jpg", published[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            sized.append((len(data), row))
        sized.sort(key=lambda t: -t[0])
        half = min(PER_CLASS // 2, len(sized) // 2)
        # neighbours in size make a pair; which of the two is rebuilt alternates
        pairs = [(sized[2 * i], sized[2 * i + 1])[:: 1 if i % 2 else -1] for i in range(half)]
        for i, ((_, f), (_, r)) in enumerate(pairs):
            match = f"{colour}-{i + 1}"
            chosen += [(r, "real", match), (f, "fake", match)]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("BAYARD_PD_CORPUS", "pd-corpus")),
                        help="the public-domain corpus folder (default: $BAYARD_PD_CORPUS, else ./pd-corpus)")
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("-o", "--output", type=Path, default=Path("content/quiz"))
    parser.add_argument("--family", default="sg2", help="the fake family (families.py) that makes the generated items")
    args = parser.parse_args(argv)
    import torch

    from ..face import FaceStack, portrait_faces
    from . import autogan
    from .families import matched_rebuild

    torch.set_num_threads(1)
    assert all(s in SETS for s in QUIZ_SETS)
    provenance = {
        r["file"]: r for r in csv.DictReader(open(args.corpus / "PROVENANCE.tsv", encoding="utf-8"), delimiter="\t")
    }
    # the shipped detector's StyleGAN2-like family, as its training fakes were made
    model = autogan.load(args.work / "families" / f"{args.family}.pt")
    stack = FaceStack.open()
    entries = []
    for kind in ("real", "fake"):
        (args.output / kind).mkdir(parents=True, exist_ok=True)
    for n, (row, truth, match) in enumerate(choose(args.work, args.corpus, stack)):
        image = read_image(args.corpus / row["source"])
        face = portrait_faces(image, stack)[0]
        frame = training_frame(image, face.landmarks, SIDE, border=BORDER)
        if truth == "fake":
            frame = matched_rebuild(model, frame, seed=n)
        name = f"{truth}-{n:02d}.jpg"
        published = lanczos_half(frame)
        cv2.imwrite(str(args.output / truth / name), published[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        credit = _credit(provenance.get(row["source"], {}))
        if truth == "fake":
            credit = FAKE_CREDIT.format(repo=credit.rsplit("from ", 1)[-1].rstrip("."))
        entries.append((f"quiz/{truth}/{name}", truth, credit, row["source"], match))
        print(f"{name}: {row['source']}", flush=True)
    lines = [
        "# The default quiz items (made by `python -m installation.models.detector.quiz_content`; see CREDITS.md).",
        "# A gallery replaces these: list its own images here, or point the scene at folders.",
        "",
    ]
    for image, truth, credit, source, match in sorted(entries, key=lambda e: (e[1] != "real", e[0])):
        lines += [
            "[[item]]",
            f'image = "{image}"',
            f'truth = "{truth}"',
            f"credit = {json.dumps(credit)}",
            f"source = {json.dumps(source)}",
            f'match = "{match}"',
            "",
        ]
    (args.output / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {len(entries)} items and the manifest to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
