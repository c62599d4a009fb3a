"""Expressions the exhibition makes itself, with no visitor: a smile put on a photograph
by the portrait engine. The quiz shows such pictures as "altered": a deepfake made by the
show, beside the faces its network generated.

A smile is offsets of the mesh in the units a visitor's expression arrives in (x in eye
distances, y in face heights, laid out as if the face looked straight out; the animator
turns them with the sitter). The corners curl up within about a fifth of the mouth's
width of themselves, so the lip line bends rather than the whole mouth rising; the lips
stretch outwards and the cheeks above the corners lift a little with them.
"""

from __future__ import annotations

import numpy as np

from ...face.measures import facing_the_viewer
from .animator import MeshAnimator
from .motion import Motion

MOUTH_CORNERS = (61, 291)
INNER_LIP_MIDDLE = (13, 14)
# At strength 1, per corner: up by CURL (face heights) at the corner itself, up by LIFT and
# outwards by STRETCH (eye distances) over a wider reach, the cheek above up by CHEEK.
CURL, LIFT, STRETCH, CHEEK = 0.035, 0.012, 0.07, 0.02
CURL_REACH, WIDE_REACH, CHEEK_REACH = 0.22, 0.40, 0.35  # Gaussian sigmas, in mouth widths
CHEEK_PLACE = (0.15, -0.45)  # the cheek's centre from the corner (outwards, up), mouth widths


def smile(landmarks: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Offsets (468 x 3) that make the face of `landmarks` (the sitter's own mesh) smile
    with closed lips; strength 1 is a gentle smile, 1.5 a broad one."""
    front = facing_the_viewer(np.asarray(landmarks, np.float64)[:468])
    width = float(np.linalg.norm(front[MOUTH_CORNERS[0]] - front[MOUTH_CORNERS[1]]))
    middle = front[list(INNER_LIP_MIDDLE)].mean(0)
    offsets = np.zeros((468, 3), np.float32)
    for corner in MOUTH_CORNERS:
        outwards = 1.0 if front[corner, 0] > middle[0] else -1.0
        away = np.linalg.norm(front - front[corner], axis=1) / width
        near = np.exp(-0.5 * (away / CURL_REACH) ** 2)
        wide = np.exp(-0.5 * (away / WIDE_REACH) ** 2)
        cheek = front[corner] + np.array([outwards * CHEEK_PLACE[0], CHEEK_PLACE[1]]) * width
        lifted = np.exp(-0.5 * (np.linalg.norm(front - cheek, axis=1) / (CHEEK_REACH * width)) ** 2)
        offsets[:, 0] += outwards * strength * STRETCH * wide
        offsets[:, 1] -= strength * (CURL * near + LIFT * wide + CHEEK * lifted)  # image y grows downwards
    return offsets


def with_smile(portrait: np.ndarray, strength: float = 1.0, stack=None) -> np.ndarray:
    """The whole picture with its sitter smiling (raises PortraitProblem for a picture the
    portrait engine cannot animate)."""
    animator = MeshAnimator(portrait, stack)
    return animator.render(Motion(offsets=smile(animator.rig.mesh, strength)))
