"""A turned sitter's mouth opening wider frame by frame: the chin moves as smoothly as the
lip does, and no further than the visitor's own chin, however the skin under the lip folds.

CC0 faces turned 20-30 degrees (tests/data/faces-cc0), as drawn and mirrored; the visitor's
mouth opening is made here: the lower lip drops, the skin below it and the jaw about half as far.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.rig import JAW_LINE, LOWER_INNER_LIP, LOWER_OUTER_LIP, OUTER_LIPS

FACES = Path(__file__).parent / "data" / "faces-cc0"
CHIN = 152
DROPS = np.linspace(0.0, 0.2, 81)  # the lower lip's drop, in face heights: 0.0025 a frame
JAW_SHARE = 0.55  # how far the skin under the lip and the jaw drop, as a share of the lip's


@pytest.fixture(scope="module")
def stack():
    from installation.models.face import FaceStack

    return FaceStack.open()


@pytest.mark.parametrize(("name", "mirrored"), [("face_man_120.jpg", False), ("face_man_125.jpg", False),
                                                ("face_man_169.jpg", False), ("face_man_169.jpg", True)])
def test_the_chin_follows_an_opening_mouth_without_jumping(stack, name, mirrored):
    picture = cv2.cvtColor(cv2.imread(str(FACES / name)), cv2.COLOR_BGR2RGB)
    animator = MeshAnimator(picture[:, ::-1].copy() if mirrored else picture, stack)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    lip = np.array(sorted(set(LOWER_INNER_LIP[1:-1]) | set(LOWER_OUTER_LIP[1:-1])))
    below = np.union1d(np.flatnonzero(src[:468, 1] > src[list(OUTER_LIPS), 1].max()), JAW_LINE)
    chin = []
    for drop in DROPS:
        dst = src.copy()
        dst[below, 1] += JAW_SHARE * drop * height
        dst[lip, 1] += drop * height
        eased = warper.unfold(dst)
        assert not warper.easing.folded(eased).any()  # (eased, not left folded)
        chin.append((eased[CHIN, 1] - src[CHIN, 1]) / height)
    visitor = JAW_SHARE * DROPS
    # (Before: in one frame the chin took the lip's whole drop, 0.05-0.09 face heights, and kept it.)
    assert np.abs(np.diff(chin)).max() < 4 * JAW_SHARE * (DROPS[1] - DROPS[0])
    assert np.abs(np.array(chin) - visitor).max() < 0.02
