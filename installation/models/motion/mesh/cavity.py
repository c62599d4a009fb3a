"""The cavity of an opening mouth (mouth.py): its tones and its texture.

Its colours are the picture's own: its deepest the palette's cavity colour (the picture's
darkest tones in the hue of its lip line, palette.py), no darker than the picture's darkest
passage (passages.py), graded from the upper lip's shadow to a floor lit from above, and
shaded by the cheeks at the corners. Its texture is the picture's grain as strong as the
picture has it in its darks, measured once per picture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from .palette import MouthShadows, Palette
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
# A high-key picture (a pastel miniature on ivory, an encaustic panel, a watercolour) has no
# black: its darkest accents near the face (`Palette.accents`: pupils, nostrils, the lip line)
# are a mid tone. Its opening, painted in the picture's darks and shaded under the upper lip
# and at the corners, was a flat near-black hole 0.26-0.37 as light as those accents (on eleven
# made high-key sitters: 35-52 levels of 255 where their darkest was 111-157), cut in the picture.
# So the opening's tones are lifted until its darkest is as light as the picture's darkest
# accent, at most ACCENT_MOST of the lips' lightness (lighter, the opening no longer reads as
# one), the lift falling to nothing at the lips' own lightness (its shading is kept, its
# range pressed up). Only where the opening is darker than the picture's accents by
# ACCENTS_FROM of the way from the opening's darkest to the face's middle tone (wholly from
# the second): photographs and paintings with near-black accents (their accents at most 0.24
# of that way above the opening: the shared pairs, Thoreau, a Raphael, a second Sargent, a
# Bouguereau, the Mona Lisa, a Vermeer, six more photographs) are painted as before, pixel for
# pixel; the made high-key sitters stand 0.60-0.72 of the way.
ACCENTS_FROM = (0.3, 0.45)
ACCENT_MOST = 0.5
# A light, softly painted picture may still set near-black accents (a watercolour miniature on
# ivory with dark brows, pupils and nostrils): its accents stood 0.08-0.14 of the way above the
# opening, and its yawn was a near-black hole in a pastel face. So the picture's key is read
# where the mouth is too (`Palette.shadows`): where the darkest tone round its mouth (the lip
# line, the corners' shade; or its own lip line, `Palette.line`, if darker) is at least
# SOFT_MOUTH of the face's middle tone, and the face's broad shadows SOFT_FACE of it (from the
# first of each, wholly from the second), the opening is lifted towards that darkest as far as
# its accents did not lift it (at most ACCENT_MOST of the lips, as above). Both: a pale old
# photograph's lip line is a thin deep shadow (0.41 of its middle tone, its broad shadows 0.75);
# a dark-skinned or an over-exposed sitter's mouth may be as light as her face, but her face's
# broad shadows are deep (0.26-0.59 on eighteen more photographs, the shared Sargent 0.53).
# Eight made miniatures stand 0.61-0.82 and 0.68-0.87.
SOFT_MOUTH = (0.5, 0.6)
SOFT_FACE = (0.6, 0.68)
# ...and only where its accents are that near-black: wholly where they stand under
# SOFT_ACCENTS[0] of the way above the opening, not at all from SOFT_ACCENTS[1] (where the
# accent rule above starts). A flat-lit photograph lightens its pupils and brows with its
# shadows: on 50 old prints and 40 colour photographs every picture the soft test changed had
# its accents 0.30-0.49 of the way (made miniatures 0.08-0.20), and a flash-lit fair face's
# yawn went from a dark mouth to a mauve-grey slab (L* 27 -> 47).
SOFT_ACCENTS = (0.22, 0.3)
# A miniaturist or a pastellist may close the lips with a fine dark stroke (a third to a half
# of the face's middle tone): counted as the mouth's darkest, it read the miniature as no soft
# picture, and its yawn stayed a near-black hole (made miniatures: its darkest L* 10-17 against
# the skin round the mouth at 66-85). A photograph's closed lips meet in a shadow as wide as the
# crease (0.012-0.053 of the face's height at half its depth on 201 photographs and variants:
# line_width.py), a brush's stroke is a pixel or two however large the face. So where the
# closed line is at most DRAWN_LINE[0] of the face's height wide (none from [1]), the mouth's
# key is read beside it (`MouthShadows.beside_line`), and the opening is lifted towards the
# stroke's own tone, the darkest the painter set at the mouth (L* 25-41). A wider line, or one
# not read, counts as before: at a face of about 100 px a stroke is as wide as a crease, and
# such a miniature is painted as before, unless the curator says it is a painting
# (`PortraitRig.painted`): then its line is read as drawn whatever its width.
DRAWN_LINE = (0.010, 0.012)
# ...but not at the corners of an opening with teeth in it (`teeth_corners_kept`): wholly from
# TEETH_CORNERS[1] of the half width, not at all within TEETH_CORNERS[0].
TEETH_CORNERS = (0.5, 0.8)
# Teeth filling this much of the opening (from the first, wholly from the second) make it a grin;
# a yawn's sliver of lower teeth (0.01-0.08 of the opening on the expressions driver) does not.
GRIN = (0.2, 0.5)


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


@dataclass(frozen=True)
class AccentLift:
    """The opening's tones lifted (ACCENTS_FROM): `lowest` to `target`, falling to no lift at
    `top`; `where`: how much, per pixel of the opening (`teeth_corners_kept`)."""

    lowest: float
    target: float
    top: float
    where: np.ndarray | float = 1.0
    # RGB at lightness 1: the hue a lifted tone is taken towards (`lift_hue`); None: its own.
    hue: np.ndarray | None = None
    # How far towards `hue` a fully lifted tone is taken (the rest in its own: `lift_hue`).
    hue_share: float = 1.0

    def apply(self, colour: np.ndarray) -> np.ndarray:
        """`colour` (RGB float32, any shape) with its darker tones lifted, each taken towards the
        lift's hue as far as it is lifted (kept in its own where the lift has none)."""
        light = colour @ LUMA
        lifted = np.clip((self.top - light) / (self.top - self.lowest), 0.0, 1.0) * self.where
        raised = light + (self.target - self.lowest) * lifted
        if self.hue is None:
            return colour * (raised / np.maximum(light, 1.0))[..., None]
        # (Its own hue's share and the lift's, each at the raised lightness, in two products: this
        # runs on every frame of an open mouth.)
        towards = lifted * self.hue_share
        own = (1.0 - towards) * raised / np.maximum(light, 1.0)
        return colour * own[..., None] + self.hue * (towards * raised)[..., None]


