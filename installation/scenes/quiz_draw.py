"""Drawing pieces of the quiz: square pictures, large touch buttons, and the visual
explanation (the residual's spectrum with tell-tale peaks ringed, and its averaged
curve against typical photographs and generated images)."""

from __future__ import annotations

import math
import weakref
from types import SimpleNamespace

import cv2
import numpy as np
import pygame

from ..imaging import surface_from_rgb
from ..models.detector.base import Explanation
from ..words import words
from . import quiz_explain as explain
from .style import rgb

# The reveal's account of the machine is set at one size on every reveal; where room is short a
# shorter account stands in (quiz_explain.accounts), never smaller type. Shrunk to fit its room
# (40, 34 or 30), it changed size from one reveal to the next, as the verdict above it and the
# credit below took a line more or less (on 1080x1920: 28 px capitals, then 24, then 28).
ACCOUNT_SIZE = 30
REAL_COLOUR = (120, 178, 214)  # typical photograph curve
FAKE_COLOUR = (226, 112, 92)  # typical generated curve


def colours(scene) -> tuple:
    """The quiz's foreground, accent and dimmed foreground (scores, hints, captions)."""
    c = scene.config
    return rgb(c.foreground), rgb(c.accent), tuple(round(v * 0.62) for v in rgb(c.foreground))


def square_crop(image: np.ndarray, side: int) -> np.ndarray:
    """Centre square of an RGB image, resized to side x side (area filter when shrinking)."""
    h, w = image.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    crop = image[top : top + s, left : left + s]
    if s == side:
        return np.ascontiguousarray(crop)
    method = cv2.INTER_AREA if s > side else cv2.INTER_LANCZOS4
    return cv2.resize(crop, (side, side), interpolation=method)


