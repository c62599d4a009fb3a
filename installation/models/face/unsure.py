"""Whether the face models doubt the face they found in a still picture: a mesh on hair.

Two misfits passed `bayard portrait inspect` as "OK": in a group photograph, the mesh sat
on the side and back of a man's head bent over a piano (its "eye" on his ear, its mouth on
the hair of the woman below); in a crop of a crowded studio, a man's mouth and chin were
hidden by the head of the man in front, and the mouth would have opened in that hair. The
mirrored fit (mirrored.py) and the flat-colour test (sitter.py) passed both. What gave them
away is the models' own doubt, measured against 107 other fits (the shared portraits and
20 shared photographs, the CC0 faces and the 7 kept for doubted fits, 12 unseen sitters,
the audit's portraits and their copies, and 11 jazz photographs):

- the mesh's presence score, its own belief that a face fills its crop: 0.72 at the least
  (a small book face; all but four 0.97 or more), 0.55 on the back of the
  head;
- where the face detector and the mesh put the eyes, nose and mouth: at most 0.27 of
  the face's height apart (a grainy three-quarter view; a face turned 45
  degrees 0.09, as both models follow a turn), 0.51 on the face with the head in front.

One fit among the 107 is itself off the face (a dark face under a turban in an old print,
the mesh on its lit half: presence 0.75, 0.28 apart) and is not caught. Each margin rests
on one misfit, and the mesh's doubts also rise for faces in hard light (sitter.py), so
these are warnings in `check`, `portrait inspect` and the show's log, not
refusals; the thresholds lie beyond the farthest sound fit, not at the misfits.
"""

from __future__ import annotations

import numpy as np

from .detect import EYE_IMAGE_LEFT, EYE_IMAGE_RIGHT, MOUTH, NOSE
from .faces import Face

# Below this presence the mesh doubts that its crop holds a face (MediaPipe drops a face
# below 0.5): sound fits 0.72 at the least, the mesh on the back of a head 0.55.
UNSURE_PRESENCE = 0.65
# Beyond this share of the face's height between the detector's and the mesh's eyes, nose
# or mouth, the two models saw different faces: sound fits at most 0.27, a face whose mouth
# is hidden by a head in front 0.51.
MODELS_APART = 0.4
# Beyond this share of the eye spacing between where the softened look (sketched.py) and a
# look softened half as much put the eyes, the softened fit is unsteady and may lie on a line
# beside them. On 46 softened fits of 432 line drawings made from CC0 faces, right fits (both
# eyes within 0.1 eye spacings of the photograph's fit) moved 0.004-0.060, 4 of the 7 wrong ones
# 0.064-0.116 (the other 3, 0.015-0.024, lie as far off in every look). Measured against the
# drawing's own look instead (SoftenedLook.eyes_apart, beyond 0.1), 11 of the 39 right fits were
# warned: the plain look's eyes on a lid's line are what the softening corrects.
SOFTENED_UNSTEADY = 0.05
# What to do, for the caller to add after the picture's name and the doubt.
UNOBSCURED = "choose a picture where the face is unobscured and turned towards the viewer"


def models_apart(face: Face) -> float | None:
    """How far apart the detector and the mesh put the eyes, nose and mouth (the farthest
    of the four, in face heights); None without a detection.

    Where the mesh was settled (settle.py), the nearer of its first and settled fits: the
    settle moves the mesh off the detector's guess on purpose (a face tilted back, whose
    box and points fall low), and measured against that guess a settled fit 0.03 off the
    sitter's face was 0.41 apart, and doubted, where its first fit, 0.22 off, was 0.30."""
    if face.detection is None:
        return None
    fits = [face.landmarks] if face.guessed is None else [face.landmarks, face.guessed]
    return min(_apart(face.detection.keypoints[:, :2], np.asarray(fit)) for fit in fits)


def _apart(points: np.ndarray, landmarks: np.ndarray) -> float:
    mesh = landmarks[:, :2]
    height = float(np.linalg.norm(mesh[10] - mesh[152]))
    eyes = (mesh[[33, 133]].mean(0), mesh[[263, 362]].mean(0))
    # The detector names its eyes by side of the picture, the mesh by side of the face:
    # matched whichever way lies nearer (a face upside down swaps them).
    pairs = min(((points[EYE_IMAGE_LEFT], eyes[0]), (points[EYE_IMAGE_RIGHT], eyes[1])),
                ((points[EYE_IMAGE_LEFT], eyes[1]), (points[EYE_IMAGE_RIGHT], eyes[0])),
                key=lambda two: sum(float(np.linalg.norm(a - b)) for a, b in two))
    pairs += ((points[NOSE], mesh[1]), (points[MOUTH], mesh[[13, 14]].mean(0)))
    return max(float(np.linalg.norm(a - b)) for a, b in pairs) / max(height, 1.0)


def softened_note(face: Face) -> str | None:
    """Where the face was found only with the picture's strokes softened, and the plain look
    agrees on the eyes: a note for the curator (the presence shown is the softened look's)."""
    if face.softened is None or face.softened.lighter_apart > SOFTENED_UNSTEADY:
        return None
    return (f"the face was found with the drawing's strokes softened into tone (the face mesh learned "
            f"photographs; it was {face.softened.plain_presence:.0%} sure of the lines themselves, and a lighter "
            "softening keeps the eyes where this one puts them)")


def softened_doubt(face: Face) -> str | None:
    """Where the face was found only with the strokes softened and a look with them softened
    less moves the eyes: an operator's warning, with its advice, or None."""
    if face.softened is None or face.softened.lighter_apart <= SOFTENED_UNSTEADY:
        return None
    return (f"the face was found only with the drawing's strokes softened into tone (the face mesh was "
            f"{face.softened.plain_presence:.0%} sure of the lines themselves), and a lighter softening moves the "
            f"eyes {face.softened.lighter_apart:.2f} of their spacing, so the fit may lie on a lid's or a brow's "
            "line beside the eyes, where the eyelids would close. If the eyes "
            "of the green mesh `bayard portrait inspect` draws are not on the drawing's eyes, choose a drawing "
            "with more shading, or a photograph or painting of the sitter")


def models_unsure(face: Face) -> str | None:
    """Why the face the models found may not be a face they can see whole (an operator's
    warning, without the advice: the caller adds UNOBSCURED), or None."""
    if face.presence < UNSURE_PRESENCE:
        return (f"the face mesh is unsure a face lies where it sits ({face.presence:.0%} sure; sound fits: "
                "72% or more), so it may lie on hair or the back of a head, and the mouth and "
                "eyelids would be painted there")
    if face.lost_settling is not None:
        return (f"the face mesh lost the face as it settled its fit (it had moved {face.lost_settling:.0%} of the "
                "face's height from where it was first found), so it may lie beside the face, and the mouth and "
                "eyelids would be painted there")
    apart = models_apart(face)
    if apart is not None and apart > MODELS_APART:
        return (f"the face detector and the face mesh put the eyes, nose or mouth {apart:.0%} of the face's height "
                f"apart (sound fits: 27% at most), so part of the face may be hidden (a head, a hand "
                "or hair in front of it) and the mouth would open on what hides it")
    return None
