"""The mesh portrait (pipeline layer): a visitor's face mesh moves the portrait's own.

`MeshAnimator` keeps the interface of the crop pipeline's PortraitAnimator (observe,
calibrate, step, idle, end_visit), so the scene's worker and `bayard animate` drive
either. It works on the whole picture at its own resolution: the face is never cut out,
scaled and pasted back, which is what blurred it.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import replace
from functools import cached_property

import numpy as np

from ...face import FaceStack, FaceTracker, head_pose
from ...face.measures import turn_from_front
from ...face.tracking import FaceBox, FaceObservation
from ..visitor import VisitorPresence
from .folds import commanded_smile
from .hidden_lips import lips_at_fringe
from .meeting_lips import FACING_LIPS, lips_meet
from .motion import (
    DriverReference,
    Motion,
    eye_openness,
    finite_motion,
    idle_motion,
    rotation_deg,
    whole_reading,
)
from .named_points import (
    FACE_OVAL,
    LEFT_CREASE,
    LEFT_LOWER_LID,
    LEFT_UPPER_LID,
    RIGHT_CREASE,
    RIGHT_LOWER_LID,
    RIGHT_UPPER_LID,
)
from .own_teeth import lips_at_teeth
from .portrait_face import _portrait_analysis, find_portrait_face
from .returning import ReturnWatch
from .rig import PortraitRig, build_rig
from .turned_lips import LIP_POINTS, LipsInsideTheFace, TurnedLips
from .warp import MeshWarper

# The person mask is trusted only if it covers this share of the face the mesh found.
MASK_COVERS_FACE = 0.9
# A sitter turned up to FRONTAL_SITTER_DEG takes the visitor's whole head turn; one turned
# TURNED_SITTER_DEG or more (a full three-quarter view) takes MIN_TURN_ROOM of it.
FRONTAL_SITTER_DEG = 10.0
TURNED_SITTER_DEG = 35.0
MIN_TURN_ROOM = 0.35
# The visitor's eye openings while the card, framing guide and countdown show, before their
# neutral face is taken: people blink every 3-5 s, and those blinks tell how closed this
# visitor's closed eyes read (motion.learn_blinks). Learnt from live blinks alone, the
# first blinks of a visit closed the portrait's lids only half way. About ten seconds of
# frames; two numbers a frame, in memory only, forgotten at calibration, when the face is
# lost and when the visit ends.
EYES_BEFORE_CALIBRATION = 300
EYES = ((LEFT_UPPER_LID, LEFT_LOWER_LID, LEFT_CREASE), (RIGHT_UPPER_LID, RIGHT_LOWER_LID, RIGHT_CREASE))
LID_ROWS = tuple((np.array(upper), np.array(lower)) for upper, lower, _ in EYES)


def turn_share(sitter_yaw_deg: float) -> float:
    """The share of a visitor's head turn a sitter turned this far can take (see
    MeshAnimator.turn_room)."""
    beyond = (abs(sitter_yaw_deg) - FRONTAL_SITTER_DEG) / (TURNED_SITTER_DEG - FRONTAL_SITTER_DEG)
    return float(np.clip(1.0 - beyond * (1.0 - MIN_TURN_ROOM), MIN_TURN_ROOM, 1.0))


class MeshAnimator(VisitorPresence):
    backend_name = "mesh"

    def __init__(self, portrait: np.ndarray, stack: FaceStack | None = None, *,
                 exaggeration: float = 1.0, rig: PortraitRig | None = None, lips_hidden: bool = False,
                 picture: str = "auto") -> None:
        self.stack = stack or FaceStack.open()
        self.portrait = np.ascontiguousarray(portrait[..., :3])
        if rig is None:
            face = find_portrait_face(self.portrait, self.stack)
            eyes = _portrait_analysis(self.portrait, self.stack)[1]
            person = self.stack.person_mask(self.portrait)
            # The curator says a moustache hides the lips (hidden_lips.py).
            lips = lips_at_fringe(self.portrait, face.landmarks) if lips_hidden else None
            # Her own teeth shown at rest stay with her upper lip (own_teeth.py).
            own_teeth, own_lower_teeth = False, None
            if lips is None:
                lips, own_teeth, own_lower_teeth = lips_at_teeth(self.portrait, face.landmarks)
            rig = build_rig(self.portrait, face, eyes, _soft(person, face.landmarks), exaggeration, lips, own_teeth,
                            own_lower_teeth, picture)
        self.rig = rig
        self.warper = MeshWarper(rig)
        self.tracker = FaceTracker(self.stack)
        self.reference: DriverReference | None = None
        self.returns = ReturnWatch()
        self.last_face: FaceObservation | None = None
        self._last_seen = -math.inf
        self.last_motion = Motion()
        self._eyes_before: deque[tuple[float, float]] = deque(maxlen=EYES_BEFORE_CALIBRATION)
        self._eyes_before_at: deque[float] = deque(maxlen=EYES_BEFORE_CALIBRATION)  # (their camera times)
        box = rig.mesh[:, :2]
        (x0, y0), (x1, y1) = box.min(0), box.max(0)
        self.face = FaceBox((x0 + x1) / 2, (y0 + y1) / 2, float(max(x1 - x0, y1 - y0)))

    # -- the visitor ---------------------------------------------------------------
    def _eyes(self, frame: np.ndarray, landmarks: np.ndarray):
        return self.stack.eyes(frame, landmarks)

    def observe(self, frame: np.ndarray, t: float) -> FaceObservation:
        obs = super().observe(frame, t)
        if self.reference is None:  # (live, the reference learns from each frame itself)
            face = getattr(obs, "face", None)
            if face is None:  # nobody there: whoever comes next starts afresh
                self._eyes_before.clear()
                self._eyes_before_at.clear()
            else:
                self._eyes_before.append(eye_openness(face.landmarks))
                self._eyes_before_at.append(t)
        return obs

    def calibrate(self, frame: np.ndarray, t: float, obs: FaceObservation | None = None) -> bool:
        obs = obs or self.observe(frame, t)
        face = getattr(obs, "face", None)
        if face is None or obs.state not in ("ok", "too_far") or not np.isfinite(face.landmarks).all():
            return False  # (a mesh with a point not placed is no neutral: every motion read from it is NaN)
        return self.calibrate_on(face.landmarks, self._eyes(frame, face.landmarks))

    def calibrate_on(self, landmarks: np.ndarray, eyes=None) -> bool:
        """Take this reading as the visitor's neutral face. False, and nothing changed, when it
        is not whole: a point or an iris not placed (NaN, inf) made a NaN neutral gaze, and every
        gaze read through it was NaN, so the portrait's eyes stayed at rest for the whole visit.
        The caller takes the next frame instead (live, the countdown goes on)."""
        if not whole_reading(landmarks, eyes):
            return False
        self.reference = DriverReference(landmarks, eyes)
        self.reference.learn_blinks(self._eyes_before, self._eyes_before_at)
        self._eyes_before.clear()
        self._eyes_before_at.clear()
        self.returns.reset()
        return True

    @property
    def calibrated(self) -> bool:
        return self.reference is not None

    def step(self, frame: np.ndarray, t: float, obs: FaceObservation | None = None) -> np.ndarray:
        obs = obs or self.observe(frame, t)
        face = getattr(obs, "face", None)
        if face is not None and not np.isfinite(face.landmarks).all():
            # A point the face model could not place (NaN, inf) is no face to follow: taken in,
            # it reached the settled eyes and the neutral, and every frame after it faulted.
            face = None
        if self.reference is None:
            return self.portrait.copy()
        if face is None or obs.state not in ("ok", "too_far", "several"):
            # The visitor turned away or left for a moment: ease back to rest.
            if face is None:  # (turned far away is still here)
                self.returns.away(t)
            return self.render(ease_motion(self.last_motion, 0.85))
        action = self.returns.seen(t, face.landmarks)
        eyes = self._eyes(frame, face.landmarks) if action == "recalibrate" else None
        if action == "recalibrate" and not self.calibrate_on(face.landmarks, eyes):
            self.returns.not_taken()  # its eyes unread: the next calm frame is the neutral one
            action = "wait"
        if action == "wait":  # back after a real absence, perhaps someone else (returning.py)
            return self.render(ease_motion(self.last_motion, 0.85))
        if self.reference.more_neutral(face.landmarks):
            # Calibrated mid-word or mid-laugh: this closed mouth is their neutral one.
            self.reference = self.reference.rebased(face.landmarks)
        self.reference.settle_eyes(face.landmarks, t)
        eyes = eyes if eyes is not None else self._eyes(frame, face.landmarks)
        return self.render(self.reference.motion(face.landmarks, eyes, frame, at=t))

    def end_visit(self) -> None:
        self.reference = None
        self.returns.reset()
        self.tracker.reset()
        self.last_motion = Motion()
        self._eyes_before.clear()

    # -- attract mode ------------------------------------------------------------------
    def idle(self, t: float) -> np.ndarray:
        return self.render(idle_motion(t))

    # -- drawing -------------------------------------------------------------------------
    def place(self, motion: Motion) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The moved points (image pixels), each iris's shift (pixels) and each point's
        depth after the head's turn (larger is farther: the warper draws back to front)."""
        rig = self.rig
        rest, centre, level, scale, widths = self._rest
        moved = rest.copy()
        if motion.offsets is not None:
            motion = replace(motion, offsets=lips_meet(motion.offsets, self._lip_gaps, motion.lips_parted))
            # The visitor's expression, made facing the camera, turned as the sitter is: on
            # a three-quarter sitter the far mouth corner moves back into the cheek rather
            # than out past it.
            moved[:468] += (motion.offsets * scale) @ self._sitter_turn.T
        # The eye keeps its painted shape in the mesh (the lids follow the lower lid's
        # motion); blinks are drawn by the warper, which brings the lid down over the eye.
        for upper, lower in LID_ROWS:
            moved[upper, 1] += (moved[lower, 1] - rest[lower, 1]) - (moved[upper, 1] - rest[upper, 1])
        # Guard against folds the expression makes (a sliver by the nose must not turn inside
        # out). Folds from turning the head are real occlusion: the far side goes out of
        # sight, and the warper draws triangles back to front for that.
        # The folds are looked for with the lips where they will be drawn, foreshortened as the
        # sitter is seen (turned_lips.py; then turned with the head's motion below, which
        # foreshortens them afresh). Checked where the plain turn put them, the far half of a
        # turned sitter's lower lip overtook the skin under it, and easing that pulled the chin
        # down by the lip's whole drop (velata, Holbein's Erasmus, Robinson: twice the
        # visitor's); while the folds the drawn lips did make were never looked for.
        plain, plain_depth = moved[:, :2] @ level + centre, moved[LIP_POINTS, 2].copy()
        if motion.offsets is not None:
            self._turned_lips.move(rest, moved, motion.offsets * scale, self._sitter_turn)
        drawn = moved[:, :2] @ level + centre
        unfolded = self.warper.unfold(drawn)
        # Where the easing moved the lips too, they are eased as before, from where the plain
        # turn put them (eased where drawn, a lip held to KEPT_LIP of itself there was held
        # again when foreshortened afresh: the corners of a wide-open mouth squared off).
        untouched = unfolded is drawn or np.array_equal(unfolded[LIP_POINTS], drawn[LIP_POINTS])
        unfolded[LIP_POINTS] = plain[LIP_POINTS] if untouched else self.warper.unfold(plain)[LIP_POINTS]
        moved[:, :2] = (unfolded - centre) @ level.T
        moved[LIP_POINTS, 2] = plain_depth
        weight = rig.head_weight[:, None].astype(np.float64)
        pivot = np.array([0.0, 0.0, float(np.median(moved[:468, 2]))])
        room = self.turn_room
        # The visitor turns, nods and tilts about their own head's axes; so does the sitter,
        # about its own. Applied about the camera's axes, a nod of a three-quarter sitter
        # tilted its eye line instead (a roll the visitor never made).
        sitter = self._sitter_turn
        turn = sitter @ rotation_deg(motion.yaw * room, motion.pitch * room, motion.roll) @ sitter.T
        turned = (moved - pivot) @ turn.T + pivot
        posed = (rest[:468] - pivot) @ turn.T + pivot  # the head's motion alone, no expression
        if motion.offsets is not None:  # the lips foreshortened as they are seen (turned_lips.py)
            self._turned_lips.move((rest - pivot) @ turn.T + pivot, turned, motion.offsets * scale,
                                   turn @ sitter)
        turned[:, :2] = turned[:, :2] * motion.scale + motion.shift * rig.face_height
        moved = moved + (turned - moved) * weight
        if motion.offsets is not None:  # the far mouth kept inside the cheek's outline (turned_lips.py)
            posed[:, :2] = posed[:, :2] * motion.scale + motion.shift * rig.face_height
            self._lips_inside.hold(moved, posed)
        dst = moved[:, :2] @ level + centre  # back from the level frame
        gaze = np.clip(motion.gaze, -0.22, 0.22) * widths
        gaze[:, 1] *= 0.6  # irises travel less up and down than sideways under the lids
        return dst, gaze, moved[:, 2]

    @cached_property
    def turn_room(self) -> float:
        """How much of the visitor's turn and nod a sitter can take. A picture holds one view
        of a head: a sitter already turned away (a three-quarter portrait) has its far side
        pressed together, so turning further streaks the hair and wall beside it, and
        turning back stretches a far eye and cheek the picture barely shows. Frontal
        sitters take the whole turn; the share falls as the sitter's own turn grows."""
        return turn_share(head_pose(self.rig.mesh).yaw)

    @cached_property
    def _rest(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The rig's points in its level frame (eye line horizontal, about the mesh's
        centre), that frame, the offsets' units and the eyes' widths: the same every frame."""
        rig = self.rig
        pts = rig.points.astype(np.float64)
        centre = pts[:468, :2].mean(0)
        c, s = math.cos(-rig.roll), math.sin(-rig.roll)
        level = np.array([[c, -s], [s, c]])
        rest = pts.copy()
        rest[:, :2] = (pts[:, :2] - centre) @ level.T
        # Offsets are in eye distances and face heights of a face seen from the front, so
        # they are scaled by the sitter's with its turn undone (then turned with it).
        frontal = rest[:468] @ self._sitter_turn
        eye_distance = abs(float(frontal[263, 0] - frontal[33, 0]))
        face_height = abs(float(frontal[152, 1] - frontal[10, 1]))
        scale = np.array([eye_distance, face_height, face_height]) * rig.exaggeration
        widths = np.array([np.linalg.norm(rig.mesh[a, :2] - rig.mesh[b, :2])
                           for a, b in ((33, 133), (362, 263))])
        return rest, centre, level, scale, widths[:, None]

    @cached_property
    def _lip_gaps(self) -> np.ndarray:
        """Per pair of facing inner-lip points, the lower lip below the upper at rest, seen
        from the front, in the offsets' units (meeting_lips.lips_meet)."""
        rest, _, _, scale, _ = self._rest
        frontal = rest[:468] @ self._sitter_turn
        upper, lower = FACING_LIPS.T
        return (frontal[lower, 1] - frontal[upper, 1]) / scale[1]

    @cached_property
    def _turned_lips(self) -> TurnedLips:
        return TurnedLips(self._rest[0], self._sitter_turn)

    @cached_property
    def _lips_inside(self) -> LipsInsideTheFace:
        return LipsInsideTheFace(self._rest[0], self._sitter_turn, self.rig.face_height)

    @cached_property
    def _sitter_turn(self) -> np.ndarray:
        return turn_from_front(self.rig.mesh)

    def render(self, motion: Motion) -> np.ndarray:
        motion = self._whole(motion)
        dst, gaze, depth = self.place(motion)
        self.last_motion = motion
        return self.warper.render(dst, gaze, depth, motion.eye_open, motion.teeth, self.smile_of(motion))

    def _whole(self, motion: Motion) -> Motion:
        """`motion` with nothing not a number in it. A motion read from a point that was not
        placed (NaN, inf) faulted the frame (the lids' box cannot be cut at NaN). When only
        the eyes' reading failed (the iris model's, the mesh whole) the eyes keep their last
        good opening or gaze and the rest moves; otherwise the last whole motion is drawn again
        (a face frozen for a frame whose eyes alone were unread looked like a stall)."""
        if finite_motion(motion):
            return motion
        last = self.last_motion
        eyes_kept = replace(
            motion,
            eye_open=motion.eye_open if np.isfinite(motion.eye_open).all() else last.eye_open,
            gaze=motion.gaze if np.isfinite(motion.gaze).all() else last.gaze)
        return eyes_kept if finite_motion(eyes_kept) else last

    def smile_of(self, motion: Motion) -> tuple[float, float]:
        """How much of a full smile each mouth corner makes, as drawn (exaggerated as the
        motion is): what the cheeks are shaded by."""
        left, right = commanded_smile(motion.offsets)
        return left * self.rig.exaggeration, right * self.rig.exaggeration



