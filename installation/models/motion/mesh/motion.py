"""From a visitor's face mesh to portrait motion: head pose apart from expression.

Each driver frame is aligned to the visitor's neutral frame (captured at calibration) by
a scaled rigid fit on points that hardly move with expression. What the fit explains is
the head's motion; what is left are expression offsets, normalised by the neutral face's
eye distance (x) and height (y) in its own level frame, so they transfer to a portrait of
any size and tilt. Eyes are carried as ratios of the neutral opening and gaze as the
iris's offset in eye widths.
"""

from __future__ import annotations

import copy
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ...face import Expression, Eye
from ...face.measures import lopsided
from .meeting_lips import FACING_LIPS, ShutLips, lip_gaps
from .named_points import RIGID
from .teeth import TeethFollower, mouth_shown
from .visitor_eyes import (  # (the visitor's eye readings: their rules live there)
    CLOSED_MOST,
    CLOSED_OPENNESS,
    EYE_REST_FRAMES,
    EYE_REST_LIMIT,
    EYE_REST_MIN_FRAMES,
    EYE_REST_UPPER,
    FRAME_S,
    LIVE_SPAN_S,
    LidFall,
    deepest_blink,
    eye_openness,
    frame_times,
    gaze_of,
    looking_down,
    next_time,
    trust_the_other_eye,
)

RIGID_ROWS = np.array(RIGID)
UNREAD = object()  # no reading of the visitor's teeth was offered
MAX_YAW_DEG = 20.0
MAX_PITCH_DEG = 20.0
# Turning and nodding together foreshortens a flat picture's far side most of all (the far
# side of the nose pressed into a dark line at 20 degrees of each): the turn as a whole is
# kept within this, yaw and pitch in proportion.
MAX_TURN_DEG = 20.0
MAX_ROLL_DEG = 25.0
# The crop follows the visitor across the frame, so only a share of their shift and
# scale reaches the portrait (a sitter stays in the frame).
SHIFT_SHARE, MAX_SHIFT = 0.35, 0.08
SCALE_SHARE = 0.5
# Visitors talk, laugh and yawn through the countdown, and the frame it ends on is taken as
# their neutral face. Measured from an open mouth, their closed mouth later read as a
# mouth closing past shut: the portrait's chin and lower lip were pulled up into its nose,
# with a dark seam where the lips crossed. So a face whose mouth is closed by this much
# more (inner-lip gap, face heights; a talking mouth opens 0.02-0.08, a closed one reads
# 0-0.01) becomes the neutral face from then on (see DriverReference.rebased).
REBASE_MOUTH = 0.02
# ... and a neutral face with the lips parted by less is measured from the visitor's lips
# shut (meeting_lips.LIPS_SHUT_HELD): what the neutral was parted above them (at most
# REBASE_MOUTH) is added to every frame's lips.
# ... unless the eyes are then much more closed than at calibration (a blink is no neutral).
REBASE_EYES = 0.7
# Calibrated on a mouth pressed to one side (a smirk, a twisted pout: 0.03-0.09 outer-eye
# spacings off, against 0.005-0.009 at rest; measures.lopsided), every later mouth read as twisted
# the other way. A face whose mouth is this much more even, and no more open, becomes the
# neutral face too. Each such rebase makes the mouth more even still, so it cannot swing back.
REBASE_LOPSIDED = 0.03


@dataclass
class Motion:
    """What the portrait should do in one frame."""

    yaw: float = 0.0  # degrees, limited
    pitch: float = 0.0
    roll: float = 0.0
    shift: np.ndarray = field(default_factory=lambda: np.zeros(2, np.float32))  # face heights
    scale: float = 1.0
    offsets: np.ndarray | None = None  # 468 x 3 in neutral units (x: eye distances, y, z: face heights)
    eye_open: tuple[float, float] = (1.0, 1.0)  # image-left, image-right: share of the neutral opening
    gaze: np.ndarray = field(default_factory=lambda: np.zeros((2, 2), np.float32))  # eye widths
    # Shares of the opening showing upper and lower teeth (and, read from a camera picture,
    # the tongue's top and bottom: teeth.mouth_shown).
    teeth: tuple[float, ...] | None = None
    # Per FACING_LIPS pair, how far the visitor's neutral lips were parted above their shut
    # level (face heights), already added to `offsets` (meeting_lips: ShutLips, lips_meet).
    lips_parted: np.ndarray | None = None


