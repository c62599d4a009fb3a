"""Cues a visitor can see in the eyes (measured here, each on its own, in bench/detector.py).

* **Corneal highlights that disagree** (Hu, Li and Lyu, ICASSP 2021): both corneas of a
  photographed person mirror the same lights, so the bright highlights sit at the same
  place on both irises. Their paper compares highlight masks (IoU); at 512 px a highlight
  is 1-3 pixels, too few for a mask, so we measure how far apart the two highlights sit,
  each relative to its own iris centre, in iris radii.
* **Pupils that are not ellipses** (Guo et al., ICASSP 2022): a real pupil's outline is
  close to an ellipse. Measured as 1 - IoU between the dark pupil blob and its fitted
  ellipse, averaged over the eyes.

The iris model gives each eye's iris centre and radius. At 512 px an iris is ~20-25 px
across and a pupil ~8-12 px, so each eye is enlarged 4x before measuring, and the cues are
weak; these numbers are shown to the visitor only when they are what weighed most.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

ZOOM = 4
CORNEA_SHARE = 0.85  # of the iris radius: where a highlight is looked for
SPOT_SHARE = 0.6  # of the iris radius: a highlight is narrower than this
MIN_HIGHLIGHT = 20.0  # grey levels above its surroundings, at least
DIFFER_RADII = 0.5  # highlights this far apart (relative to their irises) differ


@dataclass
class EyeCues:
    highlight_disagreement: float  # 0 = the two highlights coincide, 1 = nothing in common
    pupil_irregularity: float  # 0 = perfect ellipses
    # what the reveal draws: per eye, (centre x, y, radius) of the iris in image pixels and
    # the highlight's centre (or None when the eye has no highlight)
    irises: list[tuple[float, float, float]]
    highlights: list[tuple[float, float] | None]


def _eye_patch(grey: np.ndarray, centre: np.ndarray, radius: float) -> tuple[np.ndarray, float, float]:
    """The iris disc (1.2 radius) of a grey image, enlarged ZOOM times (cubic)."""
    r = max(radius * 1.2, 3.0)
    x0, y0 = int(np.floor(centre[0] - r)), int(np.floor(centre[1] - r))
    size = int(np.ceil(2 * r)) + 1
    patch = cv2.getRectSubPix(grey, (size, size), (x0 + size / 2.0, y0 + size / 2.0))
    big = cv2.resize(patch, (size * ZOOM, size * ZOOM), interpolation=cv2.INTER_CUBIC)
    return big, x0, y0


def _highlight(cornea_view: tuple) -> tuple[float, float] | None:
    """The centre of the corneal highlight in image pixels (None: no highlight), from the
    eye's `_cornea` view.

    A highlight is a small spot far brighter than the iris right around it, on the cornea:
    inside the iris (0.85 of its radius, clear of the white of the eye beside it) and
    between the lids. So it is looked for as the strongest peak of a white top-hat (what
    stands above its surroundings over less than about a third of the iris), not as the
    brightest pixels of the eye's square: those were the white of the eye and the lid below
    the iris on almost every face, and the reveal ringed them as "highlights"."""
    big, cornea, x0, y0, radius = cornea_view
    if np.count_nonzero(cornea) < ZOOM * ZOOM:
        return None  # the eye is closed, or the lids cover the iris
    side = max(3, int(round(SPOT_SHARE * radius * ZOOM)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    standing = np.where(cornea, cv2.morphologyEx(big, cv2.MORPH_TOPHAT, kernel), 0.0)
    peak = float(standing.max())
    iris = big[cornea]
    # Far brighter than the iris's own texture (a pattern of fine light and dark, or a
    # print's halftone dots, stands above its surroundings too, by about its own spread).
    if peak < max(MIN_HIGHLIGHT, 0.5 * float(np.percentile(iris, 90) - np.percentile(iris, 10))):
        return None
    mask = ((standing >= 0.5 * peak) & cornea).astype(np.uint8)
    _, labels, _, centroids = cv2.connectedComponentsWithStats(mask)
    iy, ix = np.unravel_index(int(np.argmax(standing)), standing.shape)
    hx, hy = centroids[labels[iy, ix]]
    return x0 + hx / ZOOM, y0 + hy / ZOOM


def _cornea(grey: np.ndarray, eye) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """The eye's square enlarged ZOOM times, the cornea within it (inside CORNEA_SHARE of
    the iris radius and between the lids), the square's origin and the iris radius."""
    radius = float(max(eye.iris_radius, 2.0))
    big, x0, y0 = _eye_patch(grey, np.asarray(eye.iris_centre, np.float64), radius)
    n = big.shape[0]
    opening = np.zeros((n, n), np.uint8)
    lids = (np.asarray(eye.opening, np.float64) - [x0, y0]) * ZOOM
    cv2.fillPoly(opening, [np.round(lids).astype(np.int32)], 1)
    yy, xx = np.mgrid[0:n, 0:n]
    c = (n - 1) / 2.0
    cornea = ((xx - c) ** 2 + (yy - c) ** 2 <= (CORNEA_SHARE * radius * ZOOM) ** 2) & (opening > 0)
    return big, cornea, x0, y0, radius


