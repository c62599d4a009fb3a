"""`bayard detector fit --quiz`: fit on a gallery's own quiz items by k-fold cross-fitting,
so the machine never judges an image it learned from.

The items are split into k folds (each with real and generated items where possible). For
each fold a model is fitted on the other folds and judges the items of this one; the
verdicts are written to models/detector/quiz-crossfit.json, keyed by each file's sha256,
and the quiz uses them instead of the shipped detector's (its picture of what it saw is
still the shipped detector's). Features per item: the spectral features and, when the
face detector is installed, its calibrated log-odds, so a gallery's fit starts from what
the shipped weights already know.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ...runtime.files import atomic_write_text
from . import metrics
from .base import DEFAULT_MODELS_DIR, DetectorUnavailable, Verdict
from .linear import LinearModel
from .preprocess import prepare, read_image
from .spectral import describe

CROSSFIT_FILE = "quiz-crossfit.json"
L2 = 1.0  # a handful of items per fold: a strong penalty keeps the fit from memorising them


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folds_of(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold number per item, each class dealt round the folds (stratified)."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=np.int64)
    for value in (0, 1):
        index = np.flatnonzero(labels == value)
        rng.shuffle(index)
        fold[index] = np.arange(len(index)) % k
    return fold


def item_rows(paths: list[Path], models_dir: Path) -> np.ndarray:
    try:
        from .facedet import FacesDetector

        faces = FacesDetector(models_dir=models_dir)
    except DetectorUnavailable:
        faces = None
    rows = []
    for path in paths:
        image = read_image(path)
        row, _ = describe(prepare(image))
        if faces is not None:
            row = np.r_[row, faces.score(image).log_odds]
        rows.append(row)
    return np.array(rows)


def crossfit(paths: list[Path], labels: np.ndarray, k: int = 5, seed: int = 0, models_dir: Path = DEFAULT_MODELS_DIR):
    """Out-of-fold (probability, threshold, log-odds) per item, fold numbers and the rows' width."""
    labels = np.asarray(labels, dtype=np.int64)
    if min(np.sum(labels == 0), np.sum(labels == 1)) < 2:
        raise ValueError("cross-fitting needs at least 2 real and 2 generated items")
    k = int(min(k, np.sum(labels == 0), np.sum(labels == 1)))
    x = item_rows(paths, models_dir)
    fold = folds_of(labels, k, seed)
    out = np.zeros((len(paths), 3))
    for f in range(k):
        train, test = fold != f, fold == f
        model = LinearModel.fit(x[train], labels[train], l2=L2)
        model.calibrate(x[train], labels[train])  # the fold's own items stay unseen
        out[test, 0] = model.probability(x[test])
        out[test, 1] = model.threshold
        out[test, 2] = model.calibrated_logits(x[test])
    return out, fold, x.shape[1]


def write(path: Path, keys: list[str], paths: list[Path], labels, out: np.ndarray, fold: np.ndarray, k: int) -> dict:
    report = metrics.evaluate(labels, out[:, 0] >= out[:, 1], 0.5, out[:, 2])
    low, high = metrics.bootstrap_auc(labels, out[:, 2])
    summary = {
        "made_by": "bayard detector fit --quiz",
        "folds": k,
        "roc_auc": report.roc_auc,
        "roc_auc_95": [low, high],
        "accuracy": report.accuracy,
        "errors": list(metrics.class_errors(report)),
        "items": {
            sha256_of(p): {"key": key, "probability": float(o[0]), "threshold": float(o[1]),
                           "log_odds": float(o[2]), "fold": int(f)}
            for key, p, o, f in zip(keys, paths, out, fold, strict=True)
        },
    }
    # (whole or not at all, and no temporary file left in the models folder by Ctrl-C or a kill)
    atomic_write_text(path, json.dumps(summary, indent=1, sort_keys=True))
    return summary


# Out of fold, a ROC AUC below this ranks the items no better than a coin (20 items: the
# interval on an AUC of 0.5 reaches about 0.25-0.75).
COIN_AUC = 0.6


def crossfit_verdicts(models_dir: Path) -> dict[str, Verdict]:
    """The cross-fitted verdicts installed in a models folder, by file sha256 ({} if none)."""
    path = Path(models_dir) / CROSSFIT_FILE
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        return {h: Verdict(float(v["probability"]), float(v["threshold"]), float(v["log_odds"]))
                for h, v in items.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def crossfit_figures(models_dir: Path) -> tuple[float, float] | None:
    """The installed cross-fit's out-of-fold ROC AUC and accuracy, or None (no file, or one
    written without them)."""
    try:
        summary = json.loads((Path(models_dir) / CROSSFIT_FILE).read_text(encoding="utf-8"))
        return float(summary["roc_auc"]), float(summary["accuracy"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
