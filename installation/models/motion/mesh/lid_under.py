"""The light a painter leaves under an eye's lower lid, read once at rest, for the closing lid
to cover (eye_region.EyeRegion moves the eye's lower lid down over it).

A Roman-Egypt mummy portrait paints an eye larger than the face mesh finds it: under the
mesh's lower lid lies a band of light, a pixel or a few deep (the eye's white running on
under the iris, and the lead-white rim the painter lays along the lower lid), and only
then the skin. The closing lid closed to the mesh's lower lid, and that band stayed under
its lash line: a white crescent under a closed eye, which reads as an eye not quite shut
(the Fitzwilliam Museum's woman, E.102.1911: two photographs of her and a crop). So the
band is found in each column along the eye: from the mesh's lower lid (or a row under it)
down, pixels as light as the eye's own white (the lighter part of its opening) and
LIGHT_OVER times the skin just beyond them, ending within BAND_DEPTH of the eye's deepest
opening (still light further down it is a lit cheek, not a band). The closed lid's lash
line then lies where that light ends, where the painter's lower lid line was.

A photograph's lit lower lid shows such a band here and there along one eye: at most 31%
of an eye's samples and 16% of both eyes' on 48 CC0 photographs, 40 detector faces, the
shared portraits, Thoreau and 18 toned, drawn and small copies of them, 7 CC0 faces toned
to wax, and 12 other mummy-portrait pictures and copies; the woman's painted eyes 30-46%
of both. So the picture is read as a whole (PICTURE_SHARE), as a painter's way with eyes
is the picture's; elsewhere each eye keeps the mesh's lower lid, and renders as before to
the bit. (Where her eye sits in a lit cheek, the band is not lighter than the skin beyond
it, and is left: the lit eye's outer corner.)
"""

from __future__ import annotations

import cv2
import numpy as np

# The band is this many times the skin just beyond it (as light as lid_paint.RING_OVER
# asks of a ring of light round the eye) ...
LIGHT_OVER = 1.15
# ... begins on the mesh's lower lid or a row under it, and ends within this share of the
# eye's deepest opening (the skin beyond is read over that opening again, under it).
BAND_DEPTH = 0.35
FIRST_ROWS = 2
# The band runs along this share of the two eyes' samples, or neither eye's is read.
PICTURE_SHARE = 0.25
# The closed lash line eases down to the band's depth and back over this share of the eye (a sigma).
EASED = 0.08


def light_under(lightness: np.ndarray, cols: np.ndarray, margin: np.ndarray, bottom: np.ndarray,
                eye_white: float) -> np.ndarray:
    """Per sample column `cols` (picture columns along one eye, with the mesh's upper `margin`
    and lower lid `bottom` rows there, at rest): how many px under the mesh's lower lid the
    band of light reaches (0 where there is none). `lightness`: the picture's Lab L (0-255);
    `eye_white`: the L of the eye's own white (the lighter part of its opening)."""
    h = lightness.shape[0]
    deepest = max(float(np.max(bottom - margin)), 2.0)
    depth = max(FIRST_ROWS, int(np.ceil(BAND_DEPTH * deepest)))
    beyond_rows = int(np.ceil(deepest))
    out = np.zeros(len(cols), np.float32)
    for c, (x, b) in enumerate(zip(cols, bottom, strict=True)):
        first = int(np.ceil(b))
        if first < 0 or first + depth + 1 + beyond_rows > h:
            continue
        near = lightness[first:first + depth + 1, x]
        beyond = lightness[first + depth + 1:first + depth + 1 + beyond_rows, x]
        # the skin beyond: the lighter half of what lies under the band (its dark half, the
        # picture's brushwork, cracks and shade)
        skin = float(np.median(beyond[beyond >= np.median(beyond)]))
        light = (near >= LIGHT_OVER * skin) & (near >= eye_white)
        if not light[:FIRST_ROWS].any():
            continue
        start = int(np.argmax(light))
        end = start
        while end + 1 < len(near) and light[end + 1]:
            end += 1
        if end + 1 < len(near):  # (still light at the band's deepest: a lit cheek)
            out[c] = end + 1
    return out


def painted_bands(readings: list[np.ndarray]) -> list[np.ndarray | None]:
    """Per eye, how far under the mesh's lower lid its band reaches along it (from
    light_under's readings), where the two eyes' bands run along PICTURE_SHARE of them; None
    for each elsewhere (the mesh's lower lid kept). One depth for the eye, the band's typical
    one, eased in and out along it over EASED of its length: followed sample by sample, the
    closed lash line zigzagged over the brushwork a pixel or two each way."""
    if not readings or float(np.mean([(r > 0).mean() for r in readings])) < PICTURE_SHARE:
        return [None] * len(readings)
    out = []
    for reading in readings:
        # (a stray sample out: a crack in the paint, a fleck)
        steady = np.median(np.lib.stride_tricks.sliding_window_view(np.pad(reading, 2, mode="edge"), 5), axis=-1)
        if not steady.any():
            out.append(None)
            continue
        along = cv2.GaussianBlur((steady > 0).astype(np.float32)[None, :], (0, 0), sigmaX=EASED * len(steady),
                                 sigmaY=0.1, borderType=cv2.BORDER_CONSTANT)[0]
        out.append((float(np.median(steady[steady > 0])) * np.minimum(along / along.max(), 1.0)).astype(np.float32))
    return out
