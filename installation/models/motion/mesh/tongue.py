"""The tongue in a painted open mouth (mouth.py): a visitor's tongue where their mouth shows
one (`teeth.mouth_shown` reads where it lies), or, where it shows neither teeth nor tongue (a
yawn, an "O"), the back of a tongue lying low in the opening. Each is a cover (0-1) over the
opening and a shading, in the opening's own coordinates: `u` 0 at its middle to 1 at its
corners, `v` 0 at the upper inner lip to 1 at the lower.
"""

from __future__ import annotations

import numpy as np

# A tongue read in the visitor's mouth (at least this share of the opening) is painted in
# the palette's tongue colour in the mouth's shade (palette.py), shaded: flat, or taken
# towards the skin's colour, it read as a beige disc laid in the mouth.
MIN_TONGUE_SHARE = 0.15
# With no teeth and no tongue read (a yawn, an "O"), the back of the tongue lies low in the
# opening as a dim rounded mass (`tongue_back`): its top TONGUE_BACK_TOP of the way down in
# the middle, falling to the floor at its sides; lit at its top to TONGUE_BACK_LIGHT of the
# floor's lightness, shaded at its sides; the throat above it, high in the middle, losing
# THROAT_SHADE of the floor's light. Shown from TONGUE_BACK_PX of
# opening, whole at twice that: a small opening stays a plain dark. (Without them the
# opening was one near-uniform dark slab, its tones rising evenly from roof to floor, where
# a real open mouth with no teeth showing (the shared expressions driver's "O", its widest
# frames) shows the tongue's back 1.4 times as light in the middle as at its sides, under
# a throat a fifth as light.) Its light stays within TONGUE_BACK_MOST of the lips' (as light
# as the hint of tongue painted before it reached): lighter, the face mesh read it as the
# lower lip, and the mouth as less open.
TONGUE_BACK_TOP, TONGUE_BACK_LIGHT, THROAT_SHADE = 0.55, 1.3, 0.6
TONGUE_BACK_MOST = 0.42
TONGUE_BACK_PX = 7.0


def tongue_reading(reading) -> tuple[float, float] | None:
    """The tongue's top and bottom (shares of the opening) in a reading of the visitor's
    mouth (`teeth.mouth_shown`), when it shows one."""
    if reading is None or len(reading) < 4 or reading[3] - reading[2] < MIN_TONGUE_SHARE:
        return None
    return float(np.clip(reading[2], 0.0, 1.0)), float(np.clip(reading[3], 0.0, 1.0))


def tongue_layer(u: np.ndarray, v: np.ndarray, band: tuple[float, float], gap: float,
                 half: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the tongue covers the opening (0-1) and how it is lit. Its tip is rounded (the
    top edge falls away towards the sides), it is narrower than the mouth, darker at its
    sides as it curves away, lit on its upper surface, with a faint groove down the middle."""
    top, bottom = band
    top_edge = top + (bottom - top) * 0.6 * u ** 2
    soft = max(0.04, 1.2 / max(gap, 1.0))
    cover = np.clip((v - top_edge) / soft + 0.5, 0.0, 1.0) * np.clip((0.88 - u) / 0.3, 0.0, 1.0)
    resting = bottom >= 0.85  # it reaches the lower lip, and rests on it
    if not resting:  # the cavity's floor or the lower teeth show below it
        cover *= np.clip((bottom - v) / soft + 0.5, 0.0, 1.0)
    depth = np.clip((v - top_edge) / max(bottom - top, 0.05), 0.0, 1.0)  # 0 at the tip's edge
    # Deeper in the mouth at its top edge, lit most a third of the way down, turning away
    # towards the lower lip: flat, it read as a disc laid in the mouth.
    lit = np.interp(depth, (0.0, 0.35, 1.0), (0.78, 1.08, 0.93))
    sheen = 0.06 * np.exp(-((depth - 0.3) / 0.12) ** 2) * np.clip(1.0 - u / 0.4, 0.0, 1.0)  # wet
    lit = lit + sheen
    groove = 1.0 - 0.1 * np.exp(-(u * half / max(0.8, 0.04 * half)) ** 2) * np.clip(depth / 0.3, 0.0, 1.0)
    # Where it rests on the lower lip, a crease of shadow: without one the tongue and the
    # lip read as one lip, to a viewer and to the face mesh alike (which then measured the
    # mouth as closing onto the tongue: a third of the driver's opening).
    crease = 1.0 - 0.45 * np.exp(-((1.0 - v) / max(0.06, 1.5 / max(gap, 1.0))) ** 2) if resting else 1.0
    return cover, (1.0 - 0.4 * u ** 2) * lit * groove * crease


def tongue_back(u: np.ndarray, v: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the back of a tongue lying low in the mouth covers the opening (0-1), and how it
    is lit (1 at its lit top): a dome whose top is TONGUE_BACK_TOP down the opening in the
    middle and meets the floor at the corners, lit most just below its top, turning away
    into shadow at its sides and towards the lower lip."""
    # (`u` is the same down each column: worked out on one row; float32, as this runs every frame.)
    across = (u[:1] ** 2).astype(np.float32)
    v = v.astype(np.float32)
    top_edge = TONGUE_BACK_TOP + (1.0 - TONGUE_BACK_TOP) * across
    soft = max(0.08, 2.0 / max(gap, 1.0))
    below = v - top_edge
    cover = np.clip(below / soft + 0.5, 0.0, 1.0)
    depth = np.clip(below / np.maximum(1.0 - top_edge, 0.05), 0.0, 1.0)
    # 0.85 at its top edge, 1 a quarter of the way down, 0.85 at the lower lip.
    lit = np.minimum(0.85 + 0.6 * depth, 1.05 - 0.2 * depth) * (1.0 - 0.35 * across)
    return cover, lit
