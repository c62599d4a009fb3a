"""The skin of a closed lid (lid_paint.py paints it): the picture's own texture carried onto it.

A closed lid is the same skin as round it: the texture of the picture (brush, hatching,
film grain) goes on over it at the same scale and contrast. A smooth tone with a fine
random grain closed a pencil drawing's eye into a blank pale oval, a painting's into a
bulging skin-coloured lens, a soft photograph's into speckle. So the picture's detail is
read from the skin just above the crease and just below the lower lid, and each block is
moved whole onto the lid: a copy stretched or repeated down the lid drew the brow's lines
across it as stripes, and a mirrored one bends hatching into chevrons. (Towards the nose
the other eye lies about an eye's width away: its lashes and iris came onto the lid.
Towards the temple as well cost a third more for little: a turned head's temple is often
hair or the wall.)
"""

from __future__ import annotations

import cv2
import numpy as np

from .plate import DETAIL_SIGMA, robust_spread

# The detail is the picture less its blur at this share of the eye's width (a sigma, from
# DETAIL_SIGMA px up): the scale below which the painted lid's own tone and shading are flat.
TEXTURE_SCALE = 0.05
# Of the two sides the one with the less detail there counts the more, and what is left is
# held within TEXTURE_CLIP robust deviations of the detail round the eye, or as far as its
# own marks reach (_spread): a brow's hairs or a lower lid's line carried onto the lid would
# draw another eye.
TEXTURE_CLIP = 2.5
# As strong as the skin round the eye typically is, by at most this gain: the quieter
# source alone may be the smoothest patch of skin there.
TEXTURE_GAIN = 2.0
TEXTURE_GAP = 2  # px between the covered lid (or its crease and lower lid) and where its texture is read
SPREAD_SAMPLES = 1000  # robust deviations are read from about this many values
# The strongest share of the detail, left out of its root mean square: a stray hair or
# fleck, not the picture's marks.
STRAY_SHARE = 0.01


def skin_texture(region: np.ndarray, x0: int, y0: int, covered: np.ndarray, crease: np.ndarray,
                 lower: np.ndarray) -> np.ndarray | None:
    """The picture's own texture for a closed lid (see TEXTURE_SCALE): its detail from the
    skin above the crease and below the lower lid, each moved whole onto the lid, (patch
    rows, columns, channels) float32; None where neither lies inside the region. The lid
    (lids.LidCover): `covered` from region pixel (x0, y0), and per column its `crease` and
    `lower` lid as patch rows."""
    h, w = covered.shape
    rows = np.flatnonzero(covered.max(axis=1) > 0)
    if len(rows) == 0:
        return None
    first, last = int(rows[0]), int(rows[-1])
    sigma = max(DETAIL_SIGMA, TEXTURE_SCALE * w)
    size = 2 * int(round(2.5 * sigma)) + 1
    pad = size // 2
    gap = TEXTURE_GAP + pad  # clear of the lashes and lid lines, blur and all
    above = last - min(first, int(np.floor(crease.min()))) + 1 + gap
    below = max(last, int(np.ceil(lower.max()))) - first + 1 + gap
    sources = []
    for dy in (-above, below):
        top, left = y0 + first + dy - pad, x0 - pad
        bottom, right = y0 + last + 1 + dy + pad, x0 + w + pad
        if top < 0 or bottom > region.shape[0]:
            continue
        # The lid's own columns lie inside the region; only the blur's margin can lie past
        # its side (an eye the picture's edge cuts), and is the inside mirrored, as the blur's
        # own border is. (Left out, that lid took a fine random grain, speckle on a lid cut
        # by the edge.)
        inside = region[top:bottom, max(left, 0):min(right, region.shape[1])]
        sources.append(cv2.copyMakeBorder(inside, 0, 0, max(-left, 0), max(right - region.shape[1], 0),
                                          cv2.BORDER_REFLECT_101) if inside.shape[1] != right - left else inside)
    if not sources:
        return None
    # Both at once, one above the other: the blur mixes them only in the rows round the
    # seam, which are cut off with the rest of its margins.
    source = np.concatenate(sources).astype(np.float32)
    # The detail: the source less its blur, and how busy each pixel's neighbourhood is.
    # (OpenCV's stack blur on three float channels cost eight times its Gaussian blur.)
    detail = source - cv2.GaussianBlur(source, (size, size), sigma)
    # (The channels' squares added one by one, as numpy's sum over them adds them, at a
    # sixth of its cost: a sum along a three-long last axis is numpy's slowest.)
    squared = detail * detail
    busy = cv2.blur(sum(squared[..., c] for c in range(squared.shape[2])), (size, size))
    n = last - first + 1 + 2 * pad
    cut = [(slice(k * n + pad, (k + 1) * n - pad), slice(pad, pad + w)) for k in range(len(sources))]
    reads = [_spread(detail[c]) for c in cut]
    mixed = detail[cut[0]]
    if len(cut) == 2:
        # The quieter source counts the more; two independent textures mixed keep their
        # strength when divided by the weights' norm.
        loud_up, loud_down = busy[cut[0]] ** 2 + 1e-3, busy[cut[1]] ** 2 + 1e-3
        share = loud_down / (loud_up + loud_down)
        norm = np.sqrt(share * share + (1.0 - share) ** 2)
        mixed = (share / norm)[..., None] * mixed + ((1.0 - share) / norm)[..., None] * detail[cut[1]]
    # As strong as the skin round the eye typically is (TEXTURE_GAIN).
    # (The median of one or two values, as np.median takes it: a tenth of its cost.)
    skin, reach = (r[0] if len(r) == 1 else (r[0] + r[1]) / 2 for r in zip(*reads, strict=True))
    strength = _spread(mixed)[0]
    mixed *= min(skin / max(strength, 1e-3), TEXTURE_GAIN)
    limit = max(TEXTURE_CLIP * max(skin, 0.5), reach)
    texture = np.zeros((h, w, region.shape[2]), np.float32)
    texture[first:last + 1] = np.clip(mixed, -limit, limit)
    return texture


def _spread(detail: np.ndarray) -> tuple[float, float]:
    """How strong `detail` is, and how far its marks reach: its robust deviation
    (plate.robust_spread) or, where its marks are sparse, their root mean square; and the
    size of its strongest marks, less a STRAY_SHARE. Read from at most SPREAD_SAMPLES of its
    values, evenly spaced: on a large picture's eye, the medians of all of them cost more
    than the rest of the lid's paint. (The robust deviation alone, of black strokes on bare
    paper, is the paper's: none. The lid's texture was scaled to it and clipped within it,
    and a monotype closed its eyes into smooth pale ovals without a stroke. Of painted or
    photographed skin, grain all over, the two agree, and its strongest marks reach about
    TEXTURE_CLIP deviations.)"""
    step = max(1, int(np.sqrt(detail.size / SPREAD_SAMPLES)))  # every step-th row and column
    values = detail[::step, ::step].reshape(-1)
    if values.size == 0:
        return 0.0, 0.0
    kth = int((1.0 - STRAY_SHARE) * (values.size - 1))
    kept = np.partition(np.abs(values), kth)[:kth + 1]  # (a partition: a quantile cost four times as much)
    return max(robust_spread(values), float(np.sqrt(np.dot(kept, kept) / kept.size))), float(kept[-1])