def _deep(pal: Palette, darkest: Passage | None) -> np.ndarray:
    """The cavity's deepest colour: the palette's, no darker than the picture's darkest passage
    (up to DEEP_UNDER_LIPS of the lips' lightness)."""
    deep = np.asarray(pal.cavity, np.float32)
    if darkest is not None:
        deep_light = float(deep @ LUMA)
        wanted = min(darkest.floor, DEEP_UNDER_LIPS * float(pal.lip @ LUMA))
        if wanted > deep_light:
            deep = deep * (wanted / max(deep_light, 1.0))
    return deep


def accent_lift(pal: Palette, darkest: Passage | None, painted: bool = False) -> AccentLift | None:
    """How a high-key picture's opening is lifted into its own range of values (ACCENTS_FROM), or a
    softly painted one's into the range of the shadows at its mouth (SOFT_MOUTH, SOFT_FACE); None
    where it is neither (a picture with near-black accents and deep shadows: painted as before).
    `painted`: the curator says it is a painting (`drawn_line`)."""
    if pal.accents is None:
        return None
    accent, middle = pal.accents
    lip_light = float(pal.lip @ LUMA)
    # The opening's darkest: the deep colour in the upper lip's shadow at a corner.
    lowest = float(_deep(pal, darkest) @ LUMA) * (1.0 - UPPER_LIP_SHADOW[0]) * (1.0 - CORNER_SHADE)
    below = (accent - lowest) / max(middle - lowest, 1.0)
    acting = _ramp(below, ACCENTS_FROM)
    target = lowest + (min(accent, ACCENT_MOST * lip_light) - lowest) * acting
    if pal.shadows is not None:
        # (Its own lip line too: the ring's darkest is read through a blur, a drawn line is thin.)
        mouth_dark = pal.shadows.darkest if pal.line is None else min(pal.shadows.darkest, float(pal.line @ LUMA))
        drawn = drawn_line(pal.shadows, painted)
        key = mouth_dark + (max(_beside_drawn_line(pal.shadows), mouth_dark) - mouth_dark) * drawn
        soft = (_ramp(key / max(middle, 1.0), SOFT_MOUTH)
                * _ramp(pal.shadows.broad / max(middle, 1.0), SOFT_FACE) * (1.0 - _ramp(below, SOFT_ACCENTS)))
        # (Only as far as the accents left it: where they say the picture is high-key, as before.)
        soft_target = lowest + (min(mouth_dark, ACCENT_MOST * lip_light) - lowest) * soft
        target += max(soft_target - target, 0.0) * (1.0 - acting)
    if target <= lowest + 0.5 or lip_light <= target:
        return None
    return AccentLift(lowest, target, lip_light, hue=lift_hue(pal), hue_share=1.0 - pal.print_toned)


