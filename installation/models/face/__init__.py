"""The face stack: one room for finding, measuring and following faces.

MediaPipe's BlazeFace detectors, 468-point Face Mesh, iris model and person mask, run by
LiteRT (`stack.py`, `detect.py`, `landmarks.py`), the faces they find (`faces.py`), the
measures taken from a mesh (`measures.py`) and the visitor tracker (`tracking.py`). The portrait, `animate`, the
fomm crop, the detector and the quiz use this room; none of them owns it. Haar cascades
(`haar.py`) remain only as the fallback when LiteRT cannot load.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .closer import looked_at_closer
from .detect import Detection
from .drawn import SURE, drawn_in_strokes, hatching_smoothed
from .engraved import refitted_at_hatching
from .faces import Face, one_per_place
from .geometry import Region
from .landmarks import Eye
from .measures import Expression, HeadPose, align, alignment, head_pose, neutrality
from .runtime import FaceStackUnavailable
from .settle import settled
from .sketched import found_softened, refitted_softened
from .stack import FaceStack, as_rgb, try_open
from .top_edge import refitted_below_top_edge
from .tracking import FaceBox, FaceObservation, FaceTracker, OneEuro, TrackedFace

__all__ = [
    "detect_portrait_face",
    "Detection", "Expression", "Eye", "Face", "FaceBox", "FaceObservation", "FaceStack",
    "FaceStackUnavailable", "FaceTracker", "HeadPose", "OneEuro", "Region", "TrackedFace", "align",
    "alignment", "as_rgb", "head_pose", "make_tracker", "neutrality", "portrait_faces", "try_open",
]


def make_tracker(models_dir: Path | None = None):
    """The mesh tracker, or the Haar fallback when LiteRT cannot load; and why."""
    stack, reason = try_open(models_dir)
    if stack is not None:
        return FaceTracker(stack), ""
    from .haar import HaarTracker

    return HaarTracker(), reason


def portrait_faces(image: np.ndarray, stack: FaceStack | None = None) -> list[Face]:
    """Every face in a still picture, largest first, with its mesh. Tries the short- and
    full-range detectors (a portrait may show a small face in a large canvas); where they
    find none in a picture drawn in strokes, the picture with its hatching smoothed away
    (drawn.py); a line drawing's face the mesh doubts or refuses, with its lines softened
    into tone in the mesh's crop (sketched.py); an engraving's face found directly, with its
    hatching smoothed at the strokes' own period in the mesh's crop (engraved.py)."""
    stack = stack or FaceStack.open()
    rgb = as_rgb(image)
    found = _faces_in(rgb, stack)
    if found:
        # A line drawing's face the mesh doubts, read with its strokes softened into tone
        # (sketched.py); a face the mesh is sure of, as every photograph's, is kept as found.
        # An engraving's face found directly is read with its hatching smoothed at the strokes'
        # own period where the mesh is surer of that (engraved.py). Refitted, two faces may turn
        # out to be one, as found_softened's may.
        return one_per_place([refitted_at_hatching(rgb, refitted_softened(rgb, face, stack), stack)
                              for face in found])
    if drawn_in_strokes(rgb):
        found = [face for face in _faces_in(hatching_smoothed(rgb), stack) if face.presence >= SURE]
    return found or found_softened(rgb, stack)


def _faces_in(rgb: np.ndarray, stack: FaceStack) -> list[Face]:
    found = stack.faces(rgb, full_range=False)
    if not found:
        found = stack.faces(rgb, full_range=True)
    if not found:
        # The slower looks a kiosk takes now and then (weaker candidates the mesh confirms,
        # light evened, the centre enlarged): an old scan may be faint or low in contrast.
        found = stack.faces(rgb)
    # A small face in a large canvas is fitted again from a closer look (closer.py), and a
    # fit that guessed (a face tilted back) from its own points until it stays put
    # (settle.py); two faces may then turn out to be one. A face whose eyes the picture's top
    # edge cuts is looked at with black above the picture, not its edge repeated (top_edge.py).
    found = one_per_place([settled(rgb, looked_at_closer(rgb, face, stack), stack) for face in found])
    found = [refitted_below_top_edge(rgb, face, stack) for face in found]
    return sorted(found, key=lambda f: -f.height)


def detect_portrait_face(image: np.ndarray, models_dir: Path | None = None) -> FaceBox | None:
    """The main face of a still picture as a square box (for crop-based backends): the
    mesh's largest face, or Haar's when the face models cannot load."""
    stack, _ = try_open(models_dir)
    if stack is None:
        from .haar import haar_portrait_face

        return haar_portrait_face(image)
    faces = portrait_faces(image, stack)
    if not faces:
        return None
    x0, y0, x1, y1 = faces[0].box
    return FaceBox((x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0))
