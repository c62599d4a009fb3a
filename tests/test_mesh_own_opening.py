"""A sitter whose lips are parted in the picture (a photograph mid-word, at an instrument) keeps
her own opening as the visitor's mouth opens a little more: her teeth are not ghosted by a
painted mouth laid over them at part strength (own_opening.py)."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh import animator as animator_module
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP

from .test_mesh_own_teeth import _as_found, _smiling

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _opened_by(animator: MeshAnimator, pixels: float) -> Motion:
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = pixels / animator.rig.face_height
    return Motion(offsets=offsets, teeth=(0.0, 0.0))


def _parted_with_teeth_unread(stack, sitter, monkeypatch):
    """The sitter's lips parted at rest, her upper teeth showing, and the reading of her own
    teeth missing them (as it did on a 1940s photograph of a man at his trumpet)."""
    picture, mesh, depth = _smiling(sitter, stack)
    _as_found(monkeypatch, stack, mesh)
    monkeypatch.setattr(animator_module, "lips_at_teeth", lambda image, mesh: (None, False, None))
    animator = MeshAnimator(picture, stack)
    assert not animator.rig.own_teeth
    return picture, mesh, depth, animator


def test_a_mouth_parted_at_rest_opening_a_little_more_shows_her_teeth_not_a_ghost(stack, sitter, monkeypatch):
    picture, mesh, depth, animator = _parted_with_teeth_unread(stack, sitter, monkeypatch)
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    top = int(np.ceil(mesh[[82, 13, 312], 1].max()))
    edge = int(mesh[13, 1] + depth)
    teeth = (picture[top + 1:edge - 1, x0:x1].astype(np.float32) @ LUMA).mean()
    for pixels in (0.7, 1.2):  # a pixel or so beyond her own parting: where the paint used to fade in
        out = animator.render(_opened_by(animator, pixels)).astype(np.float32)
        shown = out[top + 1:edge - 1, x0:x1] @ LUMA
        # Where her teeth were, her teeth as light as in the picture, or the opening's dark;
        # no more between than the seam (under the painted mouth at part strength they were all greyed,
        # 0.6-0.75 of their light: a ghost of two mouths).
        ghost = (shown > 100) & (shown < 0.85 * teeth)
        assert ghost.mean() < 0.5, (pixels, ghost.mean())  # (the seam between them, a soft pixel)
        assert (shown >= 0.85 * teeth).mean() > 0.3  # and her teeth are still there