def _level(points: np.ndarray, angle: float, centre: np.ndarray) -> np.ndarray:
    c, s = math.cos(-angle), math.sin(-angle)
    out = points.copy()
    d = points[:, :2] - centre
    out[:, 0] = d[:, 0] * c - d[:, 1] * s
    out[:, 1] = d[:, 0] * s + d[:, 1] * c
    return out


def similarity_3d(src: np.ndarray, dst: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """s, R, t minimising |s R src + t - dst| (Umeyama)."""
    ms, md = src.mean(0), dst.mean(0)
    a, b = src - ms, dst - md
    u, sv, vt = np.linalg.svd(b.T @ a / len(src))
    d = np.sign(np.linalg.det(u @ vt))
    fix = np.diag([1.0, 1.0, d])
    rotation = u @ fix @ vt
    scale = float((sv * np.diag(fix)).sum() / max((a ** 2).sum() / len(src), 1e-12))
    return scale, rotation, md - scale * rotation @ ms


def euler_deg(rotation: np.ndarray) -> tuple[float, float, float]:
    """yaw (about y), pitch (about x), roll (about z) of a rotation matrix, degrees."""
    yaw = math.degrees(math.asin(max(-1.0, min(1.0, -rotation[2, 0]))))
    pitch = math.degrees(math.atan2(rotation[2, 1], rotation[2, 2]))
    roll = math.degrees(math.atan2(rotation[1, 0], rotation[0, 0]))
    return yaw, pitch, roll


def rotation_deg(yaw: float, pitch: float, roll: float) -> np.ndarray:
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return rz @ ry @ rx



class DriverReference:
    """The visitor's neutral face; turns later frames into Motion."""

    def __init__(self, neutral: np.ndarray, eyes: tuple[Eye, Eye] | None = None) -> None:
        self.neutral = neutral.astype(np.float64)
        self.rigid = self.neutral[RIGID_ROWS]
        self.calibrated_openness = eye_openness(self.neutral)
        self.blink = (math.inf, math.inf)  # each eye's deepest blink reading so far (deepest_blink)
        # The last openings before calibration that could not yet be told a dip (learn_blinks).
        self._before, self._before_times = np.zeros((0, 2)), np.zeros(0)
        self._set_eye_rest(self.calibrated_openness)
        self._recent_openness: deque = deque(maxlen=EYE_REST_FRAMES)
        self._recent_times: deque = deque(maxlen=EYE_REST_FRAMES)  # when each was taken (frame_times)
        self._lid_fall = LidFall()  # (a blink made nodded down is no look down: visitor_eyes.BLINK_FALL)
        self.gaze0 = gaze_of(self.neutral, eyes)
        self.roll = math.atan2(neutral[263, 1] - neutral[33, 1], neutral[263, 0] - neutral[33, 0])
        self.centre = self.neutral[:, :2].mean(0)
        self.eye_distance = float(np.linalg.norm(neutral[263, :2] - neutral[33, :2]))
        self.face_height = float(np.linalg.norm(neutral[10, :2] - neutral[152, :2]))
        self.teeth = TeethFollower()
        self.level_neutral = _level(self.neutral, self.roll, self.centre)
        self.level = rotation_deg(0, 0, -math.degrees(self.roll))
        self.expression = Expression.of(self.neutral)
        self.lopsided = lopsided(self.neutral)
        self.lips_shut = ShutLips(lip_gaps(self.level_neutral, self.face_height))

    def _parted(self, level: np.ndarray) -> np.ndarray:
        """Per FACING_LIPS pair, how far the neutral's lips were parted above the visitor's shut
        level, learnt from this frame (`level`: it, aligned and level) and those before."""
        self.lips_shut.see(lip_gaps(level, self.face_height))
        return self.lips_shut.parted(lip_gaps(self.level_neutral, self.face_height), REBASE_MOUTH)

    def _aligned(self, lm: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """The frame seen as if the head had not moved from the neutral pose, and the
        scale and rotation of the fit."""
        scale, rotation, shift = similarity_3d(lm[RIGID_ROWS], self.rigid)
        return lm @ (scale * rotation.T) + shift, scale, rotation

    def _set_eye_rest(self, openness) -> None:
        self.openness = tuple(float(o) for o in openness)
        self.closed = tuple(
            float(np.clip(blink, min(CLOSED_OPENNESS, 0.45 * o), CLOSED_MOST * o)) if math.isfinite(blink)
            else min(CLOSED_OPENNESS, 0.45 * o) for o, blink in zip(self.openness, self.blink, strict=True))

    def settle_eyes(self, lm: np.ndarray, at: float | None = None) -> None:
        """While live: let the eyes' rest opening follow how open this visitor's eyes
        have mostly been (see EYE_REST_LIMIT), and their closed level how closed their
        blinks read (see BLINK_REACH_S). `at`: when the frame was taken (seconds, the
        camera's clock); None: a 30 fps frame after the last."""
        self._recent_openness.append(eye_openness(lm))
        self._recent_times.append(next_time(self._recent_times[-1] if self._recent_times else None, at))
        self._settle_on(self._recent_openness, newest_only=True, times=self._recent_times)

    def settle_eyes_over(self, landmarks, times=None) -> None:
        """Offline (`bayard animate`, the bench), where the whole shot is known: the same
        rule as live, its window the whole shot. Taken from the neutral frame alone, a
        driver that stared there (the shared faces driver: 0.41 eye widths, above three
        quarters of its looks: 0.39) drew every ordinary look with the lids lowered, in the
        film only. `times`: when each frame was taken (seconds); None: 30 fps."""
        self._settle_on([eye_openness(np.asarray(lm)) for lm in landmarks], times=times)

    def settle_over(self, landmarks, times=None) -> None:
        """Offline, the whole shot known: the eyes' rest (settle_eyes_over) and the lips' shut
        level (meeting_lips.ShutLips) taken from all of it. Learnt as the film plays, a neutral
        taken with the lips parted drew every frame before the visitor's lips first met (half
        the shared expressions driver) measured from it. `times`: when each frame was taken
        (seconds, the camera's clock); None: 30 fps."""
        landmarks = [np.asarray(lm, np.float64) for lm in landmarks]
        self.settle_eyes_over(landmarks, times)
        levels = (_level(self._aligned(lm)[0], self.roll, self.centre) for lm in landmarks)
        self.lips_shut.see_all(np.array([lip_gaps(level, self.face_height) for level in levels]))

    def _settle_on(self, openings, newest_only: bool = False, times=None) -> None:
        openings = np.asarray(openings, np.float64).reshape(-1, 2)
        times = frame_times(times, len(openings))
        rest = self.openness
        if len(openings) >= EYE_REST_MIN_FRAMES:
            calibrated = np.asarray(self.calibrated_openness)
            usual = np.clip(calibrated, np.median(openings, axis=0), np.percentile(openings, EYE_REST_UPPER, axis=0))
            rest = np.clip(usual, calibrated * (1.0 - EYE_REST_LIMIT), calibrated * (1.0 + EYE_REST_LIMIT))
        # Live, only the frames around the newest that can be told a dip yet are looked at
        # (those before it were on earlier frames); until they span LIVE_SPAN_S, it runs on
        # from the openings before calibration (learn_blinks).
        if newest_only:
            if len(self._before) and times[0] > times[-1] - LIVE_SPAN_S:
                # (dated on the same clock; if not, they end a frame before the live ones)
                before_times = self._before_times - max(self._before_times[-1] - times[0] + FRAME_S, 0.0)
                openings = np.concatenate([self._before, openings])
                times = np.concatenate([before_times, times])
            recent = times >= times[-1] - LIVE_SPAN_S
            openings, times = openings[recent], times[recent]
        found = deepest_blink(openings, np.asarray(rest), times)
        self.blink = tuple(float(min(b, f)) for b, f in zip(self.blink, found, strict=True))
        self._set_eye_rest(rest)

    def learn_blinks(self, openings, times=None) -> None:
        """The visitor's blinks seen before calibration (their eye openings while the card,
        the framing guide and the countdown showed: MeshAnimator keeps them) set their closed
        level from the first frame, by the live rule (a dip, not a held look down), measured
        from the calibrated rest. Learnt only from blinks made live, the first blinks of a
        visit closed the portrait's lids only half way (see CLOSED_OPENNESS). A blink in
        the last BLINK_REACH_S (0.3 s) cannot be told from a look down yet: the live
        frames that follow tell it (settle_eyes; it was lost, and the first live blinks
        closed the lids half way again). `times`: when each was taken (seconds, the
        camera's clock, as the live frames' `at`); None: 30 fps."""
        openings = np.asarray(openings, np.float64).reshape(-1, 2)
        times = frame_times(times, len(openings))
        found = deepest_blink(openings, np.asarray(self.openness), times)
        kept = times >= times[-1] - LIVE_SPAN_S if len(times) else np.zeros(0, bool)
        self._before, self._before_times = openings[kept], times[kept]
        self.blink = tuple(float(min(b, f)) for b, f in zip(self.blink, found, strict=True))
        self._set_eye_rest(self.openness)

    def more_neutral(self, lm: np.ndarray) -> bool:
        """Whether this frame's mouth is clearly more closed than the neutral face's (which
        was then taken with the mouth open), or clearly more even and no more open (it was
        taken pressed to one side), its eyes not blinking."""
        now = Expression.of(lm)
        if now.eyes < REBASE_EYES * self.expression.eyes:
            return False
        if now.mouth < self.expression.mouth - REBASE_MOUTH:
            return True
        return (now.mouth <= self.expression.mouth + REBASE_MOUTH / 2
                and lopsided(lm) < self.lopsided - REBASE_LOPSIDED)

    def rebased(self, lm: np.ndarray) -> DriverReference:
        """This frame's expression as the neutral face, seen in the first neutral's head
        pose (so the portrait's head does not jump), with the first's eyes and gaze kept
        (a neutral taken open-mouthed still had its eyes at rest)."""
        aligned, _, _ = self._aligned(lm.astype(np.float64))
        rebased = copy.copy(self)
        rebased.neutral = aligned
        rebased.rigid = aligned[RIGID_ROWS]
        rebased.level_neutral = _level(aligned, self.roll, self.centre)
        rebased.expression = Expression.of(aligned)
        rebased.lopsided = lopsided(aligned)
        rebased.lips_shut = self.lips_shut.copy()
        return rebased

    def motion(self, lm: np.ndarray, eyes: tuple[Eye, Eye] | None = None,
               frame: np.ndarray | None = None, teeth=UNREAD, at: float | None = None) -> Motion:
        """`frame` (the visitor's picture, optional): lets the portrait show as much teeth
        as the visitor does; it is read here and not kept. Or `teeth`, the reading
        (`mouth_shown`, None when the mouth was too closed to tell) already taken from it.
        `at`: when the frame was taken (seconds, the camera's clock), for the lids' fall
        (visitor_eyes.LidFall); None: a 30 fps frame after the last."""
        if frame is not None:
            teeth = mouth_shown(frame, lm)
        teeth = None if teeth is UNREAD else self.teeth.update(teeth)
        lm = lm.astype(np.float64)
        aligned, scale, rotation = self._aligned(lm)
        level = _level(aligned, self.roll, self.centre)
        offsets = level - self.level_neutral
        offsets[:, 0] /= self.eye_distance
        offsets[:, 1:] /= self.face_height
        upper, lower = FACING_LIPS.T
        parted = self._parted(level)  # (see meeting_lips.LIPS_SHUT_HELD)
        offsets[upper, 1] -= parted / 2
        offsets[lower, 1] += parted / 2
        # The head's own motion is the inverse of the fit, measured in the neutral's level frame.
        yaw, pitch, roll = euler_deg(self.level @ rotation.T @ self.level.T)
        yaw, pitch = _limit_turn(yaw, pitch)
        move = (lm[:, :2].mean(0) - self.centre) / self.face_height
        opened = eye_openness(lm)
        ratio = trust_the_other_eye(tuple(
            float(np.clip((o - closed) / max(o0 - closed, 1e-3), 0.0, 1.35))
            for o, o0, closed in zip(opened, self.openness, self.closed, strict=True)), yaw, eyes)
        gaze = gaze_of(lm, eyes) - self.gaze0
        ratio, gaze = looking_down(ratio, gaze, pitch, self._lid_fall.update(ratio, at))
        return Motion(
            yaw=yaw,
            pitch=pitch,
            roll=float(np.clip(roll, -MAX_ROLL_DEG, MAX_ROLL_DEG)),
            shift=np.clip(move * SHIFT_SHARE, -MAX_SHIFT, MAX_SHIFT).astype(np.float32),
            scale=float(np.clip(1.0 + (1.0 / scale - 1.0) * SCALE_SHARE, 0.92, 1.08)),
            offsets=offsets.astype(np.float32),
            eye_open=ratio,  # type: ignore[arg-type]
            gaze=gaze.astype(np.float32),
            teeth=teeth,
            lips_parted=parted.astype(np.float32),
        )


def _limit_turn(yaw: float, pitch: float) -> tuple[float, float]:
    yaw = float(np.clip(yaw, -MAX_YAW_DEG, MAX_YAW_DEG))
    pitch = float(np.clip(pitch, -MAX_PITCH_DEG, MAX_PITCH_DEG))
    turn = math.hypot(yaw, pitch)
    if turn > MAX_TURN_DEG:
        yaw, pitch = yaw * MAX_TURN_DEG / turn, pitch * MAX_TURN_DEG / turn
    return yaw, pitch


def idle_motion(t: float) -> Motion:
    """Attract mode: breathing, a slow sway, a blink every few seconds, a glance now and then."""
    phase = (t % 4.3) / 0.24
    blink = math.sin(math.pi * min(1.0, phase) ** 0.8) if phase < 1 else 0.0
    g = (t % 11.0) / 11.0
    glance = math.sin(2 * math.pi * g) ** 3 if 0.5 < g < 1.0 else 0.0
    openness = 1.0 - 0.95 * blink
    return Motion(
        yaw=2.2 * math.sin(2 * math.pi * t / 9.1),
        pitch=1.2 * math.sin(2 * math.pi * t / 7.3 + 0.7),
        roll=1.3 * math.sin(2 * math.pi * t / 9.1 + 1.9) + 0.4 * math.sin(2 * math.pi * t / 3.7),
        scale=1.0 + 0.004 * math.sin(2 * math.pi * t / 4.6),
        eye_open=(openness, openness),
        gaze=np.array([[0.09 * glance, 0.0], [0.09 * glance, 0.0]], np.float32),
    )


def whole_reading(landmarks: np.ndarray, eyes=None) -> bool:
    """Whether a visitor's mesh and eyes (lids and irises; None: not read) have every point placed."""
    return bool(np.isfinite(landmarks).all()) and all(
        np.isfinite(eye.lids).all() and np.isfinite(eye.iris).all() for eye in eyes or ())


def finite_motion(motion: Motion) -> bool:
    """Whether every number in `motion` is finite (a NaN landmark makes NaN offsets, eyes, teeth)."""
    numbers = [motion.yaw, motion.pitch, motion.roll, motion.scale, *motion.eye_open, *(motion.teeth or ())]
    arrays = [motion.shift, motion.gaze] + ([] if motion.offsets is None else [motion.offsets])
    return bool(np.isfinite(numbers).all() and all(np.isfinite(a).all() for a in arrays))
