"""The cavity of an opening mouth (mouth.py): its tones and its texture.

Its colours are the picture's own: its deepest the palette's cavity colour (the picture's
darkest tones in the hue of its lip line, palette.py), no darker than the picture's darkest
passage (passages.py), graded from the upper lip's shadow to a floor lit from above, and
shaded by the cheeks at the corners. Its texture is the picture's grain as strong as the
picture has it in its darks, measured once per picture.
"""

from __future__ import annotations

import cv2
import numpy as np

from .palette import Palette
from .passages import DEEP_UNDER_LIPS, Passage
from .plate import DETAIL_SIGMA, robust_spread
from .rig import PortraitRig
from .tone import LUMA

# The cavity's floor, lit from above: this many times the palette's cavity colour (its
# deepest, under the upper lip), half-way to the lips' own shade, and no lighter than
# FLOOR_UNDER_LIPS of the lips. At 0.6 of them, the lower half of a wide opening was
# nearly as light as a painted lower lip, and read as one: the face mesh re-run on unseen
# paintings put the lower lip's edge half-way down the opening (measured against where
# the mesh had moved it: up to half the opening lost, 0.05 of the driver's
# mouth amplitude on the unseen sitters), and on a pale painting a viewer saw a mouth
# half as open.
CAVITY_FLOOR = 1.7
FLOOR_UNDER_LIPS = 0.35
FLOOR_OVER_DEEP, FLOOR_MOST = 1.4, 0.36
# The lips' shadows in the cavity: under the upper lip this much darker at the lip, over
# this share of the gap; over the lower lip this much, over about a pixel. They keep the
# opening's outline as clear as the picture's own lip line: with the cavity in the
# picture's own darks and thinner shadows, the face mesh re-run on unseen light paintings
# read their yawns less open (mouth amplitude 0.48 -> 0.41 on a Vermeer).
UPPER_LIP_SHADOW = (0.45, 0.15)
CONTACT_SHADOW = 0.3
# The cheeks shade the cavity's corners: this much darker at the corners than in the middle.
CORNER_SHADE = 0.4
# Lips barely parted show no depth: a painter puts the shade of the closed lips' line between
# them, not the dark of an open mouth. Where the opening is at most THIN_OPENING[0] of the
# face's height tall (per column, so its ends too as they close to the corners) it is painted
# in the picture's own lip line (`Palette.line`), taking the cavity's colours from
# THIN_OPENING[1] on. (With the cavity's deepest dark from the first pixel, a visitor's parted
# rest, 0.01-0.02 face heights, gave paintings a near-black bar, flat to blunt ends, where
# their own lip line is a soft brown shade 2-4 times as light.) Never darker than the cavity.
THIN_OPENING = (0.015, 0.04)


# The grain over the cavity (`grain_in_darks`) is measured once per portrait and grain, kept on
# the rig: a few pairs of the grain it was measured for and the share, newest first (`bayard
# animate` renders on two threads, each its own grain of one picture: with one pair kept, each
# thread measured again on nearly every open-mouth frame, 6 ms of a 10 ms frame). One tuple,
# replaced whole, so that a second render thread can never pair one grain with another's share.
_DARK_GRAIN_KEEP = 4


def grain_in_darks(rig: PortraitRig, grain: np.ndarray) -> float:
    """How strong the picture's grain is in its darks, the cavity's tones (up to
    FLOOR_MOST of the lips' lightness, or its darkest tenth), as a share of the grain measured on its cheeks. A
    picture's grain is weaker in its darks, by how much depends on the picture (its fine
    detail there, 0.1-0.7 of its midtones' on eleven sitters). Laid at the cheeks' strength
    on the cavity, it read as a speckled black hole (3-6 times the face's own grain in the
    opening on the photographs). Measured once, as the grain is (this runs on every frame)."""
    kept = rig.readings.dark_grain
    for measured_for, measured in kept:
        if measured_for is grain:
            return measured
    x0, y0, x1, y1 = rig.region
    light = rig.image[y0:y1, x0:x1].astype(np.float32) @ LUMA
    detail = light - cv2.GaussianBlur(light, (0, 0), DETAIL_SIGMA)
    smooth = cv2.GaussianBlur(light, (0, 0), 3.0)
    # (A light painting may have nothing as dark as a cavity: then its darkest tenth.)
    darks = smooth <= max(FLOOR_MOST * float(rig.palette.lip @ LUMA), float(np.percentile(smooth, 10)))
    strength = robust_spread(detail[darks])
    share = float(np.clip(strength / max(float(grain.std()), 1e-6), 0.1, 1.0))
    rig.readings.dark_grain = ((grain, share), *kept)[:_DARK_GRAIN_KEEP]
    return share


