"""Several families of the project's own generated faces, and more kinds of real ones, for
a detector that must recognise a generator it never saw (build time; torch; never run by
the show).

    python -m installation.models.detector.facecorpus frames --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.families living --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.families train --work build/faces
    python -m installation.models.detector.families make --work build/faces

Why several: a detector trained on one generator learns that generator's fingerprint and
misses the next one (the shipped single-family detector scored 0.98 on its own generator and
chance on StyleGAN2). The families below differ in what the literature says a fingerprint is
made of: how the decoder up-samples (StyleGAN2's transposed convolution + [1,3,3,1] FIR,
zero insertion + FIR then a convolution, nearest neighbour, bilinear, pixel shuffle), how
many times (2-4 up blocks: after the 2:1 publishing shrink, traces survive at several
scales), modulated/demodulated convolutions or plain ones, toRGB skips or one output layer,
width and training length. `make_faces --logo` trains on all families but one and measures
the one left out: the project's proxy for "an unseen generator".

Every fake is made from a public-domain frame of `facecorpus` (the same frames the reals
come from, so content never separates the classes). The living legislators of the corpus's
`real-only-living-congress` are aligned into a folder of their own (`living`) that no
generator reads: they are real examples only, never altered beyond alignment and the
publishing shrink every example gets, never shown as fakes.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import cv2
import numpy as np

from .facecorpus import _camera, _frame, _seed, _soft, read_index, split_of
from .preprocess import jpeg_roundtrip, read_image
from .synth import lanczos_half, skip_resynthesise

SIDE = 256  # the central square of each frame that becomes an example (128 px published)
LIVING_SET = "real-only-living-congress"

# name: (autogan.build settings, training steps). Widths and lengths differ on purpose.
FAMILIES: dict[str, tuple[dict, int]] = {
    "sg2": ({"up": "transpose_fir", "depth": 2, "width": 16}, 400),
    "sg2-mod-deep": ({"up": "transpose_fir", "depth": 4, "modulated": True, "width": 16}, 300),
    "fir-mod": ({"up": "fir", "depth": 3, "modulated": True, "width": 12}, 250),
    "nearest": ({"up": "nearest", "depth": 3, "skips": False, "width": 16}, 400),
    "bilinear": ({"up": "bilinear", "depth": 2, "skips": False, "width": 24}, 200),
    "shuffle": ({"up": "shuffle", "depth": 3, "skips": False, "width": 16}, 350),
}
NUMPY_FAMILY = "skip-numpy"  # synth.skip_resynthesise: no training, random synthesis layers
# Trained adversarially (advgan.py): the StyleGAN2-like decoder learns to invent fine detail
# from its noise inputs instead of redrawing the photograph's, so it needs no noise gain.
# Opt-in (`--only adv` for train and make, `make_faces --extra adv`): the shipped weights and
# their leave-one-out table were made without it.
ADVERSARIAL: dict[str, tuple[dict, int]] = {
    "adv": ({"up": "transpose_fir", "depth": 3, "modulated": True, "width": 16}, 1500),
}


def fake_families(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The shipped recipe's families, then any of ADVERSARIAL named in `extra`."""
    unknown = set(extra) - set(ADVERSARIAL)
    if unknown:
        raise ValueError(f"unknown extra families {sorted(unknown)}: one of {sorted(ADVERSARIAL)}")
    return (*FAMILIES, NUMPY_FAMILY, *extra)


