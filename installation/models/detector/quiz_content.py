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
(see `pair_window`), then all shrunk 2:1 by the antialiased Lanczos filter (512 px or less)
and saved as JPEG quality 92 without metadata. Every real item is paired (`match`) with a
generated or altered one of the same book and colour, for pair mode; no item is made from
another item's sitter. Living public figures are never used.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
from pathlib import Path

import cv2
import numpy as np

from ..face.measures import alignment
from .facecorpus import SETS, read_index
from .faceframe import training_frame
from .preprocess import read_image
from .synth import lanczos_half

SIDE = 1024
# Short: the reveal shows the credit beside the explanation, and a long credit crowds it out.
# Visitor words: who and when, and "public domain". Licence names (CC0-1.0), repositories and
# "Bayard's own network" (a visitor takes Bayard for the photographer) stay in the item's
# `source`, the corpus's PROVENANCE.tsv and CREDITS.md.
FAKE_CREDIT = "Made for this exhibition by a computer, from a public-domain portrait."
ALTERED_CREDIT = "A public-domain portrait; a computer put its smile there for this exhibition."
JPEG_QUALITY = 92
GENERATED_PAIRS = 8  # matched pairs of a photograph and a generated face, all pools together
ALTERED_PAIRS = 2  # matched pairs of a photograph and one given a smile (dealt first)
# A smile is put only on a face turned no more than this (degrees): further round, the far
# corner of the mouth is foreshortened and the pair would not match in pose.
ALTERED_MAX_TURN = 25.0
SMILE_STRENGTHS = (1.0, 1.5)  # drawn per item: gentle to broad (made.smile)
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
# Outside the source picture the frame repeats its edge: reflection (the training frames')
# puts mirrored half-faces at the sides, which a visitor would read as a generator's error.
# What is repeated is cut away before publishing (pair_window).
BORDER = cv2.BORDER_REPLICATE
# The book portraits are cut close round the head, so the aligned frame often reaches past
# them: the repeated edge showed as streaks down one side and a pale wedge along the bottom
# in 9 of the 20 items (both kinds alike, so no giveaway; but a visitor reads streaks in a
# photograph as a fault, and the quiz is about reading faults). Each pair is cut to the
# largest square, on this grid (frame pixels; half that once shrunk), that both its pictures
# fill and that holds both faces whole: one window for the two, so a pair still matches in
# pose, size and crop.
WINDOW_GRID = 16
# How far (frame pixels) the warp's Lanczos filter and the 2:1 shrink reach: a pixel this
# close to the repeated edge already carries some of it.
EDGE_REACH = 8
# The page a print is scanned on, and the white bands the book portraits are set in, are
# this white or whiter in every channel (a print's own highlights rarely are, and never
# over a region joined to the picture's edge).
PAGE_WHITE = 248
# What a window must hold whole: brows, eyes, nose and lips (face mesh points), with this
# share of the frame round them. Not the chin or the cheeks' outline: a book portrait may
# itself cut them (and a turned face's far cheek spans the frame).
FACE_CORE = (70, 300, 33, 263, 1, 61, 291, 17)
FACE_MARGIN = 0.04
# A source whose window would be smaller than this (frame pixels; half once shrunk) is
# passed over, as is a pair whose joint window would be: the face would nearly fill it.
MIN_WINDOW = 768


