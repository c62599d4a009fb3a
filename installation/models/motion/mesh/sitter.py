"""Whether a face the models found is a sitter's: a person, not a cartoon animal.

The face models learned people's faces. On a front-facing cartoon animal (two dots for
eyes, an oval for a nose) the detector fires and the mesh is sure enough of a "face"
(0.68 on a drawn dog, 0.999 on a drawn bear), and the portrait would paint a person's
mouth and eyelids over it. What gives such a picture away is that it is drawn in flat
colour: photographs, paintings and prints have shading across a face, so few of its pixels
are even with their neighbours (at most 48% on 140 portraits and their grey, dark, dim,
small, turned, upside-down and recompressed copies; 53% blurred, 60% airbrushed), while in a
cartoon filled with flat colour 76% or more are, whatever the animal and whether it has a
mouth.

Measured and left out: the models' own doubts. The mesh's presence score, its steadiness
when its crop moves, the person mask and the distance between the detector's and the
mesh's eyes, nose and mouth each separate most cartoons from most people, but each also
doubts real sitters in hard light (dark faces under turbans in old prints, a face turned
45 degrees, a small face in a large picture), so none of them can refuse a portrait. A
photograph of an animal is mostly not found as a face at all; where it is, it is not flat,
and passes.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...face import Face
from .named_points import FACE_OVAL

# The share of the face's pixels with no shading beyond which it is a flat drawing: midway
# between the most a person's portrait showed and the least a cartoon did (0.76). Photographs
# and paintings reach 0.60 airbrushed; a person's photograph printed in three to five flat
# tones (a screenprint, a posterised sepia) 0.69-0.70, refused at an earlier 0.68. The
# ranges meet for photographs posterised to a few tones: 3 of 182 such copies of the CC0
# faces reached 0.74-0.83 (docs/portrait.md).
FLAT_DRAWING = 0.73
# Judged on the face made this tall, so a scan's grain and a small face weigh alike.
FLAT_FACE_PX = 96
# A pixel is flat when its lightness changes by less than this share of the face's own
# contrast (1st to 99th percentile) from one pixel to the next.
FLAT_STEP = 0.01
# A face with less contrast than this (lightness, of 255) is too dark to judge drawn or
# not: its few grey levels are flat whatever it shows.
MIN_CONTRAST = 12.0


def flat_share(image: np.ndarray, face: Face) -> tuple[float, float]:
    """The share of the face (inside the mesh's outline) with no shading, and the face's
    contrast, judged on its lightness with the face made FLAT_FACE_PX tall."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = face.box
    x0, y0 = max(0, int(x0) - 2), max(0, int(y0) - 2)
    x1, y1 = min(w, int(np.ceil(x1)) + 3), min(h, int(np.ceil(y1)) + 3)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return 0.0, 0.0
    scale = FLAT_FACE_PX / max(face.height, 1.0)
    size = (max(4, round((x1 - x0) * scale)), max(4, round((y1 - y0) * scale)))
    lightness = cv2.cvtColor(np.ascontiguousarray(image[y0:y1, x0:x1, :3]), cv2.COLOR_RGB2LAB)[..., 0]
    small = cv2.resize(lightness, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    small = small.astype(np.float32)
    outline = (face.landmarks[list(FACE_OVAL), :2] - (x0, y0)) * (size[0] / (x1 - x0), size[1] / (y1 - y0))
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillPoly(inside, [np.round(outline).astype(np.int32)], 1)
    # Not the outline itself: there the face meets the background in any picture.
    inside = cv2.erode(inside, np.ones((3, 3), np.uint8)).astype(bool)
    if inside.sum() < 16:
        return 0.0, 0.0
    low, high = np.percentile(small[inside], (1, 99))
    contrast = float(high - low)
    step = np.hypot(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1)) / 8
    return float((step[inside] < max(FLAT_STEP * contrast, 0.25)).mean()), contrast


def not_a_person(image: np.ndarray, face: Face) -> str | None:
    """Why the face found is not a person's face the portrait can animate, or None."""
    flat, contrast = flat_share(image, face)
    if contrast >= MIN_CONTRAST and flat > FLAT_DRAWING:
        return (f"the face is drawn in flat colours, like a cartoon ({flat:.0%} of it has no shading): the "
                "portrait moves faces with shading, and would paint a person's mouth and eyelids over flat colour "
                "(a drawn animal or mascot is taken for a person); choose a photograph or a painting of a person")
    return None
