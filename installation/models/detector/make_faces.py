"""Re-make the shipped face detector, models/detector/faces.npz (build time; torch).

    python -m installation.models.detector.facecorpus frames --corpus /work/pd-corpus --work build/faces
    python -m installation.models.detector.facecorpus autoencoder --work build/faces
    python -m installation.models.detector.facecorpus pairs --work build/faces
    python -m installation.models.detector.make_faces --work build/faces

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
    "corpus": "/work/pd-corpus (PROVENANCE.tsv per file): oldpics-cc0 (CC0 1.0, faces cut from public-domain "
    "books c. 1890-1925), voteview-manual/-wiki-pre1900 (public domain by age: sitters died before 1900), "
    "strata-historical (public-domain portraits), usgov-deceased (US Navy photograph, 17 USC 105)",
    "fakes": "the same faces rebuilt by the project's StyleGAN2-like autoencoder (autogan.py, trained on the "
    "training split's real faces only) and by the numpy StyleGAN2-like skip re-synthesis (synth.skip_resynthesise)",
    "not_used": "../shared/data/faces (development check only); no living public figure; no GAN output",
}


FAKE_KINDS = ("fake", "fake_skip")  # the autoencoder's faces, and the numpy skip re-synthesis


def load_split(work: Path):
    """Per split: each source's real example once per fake kind (so the classes balance;
    the network sees it under different random crops), its fakes, and its group."""
    data = defaultdict(lambda: {"real": [], "fake": [], "groups": [], "kinds": []})
    for row in made_pairs(work):
        d = data[row["split"]]
        real = read_image(work / "pairs" / "real" / f"{row['key']}.png")
        for kind in FAKE_KINDS:
            path = work / "pairs" / kind / f"{row['key']}.png"
            if path.is_file():
                d["real"].append(real)
                d["fake"].append(read_image(path))
                d["groups"].append(row["group"])
                d["kinds"].append(kind)
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
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1840)
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    data = load_split(args.work)
    train = data["train"]
    print(f"training on {len(train['real'])} real + {len(train['fake'])} rebuilt faces")
    weights = npr.train(train["real"], train["fake"], epochs=args.epochs, seed=args.seed)
    net = npr.NprNet(weights)

    def logits(split: str, balanced: bool = False):
        """Logits of each source's real example once (duplicates would narrow the test's
        intervals falsely) or once per fake kind (`balanced`: calibration sees the classes
        in equal numbers), then every fake; labels; groups; fake kinds."""
        d = data[split]
        everyone = range(len(d["kinds"]))
        once = list(everyone) if balanced else [i for i in everyone if d["kinds"][i] == d["kinds"][0]]
        reals = [d["real"][i] for i in once]
        x = np.array([net.logit(image) for image in reals + d["fake"]])
        y = np.r_[np.zeros(len(reals)), np.ones(len(d["fake"]))]
        return x, y, [d["groups"][i] for i in once], np.array(d["kinds"])

    x_cal, y_cal, _, _ = logits("calibration", balanced=True)
    a, b = fit_platt(x_cal, y_cal)
    threshold = best_threshold(1 / (1 + np.exp(-(a * x_cal + b))), y_cal)
    x_test, y_test, groups, kinds = logits("test")
    log_odds = a * x_test + b
    p = 1 / (1 + np.exp(-log_odds))
    report = metrics.evaluate(y_test, p, threshold, log_odds)
    low, high = metrics.bootstrap_auc(y_test, log_odds)
    n_real = int(np.sum(y_test == 0))
    per_kind = {}
    for kind in FAKE_KINDS:
        mask = np.r_[np.ones(n_real, bool), kinds == kind]
        if (kinds == kind).any():
            per_kind[kind] = metrics.roc_auc(y_test[mask], log_odds[mask])
    info = {
        "format": FORMAT,
        "made_by": "python -m installation.models.detector.make_faces",
        "sources": SOURCES,
        "n_train_examples_per_class": len(train["real"]),  # each real source once per fake kind
        "n_calibration_examples_per_class": len(data["calibration"]["real"]),
        "n_test_sources": n_real,  # each with one real and one fake per kind
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
        "fairness_real_called_fake": fairness(groups, p[:n_real] >= threshold),
        "test_auc_by_fake_kind": per_kind,
    }
    npr.save(args.output, weights, info=np.array(json.dumps(info, sort_keys=True)))
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB)")
    for line in report.lines():
        print("  " + line)
    print(f"  ROC AUC 95% interval (bootstrap): {low:.3f}-{high:.3f}")
    for kind, auc in per_kind.items():
        print(f"  ROC AUC against {kind} only: {auc:.3f}")
    for group, (n, share) in info["fairness_real_called_fake"].items():
        print(f"  real called generated, {group}: {share:.2f} of {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
