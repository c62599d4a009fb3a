"""A closer look at a face found in a still picture: the detector again, on a crop around it.

The detectors see the whole picture at 128 (or 192) pixels. A child's face in a
full-length portrait (Goya's Manuel Osorio: 78 px of a 900 px canvas) is then some ten
pixels across, and the detector's box and keypoints are guesses: its box was 1.8 times the
face, its eyes on the cheeks and its mouth on the lace collar. The mesh, given a crop that
size and that far off, fitted a face stretched from the brow to the collar (lips on the
collar, chin in the coat) or, on Bonnat's Egyptian woman, a face over the child's body on
her head; and it was sure enough of either (0.57-0.99) to pass. Looked at again in a crop
a few times the first box, where the face fills a share of the detector's input it was
trained on, the detector places the eyes, nose and mouth on the face, and the mesh from
there fits it (sure at 1.0 on both).

A face whose closer look agrees with the first is kept exactly as it was found (839 of
880 copies of 108 real sitters: as given, grey, dark, dim, small, turned, JPEG 40, and
framed small in a canvas three times their size). Where they disagree, the closer look is
taken: with each sitter's own fit mapped into canvases 2-5 times its size as the truth,
fits off by over 15% fell from 52 to 9 of 495 faces 64 px or taller, and no portrait's
verdict changed but for two copies refused as too small (56-57 px) that the closer look fits
at 64 px or more.

Where the closer look finds the face at another size and its mesh cannot fit it there,
the first fit is unconfirmed (`Face.unconfirmed` says why), and the portrait is refused.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .detect import Detection
from .faces import Face
from .stack import RETRY_MIN_SCORE, FaceStack

# The crop the detector looks at again: this many times the first detection's side.
CLOSER_CROP = 2.5
# The first look and the closer one agree while their face heights differ by less than this
# factor and their centres by less than this share of the face height; a mesh fitted from a
# box far too large is 1.6-2.5 times the face's height (on 858 copies of real sitters the two
# differ by 0.5% in the median, beyond 1.2 only where the first look had misfitted: a small
# face in a large canvas).
# (At 1.1 and 0.1, closer looks that differed from sound fits by 10% refused two copies of
# a sitter as too small.)
AGREE_HEIGHT = 1.15
AGREE_OFFSET = 0.15
# A mesh's face height over its detection's side: 0.81-1.54 on those 880 copies (the
# closer look's detection included), 1.7-2.7 for the misfits on Goya and Bonnat.
FITS_DETECTION = (0.7, 1.65)


def closer_look(image: np.ndarray, face: Face, stack: FaceStack) -> tuple[Detection | None, Face | None]:
    """The detection made in a crop around the face (in the picture's pixels) and the mesh
    fitted from it; None for what is not found."""
    if face.detection is None:
        return None, None
    cx, cy = face.detection.centre
    half = face.detection.size * CLOSER_CROP / 2
    h, w = image.shape[:2]
    x0, y0 = int(max(0, cx - half)), int(max(0, cy - half))
    x1, y1 = int(min(w, cx + half)), int(min(h, cy + half))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None, None
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    found = []
    for min_score in (None, RETRY_MIN_SCORE):
        found = stack.short_range.detect(crop, min_score) or stack.full_range.detect(crop, min_score)
        if found:
            break
    if not found:
        return None, None
    nearest = min(found, key=lambda d: math.hypot(d.centre[0] + x0 - cx, d.centre[1] + y0 - cy))
    x = np.array([x0, y0], np.float32)
    back = Detection((nearest.box[0] + x0, nearest.box[1] + y0, nearest.box[2] + x0, nearest.box[3] + y0),
                     nearest.keypoints + x, nearest.score)
    return back, stack.mesh(image, back)


def agree(first: Face, second: Face) -> bool:
    """Whether two meshes are one fit of one face (about its size and place)."""
    ratio = second.height / max(first.height, 1e-6)
    offset = math.dist(first.centre, second.centre) / max(first.height, second.height, 1e-6)
    return 1 / AGREE_HEIGHT < ratio < AGREE_HEIGHT and offset < AGREE_OFFSET


def looked_at_closer(image: np.ndarray, face: Face, stack: FaceStack) -> Face:
    """The face as a closer look fits it: the first fit where the two agree (or no closer
    look finds it), else the closer one. A first fit the closer look cannot confirm carries
    the reason (`Face.unconfirmed`): a portrait's load reads it there rather than looking
    again (the crop's detection and mesh cost tens of ms per portrait)."""
    detection, closer = closer_look(image, face, stack)
    if closer is None:
        why = unconfirmed(face, detection, closer)
        return face if why is None else replace(face, unconfirmed=why)
    return face if agree(face, closer) else closer


def unconfirmed(face: Face, detection: Detection | None, closer: Face | None) -> str | None:
    """Why a fit is not the face's, judged by a closer look at it (its detection and the
    mesh from there), or None. A fit is unconfirmed when the closer look's detector finds a
    face of another size (FITS_DETECTION) and no mesh fits that face."""
    if detection is None or closer is not None:
        return None
    share = face.height / max(detection.size, 1e-6)
    if FITS_DETECTION[0] <= share <= FITS_DETECTION[1]:
        return None
    return (f"the face mesh does not fit the face: looked at closer, the mesh is {share:.1f} times the size of "
            "the face found there, and cannot be fitted to that face (a small face in a large picture, or "
            "another figure against the face); crop the picture closer to the face, or choose another picture")
