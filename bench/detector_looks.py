"""What the `faces` network reacts to, on a folder of real and a folder of generated faces
(by default the development faces, ../shared/data/faces: run this only after the recipe
is fixed, and count it as a look in docs/detector.md).

    python bench/detector_looks.py [--real DIR --fake DIR] [--picture OUT.png] [--weights FILE]

Prints, per class: the calibrated log-odds (quantiles), how many were called generated,
where on the face the class activation map put its strongest evidence (the reveal's place
names), and the mean map's value by place; with --picture, writes the two mean maps side
by side (warm: looked generated) to OUT.png (outside the repository). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.detector import load_detector, metrics  # noqa: E402
from installation.models.detector.preprocess import list_images, read_image  # noqa: E402


def look(detector, paths: list[Path]):
    odds, places, maps = [], Counter(), []
    for path in paths:
        image = read_image(path)
        explanation = detector.explain(image)
        odds.append(explanation.verdict.log_odds)
        places[explanation.cue_place] += 1
        landmarks = detector.landmarks(image)
        from installation.models.detector.faceframe import scoring_crop

        maps.append(detector.net.activation_map(scoring_crop(image, landmarks, detector.crop)))
    return np.array(odds), places, np.mean(maps, axis=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"
    parser.add_argument("--real", type=Path, default=shared / "real")
    parser.add_argument("--fake", type=Path, default=shared / "fake")
    parser.add_argument("--picture", type=Path, default=None)
    parser.add_argument("--weights", type=Path, default=None,
                        help="the faces network's weights (default: the shipped models/detector/faces.npz)")
    args = parser.parse_args()
    detector = load_detector("faces", weights=args.weights)
    print(f"weights {detector.path}")
    cut = float(np.log(detector.threshold / (1 - detector.threshold)))
    means, scores = [], []
    for name, folder in (("real", args.real), ("generated", args.fake)):
        odds, places, mean_map = look(detector, list_images(folder))
        means.append(mean_map)
        scores.append(odds)
        q = np.percentile(odds, [0, 25, 50, 75, 100])
        print(f"{name} ({len(odds)}): log-odds min {q[0]:.2f} q1 {q[1]:.2f} median {q[2]:.2f} q3 {q[3]:.2f} "
              f"max {q[4]:.2f}; called generated {np.mean(odds >= cut):.0%} (threshold {cut:.2f})")
        print(f"  strongest evidence: {dict(places.most_common())}")
        h = mean_map.shape[0]
        centre, ring = mean_map[h // 4 : 3 * h // 4, h // 4 : 3 * h // 4], mean_map.copy()
        ring[h // 4 : 3 * h // 4, h // 4 : 3 * h // 4] = np.nan
        print(f"  mean map: centre of the crop {centre.mean():+.3f}, outer ring {np.nanmean(ring):+.3f}")
    labels = np.r_[np.zeros(len(scores[0])), np.ones(len(scores[1]))]
    low, high = metrics.bootstrap_auc(labels, np.r_[scores[0], scores[1]], rounds=1000)
    print(f"ROC AUC {metrics.roc_auc(labels, np.r_[scores[0], scores[1]]):.3f} (95% {low:.3f}-{high:.3f})")
    if args.picture:
        import cv2

        both = np.hstack(means)
        scale = max(float(np.abs(both).max()), 1e-6)
        v = np.clip(both / scale, -1, 1)
        rgb = np.stack([np.clip(v, 0, 1), np.zeros_like(v), np.clip(-v, 0, 1)], axis=2)
        big = cv2.resize((rgb * 255).astype(np.uint8), (both.shape[1] * 8, both.shape[0] * 8),
                         interpolation=cv2.INTER_NEAREST)
        cv2.imwrite(str(args.picture), big[:, :, ::-1])
        print(f"wrote {args.picture} (left: real, right: generated; red: looked generated, blue: looked photographic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
