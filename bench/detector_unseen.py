"""A faces network's weights judged on the project's own test split against fake families
it may never have seen (own data only, never the development faces): for each family, the
ROC AUC of all the test split's real faces against that family's test fakes (bootstrap 95%)
and how many of its fakes were called real; and the real faces called generated, overall
and the living legislators.

    python bench/detector_unseen.py --weights FILE [--work build/faces] --families adv sg2 ...

Why: make_faces reports only the families a network was trained on; the question for a
candidate is how it does on a family held back as a proxy for StyleGAN2 (`adv`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.detector import metrics  # noqa: E402
from installation.models.detector.facedet import load_weights  # noqa: E402
from installation.models.detector.make_faces import load_split  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--families", nargs="+", default=["adv"])
    args = parser.parse_args()
    net, info = load_weights(args.weights)
    a, b = (float(v) for v in info["platt"])
    cut = float(np.log(info["threshold"] / (1 - info["threshold"])))
    held = load_split(args.work, tuple(args.families))["test"]
    reals = np.array([a * net.logit(i) + b for i in held["real"]])
    kinds = np.array(held["real_kinds"])
    living = kinds == "real_living"
    print(f"{args.weights}: threshold log-odds {cut:.2f}; test reals {len(reals)}: called generated "
          f"{np.mean(reals >= cut):.1%} ({int(np.sum(reals >= cut))}), living legislators "
          f"{int(np.sum(reals[living] >= cut))} of {int(living.sum())}")
    for family in args.families:
        mine = [i for i, k in zip(held["fake"], held["kinds"], strict=True) if k == family]
        fakes = np.array([a * net.logit(i) + b for i in mine])
        y = np.r_[np.zeros(len(reals)), np.ones(len(fakes))]
        auc = metrics.roc_auc(y, np.r_[reals, fakes])
        low, high = metrics.bootstrap_auc(y, np.r_[reals, fakes], rounds=1000)
        print(f"  {family:<22} AUC {auc:.3f} ({low:.3f}-{high:.3f})  called real "
              f"{int(np.sum(fakes < cut))} of {len(fakes)}  median log-odds {np.median(fakes):.2f} "
              f"(reals {np.median(reals):.2f})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