def _phone(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A real face as a phone or a web photograph reaches a face data set: sensor noise,
    a colour filter and demosaicing, denoising, sharpening, the camera's JPEG, then (as
    FFHQ did with smaller photographs) a smaller copy, a second JPEG and an enlargement by
    bilinear interpolation. Every step is ordinary processing, so none may read as
    "generated"."""
    x = frame.astype(np.float32)
    sigma = float(rng.uniform(1.0, 6.0))
    x = x + rng.standard_normal(x.shape).astype(np.float32) * sigma * np.sqrt(np.maximum(x, 8.0) / 128.0)
    x = _camera(np.clip(np.round(x), 0, 255).astype(np.uint8), rng)
    if rng.random() < 0.5:
        x = cv2.bilateralFilter(x, 5, float(rng.uniform(10, 40)), float(rng.uniform(1, 3)))
    else:
        x = cv2.GaussianBlur(x, (0, 0), float(rng.uniform(0.4, 1.0)))
    amount = float(rng.uniform(0.2, 1.2))
    blurred = cv2.GaussianBlur(x, (0, 0), float(rng.uniform(0.8, 2.0)))
    x = cv2.addWeighted(x, 1.0 + amount, blurred, -amount, 0)
    x = jpeg_roundtrip(x, int(rng.integers(75, 96)))
    factor = float(rng.uniform(1.0, 2.5))
    if factor > 1.1:
        small = max(32, round(x.shape[0] / factor))
        x = cv2.resize(x, (small, small), interpolation=cv2.INTER_AREA)
        x = jpeg_roundtrip(x, int(rng.integers(80, 96)))
        method = cv2.INTER_LINEAR if rng.random() < 0.7 else cv2.INTER_CUBIC
        x = cv2.resize(x, (frame.shape[1], frame.shape[0]), interpolation=method)
    return x


REAL_KINDS = {  # name: (seed offset, how a frame is made into a real example)
    "real": (0, None),
    "real_soft": (2, _soft),
    "real_camera": (3, _camera),
    "real_phone": (4, _phone),
}


def _centre(frame: np.ndarray, side: int = SIDE) -> np.ndarray:
    edge = (frame.shape[0] - side) // 2
    return np.ascontiguousarray(frame[edge : edge + side, edge : edge + side])


def publish(image: np.ndarray, quality: int) -> np.ndarray:
    """What every example goes through last, as StyleGAN2's and FFHQ's 1024 px faces did
    when shown at 512: the antialiased Lanczos 2:1 shrink, then one JPEG."""
    return jpeg_roundtrip(lanczos_half(image), quality)


COARSE_SIGMA = 3.0  # frame pixels: what the fakes take back from the photograph


def keep_coarse(frame: np.ndarray, rebuilt: np.ndarray) -> np.ndarray:
    """The rebuilt face with the photograph's coarse picture put back (the difference,
    blurred by a Gaussian of COARSE_SIGMA, added): our small autoencoders lose colour and
    soften the face, which would teach "greyish and soft = generated", a rule that sharp,
    colourful StyleGAN2 faces break. The Gaussian passes less than 1e-4 of a period-4
    pattern (the finest trace that survives publishing at 2:1), so every trace the
    detector may learn is the generator's."""
    diff = frame.astype(np.float32) - rebuilt.astype(np.float32)
    out = rebuilt.astype(np.float32) + cv2.GaussianBlur(diff, (0, 0), COARSE_SIGMA, borderType=cv2.BORDER_REFLECT)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def fine_detail(image: np.ndarray) -> float:
    """RMS of what a 1-pixel Gaussian removes: how much fine detail (grain, edges) there is."""
    x = image.astype(np.float32)
    return float(np.sqrt(np.mean((x - cv2.GaussianBlur(x, (0, 0), 1.0)) ** 2)))


GAINS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)


def noise_gain(work: Path, name: str, model, seed: int, n: int = 12) -> float:
    """The noise gain (`autogan.rebuild`) at which a family's published fakes have as much
    fine detail as their photographs, in the median over n training frames. Without it our
    decoders' faces have about half the photographs' fine detail, and a detector learns
    "less fine detail = generated" (measured on our own examples; docs/detector.md), a
    rule that says nothing about up-sampling. Kept in families/NAME.gain."""
    from . import autogan

    if name in ADVERSARIAL:  # its fine detail is what adversarial training gave: no scaling
        return 1.0
    path = work / "families" / f"{name}.gain"
    if path.is_file():
        return float(path.read_text())
    rows = [r for r in read_index(work) if r["split"] == "train"][:n]
    frames = [_centre(_frame(work, r["key"])) for r in rows]
    real = np.median([fine_detail(publish(f, 92)) for f in frames])
    best, gap = 1.0, np.inf
    for gain in GAINS:
        fakes = [keep_coarse(f, autogan.rebuild(model, f, seed=i, noise_gain=gain)) for i, f in enumerate(frames)]
        ratio = np.median([fine_detail(publish(f, 92)) for f in fakes]) / real
        if abs(np.log(ratio)) < gap:
            best, gap = gain, abs(np.log(ratio))
    path.write_text(f"{best}\n")
    print(f"family {name}: noise gain {best} (fine detail {np.exp(gap):.2f}x off the photographs')", flush=True)
    return best


def matched_rebuild(model, frame: np.ndarray, seed: int) -> np.ndarray:
    """One frame rebuilt (with its coarse picture kept) at the noise gain of `GAINS` whose
    published fine detail is nearest the photograph's own: for single pictures at another
    scale than the training examples (the quiz's 1024 px faces), where one family-wide
    gain would leave them visibly grainier or smoother than their photographs."""
    from . import autogan

    real = fine_detail(publish(frame, 92))
    best, gap = None, np.inf
    for gain in (0.0, 0.5, *GAINS[:5]):
        fake = keep_coarse(frame, autogan.rebuild(model, frame, seed=seed, noise_gain=gain))
        off = abs(np.log(fine_detail(publish(fake, 92)) / real))
        if off < gap:
            best, gap = fake, off
    return best


def quality_of(key: str, seed: int) -> int:
    """One JPEG quality per source, shared by all its examples (as facecorpus's pairs)."""
    return int(np.random.default_rng(_seed(key, seed)).integers(85, 96))


