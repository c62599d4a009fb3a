"""The portrait's own face (pipeline layer, before any visitor): found once per picture and
judged animatable or not, with the reason and the fix a curator reads in `check`,
`portrait inspect` and the scene's log (no face, several, too small, a profile, turned too
far, not a person, a fit the models doubt)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np

from ...face import Face, FaceStack, portrait_faces
from .sitter import not_a_person

MIN_FACE_PX = 64
# Nearer profile than this, an opening mouth is painted past the lips' outline and a
# closing eye is a line across the cheek: the mesh cannot see the far half of the face.
MAX_SITTER_TURN_DEG = 45.0
# A profile is told by the detector: its nose tip lies beyond the far eye by more than this
# share of the eye spacing (book and collection portraits: turned faces up to about 60
# degrees reach 0.13, profiles 0.67-1.6). The mesh reads a profile as a face turned 30-40
# degrees, within MAX_SITTER_TURN_DEG, and fits a far half that is not in the picture.
PROFILE_NOSE_PAST_EYE = 0.35

class PortraitProblem(ValueError):
    """A picture the mesh backend cannot animate; the message says why and what to do."""


# Portraits whose mesh was found, by content: the scene checks a portrait when it loads and
# builds its animator later, every time it plays. The mesh is found once per picture.
_FOUND: OrderedDict[tuple, tuple[list[Face], tuple]] = OrderedDict()
_FOUND_LOCK = threading.Lock()
_FOUND_KEEP = 8


def _portrait_analysis(image: np.ndarray, stack: FaceStack) -> tuple[list[Face], tuple]:
    key = (image.shape, hashlib.sha1(np.ascontiguousarray(image).data).hexdigest())
    with _FOUND_LOCK:
        if key in _FOUND:
            _FOUND.move_to_end(key)
            return _FOUND[key]
    faces = portrait_faces(image, stack)
    eyes = stack.eyes(image, faces[0].landmarks) if faces else ()
    with _FOUND_LOCK:
        _FOUND[key] = (faces, eyes)
        while len(_FOUND) > _FOUND_KEEP:
            _FOUND.popitem(last=False)
    return faces, eyes


def find_portrait_face(image: np.ndarray, stack: FaceStack) -> Face:
    faces, _ = _portrait_analysis(image, stack)
    if not faces:
        # (A crop through the eyes is a curator's usual cause: the models need the forehead.)
        raise PortraitProblem("no face found (a profile, an animal, a back view, a face cut by the "
                              "picture's edge or a very dark picture?); choose a portrait with one "
                              "whole face turned towards the viewer, with room above the eyes")
    big = [f for f in faces if f.height >= 0.6 * faces[0].height]
    if len(big) > 1:
        raise PortraitProblem(f"{len(big)} faces of similar size; the portrait needs one sitter "
                              "(crop the picture to one face)")
    if faces[0].height < MIN_FACE_PX:
        raise PortraitProblem(f"the face is only {faces[0].height:.0f} px tall; it needs at least "
                              f"{MIN_FACE_PX} px (use a larger scan)")
    detection = faces[0].detection
    if detection is not None and detection.nose_past_eyes > PROFILE_NOSE_PAST_EYE:
        raise PortraitProblem("the face is in profile (its nose is drawn beyond its far eye); the "
                              "face mesh cannot see the far half of the face, and an opening mouth "
                              "would be painted in front of it (choose a portrait facing the viewer "
                              "more, at most a three-quarter view)")
    turned = abs(faces[0].pose.yaw)
    if turned > MAX_SITTER_TURN_DEG:
        raise PortraitProblem(f"the face is turned {turned:.0f} degrees from the viewer, nearly in "
                              f"profile; it can be moved up to {MAX_SITTER_TURN_DEG:.0f} degrees "
                              "(choose a portrait facing the viewer more)")
    if (why := not_a_person(image, faces[0])) is not None:
        raise PortraitProblem(why)
    if faces[0].unconfirmed is not None:  # the closer look made as the faces were found
        raise PortraitProblem(faces[0].unconfirmed)
    return faces[0]