def picture(
    surface: pygame.Surface,
    image: pygame.Surface,
    rect: pygame.Rect,
    border: tuple[int, int, int] | None = None,
    width: int = 0,
) -> None:
    shadow = rect.move(max(2, rect.width // 80), max(3, rect.width // 60))
    pygame.draw.rect(surface, (6, 6, 8), shadow, border_radius=max(2, rect.width // 120))
    surface.blit(
        pygame.transform.smoothscale(image, rect.size) if image.get_size() != rect.size else image, rect
    )
    if border is not None and width:
        pygame.draw.rect(
            surface, border, rect.inflate(width * 2, width * 2), width, border_radius=max(2, width)
        )


def button(
    surface: pygame.Surface,
    fonts,
    rect: pygame.Rect,
    text: str,
    fill: tuple[int, int, int],
    ink: tuple[int, int, int],
    size: float = 40,
) -> None:
    shown = fonts.words_opacity
    if shown >= 1.0:
        pygame.draw.rect(surface, fill, rect, border_radius=rect.height // 4)
    elif shown > 0.0:
        # A button is words to a visitor: in a crossfade it comes and goes with its label (an
        # empty gold button stood half-way through the portrait's change to the quiz).
        # (Drawn apart only then: a small surface, for the few frames a change takes.)
        plate = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(plate, (*fill, 255), plate.get_rect(), border_radius=rect.height // 4)
        plate.set_alpha(round(shown * 255))
        surface.blit(plate, rect)
    label = fonts.line(text, "sans-semibold", size, ink)
    fonts.place(surface, label, (rect.centerx - label.get_width() // 2, rect.centery - label.get_height() // 2))


def picture_surface(image: np.ndarray, side: int) -> pygame.Surface:
    """An RGB picture of a cue (the face detector's map), resized to side x side."""
    method = cv2.INTER_AREA if image.shape[0] > side else cv2.INTER_CUBIC
    return surface_from_rgb(np.ascontiguousarray(cv2.resize(image, (side, side), interpolation=method))).copy()


def spectrum_surface(explanation: Explanation, side: int) -> pygame.Surface:
    """False-colour log spectrum, zero frequency in the centre, peaks ringed."""
    coloured = cv2.applyColorMap(explanation.spectrum_image, cv2.COLORMAP_INFERNO)[:, :, ::-1]
    coloured = cv2.resize(coloured, (side, side), interpolation=cv2.INTER_AREA)
    surface = surface_from_rgb(np.ascontiguousarray(coloured)).copy()
    radius = max(6, side // 28)
    for fx, fy in explanation.peaks:
        x = round(side / 2 + fx * side)
        y = round(side / 2 + fy * side)
        pygame.draw.circle(
            surface,
            (120, 255, 200),
            (min(max(x, 0), side - 1), min(max(y, 0), side - 1)),
            radius,
            max(2, side // 150),
        )
    return surface


def curve_plot(
    surface: pygame.Surface,
    fonts,
    rect: pygame.Rect,
    explanation: Explanation,
    ink: tuple[int, int, int],
    accent: tuple[int, int, int],
) -> None:
    """The averaged spectrum (coarse detail on the left, fine on the right) of this image
    against the typical curves stored with the detector; peak frequencies as ticks."""
    pygame.draw.rect(surface, (24, 22, 26), rect, border_radius=fonts.px(8))
    small = 20
    have_refs = np.all(np.isfinite(explanation.reference_real)) and np.all(
        np.isfinite(explanation.reference_fake)
    )
    # legend on top, wrapped to the plot's width
    legend = [("this image", accent)]
    if have_refs:
        legend = [("typical photograph", REAL_COLOUR), ("typical generated", FAKE_COLOUR)] + legend
    pad = fonts.px(20)
    x, y = rect.x + pad, rect.y + fonts.px(10)
    line_h = fonts.line("Ag", "sans", small, ink).get_height()
    for text, colour in legend:
        label = fonts.line(text, "sans", small, ink)
        needed = fonts.px(36) + label.get_width()
        if x + needed > rect.right - pad and x > rect.x + pad:
            x, y = rect.x + pad, y + line_h + fonts.px(4)
        pygame.draw.line(
            surface, colour, (x, y + line_h // 2), (x + fonts.px(28), y + line_h // 2), max(2, fonts.px(4))
        )
        fonts.place(surface, label, (x + fonts.px(36), y))
        x += needed + fonts.px(24)
    top = y + line_h + fonts.px(12)
    bottom = rect.bottom - line_h - fonts.px(14)
    inner = pygame.Rect(rect.x + pad, top, rect.width - 2 * pad, max(10, bottom - top))
    curves = [(explanation.curve, accent, 4)]
    if have_refs:
        curves = [
            (explanation.reference_real, REAL_COLOUR, 3),
            (explanation.reference_fake, FAKE_COLOUR, 3),
        ] + curves
    values = np.concatenate([c for c, _, _ in curves])
    low, high = float(np.min(values)), float(np.max(values))
    span = max(high - low, 1e-6)
    freqs = explanation.frequencies
    x_of = lambda f: inner.x + (f / 0.5) * inner.width  # noqa: E731 - tiny local mapping
    y_of = lambda v: inner.bottom - (v - low) / span * inner.height  # noqa: E731
    for f in explanation.peak_frequencies:
        px = round(x_of(min(f, 0.5)))
        for py in range(inner.y, inner.bottom, fonts.px(14)):
            pygame.draw.line(
                surface,
                (120, 255, 200),
                (px, py),
                (px, min(py + fonts.px(7), inner.bottom)),
                max(1, fonts.px(2)),
            )
    for values_, colour, width in curves:
        points = [(x_of(f), y_of(v)) for f, v in zip(freqs, values_, strict=True)]
        pygame.draw.lines(surface, colour, False, points, max(1, fonts.px(width)))
    # axis words rather than numbers: visitors read "coarse -> fine detail"
    left = fonts.line(words("quiz.curve_coarse"), "sans", small, ink)
    right = fonts.line(words("quiz.curve_fine"), "sans", small, ink)
    fonts.place(surface, left, (inner.x, inner.bottom + fonts.px(8)))
    fonts.place(surface, right, (inner.right - right.get_width(), inner.bottom + fonts.px(8)))


# Eyes drawn smaller than this (design px) show no highlight a visitor could check.
LEAST_EYES = 90
# Each eye's tile spans about this many iris radii of the picture: the whole opening, both
# corners and the lids' arcs (an eye is about five radii wide). At five the tile held the
# iris and little else, and on a halftone print (a screen of dots two or three of the
# picture's pixels apart) a visitor saw a grid of dots with a ring on it, no eye.
SHOWN_RADII = 7
HIGHLIGHT_RING = (120, 255, 200)
IRIS_LINE = (200, 200, 200)
GAP_GREY = 17
_EYES_SHOWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # EyesView -> (tile, its drawing)


def eyes_picture(view, tile: int) -> np.ndarray:
    """Both eyes of an EyesView side by side, each filling a square tile of `tile` px, the
    iris outlined thinly and the corneal highlight ringed.

    Each of the picture's pixels is drawn as a square of k x k screen pixels (nearest
    neighbour at a whole factor k, the same for both eyes): the highlight the visitor is
    asked to find is one to three pixels of the picture, and any smoothing filter spreads it
    into a soft blob (the reveal's was enlarged twice, cubic then bilinear), where Lanczos
    also rings a bright spot with a dark halo that is not in the photograph. At a whole
    factor every pixel is the same size; the tile takes as many of the picture's pixels as
    cover it at that factor, the part of a pixel past its edge cut off, half on each side.

    Every eye fills its tile: drawn at its patch's size where the patch (VIEW_REACH radii
    either side) could not cover the tile, a round's eyes at 1366x768 were 129, 135 and 142 px
    in tiles of 142. That happens only at a factor of 1 (from 2 up, SHOWN_RADII leaves the
    patch larger than the tile); there the patch is stretched the rest of the way, nearest
    neighbour, some pixels one screen pixel wider than the others, rather than drawn at a
    factor of 2, which would crop the eye to its iris."""
    radius = max(r for _, _, r in view.irises)
    side = view.patches[0].shape[0]
    k = max(1, round(tile / (SHOWN_RADII * radius)))
    n = min(side, math.ceil(tile / k))
    start = (side - 1) // 2 - (n - 1) // 2
    cut = max(0, n * k - tile) // 2  # screen pixels cut from the top and left
    scale = max(k, tile / n)  # screen pixels a side of one of the picture's
    shift = 4  # cv2's sub-pixel drawing: coordinates in sixteenths of a pixel

    def at(x: float) -> int:  # the picture's pixel coordinate on the enlarged tile
        return round(((x - start + 0.5) * scale - 0.5 - cut) * (1 << shift))

    tiles = []
    for patch, (cx, cy, r), spot in zip(view.patches, view.irises, view.highlights, strict=True):
        crop = patch[start : start + n, start : start + n]
        big = np.repeat(np.repeat(crop, k, axis=0), k, axis=1)
        if n * k < tile:
            big = cv2.resize(big, (tile, tile), interpolation=cv2.INTER_NEAREST)
        big = np.ascontiguousarray(big[cut : cut + tile, cut : cut + tile])
        cv2.circle(big, (at(cx), at(cy)), round(r * scale * (1 << shift)), IRIS_LINE, max(1, tile // 200),
                   cv2.LINE_AA, shift)
        if spot is not None:
            cv2.circle(big, (at(spot[0]), at(spot[1])), max(6, tile // 14) << shift, HIGHLIGHT_RING,
                       max(2, round(tile / 100)), cv2.LINE_AA, shift)
        tiles.append(big)
    gap = np.full((tile, max(2, tile // 20), 3), GAP_GREY, np.uint8)
    return np.ascontiguousarray(np.hstack([tiles[0], gap, tiles[1]]))


def eyes_panel(surface: pygame.Surface, fonts, rect: pygame.Rect, explanation: Explanation,
               ink, most_tile: int | None = None, lead: int = 0) -> pygame.Rect | None:
    """Both eyes enlarged with their highlights ringed, and one sentence on them: a cue
    the visitor can check (the machine's verdict does not use it). The sentence always
    has its room in the panel; the eyes take what is left, and are left out where that is
    too little to see them (a 4:5 screen squeezed them to a 10 px speck over the words,
    and the words up out of the panel). `most_tile`: the eyes no larger than this (the
    round's one size, quiz_reveal_plan); `lead`, px more above them (the round's room the
    eyes cannot take, half over them: quiz_reveal_plan.plan). Returns where the eyes were
    drawn, if they were."""
    view = getattr(explanation, "eyes_view", None)
    pad = fonts.px(16)
    text = _eyes_sentence(fonts, rect.width - 2 * pad, explanation, ink)
    # (never shorter than its sentence: its last line stood below the panel's edge)
    panel = pygame.Rect(rect.x, rect.y, rect.width, max(rect.height, text.get_height() + 2 * pad))
    pygame.draw.rect(surface, (24, 22, 26), panel, border_radius=fonts.px(8))
    drawn = None
    top = rect.y + pad
    room = rect.height - text.get_height() - 3 * pad - lead
    if view is not None and room >= fonts.px(LEAST_EYES):
        # two square tiles and the gap between them (a twentieth of a tile) across the panel
        tile = min(room, (rect.width - 2 * pad) * 20 // 41, most_tile or room)
        kept = _EYES_SHOWN.get(view)
        if kept is None or kept[0] != tile:  # drawn once per size, not every frame (8 ms at 4K)
            kept = _EYES_SHOWN[view] = (tile, surface_from_rgb(eyes_picture(view, tile)).copy())
        shown = kept[1]
        drawn = surface.blit(shown, (rect.centerx - shown.get_width() // 2, rect.y + pad + lead))
        # The sentence straight under the eyes' tile, which fills the room above it unless the
        # round's one size is less: at the panel's foot, one line's gap opened under the eyes
        # of a reveal whose sentence was a line shorter than the round's longest.
        top = rect.y + 2 * pad + lead + tile
    fonts.place(surface, text, (rect.x + pad, top))
    return drawn


def _eyes_sentence(fonts, width: int, explanation: Explanation, ink) -> pygame.Surface:
    return fonts.block(
        words("quiz.explain.look_yourself")
        + " "
        + words(f"quiz.explain.eyes_{getattr(explanation, 'eyes_finding', '') or 'no_face'}"),
        "sans", 20, ink, width,
    )


def eyes_panel_least(fonts, width: int, explanation: Explanation) -> int:
    """The least height of an eyes panel `width` wide: its sentence and the padding."""
    pad = fonts.px(16)
    return _eyes_sentence(fonts, width - 2 * pad, explanation, (255, 255, 255)).get_height() + 2 * pad


# What the eye highlights can show (models/detector/base.py, Explanation.eyes_finding; "" is
# read as no_face): each has its sentence in the eyes' panel.
EYES_FINDINGS = ("no_face", "none", "one", "match", "differ")


def eyes_panel_tallest(fonts, width: int) -> int:
    """The least height of an eyes panel `width` wide whatever the eyes show: its longest
    sentence and the padding (a layout sized by it holds every reveal's eyes at one size)."""
    return max(eyes_panel_least(fonts, width, SimpleNamespace(eyes_finding=finding))
               for finding in EYES_FINDINGS)


def eyes_panel_grown(fonts, width: int, explanation: Explanation, most: int) -> int:
    """The height an eyes panel `width` wide takes where the words leave it up to `most` px:
    its sentence, and the two eyes as large as the panel's width lets them be; 0 where the
    eyes would not be drawn even so (a panel of its sentence alone gains nothing by growing).
    Upright the words gave the eyes only what they left, 185 px tiles on 1080x1920 where the
    panel is 970 wide: the highlights a visitor is asked to compare were a few pixels across;
    the fuller account of the machine gives way first."""
    pad = fonts.px(16)
    sentence = eyes_panel_least(fonts, width, explanation) + pad
    height = min(most, sentence + (width - 2 * pad) * 20 // 41)
    return height if height - sentence >= fonts.px(LEAST_EYES) else 0


def account(fonts, explained, ink, width: int, room: int) -> pygame.Surface | None:
    """The fullest account of what the machine saw that fits `room` px at ACCOUNT_SIZE: what
    it saw first, then the rest (see quiz_explain.accounts); None where not even the shortest
    fits."""
    for why in explain.accounts(explained.explanation, explained.item.kind):
        text = fonts.block(why, "serif-light", ACCOUNT_SIZE, ink, width, tier="small")
        if text.get_height() <= room:
            return text
    return None


def account_least(fonts, explained, ink, width: int) -> int:
    """The height of the shortest account."""
    shortest = explain.accounts(explained.explanation, explained.item.kind)[-1]
    return fonts.block(shortest, "serif-light", ACCOUNT_SIZE, ink, width, tier="small").get_height()


def tick(surface: pygame.Surface, centre: tuple[int, int], size: int, good: bool) -> None:
    colour = (132, 208, 140) if good else (230, 110, 96)
    width = max(3, size // 6)
    cx, cy = centre
    if good:
        pygame.draw.lines(
            surface,
            colour,
            False,
            [(cx - size // 2, cy), (cx - size // 8, cy + size // 3), (cx + size // 2, cy - size // 3)],
            width,
        )
    else:
        d = size // 2 - width
        pygame.draw.line(surface, colour, (cx - d, cy - d), (cx + d, cy + d), width)
        pygame.draw.line(surface, colour, (cx - d, cy + d), (cx + d, cy - d), width)


def pulse(t: float) -> float:
    return 0.5 + 0.5 * math.sin(t * 2.2)