def cavity_colours(pal: Palette, u: np.ndarray, v: np.ndarray, height: np.ndarray, gap: float,
                   throat: np.ndarray | None = None, darkest: Passage | None = None,
                   face_height: float = 0.0, toothless: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """The cavity, lit from above and in front as faces are: its deepest colour (the
    palette's: the picture's own darkest tones in the hue of its lip line) high up, in
    the shadow of the upper lip and teeth, lighter and redder down towards the floor of
    the mouth, darker towards the corners where the cheeks shade it, and a shadow where
    it meets the lips. (Darkest in the middle and even otherwise, it read as a grey rubber
    patch; a share of the lip colour, near black on a light painting, as a hole.) `throat`
    (0-1): where, and how much of, the floor's light does not reach (the deep colour, shaded,
    stays: never darker, or a light painting's opening read as a hole cut in it). With the
    cavity, the floor's own colour, fully lit. `darkest`: the picture's darkest passage
    (passages.py); the deep colour is no darker than it (a drawing's darks read pixel by pixel
    are its ink, a black no passage of the drawing has; a painting's, a black its warm
    shadows never reach), up to DEEP_UNDER_LIPS of the lips' lightness. `face_height` (pixels):
    where the opening is thin for that face (THIN_OPENING), the picture's own lip line, as far
    as no teeth are painted in it (`toothless`, 0-1)."""
    deep = np.asarray(pal.cavity, np.float32)
    if darkest is not None:
        deep_light = float(deep @ LUMA)
        wanted = min(darkest.floor, DEEP_UNDER_LIPS * float(pal.lip @ LUMA))
        if wanted > deep_light:
            deep = deep * (wanted / max(deep_light, 1.0))
    floor = 0.5 * (deep * CAVITY_FLOOR + pal.lip * FLOOR_UNDER_LIPS)
    # The floor as light as FLOOR_UNDER_LIPS of the lips, and clearly lighter than the deep
    # colour (FLOOR_OVER_DEEP) within FLOOR_MOST of the lips: half-way from the deep colour,
    # and no lighter than FLOOR_UNDER_LIPS where the picture's darks were already near it
    # (a third of the lips' lightness on a pale photograph), the opening was one flat dark
    # from lip to lip (its tones spread over 0.03-0.13 of the picture's own range on eleven
    # sitters): a hole, not a mouth.
    lip_light, deep_light = float(pal.lip @ LUMA), float(deep @ LUMA)
    floor_light = min(max(FLOOR_UNDER_LIPS * lip_light, FLOOR_OVER_DEEP * deep_light), FLOOR_MOST * lip_light)
    floor *= floor_light / max(float(floor @ LUMA), 1.0)
    # (Light and shadows are worked out in one channel and laid on the colours once: this
    # runs on every frame of an open mouth.)
    above, below = v * height, (1.0 - v) * height  # pixels from the upper and the lower lip
    # The lips' inner edges overhang the opening and shade it (UPPER_LIP_SHADOW).
    shadow = np.maximum(np.exp(-(above / max(1.0, UPPER_LIP_SHADOW[1] * gap)) ** 2) * UPPER_LIP_SHADOW[0],
                        np.exp(-(below / max(0.8, 0.05 * gap)) ** 2) * CONTACT_SHADOW)
    light = ((1.0 - shadow) * (1.0 - CORNER_SHADE * u * u)).astype(np.float32)
    # Dark high up and at the back, lit low down: the floor's light gathers in its lower part.
    depth = (v * (0.6 + 0.4 * v)).astype(np.float32) * light
    if throat is not None:
        depth *= 1.0 - throat
    colour = deep * light[..., None]
    colour += (floor - deep).astype(np.float32) * depth[..., None]
    return _thin_in_lip_line(colour, pal, height, gap, face_height, toothless), floor.astype(np.float32)


def _thin_in_lip_line(colour: np.ndarray, pal: Palette, height: np.ndarray, gap: float, face_height: float,
                      toothless: float) -> np.ndarray:
    """`colour` (the cavity) taken to the picture's own lip line where the opening is thin
    (THIN_OPENING: `height` per column and `gap` the tallest, in pixels), no darker than it was. A picture whose lip
    line is no lighter than its cavity keeps its cavity (pixel for pixel)."""
    if pal.line is None or face_height <= 0.0:
        return colour
    line = np.asarray(pal.line, np.float32)
    if float(line @ LUMA) <= float(np.asarray(pal.cavity, np.float32) @ LUMA):
        return colour
    thin_px, wide_px = (share * face_height for share in THIN_OPENING)
    # (Per column, so the ends too as they close to the corners; and as thin as the opening as a
    # whole is: a wide mouth's corners keep its dark.)
    whole = float(np.clip((wide_px - gap) / (wide_px - thin_px), 0.0, 1.0))
    thin = (np.clip((wide_px - height) / (wide_px - thin_px), 0.0, whole) * toothless).astype(np.float32)
    if not thin.any():
        return colour
    lighter = np.maximum(line - colour, 0.0)  # (only ever lighter: the opening's shade stays)
    return colour + lighter * thin[..., None]