def ease_motion(motion: Motion, keep: float) -> Motion:
    return Motion(
        yaw=motion.yaw * keep, pitch=motion.pitch * keep, roll=motion.roll * keep,
        shift=motion.shift * keep, scale=1.0 + (motion.scale - 1.0) * keep,
        offsets=None if motion.offsets is None else motion.offsets * keep,
        eye_open=tuple(1.0 + (e - 1.0) * keep for e in motion.eye_open),  # type: ignore[arg-type]
        gaze=motion.gaze * keep, teeth=motion.teeth,
        lips_parted=None if motion.lips_parted is None else motion.lips_parted * keep)


def _soft(person: np.ndarray, landmarks: np.ndarray | None = None) -> np.ndarray | None:
    """The person mask, grown a little and feathered: no hard edge where motion stops.
    None when the mask misses the face the mesh found: the segmenter, trained on
    photographs of people, may call a painted or masked face wall, and the wall painted in
    behind the head then showed through the moving face in seams. Without a mask the head
    blends into the still picture through the rings, as it did before there was one."""
    import cv2

    sure = (person > 0.35).astype(np.float32)
    if landmarks is not None:
        face = np.zeros(person.shape, np.uint8)
        cv2.fillPoly(face, [np.round(landmarks[list(FACE_OVAL), :2]).astype(np.int32)], 1)
        if face.any() and float(sure[face > 0].mean()) < MASK_COVERS_FACE:
            return None
    grown = cv2.dilate(sure, np.ones((9, 9), np.uint8))
    side = max(3, int(0.02 * max(person.shape)) | 1)
    return cv2.GaussianBlur(grown, (side, side), 0)
