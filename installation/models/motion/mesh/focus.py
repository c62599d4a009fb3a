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

from .line_width import y_through
from .meeting_lips import SITTER_LIPS_CLOSED
from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP
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
# The sitter's own lip line (`lip_line_blur`) is read across the middle of the mouth, over
# this share of its width, and this share of the face's height above and below it.
LINE_ACROSS, LINE_REACH = 0.6, 0.05
# ... in the columns where her lips meet at rest (the face mesh reads no more than a closed
# mouth's gap there, SITTER_LIPS_CLOSED), and only where this many columns are left. Across
# lips parted at rest (mid-word, laughing, at an instrument) the profile runs through the
# opening, her teeth or a shadow in it, no lip line, and read its shading as a soft line (two
# photographs with parted lips and faces of 0.1-0.7 px read 0.4-1.2 px), and an opening
# blurred by that much more on a face 130 px tall reads smaller to the face mesh and looks
# it (mouth r 0.49 -> 0.26 with 1.8 px on a trumpet player, amplitude 0.67 -> 0.60 on a
# laughing man).
LEAST_COLUMNS = 5
# The line's dark bottom is crossed where it is flat to within this many levels (its noise, a
# wiggle of half a level, had stopped a flank after a quarter pixel) before a flank is walked.
BOTTOM_LEVELS = 1.0


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


def lip_line_blur(rig: PortraitRig) -> float:
    """How soft the sitter's own closed lip line is (the Gaussian's sigma in pixels beyond the
    pixel's own, as `picture_blur` reads), read once per portrait (kept on its rig). The face's
    softness is its strongest edges', often lashes or a painting's cracks, where a sfumato
    mouth is softer: an opening drawn as sharp as the cracks was cut into soft lips with a
    hard black outline (Mona Lisa: face 0.66 px, her lip line 0.85). The line's profile down
    the mouth, straightened and its median taken across the middle of the mouth (a crack or a
    speck in one column does not count), is a dark line between two lips: each lip's edge, a
    step from the line's dark to the lip's first light, is as soft as that step's height over
    its steepest slope says (a blurred step's height is its steepest slope times sigma times
    sqrt(2 pi)); the sharper of the two counts, and with either lip's edge unread (no rise of
    a few levels) nothing is read: one flank alone is no line between two lips, and was often
    a lip's own shading, her teeth fading into a shadow, or a ramp with no line in it (read
    0.8-2.1 px on sharp photographs)."""
    blur = rig.readings.lips_blur
    if blur is not None:
        return blur
    points = rig.points[:, :2].astype(np.float32)
    upper, lower = points[list(UPPER_INNER_LIP)], points[list(LOWER_INNER_LIP)]
    left, right = float(points[78, 0]), float(points[308, 0])
    centre, half = (left + right) / 2, (right - left) / 2
    xs = np.arange(centre - LINE_ACROSS * half, centre + LINE_ACROSS * half + 1.0, dtype=np.float32)
    top, bottom = y_through(upper, xs), y_through(lower, xs)
    meet = bottom - top <= SITTER_LIPS_CLOSED * rig.face_height
    xs, line = xs[meet], (top[meet] + bottom[meet]) / 2
    step = 0.25
    reach = max(3.0, LINE_REACH * rig.face_height)
    down = np.arange(-reach, reach + step, step, dtype=np.float32)
    blur = 0.0
    if len(xs) >= LEAST_COLUMNS:
        grey = cv2.cvtColor(np.ascontiguousarray(rig.image[..., :3]), cv2.COLOR_RGB2GRAY).astype(np.float32)
        map_x = np.repeat(xs[None, :], len(down), axis=0)
        map_y = (line[None, :] + down[:, None]).astype(np.float32)
        strip = cv2.remap(grey, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        profile = np.median(strip, axis=1)
        middle = np.abs(down) <= max(1.5, 0.25 * reach)
        dark_at = int(np.flatnonzero(middle)[np.argmin(profile[middle])])
        # Down to the line's own dark where the mesh placed it a little off (its darkest in the
        # middle then lies on the line's flank).
        down_to = 1 if profile[min(dark_at + 1, len(down) - 1)] < profile[max(dark_at - 1, 0)] else -1
        while 0 < dark_at < len(down) - 1 and profile[dark_at + down_to] < profile[dark_at]:
            dark_at += down_to
        slope = np.abs(np.gradient(profile, step))
        sigmas = []
        for way in (-1, 1):
            # Each flank out from the line's dark to the lip's first light (the lips' outer
            # edges beyond, against the skin, are other edges).
            end = dark_at
            while 0 < end < len(down) - 1 and abs(profile[end + way] - profile[dark_at]) <= BOTTOM_LEVELS:
                end += way  # (across the line's flat bottom first: its noise is no lip's light)
            while 0 < end < len(down) - 1 and profile[end + way] >= profile[end]:
                end += way
            flank = slice(min(dark_at, end), max(dark_at, end) + 1)
            rise = float(profile[end] - profile[dark_at])
            if rise > 8.0:  # (a line of a few levels is no edge to read)
                sigmas.append(rise / (np.sqrt(2.0 * np.pi) * max(float(slope[flank].max()), 1e-3)))
        if len(sigmas) == 2:
            beyond = min(sigmas) ** 2 - PIXEL_SHARP ** 2
            blur = float(np.clip(np.sqrt(max(beyond, 0.0)), 0.0, MAX_BLUR))
    rig.readings.lips_blur = blur
    return blur
