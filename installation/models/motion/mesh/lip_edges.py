"""Where an opening mouth's inner lip edges sample the portrait: at rest, where they are;
as the mouth opens, a little way into the lips, so the dark line between closed lips does
not stretch into a dark rim around the opening (real inner lips are lit lip). The warper
(warp.py) maps the rest of the face from the points as they are.
"""

from __future__ import annotations

import numpy as np

from .named_points import LOWER_INNER_LIP, LOWER_OUTER_LIP, UPPER_INNER_LIP, UPPER_OUTER_LIP
from .rig import PortraitRig

# How far into the lips (share of their thickness) an open mouth's inner edge samples.
LIP_EDGE_INWARD = 0.3


class LipEdges:
    """The sitter's inner lip points, the way into her lips from each, and how far apart her
    lips are at rest; `sources` moves the edges in as the mouth opens."""

    def __init__(self, rig: PortraitRig, src: np.ndarray) -> None:
        self.src = src  # the points at rest, (x, y): where each samples the portrait
        # The inner lip points and the outer ones facing them (corners left out).
        self.inner_upper, self.inner_lower = (np.array(ids[1:-1])
                                              for ids in (UPPER_INNER_LIP, LOWER_INNER_LIP))
        outer_upper, outer_lower = (np.array(ids[1:-1]) for ids in (UPPER_OUTER_LIP, LOWER_OUTER_LIP))
        self.lip_inward = np.concatenate([src[outer_upper] - src[self.inner_upper],
                                          src[outer_lower] - src[self.inner_lower]])
        if rig.own_teeth:  # the upper edge is her own teeth's: sampled into them, they shrank
            self.lip_inward[:len(self.inner_upper)] = 0.0
        if rig.own_lower_teeth is not None:  # and so is the lower edge, where her lower teeth show
            self.lip_inward[len(self.inner_upper):][rig.own_lower_teeth] = 0.0
        self.rest_gap = np.linalg.norm(src[self.inner_upper] - src[self.inner_lower], axis=1)

    def sources(self, dst: np.ndarray) -> np.ndarray:
        """Where each point samples the portrait. At rest, where it is; but as the mouth
        opens, the inner lip edges sample a little way into the lips: the dark line between
        closed lips must not stretch into a dark rim around the opening (real inner lips
        are lit lip)."""
        gap = np.linalg.norm(dst[self.inner_upper] - dst[self.inner_lower], axis=1)
        thickness = np.linalg.norm(self.lip_inward, axis=1).reshape(2, -1).min(0)
        opened = np.clip((gap - self.rest_gap) / np.maximum(0.5 * thickness, 1.0), 0.0, 1.0)
        if not opened.any():
            return self.src
        src = self.src.copy()
        inward = self.lip_inward * (LIP_EDGE_INWARD * np.tile(opened, 2))[:, None]
        src[np.concatenate([self.inner_upper, self.inner_lower])] += inward
        return src
