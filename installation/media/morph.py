"""A morph between two pictures by optical flow, for the loop scene's `change = "morph"`.

Dense flow (Farneback) is estimated both ways on small grey copies (about 5 ms), then
each in-between frame pulls both pictures part of the way along the flow and blends
them: features slide into their new places instead of one face showing through the
other. On faces of similar framing this reads as one person turning into another;
when the flow finds nothing to match it degrades to a plain crossfade.
"""

from __future__ import annotations

import numpy as np

FLOW_SIDE = 128  # flow resolution: faces need only coarse correspondence


class FlowMorph:
    def __init__(self, a: np.ndarray, b: np.ndarray) -> None:
        import cv2

        if a.shape != b.shape:
            raise ValueError(f"morph needs equal sizes, got {a.shape} and {b.shape}")
        self.a, self.b = a.astype(np.float32), b.astype(np.float32)
        h, w = a.shape[:2]
        scale = FLOW_SIDE / max(h, w)
        small = (max(8, round(w * scale)), max(8, round(h * scale)))
        ga = cv2.cvtColor(cv2.resize(a, small, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
        gb = cv2.cvtColor(cv2.resize(b, small, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
        args = dict(pyr_scale=0.5, levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0)
        fab = cv2.calcOpticalFlowFarneback(ga, gb, None, **args)
        fba = cv2.calcOpticalFlowFarneback(gb, ga, None, **args)
        # Back to full resolution, in full-resolution pixels.
        self.fab = cv2.resize(fab, (w, h), interpolation=cv2.INTER_LINEAR) / scale
        self.fba = cv2.resize(fba, (w, h), interpolation=cv2.INTER_LINEAR) / scale
        xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        self.grid = np.dstack([xs, ys])

    def frame(self, alpha: float) -> np.ndarray:
        """The picture `alpha` of the way from a (0) to b (1), RGB uint8."""
        import cv2

        alpha = min(1.0, max(0.0, alpha))
        if alpha <= 0.0:
            return self.a.astype(np.uint8)
        if alpha >= 1.0:
            return self.b.astype(np.uint8)
        # Backward warps, approximated with the flow at the output pixel: at alpha = 1,
        # a is sampled where b's pixels came from (a in b's geometry), and vice versa.
        map_a = self.grid + alpha * self.fba
        map_b = self.grid + (1.0 - alpha) * self.fab
        wa = cv2.remap(self.a, map_a, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        wb = cv2.remap(self.b, map_b, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return np.clip(wa * (1.0 - alpha) + wb * alpha, 0, 255).astype(np.uint8)
