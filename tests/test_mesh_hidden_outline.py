"""A turned sitter's far jaw line behind the nose and mouth (mesh/hidden.py).

On a sitter turned about 40 degrees (a Brady studio photograph of a bearded man) the far jaw's
outline runs under the nose and the moustache in the picture. As a smile or an opening mouth
pulled the far corner away, the outline's triangles came out there showing what the picture
gave them: light chips of the nose's underside in the dark moustache beside the mouth (at
the faces driver's widest smile and its turn). The outline behind the far cheek, where every turned
sitter's outline lies, must sample as it did: moving it put light specks beside a nose.

A picture laid out as such a sitter's, on the map's grid (depth: larger is farther):

    rows  0-39: the far cheek (depth 10), no nearer than the face's middle
    rows 40-49: the moustache's upper lip (depth -15), in front of it
    rows 50-79: the nose (depth -30), in front of both
    the outline's triangle (depth 60) lies under all three, drawn over none at rest
"""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.hidden import HiddenSources

SIZE = 80
FACE_HEIGHT = 100.0  # the step's margin: 6 px of depth
POINTS = np.array([[0, 0], [79, 0], [79, 19], [0, 19], [79, 39], [0, 39],  # the cheek (four triangles)
                   [0, 40], [79, 40], [79, 49], [0, 49],  # the lip
                   [0, 50], [79, 50], [79, 79], [0, 79],  # the nose
                   [20, 10], [60, 10], [40, 70]], np.float64)  # the outline's triangle, across all
DEPTH = np.array([10] * 6 + [-15] * 4 + [-30] * 4 + [60] * 3, np.float64)
TRIANGLES = np.array([[0, 1, 2], [0, 2, 3], [3, 2, 4], [3, 4, 5], [6, 7, 8], [6, 8, 9], [10, 11, 12], [10, 12, 13],
                      [14, 15, 16]])
OUTLINE = len(TRIANGLES) - 1


def _picture() -> HiddenSources:
    """The cheek, lip and nose as the picture shows them (the outline's triangle hidden under
    them all), as the face's own skin; the last triangle as its outline."""
    rest_index = np.zeros((SIZE, SIZE), np.int32)
    rest_index[40:50] = 4
    rest_index[50:] = 6
    outline = np.arange(len(TRIANGLES)) == OUTLINE
    return HiddenSources(DEPTH, TRIANGLES, ~outline, POINTS, rest_index, FACE_HEIGHT, 1, outline=outline)


def _drawn_by_the_outline(sources: HiddenSources, source_row: int) -> tuple[np.ndarray, np.ndarray]:
    """A patch the outline's triangle shows after a motion (rows 20-24, columns 30-34),
    sampling the picture at `source_row`; the displacement after the redirect."""
    index = np.full((SIZE, SIZE), len(TRIANGLES), np.int32)
    index[20:25, 30:35] = OUTLINE
    dx = np.zeros((SIZE, SIZE), np.float32)
    dy = np.zeros((SIZE, SIZE), np.float32)
    rows = np.arange(20, 25)[:, None]
    dy[20:25, 30:35] = source_row - rows
    moved = POINTS.copy()
    sources.redirect(index, dx, dy, 1, moved)
    return dx[20:25, 30:35], dy[20:25, 30:35] + rows


def test_the_outline_under_the_nose_samples_the_skin_beside_it_not_the_nose():
    """Sampling the nose (rows 50-79) it was a light chip. The far side of the nose's own
    edge is the lip under it, as light as the nose on a turned sitter: it samples the nearest
    skin that is no front of the face, the far cheek's edge at row 39."""
    _, rows = _drawn_by_the_outline(_picture(), 60)
    assert np.all(rows < 50), "the outline still samples the nose"
    assert np.all(rows < 40), "the outline samples the lip below the nose, the front of the face"
    assert np.all(rows >= 36), "taken farther than the cheek's edge"


def test_the_outline_under_the_far_cheek_samples_it_as_before():
    """The far cheek over the outline is what a turned head shows there: left alone."""
    dx, rows = _drawn_by_the_outline(_picture(), 15)
    assert np.all(rows == 15) and np.all(dx == 0)

