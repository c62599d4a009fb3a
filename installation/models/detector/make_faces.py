"""Re-make the shipped face detector, models/detector/faces.npz (build time; torch).

    python -m installation.models.detector.facecorpus frames --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.families living --corpus PD_CORPUS --work build/faces
    python -m installation.models.detector.families train --work build/faces
    python -m installation.models.detector.families make --work build/faces
    python -m installation.models.detector.make_faces --work build/faces --logo   # the proxy table
    python -m installation.models.detector.make_faces --work build/faces

Trains `npr`'s network on the training split's examples (real public-domain faces in several
kinds of ordinary processing, living legislators as reals only, and the same public-domain
faces rebuilt by every fake family of `families.py`), calibrates its logit (Platt) and fixes
the threshold (best balanced accuracy) on the calibration split, and measures the test
split: ROC AUC with a bootstrap 95% interval, each class's error rate, AUC per fake family
and per real kind, and which groups of real faces were called generated (the fairness
check). `--logo` instead trains once per fake family without it and measures that family
on the test split: leave-one-generator-out, the proxy for a generator never seen, by which
the recipe is chosen. Everything goes into the file's `info`; bench/detector.py and
`bayard detector eval` print it.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import metrics, npr
from .base import DEFAULT_MODELS_DIR
from .facecorpus import read_index
from .facedet import DEFAULT_WEIGHTS, FORMAT
from .linear import best_threshold, fit_platt
from .preprocess import read_image

SOURCES = {
    "corpus": "the pd-corpus folder (PROVENANCE.tsv per file): oldpics-cc0 (CC0 1.0, faces cut from public-domain "
    "books c. 1890-1925), voteview-manual/-wiki-pre1900 (public domain by age: sitters died before 1900), "
    "strata-historical (public-domain portraits), usgov-deceased (US Navy photograph, 17 USC 105); "
    "real-only-living-congress (17 USC 105 official portraits of living legislators) as real examples only",
    "reals": "each public-domain face as published; shrunk 1.5-3x and enlarged back by an ordinary interpolator; "
    "through a Bayer colour filter and demosaicing; through a phone-like pipeline (sensor noise, demosaicing, "
    "denoising, sharpening, JPEG, a smaller copy, a second JPEG, bilinear enlargement); and the living "
    "legislators' portraits aligned and published, never altered otherwise",
    "fakes": "the same public-domain faces rebuilt by six autoencoder families of the project (families.py: "
    "StyleGAN2-like transposed conv + FIR with toRGB skips, 2 and 4 up blocks, modulated; FIR up + modulated "
    "conv; nearest + conv; bilinear + conv; pixel shuffle; trained on the training split's frames only) and by "
    "the numpy skip re-synthesis (synth.skip_resynthesise)",
    "not_used": "../shared/data/faces (development check only); no living public figure altered or faked; "
    "no GAN output",
}


def load_split(work: Path, families: tuple[str, ...] | None = None):
    """Per split: real examples (every real kind, living legislators included) with their
    group and kind, and generated ones with their family."""
    from .families import REAL_KINDS, fake_families, read_living

    families = families or fake_families()
    data = defaultdict(lambda: {"real": [], "fake": [], "groups": [], "real_kinds": [], "kinds": []})
    for row in read_index(work):
        d = data[row["split"]]
        for kind in REAL_KINDS:
            if (path := work / "examples" / kind / f"{row['key']}.png").is_file():
                d["real"].append(read_image(path))
                d["groups"].append(row["group"])
                d["real_kinds"].append(kind)
        for family in families:
            if (path := work / "examples" / family / f"{row['key']}.png").is_file():
                d["fake"].append(read_image(path))
                d["kinds"].append(family)
    for row in read_living(work):
        d = data[row["split"]]
        d["real"].append(read_image(work / "examples" / "real_living" / f"{row['key']}.png"))
        d["groups"].append("living|unnamed|colour")
        d["real_kinds"].append("real_living")
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


STEPS = 700  # batches of 32: what one shared CPU core trains in about 5 minutes


def _fit(train: dict, epochs: int, seed: int, size: int, steps: int = STEPS) -> npr.NprNet:
    weights = npr.train(train["real"], train["fake"], epochs=epochs, batch=32, size=size, seed=seed, steps=steps)
    return npr.NprNet(weights)


def _calibrate(net: npr.NprNet, d: dict) -> tuple[float, float, float]:
    """Platt scaling and the best balanced threshold on a split: (a, b, threshold)."""
    x = np.array([net.logit(image) for image in d["real"] + d["fake"]])
    y = np.r_[np.zeros(len(d["real"])), np.ones(len(d["fake"]))]
    a, b = fit_platt(x, y)
    return a, b, best_threshold(1 / (1 + np.exp(-(a * x + b))), y)


def leave_one_out(work: Path, epochs: int, seed: int, size: int, only: list[str] | None, steps: int = STEPS,
                  extra: tuple[str, ...] = ()) -> dict:
    """For each fake family: train without it (calibrating on the calibration split's
    other families), then judge the test split's reals against that family alone."""
    from .families import fake_families

    table = {}
    for family in only or fake_families(extra):
        rest = tuple(f for f in fake_families(extra) if f != family)
        data = load_split(work, rest)
        net = _fit(data["train"], epochs, seed, size, steps)
        a, b, threshold = _calibrate(net, data["calibration"])
        held = load_split(work, (family,))["test"]
        reals = np.array([a * net.logit(i) + b for i in held["real"]])
        fakes = np.array([a * net.logit(i) + b for i in held["fake"]])
        seen = np.array([a * net.logit(i) + b for i in data["test"]["fake"]])
        y = np.r_[np.zeros(len(reals)), np.ones(len(fakes))]
        auc = metrics.roc_auc(y, np.r_[reals, fakes])
        low, high = metrics.bootstrap_auc(y, np.r_[reals, fakes], rounds=1000)
        t = float(np.log(threshold / (1 - threshold)))
        table[family] = {
            "auc_unseen": auc,
            "auc_unseen_95": [low, high],
            "auc_seen_families": metrics.roc_auc(np.r_[np.zeros(len(reals)), np.ones(len(seen))], np.r_[reals, seen]),
            "real_called_fake": float(np.mean(reals >= t)),
            "unseen_called_real": float(np.mean(fakes < t)),
        }
        print(f"left out {family:<14} unseen AUC {auc:.3f} ({low:.3f}-{high:.3f})  seen families "
              f"{table[family]['auc_seen_families']:.3f}  "
              f"real called generated {table[family]['real_called_fake']:.1%}  "
              f"unseen called real {table[family]['unseen_called_real']:.1%}", flush=True)
    return table


