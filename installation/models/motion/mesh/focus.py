"""How sharp the picture is, so that what is painted into it is no sharper.

The painted mouth (teeth, cavity, the opening's outline) was drawn about half a pixel
soft on every portrait. On a soft print (a halftone book portrait, strongest edges blurred
by about 2 pixels) its crisp teeth and hard-edged opening stood out as pasted on, as a
sticker would. The picture's own blur is measured once per portrait, at its strongest
edges, where the fine grain that `grain_like` gives back does not count: blurring an edge
of blur s by a further r lowers its steepest gradient by s / sqrt(s^2 + r^2).
"""

from __future__ import annotations

import cv2
import numpy as np

from .rig import PortraitRig

# Grain and scan noise are smoothed away first (this much, taken back out after).
PRESMOOTH = 0.7
REBLUR = 2.0
STRONGEST = 97.0  # percentile of the gradient: the picture's edges, not its skin
MAX_BLUR = 3.0  # pixels; a softer picture is painted no softer than this
# What this measure reads on an edge as sharp as pixels allow (a step anti-aliased by the
# pixel grid): an edge of blur s reads sqrt(s^2 + PIXEL_SHARP^2), measured on drawn shapes
# blurred 0-3 px. Paint drawn at blur s reads the same, so a picture is matched by paint
# at the blur beyond that: the 1904 photograph and the painting read 0.84-0.88, pixel
# sharp, and their paint stays as it was.
PIXEL_SHARP = 0.75


def _gradient(picture: np.ndarray) -> np.ndarray:
    across = cv2.Sobel(picture, cv2.CV_32F, 1, 0, ksize=3)
    down = cv2.Sobel(picture, cv2.CV_32F, 0, 1, ksize=3)
    return cv2.magnitude(across, down)


def picture_blur(image: np.ndarray, where: np.ndarray) -> float:
    """The blur of the picture's strongest edges where `where` is true, as the sigma in
    pixels of the Gaussian that would make such edges from pixel-sharp ones (0 for those);
    0.0 when there is too little to measure."""
    if where.sum() <= 400:
        return 0.0
    grey = image if image.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    grey = grey.astype(np.float32)
    steep = _gradient(cv2.GaussianBlur(grey, (0, 0), PRESMOOTH))
    softer = _gradient(cv2.GaussianBlur(grey, (0, 0), float(np.hypot(PRESMOOTH, REBLUR))))
    edges = where & (steep >= np.percentile(steep[where], STRONGEST))
    if edges.sum() < 20 or steep[edges].min() <= 1.0:
        return 0.0
    kept = float(np.clip(np.median(softer[edges] / steep[edges]), 0.0, 0.995))
    blur = REBLUR * kept / np.sqrt(1.0 - kept * kept)  # with the pre-smoothing and the pixel in it
    beyond = blur * blur - PRESMOOTH * PRESMOOTH - PIXEL_SHARP * PIXEL_SHARP
    return float(np.clip(np.sqrt(max(beyond, 0.0)), 0.0, MAX_BLUR))


def face_blur(rig: PortraitRig) -> float:
    """How soft the sitter's face is drawn: measured inside the face mesh's outline, where
    the painted mouth must belong."""
    x0, y0, x1, y1 = rig.region
    inside = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(inside, cv2.convexHull(np.round(rig.mesh[:, :2] - (x0, y0)).astype(np.int32)), 1)
    return picture_blur(rig.image[y0:y1, x0:x1], inside > 0)
