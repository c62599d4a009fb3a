"""A line drawing's face: the mesh given the strokes softened into tone, in its own crop.

The face mesh learned photographs: a face of graded tone. A pencil sketch or a pen outline
shows the same face as thin dark lines on bare paper, and the mesh, reading the lines' fine
texture, doubts it (log-odds -4 to +3 at the detector's own crop on made sketches whose
sitters' photographs it is sure of at +10 to +30) or fits the eyes to a line beside them.
Blurred over about two of the mesh's 192 input pixels, the lines spread into the tone a
painter would have laid, and the mesh reads the face again: surer by 3 to 17 log-odds on
those sketches, its eyes nearer the sitter's own.

drawn.py blurs the whole picture by its own size, and only where a face is not found at all
and the picture is hatched (most pencil sketches are not); the blur here is the face's own
size, taken in the mesh's crop, so it acts the same on a small face in a large sheet.

It never acts on what the mesh was already sure of: a found face is looked at softened only
where the mesh DOUBTS it, and the softened look is taken only where it is sure of it
(drawn.SURE) and surer than of the picture itself by SURER_BY; a photograph's face the mesh
doubts gains from a blur too, but seldom that much (of 720 photographs, paintings and their
sepia, over-exposed, small and cut copies, none changed). A detection the mesh refused is
taken softened under the same two tests: what hides a face there must be the picture's own
strokes.

The fit's presence is then the softened look's own (about 1.0), which hides the mesh's doubt of
the drawing itself; so the face carries how the plain look saw it (faces.SoftenedLook), and
whether a look softened half as much (LIGHTER_PX) keeps the eyes where the softened fit has
them, and `check` and `portrait inspect` tell the curator (unsure.py).
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np

from .detect import Detection
from .drawn import SURE
from .faces import Face, SoftenedLook, one_per_place
from .geometry import Region
from .landmarks import presence_of, region_from_detection, region_from_landmarks
from .settle import LEFT_EYE, RIGHT_EYE
from .stack import MAX_CANDIDATES, RETRY_MIN_SCORE, FaceStack, fits_detection

# The blur's width in the mesh's 192 px crop, which holds the face about 1.5 times: 1.5% of
# a face's height. (On 192 made sketches of 16 sitters, 1 px gained the mesh 1-3 log-odds,
# 2 px 3-17 and 3 px placed the eyes no nearer; beyond, the lids' lines merge.)
SOFTEN_PX = 2.0
# The lighter look a softened fit is checked against (faces.SoftenedLook.lighter_apart): half
# the softening, enough to join a sketch's strokes (1 px gained the mesh 1-3 log-odds).
LIGHTER_PX = SOFTEN_PX / 2.0
SURE_LOGIT = math.log(SURE / (1.0 - SURE))
# The mesh's log-odds for a face softened over those for the picture itself at the same
# crop, at least. (Photographs gain 0-7 where they gain at all, the most on faces the mesh is
# already sure of; made sketches the mesh doubts 3-17.)
SURER_BY = 3.0
# A softened fit settles from its own crop over at most this many looks, until its crop moves
# by less than STILL of its width (a detector's box is a guess on a drawing).
SETTLE_LOOKS = 4
STILL = 0.02


def softened(crop: np.ndarray) -> np.ndarray:
    """The mesh's crop with its lines spread into tone."""
    return cv2.GaussianBlur(crop, (0, 0), SOFTEN_PX)


def _settled(rgb: np.ndarray, stack: FaceStack, landmarks: np.ndarray, logit: float,
             region: Region) -> tuple[np.ndarray, float, Region]:
    for _ in range(SETTLE_LOOKS):
        again = region_from_landmarks(landmarks)
        refined, refined_logit = stack.mesh_model.run_logit(rgb, again, even=softened)
        if refined_logit < SURE_LOGIT:
            break
        moved = math.hypot(again.cx - region.cx, again.cy - region.cy)
        landmarks, logit, region = refined, refined_logit, again
        if moved < STILL * again.width:
            break
    return landmarks, logit, region


