"""What visitors can read on a frame: the boxes of text the typography layer placed.

Every piece of visitor text reaches the screen through `Fonts.place()`, which records
here where it landed, how tall its capitals are and how it contrasts with the pixels
it was drawn over. Tests and `bench/typography.py` read these records to hold the
show to kiosk rules (no text under the minimum size or contrast, none overlapping, none
off the screen) on the frames it really renders, at any screen size. Recording is off
unless asked for: the contrast measurement reads pixels, which a live show need not pay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

# Minimum cap height of visitor text, as a fraction of the screen's type side (type_side): 24 px
# at 1080p, the least a museum label is set at to be read from two metres (issue 13).
# Credits and labels ("small") are set smaller than the words they accompany, but never
# under that floor: at 1/60 (18 px) a credit could not be read from where the visitor stands.
# Staff text, read up close by someone who knows it is there: 1/90 of the type side (12 px
# at 1080p). (The closed-hours clock was staff text; it is now set for visitors to read from
# across the room: installation/runtime/screens.py.)
MIN_CAP = {"body": 1 / 45, "small": 1 / 45, "staff": 1 / 90}
# An upright screen sets its type at most this many times its width's own scale: the column
# under its picture (0.84 of the width) then holds lines nine-tenths as long as a landscape
# screen's column (0.44 of the width), about 45 characters of body text. (At 4/3, the geometric
# mean's own gain on 1080x1920, the reveal's verdict read a word or two a line beside its
# picture, and the eyes a visitor is asked to compare were left out of two reveals of five.)
UPRIGHT_MOST = 1.2
# Upright type grows with the geometric mean of the sides only beyond this shape (height over
# width): a 4:5 screen (1024x1280), the squarest that sets the quiz upright, is as full as its
# width allows (1.08 times larger type there left the eyes out of its reveals).
UPRIGHT_FROM = 5 / 4
MIN_CONTRAST = 4.5  # WCAG AA for normal text
# Staff text is kept dim on purpose, to neither draw a visitor to a closed kiosk nor burn in:
# between these contrasts it is seen by someone looking for it (1.6:1 for grey 48 on black)
# and passed over by everyone else.
STAFF_CONTRAST = (1.4, 3.0)
# Text fading in or out is in passing; its contrast is judged once it has arrived.
SETTLED_ALPHA = 0.98


def type_side(size: tuple[int, int]) -> int:
    """The length type is scaled by on a screen of `size` (the 1080 of a 1920x1080 screen), and
    what the minimum cap heights (MIN_CAP) are fractions of: the geometric mean of the sides
    as a 4:5 screen's would be (UPRIGHT_FROM), never less than the width, nor more than the
    height or UPRIGHT_MOST times the width.

    A landscape screen sets type by its height, as it always has. Scaled by the shorter side, an
    upright kiosk (1080x1920) set its body text as small as a wall screen of the same panel read
    from two metres: capitals 1/80 of its height, small words on a tall sign a visitor stands at.
    Now they are 1.19 times as large there (29 px, 1/66 of the height), and the width still
    holds lines of a readable length. A 4:5 screen and a square one set type by the width, as
    before, so type does not jump as a screen turns from landscape to upright."""
    w, h = size
    return max(1, round(min(h, UPRIGHT_MOST * w, max(w, (w * h / UPRIGHT_FROM) ** 0.5))))


@dataclass(frozen=True)
class TextInfo:
    """What a rasterised piece of text is, kept beside its cached surface."""

    text: str
    tier: str  # "body", "small", "staff" or "operator" (operator text is not judged as visitor text)
    cap: int  # cap height in pixels
    colour: tuple[int, int, int]
    ink: pygame.Rect  # the part of the surface that holds glyphs
    # Where the type's lines sit on its surface: the top of the first line's capitals and
    # the last line's baseline (the lines a layout grid hangs text on, whatever the glyphs).
    cap_top: int = 0
    baseline: int = 0


@dataclass(frozen=True)
class TextBox:
    text: str
    tier: str
    cap: int
    rect: pygame.Rect  # the glyphs' box on the target surface
    alpha: float
    contrast: float | None  # None when not measured (not recording, or text not settled)
    target: int  # id of the surface drawn on: a crossfade draws two scenes on two surfaces
    bounds: tuple[int, int]  # the target's size
    cap_top: int = 0  # on the target: the top of the first line's capitals
    baseline: int = 0  # on the target: the last line's baseline
    colour: tuple[int, int, int] = (0, 0, 0)  # the text's own colour (a credit's accent, a label's grey)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values 0..255 (any shape ending in 3)."""
    c = np.asarray(rgb, np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    return (hi + 0.05) / (lo + 0.05)


def measure_contrast(target: pygame.Surface, glyphs: pygame.Surface, info: TextInfo,
                     pos: tuple[int, int]) -> float | None:
    """Contrast of the text colour against what lies under its glyphs (read before the
    text is drawn). The 5th percentile over glyph pixels: a textured ground is judged by
    its worst patches, not its average, while a stray speck does not decide."""
    rect = info.ink.move(pos).clip(target.get_rect())
    if rect.width <= 0 or rect.height <= 0:
        return None
    src = rect.move(-pos[0], -pos[1])
    mask = pygame.surfarray.pixels_alpha(glyphs)[src.x:src.right, src.y:src.bottom] >= 128
    if not mask.any():
        return None
    under = pygame.surfarray.pixels3d(target)[rect.x:rect.right, rect.y:rect.bottom][mask]
    ratios = contrast_ratio(luminance(under), luminance(np.array(info.colour)))
    return float(np.percentile(ratios, 5))


class TextLog:
    """The boxes placed since the frame began (the engine begins one per frame)."""

    def __init__(self) -> None:
        self.recording = False
        self.boxes: list[TextBox] = []

    def begin_frame(self) -> None:
        self.boxes = []

    def add(self, target: pygame.Surface, glyphs: pygame.Surface, info: TextInfo, pos: tuple[int, int],
            alpha: float) -> None:
        if not self.recording:
            return
        contrast = None
        if info.tier != "operator" and alpha >= SETTLED_ALPHA:
            contrast = measure_contrast(target, glyphs, info, pos)
        self.boxes.append(TextBox(info.text, info.tier, info.cap, info.ink.move(pos), alpha, contrast,
                                  id(target), target.get_size(), pos[1] + info.cap_top, pos[1] + info.baseline,
                                  info.colour))


def problems(boxes: list[TextBox]) -> list[str]:
    """What breaks the kiosk rules on one frame, in words (empty: nothing)."""
    found: list[str] = []
    visitor = [b for b in boxes if b.tier != "operator" and b.alpha > 0.02]
    for box in visitor:
        need = MIN_CAP[box.tier] * type_side(box.bounds)
        if box.cap + 0.5 < need:
            found.append(f"{box.tier} text {box.text[:40]!r}: capitals {box.cap} px, need {need:.1f} px")
        if box.contrast is not None and box.tier == "staff":
            low, high = STAFF_CONTRAST
            if not low <= box.contrast <= high:
                found.append(f"staff text {box.text[:40]!r}: contrast {box.contrast:.2f}:1, need {low}-{high}:1")
        elif box.contrast is not None and box.contrast < MIN_CONTRAST:
            found.append(f"text {box.text[:40]!r}: contrast {box.contrast:.2f}:1, need {MIN_CONTRAST}:1")
        if not pygame.Rect((0, 0), box.bounds).contains(box.rect):
            found.append(f"text {box.text[:40]!r} runs off the screen at {tuple(box.rect)}")
    for i, a in enumerate(visitor):
        for b in visitor[i + 1:]:
            if a.target == b.target and a.rect.colliderect(b.rect):
                found.append(f"text {a.text[:30]!r} overlaps {b.text[:30]!r}")
    return found
