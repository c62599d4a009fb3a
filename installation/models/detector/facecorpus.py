"""Build-time recipe for the face detector's training material (not shipped; remade by
one command). Nothing here runs in the show.

    python -m installation.models.detector.facecorpus frames --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.facecorpus autoencoder --work build/faces
    python -m installation.models.detector.facecorpus pairs --work build/faces
    python -m installation.models.detector.facecorpus skip-fakes | soft-reals | camera-reals --work build/faces

1. **frames**: every usable public-domain / CC0 portrait of the corpus (one face, see
   `SETS`) is aligned FFHQ-style by the face stack into a frame of 2P pixels, P being
   the face's own scale clamped to 288..404 (404 px is the aligned side of a 512 px FFHQ
   face), keeping the central 512 x 512 window. The split (train / calibration / test)
   is by source file, from a hash of its name, so it never changes as files are added.
2. **autoencoder**: `autogan.train` on patches of the training frames.
3. **pairs**: for every frame, a real example (the frame shrunk 2:1 by the antialiased
   Lanczos filter, then JPEG at a quality drawn from 85..95) and a fake one (the frame
   rebuilt by the autoencoder, then exactly the same shrink and the same JPEG quality):
   StyleGAN2 faces are made at 1024 px and published at 512, so the generator's grid sits
   2:1 on the published pixels in both. Each pair shares everything but the generator.
4. **skip-fakes / soft-reals / camera-reals**: for every frame, a second fake (numpy skip
   re-synthesis) and two more reals (ordinarily enlarged; through a camera's colour filter
   and demosaicing), shrunk and saved with the pair's JPEG quality.

Living public figures (the corpus's `real-only-living-congress`) are never altered: they
are not in `SETS`. The development faces in ../shared/data are never read here.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
from pathlib import Path

import cv2
import numpy as np

from .faceframe import native_side, training_frame
from .preprocess import jpeg_roundtrip, read_image
from .synth import lanczos_half

SETS = ("oldpics-cc0", "voteview-manual-pre1900", "voteview-wiki-pre1900", "strata-historical", "usgov-deceased")
WINDOW = 512  # generator-grid pixels kept around the face centre; 256 once published
REBUILT = 384  # of which the pairs use the centre (192 once published): the autoencoder's cost
MIN_SCALE, MAX_SCALE = 288.0, 404.0
MIN_NATIVE = 200.0  # smaller faces would be enlarged more than 1.5x: too soft to teach anything
SPLITS = (("train", 0.70), ("calibration", 0.15), ("test", 0.15))


def split_of(name: str) -> str:
    h = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    edge = 0.0
    for split, share in SPLITS:
        edge += share
        if h < edge:
            return split
    return SPLITS[-1][0]


def group_of(name: str, image: np.ndarray) -> str:
    """What the fairness check splits by: the set (era and process), the sex the source
    names, and colour or greyscale."""
    sex = "woman" if "face_woman" in name else "man" if "face_man" in name else "unnamed"
    chroma = float(np.abs(image.astype(np.int16) - image.mean(axis=2, keepdims=True)).mean())
    return f"{name.split('/')[0]}|{sex}|{'colour' if chroma > 4.0 else 'grey'}"


def key_of(name: str) -> str:
    """A corpus file's name as a flat file key (set__file, no extension)."""
    return name.replace("/", "__").rsplit(".", 1)[0]


def aligned_frame(image: np.ndarray, stack, min_native: float = 0.0) -> tuple[np.ndarray | None, float]:
    """The FFHQ-style frame (2P px, P the face's own scale clamped to MIN_SCALE..MAX_SCALE,
    central WINDOW kept) of a portrait with exactly one face, and that face's native side;
    None when there is not exactly one face or it is smaller than `min_native`."""
    from ..face import portrait_faces

    faces = portrait_faces(image, stack)
    if len(faces) != 1:
        return None, 0.0
    native = native_side(faces[0].landmarks)
    if native < min_native:
        return None, native
    scale = float(np.clip(native, MIN_SCALE, MAX_SCALE))
    return training_frame(image, faces[0].landmarks, int(round(2 * scale)), WINDOW), native