def drawn_line(shadows: MouthShadows, painted: bool = False) -> float:
    """How far the picture's closed lip line is a drawn stroke (DRAWN_LINE): 1 as thin as a
    brush's, 0 as wide as a photograph's crease, or not read. On a picture the curator says is
    painted (`painted`), a line read is the painter's at any width: on a small face a stroke is
    as wide as a crease, and a miniature yawned near-black under it."""
    if shadows.line_width is None or shadows.beside_line is None:
        return 0.0
    return 1.0 if painted else 1.0 - _ramp(shadows.line_width, DRAWN_LINE)


def _beside_drawn_line(shadows: MouthShadows) -> float:
    return shadows.darkest if shadows.beside_line is None else shadows.beside_line


def lift_hue(pal: Palette) -> np.ndarray | None:
    """The hue a lifted opening's tones are taken towards: half-way between the lips' and the
    skin's shadows round the mouth, at lightness 1. (Lifted in each tone's own hue, a cavity in the
    hue of a purplish lip line went lavender-grey, a colour of nothing in the face; a painter
    paints an open mouth as a warm mid-dark between the lip's hue and the face's shade.)
    None where the picture is a print in its own tone (`Palette.print_toned`): its opening is
    the print's colour already, and a print's tone changes with its lightness (cream lights,
    brown darks), so a hue taken from the skin's lighter shade greyed a toned old photograph's
    opening (its chroma 0.66 of the print's at that lightness); the lift keeps its own, as
    before. Between, taken that much less towards this hue (`AccentLift.hue_share`)."""
    if pal.shadows is None or pal.print_toned >= 1.0:
        return None
    lip = np.asarray(pal.lip, np.float32)
    hue = 0.5 * (lip / max(float(lip @ LUMA), 1.0) + pal.shadows.hue)
    return (hue / max(float(hue @ LUMA), 1e-3)).astype(np.float32)


def _ramp(value: float, bounds: tuple[float, float]) -> float:
    """0 up to `bounds[0]`, 1 from `bounds[1]`, straight between."""
    return float(np.clip((value - bounds[0]) / (bounds[1] - bounds[0]), 0.0, 1.0))


def teeth_corners_kept(lift: AccentLift, u: np.ndarray, shown: float, filled: float) -> AccentLift:
    """`lift` kept off the opening's corners (`u`: 0 in the middle, 1 at the corners) in a grin:
    as far as teeth are painted (`shown`, 0-1) and fill the opening (`filled`: their bands' share
    of it, GRIN). The dark round a grin's teeth at its corners is what shows the smile's width
    (lifted there too, the face mesh read the made high-key sitters' smiles narrower: smile
    amplitude 0.98 -> 0.85 over four of them and the three shared drivers)."""
    teeth = shown * float(np.clip((filled - GRIN[0]) / (GRIN[1] - GRIN[0]), 0.0, 1.0))
    if teeth <= 0.0:
        return lift
    corners = np.clip((u[:1] - TEETH_CORNERS[0]) / (TEETH_CORNERS[1] - TEETH_CORNERS[0]), 0.0, 1.0)
    return replace(lift, where=(1.0 - teeth * corners).astype(np.float32))


def cavity_colours(pal: Palette, u: np.ndarray, v: np.ndarray, height: np.ndarray, gap: float,
                   throat: np.ndarray | None = None, darkest: Passage | None = None,
                   face_height: float = 0.0, toothless: float = 1.0,
                   lift: AccentLift | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    as no teeth are painted in it (`toothless`, 0-1). `lift` (`accent_lift`): a high-key
    picture's, laid on the cavity."""
    deep = _deep(pal, darkest)
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
    if lift is not None:
        colour = lift.apply(colour)  # (the floor returned stays as it was: the tongue's light is read from it)
    return _thin_in_lip_line(colour, pal, height, gap, face_height, toothless), floor.astype(np.float32)


def thinness(opening_px, face_height: float):
    """How thin an opening `opening_px` tall is for a face `face_height` pixels tall
    (THIN_OPENING): 1 up to its first share, 0 from its second (an array for an array)."""
    thin_px, wide_px = (share * face_height for share in THIN_OPENING)
    return np.clip((wide_px - opening_px) / (wide_px - thin_px), 0.0, 1.0)


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
    # (Per column, so the ends too as they close to the corners; and as thin as the opening as a
    # whole is: a wide mouth's corners keep its dark.)
    whole = float(thinness(gap, face_height))
    thin = (np.minimum(thinness(height, face_height), whole) * toothless).astype(np.float32)
    if not thin.any():
        return colour
    lighter = np.maximum(line - colour, 0.0)  # (only ever lighter: the opening's shade stays)
    return colour + lighter * thin[..., None]
