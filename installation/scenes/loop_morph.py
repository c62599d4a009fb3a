"""The in-between pictures of a loop's morph (optical flow between two still images),
computed ahead on a worker at reduced size, each laid out in the picture frame."""

from __future__ import annotations

import numpy as np

MORPH_SCALE = 0.5


def morph_frames(
    a: np.ndarray, b: np.ndarray, box: tuple[int, int], background: tuple[int, int, int], count: int
) -> list[np.ndarray]:
    """`count` in-between pictures from a to b, each laid out in the picture frame (at half size)."""
    import cv2

    from ..media.morph import FlowMorph

    w, h = max(8, round(box[0] * MORPH_SCALE)), max(8, round(box[1] * MORPH_SCALE))

    def canvas(image: np.ndarray) -> np.ndarray:
        out = np.empty((h, w, 3), np.uint8)
        out[:] = background
        ih, iw = image.shape[:2]
        s = min(w / iw, h / ih)
        small = cv2.resize(
            image, (max(1, round(iw * s)), max(1, round(ih * s))), interpolation=cv2.INTER_AREA
        )
        y, x = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
        out[y : y + small.shape[0], x : x + small.shape[1]] = small
        return out

    morph = FlowMorph(canvas(a), canvas(b))
    return [morph.frame((i + 0.5) / count) for i in range(count)]