def filled(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Where the aligned frame of `image` shows the photograph itself rather than the
    repeated edge or the page round it (bool, SIDE x SIDE), EDGE_REACH inside."""
    picture = (~page_margin(image)).astype(np.uint8) * 255
    shown = training_frame(np.dstack([picture] * 3), landmarks, SIDE, border=cv2.BORDER_CONSTANT)
    inside = (shown[..., 0] >= 250).astype(np.uint8)
    kernel = np.ones((2 * EDGE_REACH + 1, 2 * EDGE_REACH + 1), np.uint8)
    return cv2.erode(inside, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=1) > 0


def page_margin(image: np.ndarray) -> np.ndarray:
    """The blank page round a scanned print (bool): white (PAGE_WHITE or more in every
    channel) and joined to the picture's edge. The book portraits sit on bands of it, and a
    print set askew leaves wedges; shown, they read as the picture's edge."""
    white = (image.min(axis=2) >= PAGE_WHITE).astype(np.uint8)
    count, labels = cv2.connectedComponents(white, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    return np.isin(labels, edge[edge > 0]) if count > 1 else np.zeros(image.shape[:2], bool)


def face_box(landmarks: np.ndarray) -> tuple[float, float, float, float]:
    """The extent of the face's features (FACE_CORE) in the aligned frame (x0, y0, x1, y1),
    with FACE_MARGIN."""
    m = alignment(landmarks, SIDE)
    points = landmarks[list(FACE_CORE), :2] @ m[:, :2].T + m[:, 2]
    margin = FACE_MARGIN * SIDE
    (x0, y0), (x1, y1) = points.min(0) - margin, points.max(0) + margin
    return float(x0), float(y0), float(x1), float(y1)


def pair_window(masks: list[np.ndarray], boxes: list[tuple[float, float, float, float]]) -> tuple[int, int, int] | None:
    """(x, y, side) of the largest square, on the WINDOW_GRID, that every mask fills and that
    holds every box; of those, the one nearest the faces' centre. None if there is none
    (a face that itself reaches past its picture)."""
    bad = (~np.logical_and.reduce(masks)).astype(np.uint8)
    total = cv2.integral(bad, sdepth=cv2.CV_32S)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    for side in range(SIDE, 0, -WINDOW_GRID):
        # top-left corners, on even pixels (the 2:1 shrink keeps its phase), that hold the box
        xs = np.arange(max(0, int(np.ceil(x1)) - side), min(int(np.floor(x0)), SIDE - side) + 1)
        ys = np.arange(max(0, int(np.ceil(y1)) - side), min(int(np.floor(y0)), SIDE - side) + 1)
        xs, ys = xs[xs % 2 == 0], ys[ys % 2 == 0]
        if not len(xs) or not len(ys):
            continue
        x, y = np.meshgrid(xs, ys)
        covered = total[y + side, x + side] - total[y, x + side] - total[y + side, x] + total[y, x]
        good = covered == 0
        if good.any():
            offsets = np.hypot(x + side / 2 - centre[0], y + side / 2 - centre[1])
            best = np.unravel_index(np.argmin(np.where(good, offsets, np.inf)), good.shape)
            return int(x[best]), int(y[best]), side
    return None


def _window_fits(frames: list[tuple[np.ndarray, tuple]]) -> bool:
    window = pair_window([mask for mask, _ in frames], [box for _, box in frames])
    return window is not None and window[2] >= MIN_WINDOW


def _credit(row: dict[str, str]) -> str:
    """One short line for the reveal, in a visitor's words: who, when, and that the picture
    is free to show (the licence, the collection and its commit are the item's `source`
    and the corpus's PROVENANCE.tsv)."""
    who = row.get("subject_date", "").split("(")[0].strip().rstrip(",") or "Unidentified sitter"
    who = re.sub(r"(\d)-(\d)", "\\1\u2013\\2", who)  # years take an en dash: 1890–1925
    return f"{who[:1].upper() + who[1:]}. Public domain."


def _studio_rows() -> list[dict[str, str]]:
    """The studio portraits the loop was made from (content/loop/sources.tsv, chosen by eye
    and pinned by sha256): the only corpus files the quiz may show."""
    with open(STUDIO_LIST, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [r for r in rows if r["set"].startswith("studio portrait") and r["file"].startswith("oldpics-cc0/")]


def _studio_portraits() -> set[str]:
    return {r["file"] for r in _studio_rows()}


def gather(checkout: Path, corpus: Path) -> int:
    """Make the corpus folder the recipe needs from a checkout of the studio portraits'
    repository (github:kensanata/face at the commit the list names): each listed file,
    checked against its sha256, with faces.tsv and PROVENANCE.tsv. Returns the count."""
    rows = _studio_rows()
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

    shown = _studio_portraits()
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
            if not _window_fits([frames[row["source"]]]):
                continue  # cut so close round the face that a clean square would be a close-up
            ok, data = cv2.imencode(".jpg", published[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            sized.append((len(data), row))
        sized.sort(key=lambda t: -t[0])
        _, sex, colour = group.split("|")
        pools[f"{colour}-{sex}"] = sized
    chosen = []
    numbered = {pool: 0 for pool in pools}

    def together(first: dict, second: dict) -> bool:
        return _window_fits([frames[first["source"]], frames[second["source"]]])

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
            credit = _credit(provenance.get(row["source"], {}))
            if truth != "real":
                made = FAKE_CREDIT if truth == "fake" else ALTERED_CREDIT
                credit = made
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
