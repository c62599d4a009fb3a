"""Detector figures: scoring speed, the shipped model on its own held-out data, and
on the development faces (../shared/data/faces: 20 FFHQ photographs, 20 StyleGAN2
faces, one JPEG pipeline), shipped and fitted on one half / evaluated on the other.

    python bench/detector.py [--shared-data DIR] [--folds 2]

Prints figures; asserts nothing. The faces are evaluation data only: nothing here is
written into models/.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.models.detector import features, load_detector, metrics  # noqa: E402
from installation.models.detector.preprocess import list_images, prepare, read_image  # noqa: E402
from installation.models.detector.spectral import SpectralModel, describe  # noqa: E402


def shared_data(given: str | None) -> Path:
    if given:
        return Path(given)
    if os.environ.get("BAYARD_SHARED_DATA"):
        return Path(os.environ["BAYARD_SHARED_DATA"])
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def timing(detector) -> None:
    rng = np.random.default_rng(0)
    image = (rng.random((256, 256, 3)) * 255).astype(np.uint8)
    for _ in range(3):
        detector.score(image)
    runs = 50
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(runs):
        detector.score(image)
    per_image = (time.perf_counter() - start) / runs * 1000
    # CPU time of this process: closer to an idle machine's wall time when other jobs
    # share the cores (numpy/OpenCV threads may add to it on a multi-core idle machine).
    per_image_cpu = (time.process_time() - cpu_start) / runs * 1000
    prepared = prepare(image)
    start = time.perf_counter()
    for _ in range(runs):
        features.extract(prepared)
    feature_ms = (time.perf_counter() - start) / runs * 1000
    big = (rng.random((512, 512, 3)) * 255).astype(np.uint8)
    start = time.perf_counter()
    for _ in range(20):
        detector.score(big)
    big_ms = (time.perf_counter() - start) / 20 * 1000
    print(
        f"scoring a 256x256 image: {per_image:.1f} ms wall, {per_image_cpu:.1f} ms CPU "
        f"(features {feature_ms:.1f} ms; target <= 10 ms; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"scoring a 512x512 image (2x2 tiles): {big_ms:.1f} ms")


def _per_image(thresholds, labels, folds, real_idx, fake_idx) -> np.ndarray:
    per = np.zeros(len(labels))
    for fold, threshold in enumerate(thresholds):
        per[np.r_[real_idx[fold::folds], fake_idx[fold::folds]]] = threshold
    return per


def show(title: str, report: metrics.Report) -> None:
    print(title)
    for line in report.lines():
        print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-data", default=None)
    parser.add_argument("--folds", type=int, default=2)
    args = parser.parse_args()

    detector = load_detector("spectral")
    print(f"shipped model: {detector.path}")
    used = detector.model.info.get("features_used")
    if used:
        print(f"  weighs {len(used)} of {len(features.feature_names())} features (the rest at weight 0)")
    timing(detector)

    held = detector.model.info.get("held_out_test")
    if held:
        (tn, fp), (fn, tp) = held["confusion"]
        print(
            "shipped model on held-out source photographs (its own data, never seen in fitting): "
            f"accuracy {held['accuracy']:.3f}, AP {held['average_precision']:.3f}, ROC AUC {held['roc_auc']:.3f}, "
            f"threshold {held['threshold']:.3f}, confusion real {tn}/{fp} fake {fn}/{tp} (said real/said fake)"
        )

    data = shared_data(args.shared_data)
    faces = data / "faces"
    if not (faces / "real").is_dir():
        print(f"no development faces at {faces}; skipping the face figures")
        return 0
    real_files, fake_files = list_images(faces / "real"), list_images(faces / "fake")
    real_images = [read_image(p) for p in real_files]
    fake_images = [read_image(p) for p in fake_files]
    labels = np.r_[np.zeros(len(real_images)), np.ones(len(fake_images))]
    verdicts = [detector.score(im) for im in real_images + fake_images]
    probabilities = np.array([v.probability for v in verdicts])
    log_odds = np.array([v.log_odds for v in verdicts])
    show(
        f"shipped model on {faces} (people: 48-59%):",
        metrics.evaluate(labels, probabilities, detector.threshold, log_odds),
    )

    # fit on one part, evaluate on the rest (k folds, stratified, fixed seed)
    rows = [describe(prepare(im)) for im in real_images + fake_images]
    x = np.array([r for r, _ in rows])
    curves = np.array([c for _, c in rows])
    rng = np.random.default_rng(0)
    real_idx, fake_idx = (
        rng.permutation(len(real_images)),
        len(real_images) + rng.permutation(len(fake_images)),
    )
    scores = np.zeros(len(labels))
    log_odds = np.zeros(len(labels))
    thresholds = []
    for fold in range(args.folds):
        test = np.r_[real_idx[fold :: args.folds], fake_idx[fold :: args.folds]]
        train = np.setdiff1d(np.arange(len(labels)), test)
        tr_real, tr_fake = train[labels[train] == 0], train[labels[train] == 1]
        # hold a quarter of the fitting half out for calibration, as `bayard detector fit` does
        cal = np.r_[tr_real[: max(1, len(tr_real) // 4)], tr_fake[: max(1, len(tr_fake) // 4)]]
        fit = np.setdiff1d(train, cal)
        model = SpectralModel.fit(
            x[fit][labels[fit] == 0],
            x[fit][labels[fit] == 1],
            (x[cal], labels[cal]),
            curves[fit][labels[fit] == 0],
            curves[fit][labels[fit] == 1],
        )
        scores[test] = model.linear.probability(x[test])
        log_odds[test] = model.linear.calibrated_logits(x[test])
        thresholds.append(model.linear.threshold)
        fold_report = metrics.evaluate(labels[test], scores[test], model.linear.threshold, log_odds[test])
        print(
            f"fold {fold + 1}/{args.folds}: accuracy {fold_report.accuracy:.3f}, AP {fold_report.average_precision:.3f}, "
            f"AUC {fold_report.roc_auc:.3f}, threshold {model.linear.threshold:.3f}"
        )
    # Pooled: each image judged against its own fold's threshold.
    verdict_scores = np.array(
        [
            s - t
            for s, t in zip(
                scores, _per_image(thresholds, labels, args.folds, real_idx, fake_idx), strict=True
            )
        ]
    )
    pooled = metrics.evaluate(labels, verdict_scores + 0.5, 0.5, log_odds)
    show(f"fit on {args.folds - 1}/{args.folds}, evaluated on the rest, pooled over folds:", pooled)

    portraits = sorted(data.glob("portrait-*.jpg"))
    if portraits:
        called = 0
        for path in portraits:
            verdict = detector.score(read_image(path))
            called += verdict.fake
            print(f"  {path.name}: p(fake) {verdict.probability:.3f} -> {verdict.label}")
        print(f"shipped model calls {called} of {len(portraits)} real portraits fake")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