def cmd_train(work: Path, seed: int, only: list[str] | None) -> None:
    import torch

    from . import advgan, autogan

    torch.set_num_threads(1)
    frames = [_frame(work, r["key"]) for r in read_index(work) if r["split"] == "train"]
    for n, (name, (config, steps)) in enumerate({**FAMILIES, **ADVERSARIAL}.items()):
        path = work / "families" / f"{name}.pt"
        wanted = name in only if only else name in FAMILIES  # adversarial ones only when named
        if not wanted or path.is_file():
            continue
        print(f"family {name}: {config}, {steps} steps on {len(frames)} frames", flush=True)
        settings = dict(config)
        width = settings.pop("width")
        fit = advgan.train if name in ADVERSARIAL else autogan.train
        fit(frames, path, steps=steps, seed=seed + n, width=width, log=lambda s: print("  " + s, flush=True),
            **settings)


def cmd_make(work: Path, seed: int, only: list[str] | None) -> None:
    """Every example of every frame: each real kind and each family's fake, saved as PNG
    (the decoded JPEG, exactly). Examples already made are kept, so a run can resume."""
    import torch

    from . import autogan

    torch.set_num_threads(1)
    if only:  # the adversarial families are made only when named
        kinds = [k for k in (*REAL_KINDS, *fake_families(), *ADVERSARIAL) if k in only]
    else:
        kinds = [*REAL_KINDS, *fake_families()]
    models = {name: autogan.load(work / "families" / f"{name}.pt")
              for name in (*FAMILIES, *ADVERSARIAL) if name in kinds}
    gains = {name: noise_gain(work, name, model, seed) for name, model in models.items()}
    for kind in kinds:
        (work / "examples" / kind).mkdir(parents=True, exist_ok=True)
    for n, row in enumerate(read_index(work)):
        key = row["key"]
        todo = [k for k in kinds if not (work / "examples" / k / f"{key}.png").is_file()]
        if not todo:
            continue
        frame = _centre(_frame(work, key))
        quality = quality_of(key, seed)
        for kind in todo:
            rng = np.random.default_rng(_seed(f"{kind}:{key}", seed))  # stable whatever --only says
            if kind in REAL_KINDS:
                make = REAL_KINDS[kind][1]
                rng = np.random.default_rng(_seed(key, seed + REAL_KINDS[kind][0]))
                example = frame if make is None else make(frame, rng)
            elif kind == NUMPY_FAMILY:
                example = skip_resynthesise(frame, rng)
            else:  # the adversarial family's noise as trained; the others' scaled, varied per face
                jitter = 1.0 if kind in ADVERSARIAL else float(np.exp(rng.uniform(-0.4, 0.4)))
                gain = gains[kind] * jitter
                rebuilt = autogan.rebuild(models[kind], frame, seed=int(rng.integers(2**31)), noise_gain=gain)
                example = keep_coarse(frame, rebuilt)
            cv2.imwrite(str(work / "examples" / kind / f"{key}.png"), publish(example, quality)[:, :, ::-1])
        if n % 100 == 0:
            print(f"{n} frames", flush=True)


def cmd_living(corpus: Path, work: Path, seed: int) -> None:
    """The living legislators' official portraits as real examples only: aligned, framed
    and published like every real example; no generator ever reads this folder."""
    from ..face import FaceStack
    from .facecorpus import aligned_frame, key_of

    stack = FaceStack.open()
    out = work / "examples" / "real_living"
    out.mkdir(parents=True, exist_ok=True)
    with open(corpus / "faces.tsv", encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    index = []
    for row in rows:
        name = row["file"]
        if name.split("/")[0] != LIVING_SET:
            continue
        frame, native = aligned_frame(read_image(corpus / name), stack)
        if frame is None:
            continue
        key = key_of(name)
        cv2.imwrite(str(out / f"{key}.png"), publish(_centre(frame), quality_of(key, seed))[:, :, ::-1])
        index.append((key, name, split_of(name), f"{native:.0f}"))
    with open(work / "living.tsv", "w", encoding="utf-8") as handle:
        handle.write("key\tsource\tsplit\tnative_side\n")
        handle.writelines("\t".join(entry) + "\n" for entry in index)
    print(f"{len(index)} living legislators as real examples in {out}")


def read_living(work: Path) -> list[dict[str, str]]:
    path = work / "living.tsv"
    if not path.is_file():
        return []
    return list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("living", "train", "make"))
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("BAYARD_PD_CORPUS", "pd-corpus")))
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--seed", type=int, default=1840)
    parser.add_argument("--only", nargs="*",
                        help="these families (or, for make, kinds) only: a second process can share the work")
    args = parser.parse_args(argv)
    if args.step == "living":
        cmd_living(args.corpus, args.work, args.seed)
    elif args.step == "train":
        cmd_train(args.work, args.seed, args.only)
    else:
        cmd_make(args.work, args.seed, args.only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
