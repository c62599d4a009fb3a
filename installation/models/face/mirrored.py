"""Whether a still picture's face mesh sits on its face: the same mesh on the mirrored picture.

A mesh that sits on its face fits the mirrored picture the same way: flipped back, its eyes
and mouth corners land where the first fit's did (0.019 of the face's width in the median,
0.06 at most but for one, on 95 portraits facing the viewer up to 45 degrees: the CC0
faces, the shared portraits and faces, Thoreau and the development sitters). A mesh that guessed (its eyes
on the brows or the cheekbones of a face turned, tilted back or laughing) guesses differently
on the mirrored picture: 0.24 on a CC0 face squeezed sideways as if turned, its eyes drawn on
its brows.

The evidence is a doubt, not a proof: one sound fit of a grainy, hatted face reached 0.13, and
of 425 copies of 70 faces made harder (eyes narrowed to slits, tilted back, squeezed sideways),
6 passed 0.15: looked at, 3 with an eye or both on the brows, 2 unclear, 1 that sat well
enough. So the doubt is a warning in `check`, `portrait inspect` and the show's log as a portrait
loads, at DOUBTED_BEYOND, not a refusal. Fitting the mirrored picture costs one more mesh
(12 ms in the median, 23 ms at the 90th percentile, 54 ms at most on those 100 pictures).
"""

from __future__ import annotations

import numpy as np

from .detect import EYE_IMAGE_LEFT, EYE_IMAGE_RIGHT, Detection
from .faces import Face
from .settle import settled
from .stack import FaceStack

# Points whose mirror image is another point (or itself): eye corners, lids, mouth corners.
MIRRORED_PAIRS = ((33, 263), (133, 362), (159, 386), (145, 374), (61, 291))
# The farthest a point of the fit lands from its mirror fit's, in face widths (cheek to
# cheek, points 234 to 454), beyond which the fit is doubted: sound fits reached 0.06 and,
# once, 0.13 (above); misfits 0.15-0.24.
DOUBTED_BEYOND = 0.15


def _mirrored_detection(detection: Detection, width: int) -> Detection:
    x0, y0, x1, y1 = detection.box
    points = detection.keypoints.copy()
    points[:, 0] = width - 1 - points[:, 0]
    # Mirrored, the image-left eye (and ear) is the image-right one.
    points[[EYE_IMAGE_LEFT, EYE_IMAGE_RIGHT]] = points[[EYE_IMAGE_RIGHT, EYE_IMAGE_LEFT]]
    points[[4, 5]] = points[[5, 4]]
    return Detection((width - 1 - x1, y0, width - 1 - x0, y1), points, detection.score)


def mirror_disagreement(image: np.ndarray, face: Face, stack: FaceStack) -> float | None:
    """How far the face's mesh lies from the mesh of the mirrored picture flipped back (the
    farthest of MIRRORED_PAIRS, in face widths); None where it cannot be judged (no
    detection, or no mesh on the mirrored picture: also so for some sound fits)."""
    if face.detection is None:
        return None
    width = image.shape[1]
    flipped = np.ascontiguousarray(image[:, ::-1])
    mirrored = stack.mesh(flipped, _mirrored_detection(face.detection, width))
    if mirrored is None:
        return None
    # Settled as the portrait's own fit is (settle.py): a fit that settled onto the face
    # was doubted against the mirrored picture's first guess (0.20-0.27 on three sitters
    # tilted back, whose settled fits lay within 0.04 of their faces).
    mirrored = settled(flipped, mirrored, stack)
    own = face.landmarks[:, :2]
    back = mirrored.landmarks[:, :2].copy()
    back[:, 0] = width - 1 - back[:, 0]
    face_width = max(float(np.linalg.norm(own[234] - own[454])), 1e-6)
    pairs = np.array(MIRRORED_PAIRS + tuple((b, a) for a, b in MIRRORED_PAIRS))
    return float(np.linalg.norm(own[pairs[:, 0]] - back[pairs[:, 1]], axis=1).max() / face_width)


def fit_doubted(image: np.ndarray, face: Face, stack: FaceStack) -> str | None:
    """Why the mesh may not sit on the face (an operator's warning, without the advice: the
    caller says where to look), or None."""
    apart = mirror_disagreement(image, face, stack)
    if apart is None or apart <= DOUBTED_BEYOND:
        return None
    return (f"the face mesh may not sit on the face: fitted to the mirrored picture, its eyes or mouth "
            f"corners land {apart:.0%} of the face's width from where they are (a sound fit: under 6%), so "
            "blinks and an opening mouth may be painted beside the sitter's own (a face turned, tilted back "
            "or laughing)")
