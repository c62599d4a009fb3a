"""A drawing's hatching smoothed away: the last look for a face in a drawn picture.

A hatched engraving or an ink copy shows its face as strokes a few pixels apart, and the
detectors, which see the picture at 128 or 192 pixels, and the mesh read the strokes'
texture: of 24 copies of each kind made of eight sitters (the shared portraits, six CC0
faces; faces 90, 140 and 260 px tall) 15 hatched and 8 ink copies were refused, most of them
small. Blurred over about two of the detectors' input pixels, the strokes merge into the
tones a painter would have laid, and the face is found again.

A blurred look is weaker evidence. Of the faces it found in refused drawn copies, 12 sat
off their eyes (0.10-0.86 eye spacings, the mesh 0.56-0.99 sure of them), so a face is taken
only where the mesh is SURE of it: 7 copies are then fitted right (the mesh 0.997-1.0 sure)
and 2 others 0.13 and 0.16 eye spacings off, on the face. And only a picture drawn in strokes
(STROKES_MIN) is looked at so: on photographs cut through the face, whose face the whole
path refused, the blurred look found faces on a beard and a hat. Pencil sketches (OpenCV's
pencilSketch: 10 of 24 refused) mostly lie below that test; sketched.py softens their strokes
in the mesh's own crop instead.

It is looked at only where the picture itself showed no face, so every picture where a face
is found is fitted exactly as before; and on 38 faceless pictures (textures, a landscape, a
still life, a cartoon cat and face, the shared portraits' clothes and backgrounds, and pencil
sketches of each) it found no face more.
"""

from __future__ import annotations

import cv2
import numpy as np

# The blur's width: this many pixels of a picture whose long side is 256 (about two of the
# detectors' input pixels). (Without the SURE test, 31 of the 72 sketched, hatched and ink
# copies were fitted right at 2 and 26 at 3.)
BLUR_PER_256 = 2.0
# A face found only in the blurred picture counts where the mesh is this sure of it.
SURE = 0.95
# A picture drawn in strokes: what the blur takes away, at 256 px on the long side, in grey
# levels (a share of the full range), at least this. Photographs and their copies (the CC0
# and shared faces and portraits; sepia, over-exposed, small and cut copies; 142 pictures)
# lose 0.001-0.053; hatched copies 0.041-0.214, ink 0.050-0.147, pencil sketches 0.041-0.081.
# A photograph whose face was refused is not looked at blurred: on the CC0 faces cut through
# the lids, the eyes or the chin, the blurred look found 3 faces on a beard and a hat (the
# mesh 0.96-1.0 sure of each) for 2 it found right.
STROKES_MIN = 0.07
# Larger pictures are blurred at this long side and enlarged back. The blur is then 8 px
# wide; shrinking and enlarging add under a twentieth of that, so the blurred look differs
# by a grey level or two (at most 6, at the edges, on a 10000 px panorama), and the faces it
# found in hatched copies 2000-4000 px tall lay within 0.03 eye spacings of those before.
SMOOTH_SIDE = 1024


def drawn_in_strokes(image: np.ndarray) -> bool:
    """Whether the picture is drawn in strokes the blur would smooth away (STROKES_MIN)."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    scale = 256 / max(grey.shape)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    if round(min(grey.shape) * scale) >= 1:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interpolation)
    else:  # a strip a pixel or so thin: scaled alone it had no row left, and OpenCV raised
        grey = cv2.resize(grey, (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale))),
                          interpolation=interpolation)
    return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), BLUR_PER_256)).mean()) / 255 >= STROKES_MIN


def hatching_smoothed(image: np.ndarray) -> np.ndarray:
    """The picture blurred over about two of the detectors' input pixels. A picture over
    SMOOTH_SIDE on its long side is blurred at that size and enlarged back: blurred whole, a
    10000 px panorama's kernel was some 470 px wide and took 12 s, a 4000 px scan's 1.3-4 s."""
    longest = max(image.shape[:2])
    if longest <= SMOOTH_SIDE:  # (every picture the scene, check and inspect see: 900 px)
        return cv2.GaussianBlur(image, (0, 0), BLUR_PER_256 * longest / 256)
    shrink = longest / SMOOTH_SIDE
    small = cv2.resize(image, (max(1, round(image.shape[1] / shrink)), max(1, round(image.shape[0] / shrink))),
                       interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), BLUR_PER_256 * max(small.shape[:2]) / 256)
    return cv2.resize(small, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
