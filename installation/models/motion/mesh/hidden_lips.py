"""Sitters whose moustache hides their lips (the per-portrait setting `lips_hidden`).

Where a heavy moustache covers both lips, the face mesh can only guess the lip line, and it
puts it inside the hair: an opening mouth then tears through the middle of the moustache,
the hair below the line going down with the jaw, and reads as a dark patch. In life the
moustache hangs from the upper lip and stays with it; the lower lip comes out from under
its fringe. So for such a sitter the closed lip line is moved down to the fringe (and the
lower lip with it), and everything above the line moves with the upper lip.

Whether the lips are hidden is the curator's call, not the machine's: lightness and texture
below the lip line read the same for a moustache over a visible lower lip (the shared 1904
photograph, which opens well as it is) as for one over both lips, and a wrong guess would
open the mouth below the lips. Once the curator says so, the fringe itself is easy to find:
the strongest change of lightness below the guessed line, hair to skin or lip.
"""

from __future__ import annotations

import cv2
import numpy as np

from .named_points import LOWER_INNER_LIP, LOWER_OUTER_LIP, UPPER_INNER_LIP

# How far below the guessed lip line the fringe is looked for (share of the face height).
FRINGE_SEARCH = 0.12
# A fringe must change the lightness by this much (grey levels, over about a pixel's
# smoothing either side) to be taken; a weaker one leaves the mesh as it is.
MIN_CONTRAST = 12.0
# Below the moved lip line the lower lip keeps at least this share of its thickness (its
# lower edge moves down as far as needed for that), and its lower edge moves at most this
# share of its distance to the chin (the skin below it is squeezed by as much).
KEEP_LOWER_LIP = 0.5
MAX_SHARE_TO_CHIN = 0.5
# The fringe is measured over the middle of the mouth (share of its half width each side).
MIDDLE = 0.5


def _mouth_axes(mesh: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """The face's height, its own downward and across unit axes (a tilted sitter's mouth is
    searched along the tilt), the mouth's centre and half its width (pixels)."""
    face_height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    down = (mesh[152, :2] - mesh[10, :2]) / max(face_height, 1e-6)
    across = np.array([-down[1], down[0]])
    centre = (mesh[61, :2] + mesh[291, :2]) / 2
    half = max(float(np.linalg.norm(mesh[291, :2] - mesh[61, :2])) / 2, 1.0)
    return face_height, down, across, centre, half


def fringe_depth(image: np.ndarray, mesh: np.ndarray) -> float:
    """How far below the guessed lip line (pixels, along the face's own downward axis) the
    moustache's fringe lies; 0.0 when no clear fringe is found."""
    face_height, down, across, centre, half = _mouth_axes(mesh)
    grey = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2GRAY).astype(np.float32)
    grey = cv2.GaussianBlur(grey, (0, 0), max(1.0, 0.006 * face_height))
    line = mesh[list(UPPER_INNER_LIP), :2]
    # Where the guessed lip line crosses each sampled column of the mouth's middle.
    offsets = np.linspace(-MIDDLE, MIDDLE, 9) * half
    along = (line - centre) @ across
    depth_of_line = (line - centre) @ down
    order = np.argsort(along)
    starts = np.interp(offsets, along[order], depth_of_line[order])
    steps = np.arange(int(np.ceil(FRINGE_SEARCH * face_height)) + 1, dtype=np.float32)
    xs = (centre[0] + offsets[:, None] * across[0] + (starts[:, None] + steps[None, :]) * down[0])
    ys = (centre[1] + offsets[:, None] * across[1] + (starts[:, None] + steps[None, :]) * down[1])
    profiles = cv2.remap(grey, xs.astype(np.float32), ys.astype(np.float32), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
    profile = np.median(profiles, axis=0)
    if len(profile) < 8:
        return 0.0
    reach = 2
    change = np.abs(profile[2 * reach:] - profile[:-2 * reach])  # centred on index k + reach
    k = int(np.argmax(change))
    if change[k] < MIN_CONTRAST:
        return 0.0
    depth = float(steps[k + reach])
    room = max(float((mesh[152, :2] - mesh[17, :2]) @ down), 0.0)
    lower_lip = max(float((mesh[17, :2] - mesh[14, :2]) @ down), 0.0)
    return float(np.clip(depth, 0.0, KEEP_LOWER_LIP * lower_lip + MAX_SHARE_TO_CHIN * room))


def lips_at_fringe(image: np.ndarray, mesh: np.ndarray, depth: float | None = None) -> np.ndarray:
    """A copy of the portrait's mesh with the closed lip line (both inner lips) and the
    lower lip moved down to the moustache's fringe, most in the middle of the mouth and
    not at all at its corners. `depth`: the fringe's, when already measured."""
    depth = fringe_depth(image, mesh) if depth is None else depth
    moved = mesh.copy()
    if depth <= 0.0:
        return moved
    _, down, across, centre, half = _mouth_axes(mesh)
    for inner_ids, outer_ids in ((UPPER_INNER_LIP, None), (LOWER_INNER_LIP, LOWER_OUTER_LIP)):
        inner = np.array(inner_ids[1:-1])  # not the corners
        u = np.clip(np.abs((mesh[inner, :2] - centre) @ across) / half, 0.0, 1.0)
        shift = depth * (1.0 - u ** 4)  # the whole depth over most of the mouth, none at its corners
        moved[inner, :2] += shift[:, None] * down[None, :]
        if outer_ids is not None:
            # The lower lip's outer edge, each point facing its inner one, stays at least
            # KEEP_LOWER_LIP of the lip's own thickness there below the moved line.
            outer = np.array(outer_ids[1:-1])
            thickness = np.maximum((mesh[outer, :2] - mesh[inner, :2]) @ down, 0.0)
            push = np.maximum(shift - (1.0 - KEEP_LOWER_LIP) * thickness, 0.0)
            moved[outer, :2] += push[:, None] * down[None, :]
    return moved