def _pupil_irregularity(cornea_view: tuple) -> float | None:
    """1 - IoU of the pupil against its fitted ellipse (None: no pupil to outline), from the
    eye's `_cornea` view. The
    pupil is the darkest quarter of the cornea around its middle; one that reaches the
    lids or the cornea's edge is cut, not outlined, and is not measured. (Taken as the
    darkest fifth of the eye's whole square, it was mostly the iris with the lashes and
    lids beside it.)"""
    big, cornea, _, _, _ = cornea_view
    if np.count_nonzero(cornea) < 4 * ZOOM * ZOOM:
        return None
    blurred = cv2.GaussianBlur(big, (0, 0), 1.0)
    dark = ((blurred <= np.percentile(blurred[cornea], 25)) & cornea).astype(np.uint8)
    count, labels, _, centroids = cv2.connectedComponentsWithStats(dark)
    if count <= 1:
        return None
    n = big.shape[0]
    label = 1 + int(np.argmin(np.hypot(*(centroids[1:] - (n - 1) / 2.0).T)))  # the one at the middle
    blob = (labels == label).astype(np.uint8)
    rim = cornea.astype(np.uint8) - cv2.erode(cornea.astype(np.uint8), np.ones((3, 3), np.uint8))
    if np.count_nonzero(blob & rim):
        return None
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=len)
    if len(contour) < 6:
        return None
    ellipse = cv2.fitEllipse(contour)
    fitted = np.zeros_like(blob)
    cv2.ellipse(fitted, ellipse, 1, -1)
    union = np.count_nonzero(blob | fitted)
    return 1.0 - np.count_nonzero(blob & fitted) / max(union, 1)


def _disagreement(spots, irises) -> float:
    """Distance between the two highlights, each relative to its own iris centre, in
    iris radii (capped at 1). One highlight without the other counts as 1; none at all
    is no evidence either way (0.5)."""
    if spots[0] is None and spots[1] is None:
        return 0.5
    if spots[0] is None or spots[1] is None:
        return 1.0
    offsets = [np.subtract(s, i[:2]) / i[2] for s, i in zip(spots, irises, strict=True)]
    return float(min(1.0, np.linalg.norm(offsets[0] - offsets[1])))


def measure(image: np.ndarray, eyes) -> EyeCues:
    """Both cues from an RGB image and the face stack's two `Eye`s."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    spots, irises, pupils = [], [], []
    for eye in eyes:
        centre, radius = np.asarray(eye.iris_centre, np.float64), float(max(eye.iris_radius, 2.0))
        view = _cornea(grey, eye)  # both cues read the same enlarged cornea
        spot = _highlight(view)
        spots.append(spot)
        irises.append((float(centre[0]), float(centre[1]), radius))
        value = _pupil_irregularity(view)
        if value is not None:
            pupils.append(value)
    disagreement = _disagreement(spots, irises)
    return EyeCues(float(disagreement), float(np.mean(pupils)) if pupils else 0.0, irises, spots)


# How much of the face around each iris the reveal may show, in iris radii either side of
# its centre (it shows about 3.5, quiz_draw.SHOWN_RADII; the rest lets it fill its tile at a
# whole enlargement).
VIEW_REACH = 4.5


@dataclass(eq=False)  # (one per picture, known by identity: the reveal keeps its drawing by it)
class EyesView:
    """Both eyes as the picture has them (image-left first), for the reveal to enlarge: per
    eye a square of the full-resolution picture's own pixels, never resampled, centred on the
    pixel nearest the iris centre; where in it the iris (centre, radius) and the highlight
    sit, in its pixels (pixel centres at whole numbers)."""

    patches: list[np.ndarray]
    irises: list[tuple[float, float, float]]
    highlights: list[tuple[float, float] | None]


def views(image: np.ndarray, cues: EyeCues) -> EyesView:
    """The EyesView of an RGB image and its measured cues. (The reveal once got both eyes
    resampled twice: warped to 200 px from a crop about 40 px wide, then stretched again to
    its panel, and the one- to three-pixel highlights it asks visitors to look at were soft
    blobs.)"""
    reach = int(np.ceil(VIEW_REACH * max(r for _, _, r in cues.irises)))
    padded = cv2.copyMakeBorder(image, reach, reach, reach, reach, cv2.BORDER_REPLICATE)
    patches, irises, highlights = [], [], []
    for (cx, cy, r), spot in zip(cues.irises, cues.highlights, strict=True):
        px, py = round(cx), round(cy)  # the patch's middle pixel, (reach, reach) in it
        patches.append(np.ascontiguousarray(padded[py : py + 2 * reach + 1, px : px + 2 * reach + 1]))
        irises.append((cx - px + reach, cy - py + reach, r))
        highlights.append(None if spot is None else (spot[0] - px + reach, spot[1] - py + reach))
    return EyesView(patches, irises, highlights)


def finding(cues: EyeCues) -> str:
    """What the highlights show, as a word the reveal looks its sentence up by
    (installation/words.toml, [quiz.explain] eyes_*): none, one, match or differ."""
    found = sum(s is not None for s in cues.highlights)
    if found < 2:
        return ("none", "one")[found]
    # Half an iris radius: at 512 px the iris model places each iris centre to within about
    # a pixel, a fifth of a radius, so closer highlights look alike to a visitor (and were
    # called "in different places" beside two glints that plainly sat alike).
    return "match" if cues.highlight_disagreement < DIFFER_RADII else "differ"
