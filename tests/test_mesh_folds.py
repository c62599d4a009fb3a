"""The skin's gathering (mesh/folds.py) shades a frame from that frame's motion alone. Its
field was blurred in place and kept the cells a frame does not rewrite (the eye and mouth
openings, beyond the face's outline), so those carried a re-blurred memory of earlier
frames: the same motion drew differently after a smile than after rest, and a film made
twice from one driver was not the same frame by frame."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.folds import FULL_SMILE_OUT, FULL_SMILE_UP
from installation.models.motion.mesh.motion import Motion

from .test_mesh_backend import _mouth_motion
from .test_mesh_cheeks import _smile_over


def test_a_frame_is_drawn_from_its_own_motion_whatever_came_before(stack, sitter):
    animator = MeshAnimator(sitter, stack)
    rest, height = animator.rig.mesh[:, :2], animator.rig.face_height
    wide_smile = Motion(offsets=_smile_over(rest, height, 1.3 * FULL_SMILE_OUT, 1.3 * FULL_SMILE_UP))
    turned_smile = Motion(yaw=25.0, offsets=_smile_over(rest, height, FULL_SMILE_OUT, FULL_SMILE_UP))
    open_mouth = _mouth_motion(animator, 0.09)
    first = animator.render(open_mouth).copy()
    for history in (wide_smile, turned_smile):
        for _ in range(5):
            animator.render(history)
        assert np.array_equal(animator.render(open_mouth), first)
    # A fresh animator (a film made again) draws it the same too.
    assert np.array_equal(MeshAnimator(sitter, stack).render(open_mouth), first)
