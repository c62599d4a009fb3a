"""Painting a closed lid as skin: stretched a few times over, the lid's own pixels would
streak, so what a closing lid covers (lids.LidCover, from lids.move_lids) is painted in the
tone of the skin round the eye, with the picture's own texture, a rounded lid's shading and
a lash line.
"""

from __future__ import annotations

import cv2
import numpy as np

from .drawing_paper import drawn_share
from .eye_region import clamp
from .halftone import HalftoneScreen
from .lid_band import lighter_half
from .lid_drawn import drawn_cover, drawn_skin, paint_out_outline, texture_up_to
from .lid_ink import two_tone_skin, two_tones
from .lid_skin import skin_texture
from .lids import LID_OVERLAP, LidCover
from .plate import median
from .tone import LUMA

__all__ = ["paint_lids"]

# On a far eye the mesh puts the crease on the lash line, and the skin read just above it
# was all lashes (Vermeer's girl closed her far eye into a dark grey lens, the lashes' tone:
# 85 grey levels where her skin has 170-200). Where that reading is darker than
# LASHES_SHARE of the skin under the eye (her far eye: 0.55), the skin above the crease is
# read over ABOVE_CREASE times the depth: lashes that fill up to half of it are its darker
# half. A lid fold in the shade reads 0.69-1.0 (the shared painting, the 1904 photograph
# and Thoreau), and keeps its reading: a lid closing in the shade of the socket is in shade.
LASHES_SHARE = 0.6
# A closed lid's body takes OWN_TONE_SHARE of the way from the middle of the skin round it
# (the lid's own, above the crease, under the eye) to the lid's own skin, where that is
# surely skin: from OWN_SKIN_SURE of the skin under the eye up (LASHES_SHARE down: lashes).
# The rest of the way is the light an unfolded lid catches on the eyeball's bulge, that its
# band, folded by the lashes, does not.
OWN_TONE_SHARE = 0.5
OWN_SKIN_SURE = 0.7
ABOVE_CREASE = 3.0
# A painter can ring the eye with light: a Roman-Egypt mummy portrait's highlight along the
# lid above its dark lid line, and the lower lid's light rim (the mesh's crease lies on the
# lid line, its lower lid on the rim). The skin read just above the crease and just under
# the eye was then those strokes, and the eye closed into a pale shell in the dark wax skin.
# Where both are RING_OVER times the skin just beyond them (BEYOND_RING times as deep),
# that skin is read instead. (A lit fold under a dark brow is lighter than the band beyond
# it above the eye alone; under the eye, the cheek beyond is as light or lighter.)
RING_OVER = 1.15
BEYOND_RING = 2.0


# The most light `_shade` gives (on the bulge) and where (it rises to there from the crease
# and falls after it): the most a lid painted from s catches is this, or its light at s.
BULGE_AT, BULGE_LIGHT = 0.4825, 1.0396642


def _shade(s: np.ndarray) -> np.ndarray:
    """The light on a closed, rounded lid from the crease (s = 0) to the closed margin (s = 1):
    a soft crease, a little light on the bulge, a shadow along the margin."""
    return (1.0 - 0.1 * np.exp(-(s / 0.15) ** 2) + 0.04 * np.sin(np.pi * s)
            - 0.22 * np.exp(-((1.0 - s) / 0.2) ** 2))


def _low_percentile(values: np.ndarray, q: float) -> np.ndarray:
    """`np.percentile(values, q, axis=0)` (linear), to the bit, from a partition at the two
    values it lies between: a quarter of the cost of numpy's general path, on every frame of a blink."""
    n = values.shape[0]
    virtual = (n - 1) * (q / 100)
    below = int(np.floor(virtual))
    above = min(below + 1, n - 1)
    gamma = virtual - below
    ranked = np.partition(values, (below, above) if above != below else below, axis=0)
    low, high = ranked[below], ranked[above]
    # numpy's own lerp: from the nearer end, so that gamma 1 gives `high` exactly
    return high - (high - low) * (1 - gamma) if gamma >= 0.5 else low + (high - low) * gamma


