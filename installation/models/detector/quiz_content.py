"""Re-make the quiz's default items, content/quiz (build time; torch, the face stack and
the public-domain corpus).

    python -m installation.models.detector.quiz_content --corpus PD_CORPUS --work build/faces -o content/quiz

Real items: public-domain / CC0 portraits from the corpus's *test* split (the shipped
detector never trained on them). Generated items: *other* people's portraits from the same
split, rebuilt by the project's autoencoder (`autogan.py`). Altered items: yet other
people's photographs given a smile by the portrait engine (`motion/mesh/made.py`): both
fakes are faces the exhibition made itself. All are made one way: the altered ones smiled
at their source's size, then all aligned FFHQ-style at 1024 px by the face stack, the
generated ones rebuilt at that size, then all shrunk 2:1 by the antialiased Lanczos filter
to 512 px and saved as JPEG quality 92 without metadata. Every real item is paired (`match`)
with a generated or altered one of the same colour (greyscale or toned) and the same kind
of source, for pair mode; no item is made from another item's sitter. Living public figures are never
used (the corpus keeps them apart; they are not in `facecorpus.SETS`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

import cv2
import numpy as np

from .facecorpus import SETS, read_index
from .faceframe import training_frame
from .preprocess import read_image
from .synth import lanczos_half

SIDE = 1024
# Short: the reveal shows the credit beside the explanation, and a long credit crowds it out.
FAKE_CREDIT = "Made for the exhibition by Bayard's own network from a CC0 portrait ({repo})."
ALTERED_CREDIT = "A CC0 portrait ({repo}); its smile was put there by this exhibition's portrait engine."
JPEG_QUALITY = 92
PER_CLASS = 8  # items per colour (grey, toned): half real, half generated, 4 matched pairs
ALTERED_PAIRS = 2  # then per colour: matched pairs of a photograph and one given a smile
# A smile is put only on a face turned no more than this (degrees): further round, the far
# corner of the mouth is foreshortened and the pair would not match in pose.
ALTERED_MAX_TURN = 25.0
SMILE_STRENGTHS = (1.0, 1.5)  # drawn per item: gentle to broad (made.smile)
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
    every pair is colour-matched and close in file size. Then, from the next sharpest,
    pairs of a photograph kept and one given a smile (`ALTERED_PAIRS` per colour)."""
    from ..face import portrait_faces

    rows = [r for r in read_index(work) if r["split"] == "test" and r["source"].split("/")[0] in QUIZ_SETS]
    rows = [r for r in rows if float(r["native_side"]) >= 250]
    chosen = []
    left: dict[str, tuple[int, list]] = {}
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
        left[colour] = (half, sized[2 * half:])
    # Then the next sharpest, frontal enough to smile, again in neighbouring pairs (after
    # all the generated ones, so that their seeds, and so their files, stay as they were).
    for colour, (done, rest) in left.items():
        frontal = [(size, row) for size, row in rest if _smiles(corpus / row["source"], stack)]
        for i in range(min(ALTERED_PAIRS, len(frontal) // 2)):
            (_, a), (_, r) = (frontal[2 * i], frontal[2 * i + 1])[:: 1 if i % 2 else -1]
            match = f"{colour}-{done + i + 1}"
            chosen += [(r, "real", match), (a, "altered", match)]
    return chosen


def _smiles(path: Path, stack) -> bool:
    """Whether the portrait engine can animate this picture, its face turned little, and
    the face stack still finds the face in the published item (a halftone screen, shrunk
    to 512 px, once hid one)."""
    from ..face import portrait_faces
    from ..motion.mesh import PortraitProblem, find_portrait_face

    image = read_image(path)
    try:
        face = find_portrait_face(image, stack)
    except PortraitProblem:
        return False
    published = lanczos_half(training_frame(image, face.landmarks, SIDE, border=BORDER))
    return abs(face.pose.yaw) <= ALTERED_MAX_TURN and bool(portrait_faces(published, stack))


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
    from ..motion.mesh.made import with_smile
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
    smiles = np.random.default_rng(0)
    for n, (row, truth, match) in enumerate(choose(args.work, args.corpus, stack)):
        image = read_image(args.corpus / row["source"])
        face = portrait_faces(image, stack)[0]
        if truth == "altered":
            # Smiling at the picture's own size; then framed by the face as it was found.
            image = with_smile(image, float(smiles.uniform(*SMILE_STRENGTHS)), stack)
        frame = training_frame(image, face.landmarks, SIDE, border=BORDER)
        if truth == "fake":
            frame = matched_rebuild(model, frame, seed=n)
        folder = "real" if truth == "real" else "fake"  # the file's place gives nothing away
        name = f"{folder}-{n:02d}.jpg"
        published = lanczos_half(frame)
        cv2.imwrite(str(args.output / folder / name), published[:, :, ::-1],
                    [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        credit = _credit(provenance.get(row["source"], {}))
        if truth != "real":
            made = FAKE_CREDIT if truth == "fake" else ALTERED_CREDIT
            credit = made.format(repo=credit.rsplit("from ", 1)[-1].rstrip("."))
        entries.append((f"quiz/{folder}/{name}", truth, credit, row["source"], match))
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
