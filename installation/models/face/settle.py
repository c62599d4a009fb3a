"""A still picture's face mesh, settled: fitted again from its own points until it stays put.

The mesh is fitted to a crop placed by the face detector, whose box and eye points are a
guess for a face tilted back, turned or laughing: they fall low on the face. From such a
crop the mesh was sure of a face squeezed between the eyes and the mouth (its eyes on the
cheeks, its mouth on the upper teeth), and, looked at again from a crop placed by its own
points, as a visitor's face is followed frame by frame, it moved to the sitter's own eyes
and mouth. So a portrait animated from the first fit showed lids closing on the cheeks and
an opening under the upper teeth, and the face mesh watching the result (bench/portrait.py)
read the head rolled by up to 28 degrees where the driver held still.

Measured on 106 sound fits (the shared portraits and faces, 12 unseen sitters, the audit's
portraits and copies, 44 CC0 faces, 12 jazz photographs) and 849 copies made harder (turned
30 degrees, tilted back by a perspective warp, squeezed sideways as if turned, the chin
cut off), with each sitter's own fit carried into its copy as the truth:
- a sound fit moves at most 0.06 of the face's height as it settles (all but two of the
  106; those two, a small hatted face and a grainy one, had their mouths on the chin and
  move 0.12 and 0.16: the grainy one is taken settled, its mouth on its mouth; from its own
  crop the mesh loses the hatted one, presence under 0.5, and its first fit is kept);
- copies tilted back 40-55% were fitted 0.15-0.29 off (eyes below the eyes) and settled
  to within 0.03-0.05; fits off by over 0.1 fell from 42 to 21 of the 849 copies.
A fit that moves no more than SETTLED_WITHIN is kept exactly as it was found, so sound
portraits animate as they always did.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from .faces import Face
from .landmarks import region_from_landmarks
from .stack import PRESENCE_MIN, FaceStack
from .unsure import UNSURE_PRESENCE

# The points whose place is judged: both eye openings' centres, the mouth and the nose tip.
LEFT_EYE = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
RIGHT_EYE = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)
# At most this many looks from the mesh's own points (tilted-back faces settled in 3-5).
SETTLE_LOOKS = 6
# A look that moves the points less than this share of the face's height has settled.
STILL_WITHIN = 0.01
# A settled fit this share of the face's height or less from the first is the first: sound
# fits moved at most 0.06, fits with their eyes on the cheeks 0.12-0.3.
SETTLED_WITHIN = 0.08


def key_points(landmarks: np.ndarray) -> np.ndarray:
    """The eye openings' centres, the mouth's centre and the nose tip (x, y)."""
    points = np.asarray(landmarks)[:, :2]
    return np.array([points[list(LEFT_EYE)].mean(0), points[list(RIGHT_EYE)].mean(0),
                     points[[13, 14]].mean(0), points[1]])


def moved(first: np.ndarray, second: np.ndarray, height: float) -> float:
    """How far the eyes, mouth or nose lie apart in two fits (the farthest, in face heights)."""
    return float(np.linalg.norm(key_points(first) - key_points(second), axis=1).max() / max(height, 1.0))


class Walk(NamedTuple):
    """Where a settle ended: the last look's landmarks and presence, how far that look moved
    them (face heights), how many looks found the face, and whether a look then lost it."""

    landmarks: np.ndarray
    presence: float
    last: float
    looks: int
    lost: bool


def settle(image: np.ndarray, face: Face, stack: FaceStack) -> Walk:
    """The mesh fitted again from its own points until a look moves it less than
    STILL_WITHIN (at most SETTLE_LOOKS looks). Where the mesh loses the face (its presence
    under PRESENCE_MIN), the last look it found: the first fit's own when that is the first look.
    (Walks that lost the face after moving on had not walked off it: of 7 among 1051 copies
    made harder, 2 lay nearer the face than their first fit (0.19 -> 0.07) and the other 5
    were 0.13 or more off either way.)"""
    landmarks, presence, last, looks = face.landmarks, face.presence, math.inf, 0
    for _ in range(SETTLE_LOOKS):
        again, sure = stack.mesh_model.run(image, region_from_landmarks(landmarks))
        if not sure >= PRESENCE_MIN or not np.isfinite(again).all():
            return Walk(landmarks, presence, last, looks, lost=True)
        last, looks = moved(landmarks, again, face.height), looks + 1
        landmarks, presence = again.astype(np.float32), sure
        if last < STILL_WITHIN:
            break
    return Walk(landmarks, presence, last, looks, lost=False)


def settled(image: np.ndarray, face: Face, stack: FaceStack) -> Face:
    """The face as its settled mesh fits it where that lies beyond SETTLED_WITHIN of the first
    fit (the first fit guessed) and the mesh is not unsure of it; else the face as it was found.

    A walk can leave the face: on a face half hidden by a head in front, or a small face in a
    turban tilted back, each look slid the mesh a little further onto the head in front or
    the turban, the mesh less and less sure (1.0 to 0.58-0.62), and the settled fit lay
    0.08-0.13 off where the first lay 0.03-0.05 off; `check` then warned of a mesh on hair
    (unsure.py) on a fit the mesh had been sure of. Of 55 settled fits taken among 1051
    copies made harder, 4 ended under UNSURE_PRESENCE: 2 worse than their first fit, 1
    better, 1 off either way. Nor is a fit taken that the mesh left still jumping by more
    than SETTLED_WITHIN at its sixth look (two crops each placing the mesh on the other: the
    last look would be a coin toss); walks that used all six looks on those copies moved
    0.022 at the most at their last.

    A walk that moved beyond SETTLED_WITHIN and then lost the face is taken where it last
    found it (of 7 such walks among 1051 copies made harder, 2 lay nearer the face than their
    first fit, 0.19 -> 0.07, and 5 were 0.13 or more off either way), but it is no settled fit:
    the face is marked (`Face.lost_settling`) and `check`, `portrait inspect` and the show's
    log warn of it (unsure.py). Sound fits that lose the face as they settle (4 of 93: the
    CC0 faces, the shared, unseen, jazz and audit sitters) had moved 0.034 at most, and are
    kept as found, unmarked."""
    walk = settle(image, face, stack)
    walked = moved(face.landmarks, walk.landmarks, face.height)
    if walked <= SETTLED_WITHIN or walk.presence < UNSURE_PRESENCE:
        return face
    if walk.looks == SETTLE_LOOKS and walk.last > SETTLED_WITHIN:  # no place to settle
        return face
    return replace(face, landmarks=walk.landmarks, presence=walk.presence,
                   region=region_from_landmarks(walk.landmarks), guessed=face.landmarks,
                   lost_settling=walked if walk.lost else None)
