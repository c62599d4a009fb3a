"""A still picture's face cut by its top edge near the eyes: fitted again with black above it.

The mesh's crop repeats the picture's edge outward (geometry.Region.crop, as MediaPipe
does). Where the top edge runs through the lids or the eyes, the repeated row is the eyes'
own dark lashes and irises, drawn upward into tall dark stripes; the mesh fits an eye to
each stripe and places the eyes a sixth of their spacing or more off (the 48 CC0 faces cut
at the lids: the median fit's worse eye 0.15 eye spacings off, the eyes right within 0.1
on 10). Black above the picture, as the detectors' letterbox shows it, reads such a cut
better (docs/portrait.md, "Faces cut by the picture's edge"), but through the brows, the
mouth or the sides it reads worse, and everywhere it moves fits that were sound.

So only a found face whose eyes lie within NEAR_TOP eye spacings of the top edge is looked
at again, with black above the picture, from its own crop and settled as settle.py settles
a fit; and the black look is taken only where the mesh is surer of it by SURER_BY log-odds
than of the edge-repeated look at the same face. On the CC0 faces cut at the lids, fits
with both eyes within 0.1 eye spacings rose from 10 to 14 of 48 (bench/face_edges.py),
cut at 0.37 of the face from 3 to 7, through the brows from 40 to 41, and no cut lost one;
on 95 sitters (those, the shared faces and portraits, Thoreau) cut at four depths, 45 fits
moved nearer their eyes by over 0.02 eye spacings and 13 further (by 0.02-0.09, and one from
0.14 to 0.27). No face is found here that was not found before, and a whole picture, whose
eyes lie well below its top, is not looked at again: its fit is the one it always had.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .faces import Face
from .geometry import Region
from .landmarks import EYE_CONTOUR_LEFT, EYE_CONTOUR_RIGHT, presence_of, region_from_landmarks
from .settle import STILL_WITHIN, moved
from .stack import PRESENCE_MIN, FaceStack

# Eyes whose opening reaches within this many eye spacings (centre to centre) of the top edge
# are looked at again: the repeated edge draws them upward. (The brows lie about half a
# spacing above the eyes. On 95 sitters cut at four depths, 1.0 changed one fit more, for the
# better; 0.3 left faces cut through the eyes 0.185 eye spacings off in the median for 0.176.)
NEAR_TOP = 0.5
# The black look is taken where the mesh's log-odds for it beat the edge-repeated look's by
# this much. (On the CC0 faces at 2, a face cut through the brows lost a sound fit; at 3 none
# did, and 4 kept fewer of the gains at the lids.)
SURER_BY = 3.0
# At most this many looks from the mesh's own points as the black look settles.
SETTLE_LOOKS = 4

_EYE_OPENINGS = list(EYE_CONTOUR_LEFT + EYE_CONTOUR_RIGHT)


def eyes_near_top(landmarks: np.ndarray) -> bool:
    """Whether a fit's eye openings reach within NEAR_TOP eye spacings of the picture's top."""
    points = np.asarray(landmarks)[:, :2]
    spacing = math.dist(points[list(EYE_CONTOUR_LEFT)].mean(0), points[list(EYE_CONTOUR_RIGHT)].mean(0))
    return float(points[_EYE_OPENINGS, 1].min()) <= NEAR_TOP * spacing


def black_above(image: np.ndarray, rows: int) -> np.ndarray:
    """The picture with `rows` black rows above it."""
    return np.concatenate([np.zeros((rows, *image.shape[1:]), image.dtype), image])


def refitted_below_top_edge(image: np.ndarray, face: Face, stack: FaceStack) -> Face:
    """The face as the mesh fits it with black above the picture, where its eyes lie near the
    top edge and the mesh is surer of that fit; else the face as it was found."""
    if not eyes_near_top(face.landmarks):
        return face
    start = region_from_landmarks(face.landmarks)
    _, repeated = stack.mesh_model.run_logit(image, start)
    rows = math.ceil(start.width) + 2  # the whole crop lies inside the taller picture
    taller = black_above(image, rows)
    landmarks, logit = stack.mesh_model.run_logit(
        taller, Region(start.cx, start.cy + rows, start.width, start.height, start.angle))
    if presence_of(logit) < PRESENCE_MIN or not np.isfinite(landmarks).all():
        return face
    for _ in range(SETTLE_LOOKS):
        again, again_logit = stack.mesh_model.run_logit(taller, region_from_landmarks(landmarks))
        if presence_of(again_logit) < PRESENCE_MIN or not np.isfinite(again).all():
            break
        step = moved(landmarks, again, face.height)
        landmarks, logit = again, again_logit
        if step < STILL_WITHIN:
            break
    if logit < repeated + SURER_BY:
        return face
    landmarks = (landmarks - np.array([0.0, rows, 0.0])).astype(np.float32)
    return replace(face, landmarks=landmarks, presence=presence_of(logit),
                   region=region_from_landmarks(landmarks),
                   guessed=face.landmarks if face.guessed is None else face.guessed)