def _band_tones(region: np.ndarray, x0: int, y0: int, bands: list[tuple[np.ndarray, np.ndarray]],
                unread: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each band (rows `lo` to `hi`, exclusive; patch rows, one per column) of a patch at
    region pixel (x0, y0): per column, the skin's tone, smoothed across the columns, and how
    far it could be read (0-1). The skin is the lighter half of what each column of the band
    shows: where lashes or a low brow's hairs fill a band, its mean is their dark. All bands
    at once: this runs on every frame of a blink. Columns `unread` ((1, w) bools:
    lids.LidCover.unread) are not read: their skin is the nose's or past the eye's corner,
    and they take their neighbours' (the eye's own)."""
    w = bands[0][0].shape[-1]
    lows = clamp(np.ceil(np.stack([lo for lo, _ in bands])).astype(int) + y0, 0, region.shape[0])
    highs = clamp(np.floor(np.stack([hi for _, hi in bands])).astype(int) + y0, 0, region.shape[0])
    if unread is not None:
        highs = np.where(unread, lows, highs)
    cols = clamp(np.arange(x0, x0 + w), 0, region.shape[1] - 1)
    # The lighter half of each column: at or above the median of the band's own pixels.
    tones, weight = lighter_half(region, lows, highs, cols)
    # Smoothed across the columns; columns with nothing to read take their neighbours'.
    sigma = max(1.0, 0.08 * w)
    read = (weight > 0).astype(np.float32)
    spread = cv2.GaussianBlur(read, (0, 0), sigmaX=sigma, sigmaY=0.1)
    # (bands, w, channels) is an image to OpenCV: one row a band, blurred along the row only.
    smooth = cv2.GaussianBlur(tones * read[..., None], (0, 0), sigmaX=sigma, sigmaY=0.1)
    return smooth / np.maximum(spread, 1e-6)[..., None], clamp(spread / 0.5, 0.0, 1.0)


def _lid_tone(region: np.ndarray, cover: LidCover) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the tone a closed lid's skin takes where the paint takes over (the lid's
    own, just above: no step there) and in its body: the middle one of the skin nearest it,
    the lid's own, the brow's above the crease and the skin under the eye, taken towards the
    tone of the lid's band at rest (OWN_TONE_SHARE). Each alone failed
    somewhere: the brow's alone, a closed lid in a deep-set eye was the brow's pale tone in
    the socket's shadow (a shell laid on, ringed by the darker lid); the lid's alone, a band
    of lashes closed as a dark lens; and where the crease lies on the lash line (a far eye),
    the brow's band was the lashes (see LASHES_SHARE)."""
    top, start = cover.crease[0], cover.start[0]
    reach = max(2.0, 0.2 * float(np.mean(cover.lower[0] - start)))
    past = cover.lower[0] + 1.0 + LID_OVERLAP * (cover.lower[0] - start)
    tones, reads = _band_tones(region, cover.x0, cover.y0, [
        (top + 0.4 * (start - top), start), (top - 1.0 - reach, top - 1.0), (past, past + reach),
        (top - 1.0 - ABOVE_CREASE * reach, top - 1.0)], cover.unread)
    (own, above, under, higher), (own_read, above_read, under_read, higher_read) = tones, reads
    ringed = _beyond_a_ring_of_light(region, cover, reach, past, above, above_read, under, under_read)
    if ringed is not None:
        (above, under), (above_read, under_read) = ringed
        higher, higher_read = above, above_read
    # The lid's own band as it was at rest (the picture's rows `own` reads on an open eye),
    # where the closing lid has stretched it to: crease + stretch x (row - crease); read in
    # every step-th row, as many as it had (all of them cost a large portrait 3-6 ms a frame).
    stretch = np.maximum((cover.margin[0] - top) / np.maximum(cover.was[0] - top, 1.0), 1.0)
    step = max(1, int(median(stretch)))
    # (Not past the closed margin: at the corners, where the lid band was nothing, it stretched without end.)
    band = clamp(np.array([0.4, 1.0])[:, None] * stretch * (start - top), 0.0, cover.margin[0] - top)
    skip = (cover.y0 + top + band - cover.y0 % step) / step
    if (band[1] - band[0]).max() >= 1.0:
        (at_rest,), (rest_read,) = _band_tones(region[cover.y0 % step::step], cover.x0, 0, [(skip[0], skip[1])],
                                                  cover.unread)
    else:  # the crease on the lash line: no band to read (a fifth of a ms an eye saved)
        at_rest, rest_read = own, np.zeros_like(own_read)
    # Where the skin above the crease lies past the region's top (an eye the picture's edge
    # cuts), it was not read, and the lid fell back on the cheek under the eye: a pale lid
    # (a cut CC0 photograph's closed lid 165-190 grey levels where the whole picture's
    # is 130-155). The lid's own band at rest, below the edge, stands in for it: as skin,
    # no darker than OWN_SKIN_SURE of the skin under the eye (darker, it is its lashes; taken
    # as it was, a band half lashes closed the cut eye 55 grey levels darker than the whole's).
    # For the eye as a whole: the few rows between the edge and a lower crease (the inner
    # corner's) are no truer, and the columns still read there stood as a pale notch; the
    # columns the band at rest does not read (lids.LidCover.unread) take their neighbours'.
    cut_off = float(clamp(-(cover.y0 + top - 1.0 - reach), 0.0, reach).max()) / reach
    if cut_off > 0.0 and (rest_read > 0.5).any() and (under_read > 0.5).any():
        cut_off = cut_off * (rest_read > 0.0)
        skin_at_least = OWN_SKIN_SURE * float((under[under_read > 0.5] @ LUMA).mean())
        lit = np.maximum(at_rest @ LUMA, 1.0)
        skin_above = at_rest * np.maximum(skin_at_least / lit, 1.0)[:, None]
        above = above + (skin_above - above) * cut_off[:, None]
        above_read = above_read + (1.0 - above_read) * cut_off
        higher = higher + (skin_above - higher) * cut_off[:, None]
        higher_read = higher_read + (1.0 - higher_read) * cut_off
    # Just above the crease, lashes rather than skin (far darker than the skin under the
    # eye): read over a taller band instead, whose lighter half is the lid's skin above
    # them. (A socket in shade is only somewhat darker, or stays dark all the way up.)
    seen = (above_read > 0.5) & (under_read > 0.5) & (higher_read > 0.5)
    if seen.any() and float((above[seen] @ LUMA).mean()) < LASHES_SHARE * float((under[seen] @ LUMA).mean()):
        above, above_read = higher, higher_read
    # Where the lid cannot be read, the darker of the skin above and below stands in: the
    # closed lid lies in the socket, in its shade, where a lit brow or a lit cheek is not
    # (the cheek alone closed a shadowed eye into a pale bead).
    # Chosen for the eye as a whole: chosen per column, a lid half in the one and half in
    # the other was split down the middle.
    both = (above_read > 0.5) & (under_read > 0.5)
    if both.any():
        darker = above if above[both].mean() <= under[both].mean() else under
    else:
        darker = above
    near = np.where(both[:, None], darker, np.where((under_read > 0.5)[:, None], under, above))
    if not (above_read + under_read).any():
        near = own
        if not own_read.any():  # nothing around the eye to read (it lies on the region's edge)
            h, w = cover.covered.shape
            seen = region[cover.y0:cover.y0 + h, cover.x0:cover.x0 + w].reshape(-1, region.shape[2])
            near = np.broadcast_to(seen.mean(0).astype(np.float32), (w, region.shape[2]))
    # Where the lid's own skin cannot be read (a far eye, its crease on the lash line: no
    # band between them), what lies just above the crease is the lashes too, lighter than
    # LASHES_SHARE or not: the darker of the skin higher above and under the eye stands in
    # (the darker of the lashes and the skin under closed Vermeer's far eye in the lashes'
    # grey, 100-160 grey levels against her skin's 175-210; a socket in shade stays so).
    stand_in = near
    readable = (higher_read > 0.5) & (under_read > 0.5)
    if readable.any():
        in_shade = higher if higher[readable].mean() <= under[readable].mean() else under
        stand_in = np.where(readable[:, None], in_shade, near)
    # How far the lid's skin at rest is the skin and not its lashes: darker than LASHES_SHARE
    # of the skin under the eye it is lashes; from OWN_SKIN_SURE of it, skin.
    if (under_read > 0.5).any() and (rest_read > 0.5).any():
        ratio = (float((at_rest[rest_read > 0.5] @ LUMA).mean())
                 / max(float((under[under_read > 0.5] @ LUMA).mean()), 1.0))
    else:
        ratio = 0.0
    rest_skin = rest_read * float(clamp((ratio - LASHES_SHARE) / (OWN_SKIN_SURE - LASHES_SHARE), 0.0, 1.0))
    # Where the paint takes over, the tone just above it (no step there: a pale rim under a
    # shaded crease); the lid's body below, its own skin bridged across (_bridged).
    first = own * own_read[:, None] + stand_in * (1.0 - own_read[:, None])
    own, own_read = _bridged(own, own_read)
    own = own * own_read[:, None] + stand_in * (1.0 - own_read[:, None])
    # (The median of the three, picked as np.median picks it, without its cost.)
    middle = np.maximum(np.minimum(own, above), np.minimum(np.maximum(own, above), under))
    # The closed lid is the open lid's skin unfolded: its tone leans to the lid's own (the
    # middle alone was the lit fold or the cheek round a lid in the socket's shade: a pale
    # shell, the closed lid up to 1.3-1.8 times the open lid band's tone: Thoreau, Christus,
    # Van Gogh, Vermeer). Its tone, not its colour: a band half lashes took their grey onto
    # a pink lid.
    lit = middle @ LUMA
    toned = lit + OWN_TONE_SHARE * rest_skin * (at_rest @ LUMA - lit)
    middle = middle * (toned / np.maximum(lit, 1.0))[:, None]
    trusted = np.minimum(above_read, under_read)[:, None]
    body = middle * trusted + near * (1.0 - trusted)
    return first, body


