"""Re-make the shipped face detector, models/detector/faces.npz (build time; torch).

    python -m installation.models.detector.facecorpus frames --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.facecorpus autoencoder --work build/faces
    python -m installation.models.detector.facecorpus pairs --work build/faces
    python -m installation.models.detector.facecorpus skip-fakes --work build/faces
    python -m installation.models.detector.facecorpus soft-reals --work build/faces
    python -m installation.models.detector.facecorpus camera-reals --work build/faces
    python -m installation.models.detector.make_faces --work build/faces --epochs 14

Trains `npr`'s network on the training split's pairs (real public-domain faces and the same
faces rebuilt by the project's autoencoder), calibrates its logit (Platt) and fixes the
threshold (best balanced accuracy) on the calibration split, and measures the test split:
ROC AUC with a bootstrap 95% interval, each class's error rate, and which groups of real
faces were called generated (the fairness check). Everything goes into the file's `info`,
with where the training data came from; bench/detector.py and `bayard detector eval` print it.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import metrics, npr
from .base import DEFAULT_MODELS_DIR
from .facecorpus import made_pairs
from .facedet import DEFAULT_WEIGHTS, FORMAT
from .linear import best_threshold, fit_platt
from .preprocess import read_image

SOURCES = {
    "corpus": "the pd-corpus folder (PROVENANCE.tsv per file): oldpics-cc0 (CC0 1.0, faces cut from public-domain "
    "books c. 1890-1925), voteview-manual/-wiki-pre1900 (public domain by age: sitters died before 1900), "
    "strata-historical (public-domain portraits), usgov-deceased (US Navy photograph, 17 USC 105)",
    "reals": "each face as published, the same face shrunk 1.5-3x and enlarged back by an ordinary "
    "interpolator (interpolation traces and softness count as real), and the same face through a Bayer "
    "colour filter and demosaicing (a digital camera's 2x2 traces count as real)",
    "fakes": "the same faces rebuilt by the project's StyleGAN2-like autoencoder (autogan.py, trained on the "
    "training split's real faces only) and by the numpy StyleGAN2-like skip re-synthesis (synth.skip_resynthesise)",
    "not_used": "../shared/data/faces (development check only); no living public figure; no GAN output",
}


# Each real kind is paired with a fake kind, so the classes balance:
# the photograph, the photograph ordinarily enlarged, and the photograph through a camera's
# colour filter and demosaicing; the autoencoder's faces, the numpy skip re-synthesis, and
# the autoencoder's again.
REAL_KINDS = ("real", "real_soft", "real_camera")
FAKE_KINDS = ("fake", "fake_skip", "fake")


def load_split(work: Path):
    """Per split: the real examples of each source (`REAL_KINDS`), each beside a fake
    (`FAKE_KINDS`), so the classes balance; with each, its group and kind."""
    data = defaultdict(lambda: {"real": [], "fake": [], "groups": [], "kinds": [], "real_kinds": []})
    for row in made_pairs(work):
        d = data[row["split"]]
        for real_kind, fake_kind in zip(REAL_KINDS, FAKE_KINDS, strict=True):
            real = work / "pairs" / real_kind / f"{row['key']}.png"
            fake = work / "pairs" / fake_kind / f"{row['key']}.png"
            if real.is_file() and fake.is_file():
                d["real"].append(read_image(real))
                d["fake"].append(read_image(fake))
                d["groups"].append(row["group"])
                d["kinds"].append(fake_kind)
                d["real_kinds"].append(real_kind)
    return data


def fairness(groups: list[str], called_fake: np.ndarray) -> dict[str, list[float]]:
    """Share of real faces called generated, per value of each group attribute."""
    table: dict[str, list[float]] = {}
    parts = [g.split("|") for g in groups]
    for axis, name in enumerate(("set", "sex named", "colour")):
        for value in sorted({p[axis] for p in parts}):
            mask = np.array([p[axis] == value for p in parts])
            table[f"{name}={value}"] = [int(mask.sum()), float(called_fake[mask].mean())]
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_MODELS_DIR / DEFAULT_WEIGHTS)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--seed", type=int, default=1840)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    data = load_split(args.work)
    train = data["train"]
    print(f"training on {len(train['real'])} real + {len(train['fake'])} rebuilt faces")
    weights = npr.train(train["real"], train["fake"], epochs=args.epochs, seed=args.seed)
    net = npr.NprNet(weights)

    def logits(split: str):
        """Logits of the real examples, then the fakes; labels; groups; kinds."""
        d = data[split]
        x = np.array([net.logit(image) for image in d["real"] + d["fake"]])
        y = np.r_[np.zeros(len(d["real"])), np.ones(len(d["fake"]))]
        return x, y, d["groups"], np.array(d["kinds"])

    x_cal, y_cal, _, _ = logits("calibration")
    a, b = fit_platt(x_cal, y_cal)
    threshold = best_threshold(1 / (1 + np.exp(-(a * x_cal + b))), y_cal)
    x_test, y_test, groups, kinds = logits("test")
    log_odds = a * x_test + b
    p = 1 / (1 + np.exp(-log_odds))
    report = metrics.evaluate(y_test, p, threshold, log_odds)
    low, high = metrics.bootstrap_auc(y_test, log_odds)
    n_real = int(np.sum(y_test == 0))
    real_kinds = np.array(data["test"]["real_kinds"])
    per_kind = {}
    for real_kind, fake_kind in zip(REAL_KINDS, FAKE_KINDS, strict=True):
        # each kind of real against each kind of fake: where the detector is weak
        for kind, mask in ((fake_kind, np.r_[real_kinds == "real", kinds == fake_kind]),
                           (real_kind, np.r_[real_kinds == real_kind, np.ones(len(kinds), bool)])):
            if mask[:n_real].any() and mask[n_real:].any():
                per_kind[kind] = metrics.roc_auc(y_test[mask], log_odds[mask])
    info = {
        "format": FORMAT,
        "made_by": "python -m installation.models.detector.make_faces",
        "sources": SOURCES,
        "n_train_examples_per_class": len(train["real"]),  # each real source once per fake kind
        "n_calibration_examples_per_class": len(data["calibration"]["real"]),
        "n_test_sources": int(np.sum(real_kinds == "real")),  # each with its real kinds and fakes
        "epochs": args.epochs,
        "seed": args.seed,
        "platt": [a, b],
        "threshold": threshold,
        "held_out_test": {
            "roc_auc": report.roc_auc,
            "roc_auc_95": [low, high],
            "accuracy": report.accuracy,
            "real_called_fake": report.confusion[0][1] / max(report.n_real, 1),
            "fake_called_real": report.confusion[1][0] / max(report.n_fake, 1),
        },
        "fairness_real_called_fake": fairness(
            [g for g, k in zip(groups, real_kinds, strict=True) if k == "real"],
            (p[:n_real] >= threshold)[real_kinds == "real"],
        ),
        "test_auc_by_kind": per_kind,
    }
    npr.save(args.output, weights, info=np.array(json.dumps(info, sort_keys=True)))
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB)")
    for line in report.lines():
        print("  " + line)
    print(f"  ROC AUC 95% interval (bootstrap): {low:.3f}-{high:.3f}")
    for kind, auc in per_kind.items():
        print(f"  ROC AUC with only {kind} on its side: {auc:.3f}")
    for group, (n, share) in info["fairness_real_called_fake"].items():
        print(f"  real called generated, {group}: {share:.2f} of {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