def transfer(work: Path, epochs: int, seed: int, size: int, trained_on: list[str], steps: int = STEPS,
             extra: tuple[str, ...] = ()) -> dict:
    """A baseline for the table: train on `trained_on` only (the earlier recipe's two
    families, say) and judge the test split's reals against every other family."""
    from .families import fake_families

    data = load_split(work, tuple(trained_on))
    net = _fit(data["train"], epochs, seed, size, steps)
    reals = np.array([net.logit(i) for i in data["test"]["real"]])
    table = {}
    for family in fake_families(extra):
        fakes = np.array([net.logit(i) for i in load_split(work, (family,))["test"]["fake"]])
        y = np.r_[np.zeros(len(reals)), np.ones(len(fakes))]
        table[family] = metrics.roc_auc(y, np.r_[reals, fakes])
        seen = "trained on" if family in trained_on else "unseen"
        print(f"trained on {'+'.join(trained_on)}: {family:<14} ({seen}) AUC {table[family]:.3f}", flush=True)
    return table


def read_logo(work: Path, extra: tuple[str, ...] = ()) -> dict | None:
    """Every --logo run's rows (several processes may share the families), in family order."""
    from .families import fake_families

    logo = {}
    for path in sorted(work.glob("logo-*.json")):
        logo.update(json.loads(path.read_text()))
    return {f: logo[f] for f in fake_families(extra) if f in logo} or None


