"""A tall open mouth (a surprised "O", a yawn) on the shipped sitter: the upper lip turns into
the opening, its own tone falling off into the cavity (cavity.upper_lip_turn), not a lit rim
over a cliff of black. The sitter is the shipped daguerreotype at half size (conftest)."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP, LOWER_OUTER_LIP

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
NO_TEETH = (0.0, 0.0, 0.0, 0.0, 0.0)  # the visitor's "O": neither teeth nor tongue read


def _opened(animator: MeshAnimator, share: float) -> tuple[np.ndarray, np.ndarray]:
    """The portrait with its lower lip moved down `share` of a face height, and the moved points."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    motion = Motion(offsets=offsets, teeth=NO_TEETH)
    return animator.render(motion), animator.place(motion)[0]


def test_a_tall_round_opening_shows_the_upper_lip_turning_in_not_a_cliff_of_black(stack, sitter):
    """Down the middle of an opening 0.14 of the face tall, from the upper lip into the cavity,
    no one pixel's step takes more than 0.3 of the whole fall (it was half of it: a lit rim, then
    black), and the cavity's middle stays dark (the opening still reads as open)."""
    animator = MeshAnimator(sitter, stack)
    out, dst = _opened(animator, 0.14)
    top, bottom = float(dst[13, 1]), float(dst[14, 1])  # the inner lips' middle points
    assert bottom - top > 0.12 * animator.rig.face_height  # (a tall opening, as the driver's "O")
    x = int(round((dst[13, 0] + dst[14, 0]) / 2))
    light = (out.astype(np.float32) @ LUMA)[:, x - 2:x + 3].mean(1)
    middle = int(round((top + bottom) / 2))
    column = light[int(top) - 3:middle + 1]
    lip, cavity = float(column[0]), float(light[middle - 2:middle + 3].mean())
    fall = lip - cavity
    steepest = float(np.max(column[:-1] - column[1:]))
    assert cavity < 0.45 * lip, (lip, cavity)
    assert steepest < 0.3 * fall, (steepest, fall, np.round(column).tolist())