def _lighter(crop: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(crop, (0, 0), LIGHTER_PX)


def _softened_look(rgb: np.ndarray, stack: FaceStack,
                   region: Region) -> tuple[np.ndarray, float, Region, np.ndarray, float, np.ndarray] | None:
    """The softened fit at a crop where it is SURE and surer than the picture's by SURER_BY,
    and the picture's own look there is not SURE; with that plain look's points and log-odds,
    and the points of a look softened LIGHTER_PX at the softened fit's own crop."""
    plain_landmarks, plain = stack.mesh_model.run_logit(rgb, region)
    if plain >= SURE_LOGIT:
        return None
    landmarks, logit = stack.mesh_model.run_logit(rgb, region, even=softened)
    if logit < SURE_LOGIT or logit < plain + SURER_BY:
        return None
    landmarks, logit, region = _settled(rgb, stack, landmarks, logit, region)
    lighter, _ = stack.mesh_model.run_logit(rgb, region, even=_lighter)
    return landmarks, logit, region, plain_landmarks, plain, lighter


def _eyes(landmarks: np.ndarray) -> np.ndarray:
    points = np.asarray(landmarks)[:, :2]
    return np.array([points[list(LEFT_EYE)].mean(0), points[list(RIGHT_EYE)].mean(0)])


def eyes_apart(softened_fit: np.ndarray, plain_fit: np.ndarray) -> float:
    """How far the plain fit's eyes lie from the softened fit's: the farther eye, in the
    softened fit's eye spacings."""
    eyes, plain = _eyes(softened_fit), _eyes(plain_fit)
    spacing = max(float(np.linalg.norm(eyes[1] - eyes[0])), 1.0)
    return float(np.linalg.norm(plain - eyes, axis=1).max()) / spacing


def _softened_face(landmarks: np.ndarray, logit: float, region: Region, detection: Detection | None,
                   plain_fit: np.ndarray, plain_presence: float, lighter_fit: np.ndarray) -> Face:
    # The presence is the softened look's own (about 1.0); how the plain and the lighter look
    # saw the face goes with it, for `check` and `portrait inspect` to tell the curator (unsure.py).
    look = SoftenedLook(plain_presence, eyes_apart(landmarks, plain_fit), eyes_apart(landmarks, lighter_fit))
    return Face(landmarks.astype(np.float32), presence_of(logit), region, detection, softened=look)


def refitted_softened(rgb: np.ndarray, face: Face, stack: FaceStack) -> Face:
    """A found face the mesh doubts, fitted softened where that is surer (else as found).
    The softened fit is held to what found_softened holds a new face to: it must still be
    its detection's face (the settle follows the softened fit from crop to crop, and a detector's
    box on a drawing is a guess)."""
    if face.presence >= SURE:
        return face
    look = _softened_look(rgb, stack, face.region)
    if look is None:
        return face
    landmarks, logit, region, _, _, lighter = look
    # Against the face as found, not the plain look at its crop: that is the fit the curator
    # would have been shown, and its presence the doubt they would have been told.
    refitted = _softened_face(landmarks, logit, region, face.detection, face.landmarks, face.presence, lighter)
    refitted = replace(refitted, unconfirmed=face.unconfirmed, guessed=face.guessed, lost_settling=face.lost_settling)
    if face.detection is not None and not fits_detection(refitted, face.detection):
        return face
    return refitted


def found_softened(rgb: np.ndarray, stack: FaceStack) -> list[Face]:
    """Faces the detectors saw (at their retry score) and the mesh refused in the picture
    itself, found softened; largest first."""
    candidates = stack.short_range.detect(rgb, RETRY_MIN_SCORE) + stack.full_range.detect(rgb, RETRY_MIN_SCORE)
    faces = []
    for detection in sorted(candidates, key=lambda d: -d.size)[:MAX_CANDIDATES]:
        look = _softened_look(rgb, stack, region_from_detection(detection))
        if look is None:
            continue
        landmarks, logit, region, plain_fit, plain, lighter = look
        face = _softened_face(landmarks, logit, region, detection, plain_fit, presence_of(plain), lighter)
        if fits_detection(face, detection):
            faces.append(face)
    return sorted(one_per_place(faces), key=lambda f: -f.height)
