"""An engraving's face found directly: the mesh refitted with the strokes smoothed at their own period.

drawn.py and sketched.py act only where the face is refused or doubted. An engraving, an
etching or a woodcut is often found directly, the mesh fairly sure of it, yet the mesh reads
the hatching's parallel strokes as the face's texture: on hatched copies made of 26 sitters
(the CC0 faces, every other one by name, and the shared portraits; faces 120, 200 and 320 px;
lines by tone at two and three angles, an engraver's swelling line screen, a woodcut), the
fit's eyes lay a median 0.06-0.10 eye spacings from the same-size photograph's fit, and 69 of
221 more than 0.1 off.

The strokes are measured in the mesh's own 192 px crop (so the look is the face's own size,
whatever the picture's): the strongest fine period there, what lies at it running one way
(hatching) rather than every way (a photograph's grain, a pencil's shading, a stipple), and
how much of the grey range a blur at that period takes away. Smoothed at 0.6 of the period
(a Gaussian that leaves the strokes' own frequency under 0.1% of its power and the face's
features, several periods wide, nearly whole), the lines merge into the tone they stand for,
and the mesh is surer of the face (log-odds 0-6 -> 8-12 in the median) and, more often than
not, nearer the sitter's own fit. The smoothed fit is taken only where the mesh is surer of it
than of the picture itself by sketched.SURER_BY and it is still the detection's face.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from .faces import Face
from .landmarks import MESH_SIDE
from .stack import FaceStack, fits_detection

# Hatching's period in that crop: 2 px (finer, the crop's sampling itself) to this many.
# Longer "periods" on photographs are a JPEG's 8 px blocks and the face's own edges.
LONGEST_PERIOD = 6.5
# The strongest fine frequency's power over the mean power of every direction at the same
# frequency, at least this: parallel strokes put their power in one direction. Photographs,
# over-exposed copies and pencil sketches reach 150 at most but only at periods of 8-9 px;
# hatched and line-screened copies 11-330, a stipple's dots 5-47.
ONE_WAY = 30.0
# What a blur at SMOOTH_PER_PERIOD of the period takes away, in shares of the grey range, at
# least this. Photographs and their over-exposed copies lose 0.005-0.113, pencil sketches
# 0.052-0.147 (both measured at whatever their strongest period is), hatched copies 0.06-0.28.
STROKES_MIN = 0.1
# The smoothing's width in periods: at 0.6 a Gaussian keeps exp(-2 pi^2 0.36) = 0.08% of
# the strokes' power. (On the copies above, the smoothed fit always taken, 0.4 of the period
# put 163 of 221 within 0.1 eye spacings, 0.6 put 172, 0.8 169, 1.2 148; plain 152.)
SMOOTH_PER_PERIOD = 0.6
# The mesh's log-odds on the smoothed crop over those on the picture's own, at least this
# (as sketched.SURER_BY: a photograph's face gains 0-7 log-odds from a blur where it gains).
# On the copies above: 183 of 221 pass; of those taken 68 moved nearer the sitter's eyes by
# over 0.02 eye spacings, 18 farther.
SURER_BY = 3.0


def hatching_period(crop: np.ndarray) -> float | None:
    """The period (crop pixels) of strokes laid one way across the crop, or None where the
    crop is not hatched (photographs, paintings, pencil sketches, stipple)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    side = grey.shape[0]
    fine = grey - cv2.GaussianBlur(grey, (0, 0), 4)
    window = np.outer(np.hanning(side), np.hanning(side)).astype(np.float32)
    power = np.abs(np.fft.fftshift(np.fft.fft2(fine * window))) ** 2
    fy, fx = np.mgrid[-(side // 2): side - side // 2, -(side // 2): side - side // 2] / side
    radius = np.hypot(fx, fy)
    band = (radius > 1 / LONGEST_PERIOD) & (radius < 0.5)
    strongest = int(np.argmax(np.where(band, power, 0)))
    peak_radius = radius.flat[strongest]
    ring = np.abs(radius - peak_radius) < 1.5 / side
    if power.flat[strongest] < ONE_WAY * power[ring].mean():
        return None
    period = 1.0 / peak_radius
    taken = float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), SMOOTH_PER_PERIOD * period)).mean()) / 255
    return period if taken >= STROKES_MIN else None


def refitted_at_hatching(rgb: np.ndarray, face: Face, stack: FaceStack) -> Face:
    """A face found directly in a hatched picture, fitted again with the strokes smoothed at
    their own period where the mesh is surer of that; else as found."""
    if face.softened is not None:  # already read softened (sketched.py)
        return face
    period = hatching_period(face.region.crop(rgb[..., :3], MESH_SIDE))
    if period is None:
        return face
    width = SMOOTH_PER_PERIOD * period
    _, plain = stack.mesh_model.run_logit(rgb, face.region)
    landmarks, logit = stack.mesh_model.run_logit(
        rgb, face.region, even=lambda crop: cv2.GaussianBlur(crop, (0, 0), width))
    if logit < plain + SURER_BY:
        return face
    # The presence stays the picture's own: the smoothed look moves the points, it does not
    # make the picture more surely a face, and `check` tells a curator of a doubted face by it.
    refitted = replace(face, landmarks=landmarks.astype(np.float32))
    if face.detection is not None and not fits_detection(refitted, face.detection):
        return face
    return refitted
