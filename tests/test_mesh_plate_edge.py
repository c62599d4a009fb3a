"""The wall painted in behind the head (plate.py) where the sitter's hair runs close to the
edge of the region that moves: a moving head must draw no line in the ground there.

Synthetic pictures only: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.sample import Sampler

REGION = (20, 20, 140, 220)  # x0, y0, x1, y1


def _hair_near_the_border() -> tuple[np.ndarray, np.ndarray]:
    """A light wall, darker in a strip beside the head (on both sides of the region's right border) than
    above and below it, and a dark head whose edge comes within 6 pixels of that border (as
    the shared painting's hair does): the picture, and the person mask over the region."""
    picture = np.full((240, 240, 3), 150, np.uint8)
    picture[60:180, 133:] = 60  # a strip of ground beside the hair, running on beyond the region
    person = np.zeros((200, 120), np.float32)
    yy, xx = np.mgrid[0:200, 0:120]
    person[((xx - 74) / 40.0) ** 2 + ((yy - 100) / 60.0) ** 2 <= 1.0] = 1.0  # right edge at x 134
    x0, y0, x1, y1 = REGION
    head = np.zeros((240, 240), bool)
    head[y0:y1, x0:x1] = person > 0
    picture[head] = (40, 35, 30)
    return picture, person


def test_a_head_moving_beside_the_regions_border_draws_no_line_in_the_ground():
    picture, person = _hair_near_the_border()
    x0, y0, x1, y1 = REGION
    sampler = Sampler(picture, REGION, person, face_height=100.0)
    region = picture[y0:y1, x0:x1].copy()
    # The head moves 1.5 px to the left (every pixel samples from its right): the ground
    # beside its right edge, which it covered, shows. (Near the border the map fades to none,
    # as the still ring's does.)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    shift = 1.5 * np.clip((x1 - 1 - xx) / 4.0, 0.0, 1.0)
    sampler.sample(region, xx + shift, yy, (slice(0, 0), slice(0, 0)))
    beside = region[70 - y0:170 - y0, 133 - x0:x1 - x0].astype(np.float32)
    # Still dark ground there (60; 61 at most drawn): no light streak of a wall guessed from the
    # light wall far off (drawn up to 94, in a line along the head's edge).
    assert beside.max() < 60 + 25