def cmd_frames(corpus: Path, work: Path) -> None:
    from ..face import FaceStack

    stack = FaceStack.open()
    with open(corpus / "faces.tsv", encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    out = work / "frames"
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for n, row in enumerate(rows):
        name = row["file"]
        if name.split("/")[0] not in SETS or row.get("usable_one_face_ge128") != "1":
            continue
        image = read_image(corpus / name)
        frame, native = aligned_frame(image, stack, MIN_NATIVE)
        if frame is None:
            continue
        key = key_of(name)
        cv2.imwrite(str(out / f"{key}.png"), frame[:, :, ::-1])
        index.append((key, name, split_of(name), group_of(name, image), f"{native:.0f}"))
        if n % 100 == 0:
            print(f"{n}/{len(rows)} rows, {len(index)} frames", flush=True)
    with open(work / "frames.tsv", "w", encoding="utf-8") as handle:
        handle.write("key\tsource\tsplit\tgroup\tnative_side\n")
        for entry in index:
            handle.write("\t".join(entry) + "\n")
    print(f"{len(index)} frames in {out}")


def read_index(work: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(open(work / "frames.tsv", encoding="utf-8"), delimiter="\t"))


def _frame(work: Path, key: str) -> np.ndarray:
    return read_image(work / "frames" / f"{key}.png")


def cmd_autoencoder(work: Path, steps: int, seed: int) -> None:
    import torch

    from . import autogan

    torch.set_num_threads(1)
    frames = [_frame(work, r["key"]) for r in read_index(work) if r["split"] == "train"]
    print(f"training the autoencoder on {len(frames)} frames")
    autogan.train(frames, work / "autoencoder.pt", steps=steps, seed=seed)


def _seed(key: str, seed: int) -> int:
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16)


def cmd_pairs(work: Path, seed: int) -> None:
    """Pairs in a seeded random order, each from its own seed, skipping pairs already
    made: a run can be stopped and resumed, and any prefix is a random sample of the
    corpus (on a busy machine the detector can be trained on what is ready)."""
    import torch

    from . import autogan

    torch.set_num_threads(1)
    model = autogan.load(work / "autoencoder.pt")
    for kind in ("real", "fake"):
        (work / "pairs" / kind).mkdir(parents=True, exist_ok=True)
    index = read_index(work)
    order = np.random.default_rng(seed).permutation(len(index))
    for n, i in enumerate(order):
        row = index[i]
        paths = {kind: work / "pairs" / kind / f"{row['key']}.png" for kind in ("real", "fake")}
        if all(p.is_file() for p in paths.values()):
            continue
        rng = np.random.default_rng(_seed(row["key"], seed))
        quality = int(rng.integers(85, 96))
        frame = _centre(_frame(work, row["key"]))
        fake = autogan.rebuild(model, frame, seed=int(rng.integers(2**31)))
        for kind, image in (("real", frame), ("fake", fake)):
            published = jpeg_roundtrip(lanczos_half(image), quality)
            # PNG holds the decoded JPEG exactly: no second compression
            cv2.imwrite(str(paths[kind]), published[:, :, ::-1])
        if n % 50 == 0:
            print(f"{n}/{len(index)} pairs", flush=True)


def _centre(frame: np.ndarray) -> np.ndarray:
    """The central REBUILT x REBUILT of a frame: the face, at a cost this machine can pay."""
    edge = (frame.shape[0] - REBUILT) // 2
    return np.ascontiguousarray(frame[edge : edge + REBUILT, edge : edge + REBUILT])


