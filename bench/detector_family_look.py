"""A fake family looked at by eye and measured, on the project's own frames only (never the
development faces): how much fine detail its published faces have against the photographs',
and enlarged crops to see whether that detail looks like grain or like smears and
checkerboards.

    python bench/detector_family_look.py --work build/faces --family adv [--model FILE] [--picture OUT.png]

Fine detail is `families.fine_detail` (RMS of what a 1-px Gaussian removes) of the published
128 px example, median over n sources of the training split, as the docs' figures are.
With --picture: rows of photograph | rebuilt (coarse kept), the face's centre 64 px of the
256 px frame enlarged 4x, then the same place published (32 of 128 px) enlarged 8x.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.detector import autogan, families  # noqa: E402
from installation.models.detector.facecorpus import _frame, read_index  # noqa: E402


def main() -> int:
    import cv2
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--family", default="adv")
    parser.add_argument("--model", type=Path, default=None, help="default: WORK/families/FAMILY.pt")
    parser.add_argument("--gain", type=float, default=1.0, help="noise gain (the adversarial family uses 1)")
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--picture", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = autogan.load(args.model or args.work / "families" / f"{args.family}.pt")
    rows = [r for r in read_index(args.work) if r["split"] == "train"][: args.n]
    real, fake, tiles = [], [], []
    for i, row in enumerate(rows):
        frame = families._centre(_frame(args.work, row["key"]))
        rebuilt = families.keep_coarse(frame, autogan.rebuild(model, frame, seed=i, noise_gain=args.gain))
        q = families.quality_of(row["key"], 1840)
        pr, pf = families.publish(frame, q), families.publish(rebuilt, q)
        real.append(families.fine_detail(pr))
        fake.append(families.fine_detail(pf))
        if args.picture and i < 6:
            up = lambda a: cv2.resize(a, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)  # noqa: E731
            up8 = lambda a: cv2.resize(a, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST)  # noqa: E731
            c, h = 128, 32  # the same 64 frame pixels (32 published) in all four
            tiles.append(np.hstack([up(frame[c - h : c + h, c - h : c + h]), up(rebuilt[c - h : c + h, c - h : c + h]),
                                    up8(pr[48:80, 48:80]), up8(pf[48:80, 48:80])]))
    real, fake = np.array(real), np.array(fake)
    print(f"{args.family} (gain {args.gain}) on {len(rows)} training sources: fine detail, published, median "
          f"photographs {np.median(real):.2f} (quartiles {np.percentile(real, 25):.2f}-{np.percentile(real, 75):.2f}), "
          f"rebuilt {np.median(fake):.2f} ({np.percentile(fake, 25):.2f}-{np.percentile(fake, 75):.2f}); "
          f"median ratio per source {np.median(fake / real):.2f}")
    if args.picture:
        cv2.imwrite(str(args.picture), np.vstack(tiles)[:, :, ::-1])
        print(f"wrote {args.picture}: photograph | rebuilt (frame, 4x) | photograph | rebuilt (published, 4x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
