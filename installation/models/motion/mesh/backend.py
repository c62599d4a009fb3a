"""`mesh` in the motion-backend registry: what `check`, status and `choose_backend` see.

The scene and `bayard animate` run the whole-picture MeshAnimator (see build_animator in
pipeline.py). The crop contract below lets the same backend also serve code written for
crop-based backends: it animates a square crop as if it were the whole portrait.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..base import MOTION_BACKENDS, Availability, MotionBackend


@MOTION_BACKENDS.register("mesh")
class MeshBackend(MotionBackend):
    name = "mesh"
    crop_size = 256
    whole_picture = True  # build_animator gives the scene a MeshAnimator, not a crop pipeline

    def __init__(self) -> None:
        self._animator = None
        self._stack = None

    @classmethod
    def availability(cls, models_dir: Path) -> Availability:
        from ...face import try_open

        stack, reason = try_open(models_dir)
        if stack is None:
            return Availability(False, reason)
        return Availability(True, "MediaPipe face models on the CPU (models/face)")

    def _face_stack(self):
        from ...face import FaceStack

        if self._stack is None:
            self._stack = FaceStack.open()
        return self._stack

    def set_source(self, source: np.ndarray) -> None:
        from .animator import MeshAnimator

        self._animator = MeshAnimator(source, self._face_stack())

    def _driver_face(self, driver: np.ndarray):
        faces = self._face_stack().faces(driver, max_faces=1)
        return faces[0] if faces else None

    def calibrate(self, driver: np.ndarray) -> None:
        face = self._driver_face(driver)
        if face is None:
            raise ValueError("no face in the calibration frame")
        if not self._animator.calibrate_on(face.landmarks, self._face_stack().eyes(driver, face.landmarks)):
            raise ValueError("the calibration frame's face or eyes could not be read whole")

    def animate(self, driver: np.ndarray) -> np.ndarray:
        animator = self._animator
        face = self._driver_face(driver) if driver is not None else None
        if face is None or animator.reference is None:
            return animator.portrait.copy()
        eyes = self._face_stack().eyes(driver, face.landmarks)
        return animator.render(animator.reference.motion(face.landmarks, eyes, driver))