def _beyond_a_ring_of_light(region: np.ndarray, cover: LidCover, reach: float, past: np.ndarray,
                            above: np.ndarray, above_read: np.ndarray, under: np.ndarray,
                            under_read: np.ndarray) -> tuple[tuple, tuple] | None:
    """Where the eye is ringed by painted light (RING_OVER), the skin's tones just beyond the
    ring, above the crease and under the eye, and how far they were read; None elsewhere.
    Chosen for the eye as a whole, as the darker of above and under is."""
    top = cover.crease[0]
    beyond = BEYOND_RING * reach
    (far_above, far_under), (far_above_read, far_under_read) = _band_tones(
        region, cover.x0, cover.y0,
        [(top - 1.0 - reach - beyond, top - 1.0 - reach), (past + reach, past + reach + beyond)], cover.unread)
    beyond_tones = []
    for near, near_read, far, far_read in ((above, above_read, far_above, far_above_read),
                                           (under, under_read, far_under, far_under_read)):
        seen = (near_read > 0.5) & (far_read > 0.5)
        if not seen.any():
            return None
        beyond_tones.append(float((far[seen] @ LUMA).mean()))
        if float((near[seen] @ LUMA).mean()) < RING_OVER * beyond_tones[-1]:
            return None
    # Beyond the ring, skin on both sides: far darker above than under it is the brow's hairs
    # (a deep-set eye's lit fold right under the brow), far darker under, the shade under the eye.
    if min(beyond_tones) < LASHES_SHARE * max(beyond_tones):
        return None
    return (far_above, far_under), (far_above_read, far_under_read)


