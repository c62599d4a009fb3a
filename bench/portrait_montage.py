"""Montages for docs/portrait.md: driver expressions beside the animated sitter.

    .venv/bin/python bench/portrait_montage.py [--out docs/images]

The shared driver videos are not ours to ship, so the driver appears as its face mesh (a
drawing of the landmarks) and the result on the shipped public-domain sitter. For each
shared driver, five frames are picked by the driver's own expression: its most neutral,
widest mouth, smallest eye opening, widest smile and largest head roll.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from portrait import SHARED, calibrate_near, frames_of, load_portrait  # noqa: E402

from installation.models.face import Expression, FaceStack, FaceTracker, neutrality  # noqa: E402
from installation.models.motion import PICTURES  # noqa: E402
from installation.models.motion.mesh import MeshAnimator  # noqa: E402
from installation.models.motion.mesh.named_points import (  # noqa: E402
    FACE_OVAL,
    INNER_LIPS,
    LEFT_EYE_OPENING,
    OUTER_LIPS,
    RIGHT_EYE_OPENING,
)

TILE = 260


def sketch(landmarks: np.ndarray) -> np.ndarray:
    canvas = np.full((TILE, TILE, 3), 24, np.uint8)
    pts = landmarks[:, :2]
    lo, hi = pts.min(0), pts.max(0)
    scale = 0.8 * TILE / max(hi - lo)
    p = (pts - (lo + hi) / 2) * scale + TILE / 2
    for x, y in p:
        cv2.circle(canvas, (int(x), int(y)), 1, (120, 120, 120), -1, cv2.LINE_AA)
    for ids, colour in ((FACE_OVAL, (170, 170, 170)), (OUTER_LIPS, (90, 90, 230)), (INNER_LIPS, (90, 90, 230)),
                        (LEFT_EYE_OPENING, (230, 200, 90)), (RIGHT_EYE_OPENING, (230, 200, 90))):
        cv2.polylines(canvas, [np.round(p[list(ids)]).astype(np.int32)], True, colour, 1, cv2.LINE_AA)
    return canvas


def bust(image: np.ndarray, animator: MeshAnimator) -> np.ndarray:
    lm = animator.rig.mesh[:, :2]
    (x0, y0), (x1, y1) = lm.min(0), lm.max(0)
    side = 1.25 * max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    m = np.float32([[TILE / side, 0, TILE / 2 - cx * TILE / side], [0, TILE / side, TILE / 2 - cy * TILE / side]])
    return cv2.warpAffine(image, m, (TILE, TILE), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--portrait", type=Path, default=ROOT / "content/portraits/thoreau-1856.jpg",
                        help="the sitter (default: the shipped one); a curator can look at their own")
    parser.add_argument("--lips-hidden", action="store_true",
                        help="the sitter's moustache hides both lips (the scene's lips_hidden; docs/portrait.md)")
    parser.add_argument("--picture", choices=PICTURES, default="auto",
                        help="what the sitter is (the scene's picture: its closed lids' rule, a painting's lip line; "
                             "docs/portrait.md)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stack = FaceStack.open()
    sitter = load_portrait(args.portrait)
    default_sitter = args.portrait.resolve() == (ROOT / "content/portraits/thoreau-1856.jpg").resolve()
    for video in ("driver-expressions-12s.mp4", "driver-faces-34s.mp4", "driver-smile-3s.mp4"):
        frames, fps = frames_of(SHARED / video, 1200)
        tracker = FaceTracker(stack)
        faces = [tracker.update(f, i / fps).face for i, f in enumerate(frames)]
        usable = [i for i, f in enumerate(faces) if f is not None]
        expr = {i: Expression.of(faces[i].landmarks) for i in usable}
        picks = [max(usable, key=lambda i: neutrality(faces[i].landmarks)),
                 max(usable, key=lambda i: expr[i].mouth),
                 min(usable, key=lambda i: expr[i].eyes),
                 max(usable, key=lambda i: expr[i].smile),
                 max(usable, key=lambda i: abs(expr[i].roll - expr[usable[0]].roll))]
        animator = MeshAnimator(sitter, stack, lips_hidden=args.lips_hidden, picture=args.picture)
        ref = picks[0]
        calibrate_near(animator, stack, frames, faces, ref)
        animator.reference.settle_over([faces[i].landmarks for i in usable])  # as `animate` does
        top, bottom = [], []
        for i in picks:
            motion = animator.reference.motion(faces[i].landmarks, stack.eyes(frames[i], faces[i].landmarks),
                                                frames[i])
            top.append(sketch(faces[i].landmarks))
            bottom.append(bust(animator.render(motion), animator))
        sheet = np.vstack([np.hstack(top), np.hstack(bottom)])
        labels = ("neutral (reference)", "widest mouth", "eyes most closed", "widest smile", "most head roll")
        for k, label in enumerate(labels):
            cv2.putText(sheet, f"{label} (frame {picks[k]})", (k * TILE + 6, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.42,
                        (235, 235, 235), 1, cv2.LINE_AA)
        stem = "portrait" if default_sitter else args.portrait.stem
        name = args.out / f"{stem}-{video.split('-')[1]}.png"
        cv2.imwrite(str(name), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
        print(f"wrote {name} (frames {picks})")


if __name__ == "__main__":
    main()
