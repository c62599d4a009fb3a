"""What `bayard animate` tells the user about the driver video: the neutral frame it
measures from, and notes when the video will not carry expressions well (a face filmed
from afar, a chosen frame with the mouth open, cuts to other shots). The render goes on
after every note; each says why and what to do."""

from __future__ import annotations

import numpy as np


def pick_reference(choice: str | int, usable: list[int], landmarks: list) -> int:
    """The neutral frame: first, a given number, or the most neutral by the face mesh."""
    from ..face import neutrality

    if choice == "first":
        return usable[0]
    if isinstance(choice, int):
        if choice not in usable:
            raise ValueError(f"frame {choice} has no face (frames with a face: {usable[0]}..{usable[-1]})")
        return choice
    return max(usable, key=lambda i: neutrality(landmarks[i]))


def open_mouth_note(ref: int, usable: list[int], landmarks: list) -> str | None:
    """A note when the chosen neutral frame has its mouth open: measured from it, every
    closed mouth reads as closing past shut and pulls the portrait's chin up. (The live
    scene re-bases on a more closed mouth; here the frame is the user's choice.)"""
    from ..face import Expression, neutrality
    from .mesh.motion import REBASE_MOUTH

    best = max(usable, key=lambda i: neutrality(landmarks[i]))
    if Expression.of(landmarks[ref]).mouth <= Expression.of(landmarks[best]).mouth + REBASE_MOUTH:
        return None
    return (f"note: reference frame {ref} has its mouth open (frame {best} is the driver's most neutral); "
            f"where the driver's mouth is closed the portrait's chin will be pulled up. "
            f"--reference best (the default) takes the most neutral frame")


# Below this face height (forehead to chin, the driver's median) the mesh reads expressions
# from too few pixels. The shared drivers shrunk from 310-340 px faces: the readings follow
# those at full size with r >= 0.97 at 48 px, 0.90-0.98 at 32 px, and the eyes 0.83-0.87 at 24.
SMALL_DRIVER_FACE_PX = 40


def small_face_note(usable: list[int], landmarks: list) -> str | None:
    """A note when the driver's face is small in its frames (a face filmed from afar, or
    a video shrunk for the web): the render goes on, and the user knows why it is coarse."""
    heights = [float(np.linalg.norm(landmarks[i][10, :2] - landmarks[i][152, :2])) for i in usable]
    height = float(np.median(heights)) if heights else 0.0
    if height >= SMALL_DRIVER_FACE_PX:
        return None
    return (f"note: the driver's face is only {height:.0f} px tall (forehead to chin); expressions read "
            f"from so few pixels are coarse, and blinks and smiles may be missed. Film closer, or use "
            f"the video at its original size: a face of {SMALL_DRIVER_FACE_PX} px or more")


def cuts_note(choice: str | int, ref: int, cuts: list[int]) -> str | None:
    """A note when the user's own reference frame will measure shots it is not in."""
    if choice == "best" or not cuts:
        return None
    return (f"note: the driver cuts to another shot at frame{'s' if len(cuts) > 1 else ''} "
            f"{', '.join(map(str, cuts))}; every shot is measured from frame {ref}, so a calm face in "
            f"another shot (another person, or the same one framed differently) may move the portrait. "
            f"--reference best (the default) measures each shot from its own most neutral frame")
