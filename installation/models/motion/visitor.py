"""Whether a visitor is in front of the camera: shared by the crop pipeline and the mesh
animator, which both follow the face with a tracker and forget it after a pause."""

from __future__ import annotations

import math

import numpy as np

from ..face import FaceObservation

# Seconds without a face before the pipeline calls the visitor gone.
LEAVE_AFTER_S = 1.5


class VisitorPresence:
    """Mixed into an animator that has a `tracker`."""

    tracker: object
    last_face: FaceObservation | None = None
    _last_seen: float = -math.inf

    def observe(self, frame: np.ndarray, t: float) -> FaceObservation:
        obs = self.tracker.update(frame, t)
        self.last_face = obs
        if obs.box is not None:
            self._last_seen = t
        return obs

    def visitor_present(self, t: float) -> bool:
        return t - self._last_seen < LEAVE_AFTER_S
