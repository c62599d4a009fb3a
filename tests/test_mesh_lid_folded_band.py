"""A closed lid is one skin across: where its band at rest is folded away over the middle of
the eye (the crease on the lash line over the iris, as on Holbein's Erasmus's near eye), its
tone is read across from the lid's own skin either side (lid_paint._bridged), not from the
fold's shade above the crease, which drew a dark streak down the middle of the closed lid
(his: 66-68 grey levels against 84-100 either side).

A drawn test lid, painted as paint_lids paints a closing lid (lids.LidCover): even skin, a
band of lid skin between the crease and the lid's margin at rest, none over the middle third,
where the socket's shade lies above the crease instead."""

from __future__ import annotations

import cv2
import numpy as np

from installation.models.motion.mesh.lid_paint import paint_lids
from installation.models.motion.mesh.lids import LidCover

SKIN = (200.0, 165.0, 140.0)
LUMA = np.array([0.299, 0.587, 0.114])
H, W, X0, Y0 = 40, 40, 10, 12  # the lid's patch, and where it lies in the picture
SHADE = 0.6  # the socket's shade above the crease over the middle, of the skin's tone


def _closing_lid() -> tuple[np.ndarray, LidCover, np.ndarray]:
    cols = np.arange(W, dtype=np.float32)
    middle = np.abs(cols - W / 2) < W / 6
    crease = np.where(middle, 9.0, 6.0)[None, :]  # patch rows: the crease drops onto the lash line ...
    was = np.full((1, W), 9.0)  # ... the upper lid's margin at rest
    start = np.where(middle, 9.0, 8.0)[None, :]  # the band of lid skin above it (none over the middle)
    margin = lower = np.full((1, W), 22.0)  # closed
    rows = np.arange(H, dtype=np.float32)[:, None]
    covered = np.clip(np.minimum(rows - start + 1.0, margin + 1.5 - rows), 0.0, 1.0).astype(np.float32)
    picture = np.empty((80, 70, 3), np.float32)
    picture[:] = SKIN
    # The socket's shade, soft-edged, above the crease over the middle (inside the columns
    # with no band: beside it the lid's band is its skin).
    shade = np.zeros(picture.shape[:2], np.float32)
    shade[Y0 - 4:Y0 + 9, X0 + 16:X0 + W - 15] = 1.0
    shade = cv2.GaussianBlur(shade, (0, 0), 1.0)
    picture *= 1.0 - (1.0 - SHADE) * shade[..., None]
    cover = LidCover(X0, Y0, covered, margin, 1.0, crease, start, lower, Y0 + 5, was)
    return np.round(picture).astype(np.uint8), cover, covered


def test_a_closed_lid_is_no_darker_over_the_middle_where_its_band_was_folded_away():
    picture, cover, covered = _closing_lid()
    painted = picture.copy()
    paint_lids(painted, [cover], drawn=0.0)
    luma = painted.astype(np.float32) @ LUMA
    body = luma[Y0 + 12:Y0 + 18, X0:X0 + W]  # the closed lid's body, above its lash line's shadow
    middle = body[:, int(W / 2) - 3:int(W / 2) + 3].mean()
    sides = np.concatenate([body[:, 4:10], body[:, W - 10:W - 4]], axis=1).mean()
    skin = float(np.dot(SKIN, LUMA))
    # Old: the middle 129 grey levels against 171 either side, a dark streak; now 172.
    assert middle > sides - 0.03 * skin, (middle, sides, skin)
