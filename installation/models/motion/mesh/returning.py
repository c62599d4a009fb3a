"""A face that comes back: the same visitor, or the next one stepping straight in.

The scene ends a visit only when nobody has been seen for a few seconds, so in a queue
the next visitor steps in while the visit is still on and inherits its calibration.
Measured on the shared drivers, one person's neutral face read through another's
calibration turned the portrait's head by 7-15 degrees, nodded it by up to 9, moved the
mouth corners by a tenth of an eye distance and held its eyes nearly shut (0.25 of
their opening) or staring (1.35), for the whole visit. Faces are not told apart by
their mesh here (one visitor's expressions move the points more than two people differ),
so any face that returns after a real absence is measured afresh: the portrait rests for
a beat, and the first calm frame (mouth closed, eyes open, not turned away) becomes the
neutral face, as at calibration. A visitor who only looked down for a moment is never
away long enough for this; one who comes back mid-grimace keeps the calibration they
had, once the wait is over.
"""

from __future__ import annotations

import numpy as np

from ...face import Expression, head_pose

# Away this long (camera seconds, beyond the tracker's own 0.4 s hold over a lost face),
# a face that appears may be someone else.
RETURN_GAP_S = 0.6
# After it appears, the portrait rests at least this long (the newcomer is still
# stepping in), and waits at most this long for a calm frame.
SETTLE_MIN_S = 0.4
SETTLE_MAX_S = 3.0
# A calm frame: mouth closed (inner-lip gap, face heights), eyes open (lid gap over eye
# width: a blink reads about 0.1), not a wide smile (mouth width over eye distance), not
# turned away. Nothing about where the camera looks from: a kiosk camera above the
# screen sees every visitor's rest pose nodding.
CALM_MOUTH = 0.02
CALM_EYES = 0.2
CALM_SMILE = 0.95
CALM_YAW_DEG = 20.0


def calm(landmarks: np.ndarray) -> bool:
    e = Expression.of(landmarks)
    return (e.mouth <= CALM_MOUTH and e.eyes >= CALM_EYES and e.smile <= CALM_SMILE
            and abs(head_pose(landmarks).yaw) <= CALM_YAW_DEG)


class ReturnWatch:
    """Says, frame by frame while a visit is live, what to do with the visitor's face:
    "follow" it, "wait" (the portrait rests) or "recalibrate" on this frame."""

    def __init__(self) -> None:
        self.away_since: float | None = None
        self.returned_at: float | None = None
        self._taken_from: float | None = None
        self.recalibrations = 0

    def reset(self) -> None:
        self.away_since = self.returned_at = None

    def away(self, t: float) -> None:
        if self.away_since is None:
            self.away_since = t

    def seen(self, t: float, landmarks: np.ndarray) -> str:
        if self.away_since is not None:
            if t - self.away_since >= RETURN_GAP_S:
                self.returned_at = t
            self.away_since = None
        if self.returned_at is None:
            return "follow"
        waited = t - self.returned_at
        if waited > SETTLE_MAX_S:
            self.returned_at = None  # no calm moment: carry on with the calibration there is
            return "follow"
        if waited >= SETTLE_MIN_S and calm(landmarks):
            self._taken_from, self.returned_at = self.returned_at, None
            self.recalibrations += 1
            return "recalibrate"
        return "wait"

    def not_taken(self) -> None:
        """The calm frame "recalibrate" named could not be read whole (its eyes unread): the
        portrait goes on waiting, as before that frame, for the next calm one."""
        self.returned_at = self._taken_from
        self.recalibrations -= 1
