"""Faces cut by the picture's edge: how far the mesh's points move, by what the mesh's crop
sees beyond the picture (its padding).

    python bench/face_edges.py [--pictures GLOB ...] [--paddings replicate black mean reflect]

A crop of a tightly framed portrait reaches past the picture, and the mesh sees whatever
the crop is padded with there (today: the picture's edge replicated, as MediaPipe's
ImageToTensorCalculator does by default). Each picture's face is meshed whole, as the
truth; then the picture is cut so that one side passes through the face at a depth (a
share of the face's height or width from that side: the top through the forehead, brows,
lids; the bottom through chin and mouth; a side through cheek and eye), and the face is
found again in two ways: from the whole picture's crop moved into the cut one (the
padding alone), and through the portrait's whole path (`portrait_faces`: detection,
closer look, settling, the top edge's black look). Prints per cut and padding the mean point
error in face widths (cheek to cheek) of the eyes, brows, mouth and jaw, and how many faces
were not found; for the whole path also how many were fitted right (both eyes' centres within
0.1 of the eye spacing of the truth's) and how many fitted wrong.
The last row cuts nothing but a 2% frame: a crop that already reached past the picture
moves there only by its padding. By default the CC0 test faces (tests/data/faces-cc0).
Asserts nothing; docs/portrait.md ("Faces cut by the picture's edge") records a run.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.face import FaceStack, Region, geometry, portrait_faces  # noqa: E402
from installation.models.face.landmarks import CHEEK_IMAGE_LEFT, CHEEK_IMAGE_RIGHT, EYE_CONTOUR_LEFT, EYE_CONTOUR_RIGHT  # noqa: E402
from installation.models.face.settle import key_points  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PARTS = {
    "eyes": list(EYE_CONTOUR_LEFT + EYE_CONTOUR_RIGHT),
    "brows": [70, 63, 105, 66, 107, 55, 65, 52, 53, 46, 300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
    "mouth": [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
              78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415],
    "jaw": [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
            148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109],
}
# A fit is right where both eyes' centres lie within this share of the eye spacing of the truth's.
RIGHT_WITHIN = 0.1
# (side, depth): on the test faces the brows lie about 0.2 of the face's height below its
# top point, the upper lids 0.3, the eyes' middle 0.4.
CUTS = [("top", 0.2), ("top", 0.32), ("top", 0.42), ("bottom", 0.12), ("bottom", 0.25),
        ("left", 0.12), ("left", 0.25), ("right", 0.12), ("right", 0.25), ("none", 0.0)]
PADDINGS = ("replicate", "black", "mean", "reflect")


@contextmanager
def padded_with(padding: str):
    """Region.crop with another padding beyond the picture, for the length of the block."""
    today = geometry.Region.crop

    def crop(self, image, size, flip=False):
        m = self.crop_to_image(size)
        if flip:
            m = m @ np.array([[-1.0, 0.0, size], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        mode, value = {"replicate": (cv2.BORDER_REPLICATE, 0), "reflect": (cv2.BORDER_REFLECT_101, 0),
                       "black": (cv2.BORDER_CONSTANT, (0, 0, 0)),
                       "mean": (cv2.BORDER_CONSTANT, tuple(float(v) for v in image.reshape(-1, 3).mean(0)))}[padding]
        return cv2.warpAffine(image, m, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=mode, borderValue=value)

    geometry.Region.crop = crop
    try:
        yield
    finally:
        geometry.Region.crop = today


def cut(image: np.ndarray, points: np.ndarray, side: str, depth: float) -> tuple[np.ndarray, np.ndarray]:
    """The picture cut through the face, and the cut's top-left corner in the whole one."""
    h, w = image.shape[:2]
    (x0, y0), (x1, y1) = points.min(0), points.max(0)
    box = {"top": (0, int(y0 + depth * (y1 - y0)), w, h), "bottom": (0, 0, w, int(y1 - depth * (y1 - y0))),
           "left": (int(x0 + depth * (x1 - x0)), 0, w, h), "right": (0, 0, int(x1 - depth * (x1 - x0)), h),
           "none": (int(0.02 * w), int(0.02 * h), int(0.98 * w), int(0.98 * h))}[side]
    a, b, c, d = box
    return np.ascontiguousarray(image[b:d, a:c]), np.array([a, b], np.float64)


def errors(found: np.ndarray, truth: np.ndarray, width: float) -> dict[str, float]:
    eyes, true_eyes = key_points(found)[:2], key_points(truth)[:2]
    spacing = float(np.linalg.norm(true_eyes[1] - true_eyes[0]))
    worse_eye = float(np.linalg.norm(eyes - true_eyes, axis=1).max() / spacing)
    return {**{part: float(np.linalg.norm(found[idx, :2] - truth[idx], axis=1).mean() / width)
               for part, idx in PARTS.items()}, "right": float(worse_eye <= RIGHT_WITHIN)}


def measure(paths: list[str], paddings: list[str]) -> dict:
    stack = FaceStack.open()
    results: dict = defaultdict(list)  # (way, cut, padding) -> errors or None
    for path in paths:
        image = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        whole = portrait_faces(image, stack)
        if not whole:
            continue
        face = whole[0]
        points = face.landmarks[:, :2].astype(np.float64)
        width = float(np.linalg.norm(points[CHEEK_IMAGE_LEFT] - points[CHEEK_IMAGE_RIGHT]))
        for side, depth in CUTS:
            piece, corner = cut(image, points, side, depth)
            truth = points - corner
            moved = Region(face.region.cx - corner[0], face.region.cy - corner[1], face.region.width,
                           face.region.height, face.region.angle)
            for padding in paddings:
                with padded_with(padding):
                    same, _ = stack.mesh_model.run(piece, moved)
                    found = portrait_faces(piece, stack)
                results[("same crop", side, depth, padding)].append(errors(same, truth, width))
                nearest = min(found, key=lambda f: np.linalg.norm(np.subtract(f.centre, face.centre) + corner),
                              default=None)
                results[("whole path", side, depth, padding)].append(
                    None if nearest is None else errors(nearest.landmarks.astype(np.float64), truth, width))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", nargs="+", default=[str(ROOT / "tests/data/faces-cc0/*.jpg")])
    parser.add_argument("--paddings", nargs="+", default=list(PADDINGS), choices=PADDINGS)
    args = parser.parse_args()
    paths = sorted(p for pattern in args.pictures for p in glob.glob(pattern))
    results = measure(paths, args.paddings)
    for way in ("same crop", "whole path"):
        print(f"\n{way}: mean point error in face widths\n  {'cut':<12}{'padding':<11}"
              + "".join(f"{part:>7}" for part in PARTS) + "  missed  right  wrong")
        for (way_of, side, depth, padding), rows in results.items():
            if way_of != way:
                continue
            got = [r for r in rows if r is not None]
            means = [np.mean([r[part] for r in got]) if got else float("nan") for part in PARTS]
            right = sum(int(r["right"]) for r in got)
            print(f"  {side + ' ' + str(depth):<12}{padding:<11}" + "".join(f"{m:7.3f}" for m in means)
                  + f"  {len(rows) - len(got):>2}/{len(rows):<3} {right:>5}  {len(got) - right:>5}")

if __name__ == "__main__":
    main()
