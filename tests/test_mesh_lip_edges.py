"""An opening mouth's lips sample their own colour, not the dark line where the closed lips
met (lip_edges.py): a miniaturist's drawn lip line is not stretched over the lips round the
opening, even where the mouth's paint does not take it out (over teeth, stretched_line.py
gives way) and towards the corners, where the whole lip lies on the line.

Made miniatures of the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.named_points import LIP_ROWS, OUTER_LIPS
from tests.test_mesh_stretched_line import LINE, LUMA, _lips_round_the_opening, _miniature, _opened, _polygon


def _lip_and_line_tones(painted: np.ndarray, animator: MeshAnimator) -> tuple[float, float]:
    rest_lips = _polygon(painted.shape, animator.rig.mesh[list(OUTER_LIPS), :2]) > 0
    return (float(np.percentile(painted[rest_lips].astype(np.float32) @ LUMA, 75)),
            float(np.asarray(LINE, np.float32) @ LUMA))


@pytest.mark.parametrize("scale", [1.0, 0.5], ids=["miniature", "small-miniature"])
def test_over_teeth_a_drawn_lip_line_is_not_stretched_round_the_opening(stack, sitter, scale, monkeypatch):
    """Where teeth are painted the stretched line's lift gives way (the lips' dark edge shows
    the opening there), so what the lips round the opening show is the warp's alone: their own
    pink, none of it as dark as half way from the lips' tone to the stroke's. Before, the rows
    beside the lips' inner edges still sampled the stroke, and it hung from the upper lip as
    dark flecks at the opening's ends."""
    from installation.models.motion.mesh import mouth

    monkeypatch.setattr(mouth, "take_out_line", lambda *args: None)  # as over teeth: the warp's own
    painted = _miniature(sitter, stack, scale, line=True)
    animator = MeshAnimator(painted, stack)
    out, dst = _opened(animator)
    band = _lips_round_the_opening(out.shape, dst)
    lip_tone, line_tone = _lip_and_line_tones(painted, animator)
    dark = (out.astype(np.float32) @ LUMA) < 0.5 * (lip_tone + line_tone)
    assert band.sum() > 100
    assert (band & dark).sum() <= 0.01 * band.sum()


def test_an_opened_lip_shows_its_rows_in_their_order_across_it(stack, sitter):
    """Each lip, opened, samples the picture from its outer edge inward in the order its rows
    lie: no row inside it samples from nearer the line than the lip's inner edge does. (The
    inner edge alone had moved in, past the next row still on the line: the band between them
    showed the lip inside out, its edge doubled and the line stretched along the middle.)"""
    painted = _miniature(sitter, stack, 1.0, line=True)
    animator = MeshAnimator(painted, stack)
    _, dst = _opened(animator)
    warper = animator.warper
    sources = warper.lip_edges.sources(dst.astype(np.float64))
    for rows in (LIP_ROWS[:4], LIP_ROWS[:3:-1]):  # each lip, outer edge to inner
        columns = np.array([row[1:-1] for row in rows])
        outer, inner = warper.src[columns[0]], warper.src[columns[-1]]
        across = (outer - inner) / np.linalg.norm(outer - inner, axis=1)[:, None]
        lies = np.einsum("rcx,cx->rc", sources[columns] - inner, across)  # off the rest line
        assert np.all(lies[-1] > 0.0)  # the opened inner edge samples off the line...
        assert np.all(lies[1:-1] >= lies[-1] - 0.25)  # ...and no row inside samples nearer it
