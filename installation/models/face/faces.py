"""A face the stack found (its mesh, how sure the mesh is, the crop it came from), and how
faces found together are told apart: meshes lying on one another are one face."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .detect import Detection
from .geometry import Region
from .measures import Expression, HeadPose, head_pose


@dataclass(frozen=True)
class SoftenedLook:
    """How the mesh saw a face it was fitted to only with the picture's strokes softened
    (sketched.py): the softened fit's presence is its own, so the curator is told these."""

    # The mesh's presence for the picture itself at the crop the softened look started from.
    plain_presence: float
    # How far that plain fit's eyes lie from the softened fit's (the farther eye, in the
    # softened fit's eye spacings). Large on right fits too: the plain look's eyes on a lid's
    # line are what the softening corrects.
    eyes_apart: float
    # How far a look with the strokes softened half as much, at the softened fit's own crop,
    # puts the eyes from it (the same measure): a fit on the eyes stays there, one the blur
    # smeared onto a line beside them moves (sketched.LIGHTER_PX, unsure.SOFTENED_UNSTEADY).
    lighter_apart: float


@dataclass(frozen=True)
class Face:
    """One face: 468 (x, y, z) landmarks in image pixels, how sure the mesh is, the crop
    it came from and the detection that started it (None while tracked)."""

    landmarks: np.ndarray
    presence: float
    region: Region
    detection: Detection | None = None
    # Why a closer look at a still picture's face could not confirm this fit (closer.py),
    # found once where the picture is read; None when it did, or none was taken.
    unconfirmed: str | None = None
    # The mesh's first fit, from the detector's crop, where a settled fit replaced it
    # (settle.py): the detector's points lie where that fit was guessed.
    guessed: np.ndarray | None = None
    # How far (face heights) that settle had walked from the first fit when the mesh lost the
    # face at its next look; None where it did not (settle.py).
    lost_settling: float | None = None
    # Set where the face was fitted only with the picture's strokes softened (sketched.py).
    softened: SoftenedLook | None = None

    @property
    def box(self) -> tuple[float, float, float, float]:
        x, y = self.landmarks[:, 0], self.landmarks[:, 1]
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())

    @property
    def height(self) -> float:
        """Forehead top to chin (points 10 to 152), the face size the portrait uses."""
        return float(np.linalg.norm(self.landmarks[10, :2] - self.landmarks[152, :2]))

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x0 + x1) / 2, (y0 + y1) / 2

    @cached_property
    def pose(self) -> HeadPose:
        return head_pose(self.landmarks)

    @cached_property
    def expression(self) -> Expression:
        return Expression.of(self.landmarks)


def one_per_place(faces: list[Face]) -> list[Face]:
    """Meshes that lie on one another are one face: the surer mesh is kept, largest first.
    A false candidate around a real face (the face and the chest below it, once) can be
    meshed too, a little sure of a big "face"; chosen for its size, it put a face 2.8
    times too large over a portrait."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: -f.presence):
        if not any(covers(other.box, face.centre) or covers(face.box, other.centre) for other in kept):
            kept.append(face)
    return sorted(kept, key=lambda f: -f.height)


def covers(box: tuple[float, float, float, float], point: tuple[float, float]) -> bool:
    """Whether a box (x0, y0, x1, y1) holds a point."""
    x0, y0, x1, y1 = box
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1