def _skip(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A second family of fakes, cheap enough for every frame: the numpy StyleGAN2-like
    skip re-synthesis (`synth.skip_resynthesise`: the coarse picture up-sampled level by
    level with the [1,3,3,1] FIR, a detail band per level made by random convolutions with
    injected noise)."""
    from .synth import skip_resynthesise

    return skip_resynthesise(frame, rng)


def _soft(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A real photograph after an *ordinary* enlargement: shrunk 1.5-3x and enlarged back by
    Lanczos, cubic or linear interpolation. Many real face photographs were (FFHQ enlarged
    its smaller sources to 1024 px), so interpolation traces and softness must count as
    "real": only a generator's learned up-sampling is "generated"."""
    side = frame.shape[0]
    small = max(32, round(side / rng.uniform(1.5, 3.0)))
    shrunk = cv2.resize(frame, (small, small), interpolation=cv2.INTER_AREA)
    method = (cv2.INTER_LANCZOS4, cv2.INTER_CUBIC, cv2.INTER_LINEAR)[int(rng.integers(3))]
    return cv2.resize(shrunk, (side, side), interpolation=method)


# OpenCV names a Bayer pattern by its second row; each is paired with where red sits, as
# (row, column) parity (checked by demosaicing a mosaic back: ~40 dB against ~28 for the others).
BAYER = (
    (cv2.COLOR_BayerRG2RGB, (1, 1)),
    (cv2.COLOR_BayerGR2RGB, (1, 0)),
    (cv2.COLOR_BayerBG2RGB, (0, 0)),
    (cv2.COLOR_BayerGB2RGB, (0, 1)),
)
DEMOSAIC_VARIANTS = (0, cv2.COLOR_BayerBG2RGB_EA - cv2.COLOR_BayerBG2RGB,
                     cv2.COLOR_BayerBG2RGB_VNG - cv2.COLOR_BayerBG2RGB)


def _camera(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A real photograph as a digital camera takes it: sampled through a Bayer colour filter
    (one colour per pixel, pattern drawn) and demosaiced (bilinear, edge-aware or VNG).
    Demosaicing leaves a regular 2x2 relation between neighbouring pixels in modern
    photographs; the corpus's scanned prints have none, and without these the network
    learned "any 2x2 regularity is a generator" (docs/detector.md)."""
    code, (ry, rx) = BAYER[int(rng.integers(len(BAYER)))]
    mosaic = frame[:, :, 1].copy()  # green everywhere, then red and blue on their sites
    mosaic[ry::2, rx::2] = frame[ry::2, rx::2, 0]
    mosaic[1 - ry :: 2, 1 - rx :: 2] = frame[1 - ry :: 2, 1 - rx :: 2, 2]
    return cv2.cvtColor(mosaic, code + DEMOSAIC_VARIANTS[int(rng.integers(len(DEMOSAIC_VARIANTS)))])


EXTRA = {  # step: (folder, seed offset, how a frame is made into the example)
    "skip-fakes": ("fake_skip", 1, _skip),
    "soft-reals": ("real_soft", 2, _soft),
    "camera-reals": ("real_camera", 3, _camera),
}


def cmd_extra(work: Path, seed: int, step: str) -> None:
    """One more example per frame of the kind `step` names, shrunk and saved with the
    pair's JPEG quality; examples already made are kept."""
    folder, offset, make = EXTRA[step]
    out = work / "pairs" / folder
    out.mkdir(parents=True, exist_ok=True)
    for row in read_index(work):
        path = out / f"{row['key']}.png"
        if path.is_file():
            continue
        quality = int(np.random.default_rng(_seed(row["key"], seed)).integers(85, 96))  # the pair's
        example = make(_centre(_frame(work, row["key"])), np.random.default_rng(_seed(row["key"], seed + offset)))
        cv2.imwrite(str(path), jpeg_roundtrip(lanczos_half(example), quality)[:, :, ::-1])


def made_pairs(work: Path) -> list[dict[str, str]]:
    """Index rows whose real and fake examples both exist."""
    return [
        r
        for r in read_index(work)
        if (work / "pairs" / "real" / f"{r['key']}.png").is_file()
        and (work / "pairs" / "fake" / f"{r['key']}.png").is_file()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("frames", "autoencoder", "pairs", *EXTRA))
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("BAYARD_PD_CORPUS", "pd-corpus")),
                        help="the public-domain corpus folder (default: $BAYARD_PD_CORPUS, else ./pd-corpus)")
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1840)
    args = parser.parse_args(argv)
    if args.step == "frames":
        if not (args.corpus / "faces.tsv").is_file():
            print(f"{args.corpus}/faces.tsv not found; build the corpus first (docs/detector.md)", file=sys.stderr)
            return 2
        cmd_frames(args.corpus, args.work)
    elif args.step == "autoencoder":
        cmd_autoencoder(args.work, args.steps, args.seed)
    elif args.step == "pairs":
        cmd_pairs(args.work, args.seed)
    else:
        cmd_extra(args.work, args.seed, args.step)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