def attach_logo(work: Path, output: Path) -> int:
    """The leave-one-generator-out table into a weights file made before the table was
    finished (the table never changes the weights: it is measured on other networks)."""
    with np.load(output, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    info = json.loads(str(arrays.pop("info")))
    info["leave_one_generator_out"] = read_logo(work)
    npr.save(output, arrays, info=np.array(json.dumps(info, sort_keys=True)))
    print(f"{output}: leave-one-generator-out table for {sorted(info['leave_one_generator_out'] or {})}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_MODELS_DIR / DEFAULT_WEIGHTS)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--size", type=int, default=112, help="training crop side (examples are 128 px)")
    parser.add_argument("--steps", type=int, default=STEPS, help="batches of 32 to train for")
    parser.add_argument("--seed", type=int, default=1840)
    parser.add_argument("--logo", nargs="*", metavar="FAMILY",
                        help="leave-one-generator-out: the table (these families, default all) instead of weights")
    parser.add_argument("--attach", action="store_true",
                        help="only put the --logo runs' table into the weights' info (when they finished after it)")
    parser.add_argument("--extra", nargs="+", default=[], metavar="FAMILY",
                        help="opt-in families (families.ADVERSARIAL) to train and judge with the shipped seven")
    parser.add_argument("--trained-on", nargs="+", metavar="FAMILY",
                        help="a baseline instead of weights: train on these families, judge every family")
    parser.add_argument("--families", nargs="+", metavar="FOLDER",
                        help="train and judge on these example folders instead of the shipped seven "
                        "(the fine-detail-matched ones of matched.py, say); --extra is added to them")
    args = parser.parse_args(argv)
    import torch

    from .families import fake_families

    torch.set_num_threads(1)
    extra = tuple(args.extra)
    fake_families(extra)  # an unknown name fails here, before any training
    if args.attach:
        return attach_logo(args.work, args.output)
    if args.trained_on:
        table = transfer(args.work, args.epochs, args.seed, args.size, args.trained_on, args.steps, extra)
        (args.work / f"transfer-{'-'.join(args.trained_on)}.json").write_text(json.dumps(table, indent=1))
        return 0
    if args.logo is not None:
        table = leave_one_out(args.work, args.epochs, args.seed, args.size, args.logo, args.steps, extra)
        out = args.work / f"logo-{'-'.join(args.logo) or 'all'}.json"
        out.write_text(json.dumps(table, indent=1))
        print(f"wrote {out}")
        return 0
    chosen = (*args.families, *extra) if args.families else fake_families(extra)
    missing = [f for f in chosen if not (args.work / "examples" / f).is_dir()]
    if missing:
        raise SystemExit(f"no example folders for {missing} in {args.work / 'examples'}")
    data = load_split(args.work, chosen)
    train = data["train"]
    print(f"training on {len(train['real'])} real + {len(train['fake'])} generated faces")
    net = _fit(train, args.epochs, args.seed, args.size, args.steps)
    a, b, threshold = _calibrate(net, data["calibration"])
    d = data["test"]
    log_odds = np.array([a * net.logit(i) + b for i in d["real"] + d["fake"]])
    y_test = np.r_[np.zeros(len(d["real"])), np.ones(len(d["fake"]))]
    p = 1 / (1 + np.exp(-log_odds))
    report = metrics.evaluate(y_test, p, threshold, log_odds)
    low, high = metrics.bootstrap_auc(y_test, log_odds)
    n_real = len(d["real"])
    real_kinds, kinds = np.array(d["real_kinds"]), np.array(d["kinds"])
    per_kind = {}
    for family in sorted(set(kinds)):  # all reals against one family
        mask = np.r_[np.ones(n_real, bool), kinds == family]
        per_kind[family] = metrics.roc_auc(y_test[mask], log_odds[mask])
    for kind in sorted(set(real_kinds)):  # one kind of real against all fakes
        mask = np.r_[real_kinds == kind, np.ones(len(kinds), bool)]
        per_kind[kind] = metrics.roc_auc(y_test[mask], log_odds[mask])
    info = {
        "format": FORMAT,
        "made_by": "python -m installation.models.detector.make_faces",
        "sources": SOURCES,
        "n_train_examples": {"real": len(train["real"]), "generated": len(train["fake"])},
        "n_calibration_examples": {"real": len(data["calibration"]["real"]),
                                   "generated": len(data["calibration"]["fake"])},
        "n_test_examples": {"real": n_real, "generated": len(d["fake"])},
        "n_test_sources": int(np.sum(real_kinds == "real")),  # public-domain sources, each in every kind
        "epochs": args.epochs,
        "steps": args.steps,
        "crop": args.size,
        # the examples' side, published: the square the detector reads around a face
        "scoring_crop": int(train["real"][0].shape[0]),
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
        "fairness_real_called_fake": fairness(d["groups"], p[:n_real] >= threshold),
        "test_auc_by_kind": per_kind,
        # the --logo table is the shipped families'; it says nothing about other folders
        "leave_one_generator_out": None if args.families else read_logo(args.work, extra),
        "extra_families": list(extra),
        "fake_families": list(chosen),
    }
    npr.save(args.output, net.weights, info=np.array(json.dumps(info, sort_keys=True)))
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
