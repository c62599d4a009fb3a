"""Fake families re-made with each face's fine detail matched to its own photograph's
(build time; torch; never run by the show).

    python -m installation.models.detector.matched --work build/faces --models DIR [--families sg2 ...]

Why: the shipped families' noise gain was fitted on 12 frames, yet their published fakes
have 1.8-2.5x the photographs' fine detail (median over 200 training sources), and a
family with about the photographs' amount (`adv`, StyleGAN2) fools the network trained on
them. So the network's main cue is probably *how much* fine detail there is. Here every
fake gets its own photograph's amount (within MATCH), so that cue is gone from the data
and only the decoders' patterns are left to learn.

How, with two rebuilds per face: the frame is rebuilt at noise gain 0 and at the gain
`families make` used (same jitter, same noise seed), and the two are blended,
g0 + a (g1 - g0): both are the decoder's output, so every pixel still carries its
up-sampling traces; only the amount of noise-driven detail changes. Published detail
energy is close to d0^2 + a^2 (d1^2 - d0^2), which gives `a`; a few cheap refinements
(blending and publishing cost milliseconds) correct for the JPEG and the cross term.
Where no `a` in [0, A_MAX] matches (a face whose gain-0 rebuild is already grainier than
its photograph), the nearest tried is kept and the face is marked in the log.

The numpy family (`synth.skip_resynthesise`, no torch) is matched the same way by scaling
what a Gaussian of DETAIL_SIGMA frame pixels removes from it.

Examples go to examples/FAMILY-matched (never over the shipped ones); one row per face in
matched-FAMILY.tsv: fine detail of the photograph, of the unmatched fake (the shipped
recipe's, reproduced) and of the matched one, and `a`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np

from .facecorpus import _frame, _seed, read_index
from .families import FAMILIES, NUMPY_FAMILY, _centre, fine_detail, keep_coarse, publish, quality_of
from .synth import skip_resynthesise

MATCH = 0.10  # accepted relative gap between a fake's published fine detail and its photograph's
A_MAX = 3.0  # at most 3x the shipped noise-driven detail: a few faces need it (very sharp photographs)
# frame pixels: the numpy family's band that is scaled (1.5 published pixels; scaling a 1-pixel
# band alone left 72% of its faces off their photograph's detail: little of it survives publishing)
DETAIL_SIGMA = 3.0


def _solve(measure, d0: float, d1: float, target: float, a_max: float) -> tuple[float, float]:
    """The blend weight whose published detail is `target`: energy model, then secant
    steps in a^2 (where energy is nearly linear). Returns (a, detail); the nearest tried
    when none is within MATCH."""
    tried = [(0.0, d0), (1.0, d1)]
    if d1 ** 2 - d0 ** 2 <= 1e-6 or target <= d0:
        return min(tried, key=lambda t: abs(np.log(t[1] / target)))
    lo, hi = tried
    for _ in range(5):
        (a_lo, e_lo), (a_hi, e_hi) = lo, hi
        # interpolate a^2 linearly between the two bracketing energies
        s = a_lo ** 2 + (target ** 2 - e_lo ** 2) * (a_hi ** 2 - a_lo ** 2) / max(e_hi ** 2 - e_lo ** 2, 1e-6)
        a = float(np.clip(np.sqrt(max(s, 0.0)), 0.0, a_max))
        d = measure(a)
        tried.append((a, d))
        if abs(d / target - 1) <= MATCH / 3:  # well inside: stop early
            break
        if d < target:
            lo = (a, d)
        else:
            hi = (a, d)
        if a >= a_max and d < target:
            break
    return min(tried, key=lambda t: abs(np.log(t[1] / target)))


def matched_autoencoder(model, frame: np.ndarray, quality: int, gain: float, seed: int):
    """(published matched fake, row) for one frame, as `families make` would rebuild it
    at `gain` with noise seed `seed`."""
    from . import autogan

    target = fine_detail(publish(frame, quality))
    g0 = autogan.rebuild(model, frame, seed=seed, noise_gain=0.0).astype(np.float32)
    g1 = autogan.rebuild(model, frame, seed=seed, noise_gain=gain).astype(np.float32)

    def make(a: float) -> np.ndarray:
        return publish(keep_coarse(frame, np.clip(g0 + a * (g1 - g0), 0, 255)), quality)

    d0, d1 = fine_detail(make(0.0)), fine_detail(make(1.0))
    a, d = _solve(lambda a: fine_detail(make(a)), d0, d1, target, A_MAX)
    return make(a), {"photo": target, "before": d1, "after": d, "a": a, "d0": d0}


def matched_numpy(frame: np.ndarray, quality: int, rng: np.random.Generator):
    """The numpy family's fake with its fine band scaled to the photograph's detail."""
    target = fine_detail(publish(frame, quality))
    fake = skip_resynthesise(frame, rng).astype(np.float32)
    base = cv2.GaussianBlur(fake, (0, 0), DETAIL_SIGMA, borderType=cv2.BORDER_REFLECT)

    def make(b: float) -> np.ndarray:
        return publish(np.clip(np.round(base + b * (fake - base)), 0, 255).astype(np.uint8), quality)

    d0, d1 = fine_detail(make(0.0)), fine_detail(make(1.0))
    b, d = _solve(lambda b: fine_detail(make(b)), d0, d1, target, 1.0)
    return make(b), {"photo": target, "before": d1, "after": d, "a": b, "d0": d0}


def make_family(work: Path, models: Path, family: str, seed: int, splits: set[str] | None = None) -> None:
    """examples/FAMILY-matched for every frame (resumable: rows already written are kept)."""
    import torch

    from . import autogan

    torch.set_num_threads(1)
    out = work / "examples" / f"{family}-matched"
    out.mkdir(parents=True, exist_ok=True)
    log = work / f"matched-{family}.tsv"
    done = set()
    if log.is_file():
        done = {line.split("\t")[0] for line in log.read_text().splitlines()[1:]}
    else:
        log.write_text("key\tsplit\tphoto\tbefore\tafter\ta\td0\n")
    model = gain = None
    if family != NUMPY_FAMILY:
        model = autogan.load(models / f"{family}.pt")
        gain = float((models / f"{family}.gain").read_text())
    start, n = time.time(), 0
    with open(log, "a", encoding="utf-8") as handle:
        for row in read_index(work):
            key = row["key"]
            if key in done or (splits and row["split"] not in splits):
                continue
            frame = _centre(_frame(work, key))
            quality = quality_of(key, seed)
            # the same generator state `families.cmd_make` draws from, in the same order
            rng = np.random.default_rng(_seed(f"{family}:{key}", seed))
            if family == NUMPY_FAMILY:
                image, info = matched_numpy(frame, quality, rng)
            else:
                jitter = float(np.exp(rng.uniform(-0.4, 0.4)))
                noise_seed = int(rng.integers(2**31))
                image, info = matched_autoencoder(model, frame, quality, gain * jitter, noise_seed)
            cv2.imwrite(str(out / f"{key}.png"), image[:, :, ::-1])
            values = [f"{info[k]:.4f}" for k in ("photo", "before", "after", "a", "d0")]
            handle.write("\t".join([key, row["split"], *values]) + "\n")
            handle.flush()
            n += 1
            if n % 200 == 0:
                print(f"{family}: {n} faces, {time.time() - start:.0f} s", flush=True)
    print(f"{family}: {n} faces in {time.time() - start:.0f} s", flush=True)


def summary(work: Path, family: str) -> str:
    """Fine-detail ratio fake/photograph, before and after, median and quartiles."""
    rows = [line.split("\t") for line in (work / f"matched-{family}.tsv").read_text().splitlines()[1:]]
    x = np.array([[float(v) for v in r[2:6]] for r in rows])
    before, after = x[:, 1] / x[:, 0], x[:, 2] / x[:, 0]
    q = lambda v: f"{np.median(v):.2f} ({np.percentile(v, 25):.2f}-{np.percentile(v, 75):.2f})"  # noqa: E731
    off = np.mean(np.abs(after - 1) > MATCH)
    return (f"{family:<14} n={len(rows)}  before {q(before)}  after {q(after)}  "
            f"outside +-{MATCH:.0%}: {off:.1%}  a median {np.median(x[:, 3]):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--models", type=Path, default=None,
                        help="folder of FAMILY.pt and FAMILY.gain (default WORK/families)")
    parser.add_argument("--families", nargs="+", default=[*FAMILIES, NUMPY_FAMILY])
    parser.add_argument("--splits", nargs="+", default=None, help="only these splits (a timing trial)")
    parser.add_argument("--seed", type=int, default=1840)
    parser.add_argument("--summary", action="store_true", help="only print the before/after ratios")
    args = parser.parse_args(argv)
    for family in args.families:
        if not args.summary:
            make_family(args.work, args.models or args.work / "families", family, args.seed,
                        set(args.splits) if args.splits else None)
        print(summary(args.work, family), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