def _bridged(own: np.ndarray, read: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lid's own tone (per column) where its band could not be read between columns where
    it was, read across from them: one skin, unfolded. Over the iris the crease can lie on the
    lash line (no band to read), and the stand-in there, the fold's shade above the crease,
    drew a dark streak down the middle of the closed lid (Erasmus's near eye: 60-65 grey
    levels against the lid's own 85-100 on either side). Past the last read column, as before."""
    sure = np.flatnonzero(read > 0.5)
    if len(sure) < 2:
        return own, read
    cols = np.arange(len(read))
    between = (cols > sure[0]) & (cols < sure[-1]) & (read <= 0.5)
    if not between.any():
        return own, read
    # (linear across, all channels at once)
    right = clamp(np.searchsorted(sure, cols), 1, len(sure) - 1)
    left_col, right_col = sure[right - 1], sure[right]
    share = ((cols - left_col) / (right_col - left_col)).astype(np.float32)[:, None]
    across = own[left_col] + (own[right_col] - own[left_col]) * share
    # (the columns read in part between are the lid's own too: its tone smoothed in from beside)
    return np.where(between[:, None], across, own), np.where((cols >= sure[0]) & (cols <= sure[-1]), 1.0, read)


def paint_lids(region: np.ndarray, covers: list, blur: float = 0.0, grain: np.ndarray | None = None,
               screen: HalftoneScreen | None = None, drawn: float | None = None,
               two_tone: bool | None = None) -> None:
    """Paint the lid that covers the eye. Stretched a few times over, the lid's own
    pixels streak, so the covering part becomes skin: the tone of the skin around the eye
    (`_lid_tone`), the picture's own texture from the skin round it (lid_skin.py), the
    shading of a rounded lid (a soft crease above, a shadow along the closed margin) and a
    lash line. `blur`: the picture's own softness (focus.py); the lash line and the closed
    lid's edge are no sharper (drawn a pixel sharp in a soft print, a closed eye read as a
    shell laid on). `grain` (float32, the region's size): the picture's grain, as the
    mouth's paint gets it, for a lid whose skin round it lies outside the region.
    `screen`: where the picture is a printed halftone, its screen, which prints the lid in
    dots that run on from the face's (a smooth lid on a dotted face read as a bead).
    `drawn`: how far the picture is a drawing (drawing_paper.portrait_drawn_share, read once at
    rest); None: read here, the least of the lids' (a picture is drawn or not as a whole:
    read for each lid alone, a photograph's lit eye closed as paper, the other as skin).
    `two_tone`: ink and paper lids on every eye (True: the curator says it is a print), on none
    (False), or where the skin round the eye reads so (None, lid_ink.two_tones)."""
    if drawn is None and screen is None:
        shares = [drawn_share(region, c.x0, c.y0, c.covered.shape) for c in covers
                  if c.covered.max() > 0 and two_tones(region, c.x0, c.y0, c.covered.shape) is None]
        drawn = min(shares, default=0.0)
    for cover in covers:
        x0, y0, covered = cover.x0, cover.y0, cover.covered
        h, w = covered.shape
        if covered.max() <= 0:
            continue
        patch = region[y0:y0 + h, x0:x0 + w].astype(np.float32)
        tones = None if screen is not None or two_tone is False else two_tones(region, x0, y0, (h, w),
                                                                               sure=bool(two_tone))
        share = 0.0
        if screen is None and tones is None:
            share = drawn
        if tones is not None:  # ink and paper round the eye: so is the lid (lid_ink.py)
            skin = two_tone_skin(region, cover, tones, blur)
        else:
            texture = None if screen is not None else skin_texture(region, x0, y0, covered, cover.crease,
                                                                   cover.lower)
            if share > 0.0:  # a drawing's lid line closes with the lid (lid_drawn.drawn_cover)
                covered = covered + (drawn_cover(cover) - covered) * share
                texture = texture_up_to(texture, covered)
            # a drawing's lid is its paper and marks (lid_drawn.py); a photograph's or a painting's, shaded skin
            skin = drawn_skin(region, cover, texture, blur) if share >= 1.0 else _skin(
                region, cover, patch, blur, grain, screen, texture)
            if 0.0 < share < 1.0:
                skin = skin + (drawn_skin(region, cover, texture, blur) - skin) * share
        if blur > 0.6:  # the lid's edge as soft as the picture's own (mostly the closed margin)
            covered = cv2.GaussianBlur(covered, (0, 0), sigmaX=0.5 * blur, sigmaY=blur,
                                       borderType=cv2.BORDER_CONSTANT)
        weight = covered[..., None]
        region[y0:y0 + h, x0:x0 + w] = clamp(patch + (skin - patch) * weight, 0, 255).astype(np.uint8)
        if share > 0.0:  # the drawing's outline of the open eye round it goes too (lid_drawn.py)
            paint_out_outline(region, cover, share)


def _skin(region: np.ndarray, cover: LidCover, patch: np.ndarray, blur: float, grain: np.ndarray | None,
          screen: HalftoneScreen | None, texture: np.ndarray | None) -> np.ndarray:
    """The closed lid of `cover` as skin (see paint_lids), (patch rows, columns, channels) float32;
    `texture`: the picture's own (lid_skin.skin_texture), None for a halftone or where none is read."""
    x0, y0, covered, margin_row, closing = cover.x0, cover.y0, cover.covered, cover.margin, cover.closing
    top_row, start_row = cover.crease, cover.start
    h, w = covered.shape
    first, body = _lid_tone(region, cover)
    span = np.maximum(margin_row - top_row, 1.0)
    yy = np.arange(h, dtype=np.float32)[:, None]
    # The paint starts at the lid's own tone and turns to the body's over the upper third
    # of what it covers; the shading is measured from where it starts.
    u = clamp((yy - start_row) / np.maximum(0.35 * (margin_row - start_row), 1.0), 0.0, 1.0)
    u = u * u * (3.0 - 2.0 * u)
    # Matched to the lid's own tone where the paint starts (no step there), and the body's
    # tone to the most light the painted part catches: divided by the shading where the
    # paint starts, a lid painted from its crease (where the band is the eye's white or the
    # lash line: the crease's shade, 0.9) was lit to 15% above its tone on the bulge, pale
    # notches, bars and specks on the closed lid. (Painted from the bulge down, as most
    # lids are, the most is where it starts: as it was.)
    s_start = clamp((start_row - top_row) / span, 0.0, 1.0)
    at_start = np.maximum(_shade(s_start), 0.5)[..., None]
    brightest = np.where(s_start < BULGE_AT, BULGE_LIGHT, at_start[..., 0])[..., None]
    tone = first[None] / at_start * (1.0 - u[..., None]) + body[None] / brightest * u[..., None]
    shade = _shade(clamp((yy - top_row) / span, 0.0, 1.0))
    lash_width = max(1.0, 0.035 * w)
    lash = np.exp(-((yy - margin_row) / lash_width) ** 2) * min(1.0, 1.5 * closing)
    light = (shade * (1.0 - 0.6 * lash))[..., None]
    # The grain shades with the skin (added at full strength, dark grain drove the lash
    # line to pure black), and nothing is darker than the darkest ink or shadow already
    # in the eye: the lid keeps the portrait's palette.
    # (The eye's own darkest: rows above the crease, taken in to soften its line, may hold
    # the brow's hairs.)
    own_rows = patch[max(cover.eye_top - y0, 0):]
    darkest = _low_percentile(own_rows.reshape(-1, patch.shape[2]), 2)
    shaded = tone * light
    if blur > 0.6:  # crease, margin shadow and lash as soft as the picture; its grain stays
        shaded = cv2.GaussianBlur(shaded, (0, 0), blur)
    if screen is not None:  # a halftone: the lid printed in the picture's own dots
        shaded = screen.print(shaded, x0, y0)
    elif texture is not None:
        shaded = shaded + texture * light
    elif grain is not None:
        shaded = shaded + grain[y0:y0 + h, x0:x0 + w, None] * light
    return np.maximum(shaded, darkest)
