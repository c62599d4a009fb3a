"""Re-make the quiz's default items, content/quiz (build time; torch and the face stack),
from public sources alone:

    git clone https://github.com/kensanata/face && git -C face checkout 27419c25d7ac87c6deec9dd84f83ebe1a6ec1457
    python -m installation.models.detector.quiz_content --gather face --corpus build/studio
    python -m installation.models.detector.facecorpus frames --corpus build/studio --work build/quiz
    python -m installation.models.detector.families train --work build/quiz --only sg2
    python -m installation.models.detector.quiz_content --corpus build/studio --work build/quiz -o content/quiz

Every item shows a studio portrait of the loop's sources (content/loop/sources.tsv: CC0,
pinned by sha256), from the shipped detector's test and calibration splits (its network
never learned from them). Real items are kept as they are. Generated items: *other*
sitters, rebuilt by the project's StyleGAN2-like autoencoder (the `sg2` family of
`families.py`, trained here on the training split's studio portraits). Altered items: yet
other sitters given a smile by the portrait engine (`motion/mesh/made.py`): both fakes are
faces the exhibition made itself. All are made one way: the altered ones smiled at their
source's size, then all aligned FFHQ-style at 1024 px by the face stack, the generated ones
rebuilt at that size, then each pair cut to the largest square that both its pictures fill
(`quiz_framing.pair_window`), then all shrunk 2:1 by the antialiased Lanczos filter (512 px
or less) and saved as JPEG quality 92 without metadata. Every real item is paired (`match`) with a
generated or altered one of the same book and colour, for pair mode; no item is made from
another item's sitter. Living public figures are never used. Which pictures may be shown
and how they are credited is quiz_sources.py's; how each pair is framed, quiz_framing.py's.
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
from .quiz_framing import BORDER, SIDE, face_box, filled, pair_window, window_fits
from .quiz_sources import QUIZ_SETS, QUIZ_SPLITS, gather, item_credit, studio_portraits
from .synth import lanczos_half

JPEG_QUALITY = 92
GENERATED_PAIRS = 8  # matched pairs of a photograph and a generated face, all pools together
ALTERED_PAIRS = 2  # matched pairs of a photograph and one given a smile (dealt first)
# A smile is put only on a face turned no more than this (degrees): further round, the far
# corner of the mouth is foreshortened and the pair would not match in pose.
ALTERED_MAX_TURN = 25.0
SMILE_STRENGTHS = (1.0, 1.5)  # drawn per item: gentle to broad (made.smile)


def _deal(pools: dict[str, list], pairs: int, wanted=lambda row: True,
          together=lambda first, second: True) -> dict[str, list]:
    """Up to `pairs` neighbouring pairs in all, dealt to the pools in turn (one pair at a
    time, so each pool gets its share and a pool short of sources leaves its share to the
    others). Each pool is (size, row) sorted sharpest first; a pair is the first of the rows
    `wanted` accepts and the next one that goes `together` with it (one without a partner
    is passed over), and is taken out of the pool."""
    dealt: dict[str, list] = {name: [] for name in pools}
    fits = {name: [entry for entry in pool if wanted(entry[1])] for name, pool in pools.items()}

    def next_pair(candidates: list) -> tuple | None:
        while len(candidates) >= 2:
            first = candidates.pop(0)
            for k, second in enumerate(candidates):
                if together(first[1], second[1]):
                    del candidates[k]
                    return first, second
        return None

    while pairs > 0 and any(len(f) >= 2 for f in fits.values()):
        for name, candidates in fits.items():
            if pairs > 0 and len(candidates) >= 2:
                pair = next_pair(candidates)
                if pair is None:
                    continue
                dealt[name].append(pair)
                for entry in pair:
                    pools[name].remove(entry)
                pairs -= 1
    return dealt


def choose(work: Path, corpus: Path, stack) -> list[tuple[dict[str, str], str, str]]:
    """(index row, truth, match id). With its fine detail matched to its photograph's
    (`families.matched_rebuild`), a generated face's file is about its source's size; so
    the sharpest candidates (by the size of their own 512 px JPEG) are taken in neighbouring
    pairs, one rebuilt and one kept, which one alternating, dealt within each pool so
    every pair is of one book and colour and close in file size. Then, from the next sharpest,
    pairs of a photograph kept and one given a smile."""
    from ..face import portrait_faces

    shown = studio_portraits()
    rows = [r for r in read_index(work) if r["split"] in QUIZ_SPLITS and r["source"] in shown]
    rows = [r for r in rows if r["source"].split("/")[0] in QUIZ_SETS and float(r["native_side"]) >= 250]
    # Pools by the book (the oldpics sex tells the yearbook's women from the St. Louis men)
    # and colour: a pair is two pictures of one kind, so neither what the sitter wears
    # nor the printing tells which is made.
    pools: dict[str, list] = {}
    frames: dict[str, tuple] = {}  # source: (filled mask, face box) in the aligned frame
    for group in sorted({r["group"] for r in rows}):
        sized = []
        for row in (r for r in rows if r["group"] == group):
            image = read_image(corpus / row["source"])
            faces = portrait_faces(image, stack)
            if len(faces) != 1:
                continue
            published = lanczos_half(training_frame(image, faces[0].landmarks, SIDE, border=BORDER))
            if not portrait_faces(published, stack):
                continue  # a halftone screen, shrunk to 512 px, can hide the face: `check` would say so
            frames[row["source"]] = (filled(image, faces[0].landmarks), face_box(faces[0].landmarks))
            if not window_fits([frames[row["source"]]]):
                continue  # cut so close round the face that a clean square would be a close-up
            ok, data = cv2.imencode(".jpg", published[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            sized.append((len(data), row))
        sized.sort(key=lambda t: -t[0])
        _, sex, colour = group.split("|")
        pools[f"{colour}-{sex}"] = sized
    chosen = []
    numbered = {pool: 0 for pool in pools}

    def together(first: dict, second: dict) -> bool:
        return window_fits([frames[first["source"]], frames[second["source"]]])

    # Smiles first, from the sharpest faces frontal enough to smile: few sources are, once
    # those cut too close for a clean square are passed over, and dealt after the generated
    # pairs only one pair was left. Then the generated pairs from the rest.
    altered = _deal(pools, ALTERED_PAIRS, lambda row: _smiles(corpus / row["source"], stack), together)
    generated = _deal(pools, GENERATED_PAIRS, together=together)
    for made, dealt in (("fake", generated), ("altered", altered)):
        for pool, pairs in dealt.items():
            for (_, first), (_, second) in pairs:
                i = numbered[pool]
                numbered[pool] += 1
                # which of the two is made alternates
                kept, changed = (first, second) if i % 2 else (second, first)
                match = f"{pool}-{i + 1}"
                chosen += [(kept, "real", match), (changed, made, match)]
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
    parser.add_argument("--gather", type=Path, metavar="CHECKOUT",
                        help="first make --corpus from a checkout of github:kensanata/face (the studio "
                             "portraits of content/loop/sources.tsv, checked by sha256), then stop")
    args = parser.parse_args(argv)
    if args.gather:
        print(f"{gather(args.gather, args.corpus)} studio portraits in {args.corpus}")
        return 0
    import torch

    from ..face import FaceStack, portrait_faces
    from ..motion.mesh.made import with_smile
    from . import autogan
    from .families import matched_rebuild

    torch.set_num_threads(1)
    assert all(s in SETS for s in QUIZ_SETS)
    with open(args.corpus / "PROVENANCE.tsv", encoding="utf-8") as table:
        provenance = {r["file"]: r for r in csv.DictReader(table, delimiter="\t")}
    # the shipped detector's StyleGAN2-like family, as its training fakes were made
    model = autogan.load(args.work / "families" / f"{args.family}.pt")
    stack = FaceStack.open()
    entries = []
    for kind in ("real", "fake"):
        (args.output / kind).mkdir(parents=True, exist_ok=True)
    smiles = np.random.default_rng(0)
    chosen = choose(args.work, args.corpus, stack)
    for first in range(0, len(chosen), 2):  # a pair: kept and made, in turn
        frames, masks, boxes = [], [], []
        for n in (first, first + 1):
            row, truth, match = chosen[n]
            image = read_image(args.corpus / row["source"])
            face = portrait_faces(image, stack)[0]
            masks.append(filled(image, face.landmarks))
            boxes.append(face_box(face.landmarks))
            if truth == "altered":
                # Smiling at the picture's own size; then framed by the face as it was found.
                image = with_smile(image, float(smiles.uniform(*SMILE_STRENGTHS)), stack)
            frame = training_frame(image, face.landmarks, SIDE, border=BORDER)
            if truth == "fake":
                frame = matched_rebuild(model, frame, seed=n)
            frames.append(frame)
        window = pair_window(masks, boxes)
        if window is None:
            raise SystemExit(f"{chosen[first][0]['source']}, {chosen[first + 1][0]['source']}: no square "
                             "that both pictures fill holds both faces")
        x, y, side = window
        for n, frame in zip((first, first + 1), frames, strict=True):
            row, truth, match = chosen[n]
            folder = "real" if truth == "real" else "fake"  # the file's place gives nothing away
            name = f"{folder}-{n:02d}.jpg"
            published = lanczos_half(np.ascontiguousarray(frame[y:y + side, x:x + side]))
            cv2.imwrite(str(args.output / folder / name), published[:, :, ::-1],
                        [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            credit = item_credit(truth, provenance.get(row["source"], {}))
            entries.append((f"quiz/{folder}/{name}", truth, credit, row["source"], match))
            print(f"{name}: {row['source']} ({side // 2} px)", flush=True)
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
