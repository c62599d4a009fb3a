"""Her lower row under her own upper teeth (lower_row.py): a sitter who shows her upper teeth
at rest, and a visitor who smiles or laughs with theirs. The row painted for her lower teeth
must read as the same set as her own: no taller than her upper row, in her teeth's colour,
and painted over her own lower teeth where those show too little, not left a dark pit."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP
from tests.test_mesh_own_teeth import _as_found, _down_the_middle, _open_jaw, _open_mouth, _smiling

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
# A visitor's broad toothy smile, as the face mesh reads the shared smile driver: upper teeth
# over two thirds of their opening, resting on the lower lip's inside.
TOOTHY = (0.67, 0.0, 0.0, 0.0, 0.33)


def _rows_down_the_middle(animator, frame, motion, mesh, lip: float) -> np.ndarray:
    """Down the middle of her opening under her teeth (`_down_the_middle`), the rows lit as
    teeth: lighter than the lips by a tenth."""
    light, _ = _down_the_middle(animator, frame, motion, mesh)
    return light > 1.1 * lip


def test_under_her_own_teeth_a_toothy_smile_paints_her_lower_row_no_taller_than_her_upper_row(
        stack, sitter, monkeypatch):
    """Her lip comes down by the visitor's whole opening, so under her own teeth her opening is
    far taller than what the visitor shows under theirs. Sized by that opening, the lower row
    painted for a toothy smile was 1.6-2.2 times as tall as her own upper row (a second, false
    set of teeth); here 3.2 times. Lower incisors show less than the upper ones."""
    picture, mesh, depth = _smiling(sitter, stack)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    lip = float(animator.rig.palette.lip @ LUMA)
    smile = Motion(offsets=_open_mouth().offsets, teeth=TOOTHY)
    teeth = _rows_down_the_middle(animator, animator.render(smile), smile, mesh, lip)
    row = int(np.count_nonzero(teeth))  # pixels of painted teeth down the middle, her lower row's
    assert 0.4 * depth < row <= depth, (row, depth)


def test_her_lower_row_is_painted_in_her_own_teeths_colour_on_a_print_whose_lips_are_in_its_tone(
        stack, sitter, monkeypatch):
    """A print whose lips lie in its own tone (grey, sepia; or a colour photograph whose lips
    happen to lie near its tone curve) has the painted mouth taken into that tone. Her own
    teeth are the print's already: taken again to the tone at their lightness (here grey), a
    row painted to meet her cream teeth was grey under them, a second set."""
    cream = (232, 214, 170)
    picture, mesh, depth = _smiling(sitter, stack, teeth_colour=cream)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    lip = float(animator.rig.palette.lip @ LUMA)
    smile = Motion(offsets=_open_mouth().offsets, teeth=TOOTHY)
    frame = animator.render(smile)
    dst = animator.place(smile)[0]
    edge, bottom = dst[13, 1], dst[14, 1]
    x = int(round(dst[13, 0]))
    rows = np.arange(int(np.ceil(edge)), int(np.floor(bottom)) + 1)
    pixels = frame[rows, x - 3:x + 4].astype(np.float32).reshape(-1, 3)
    row = pixels[pixels @ LUMA > 1.1 * lip]
    assert len(row) > 0
    lit = row[row @ LUMA >= np.percentile(row @ LUMA, 75)]  # (its shade is in the face's hue: enamel.in_shade)
    # Her teeth's warmth, blue under red for their lightness: hers 0.29; grey, 0.
    warmth = lambda rgb: (rgb[..., 0] - rgb[..., 2]) / np.maximum(rgb @ LUMA, 1.0)  # noqa: E731
    assert np.median(warmth(lit)) > 0.6 * float(warmth(np.array(cream, np.float32)))


def test_over_her_own_thin_lower_row_a_laugh_paints_her_lower_teeth_not_a_dark_pit(stack, sitter, monkeypatch):
    """A sitter who shows the edge of her lower teeth at rest, a sliver under her upper row.
    Her own lower row stood for the visitor's, however little of it showed: a visitor smiling
    with their teeth together opened her mouth to a dark pit between her upper row and the
    sliver of hers come down with her lip. The painted row now shows what her lower teeth
    show above her own sliver, as tall as a lower row is beside her upper one."""
    picture, mesh, depth = _smiling(sitter, stack, lower_teeth=0.15)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    assert animator.rig.own_lower_teeth is not None and animator.rig.own_lower_teeth.mean() > 0.5
    lip = float(animator.rig.palette.lip @ LUMA)
    laugh = Motion(offsets=_open_jaw().offsets, teeth=TOOTHY)
    teeth = _rows_down_the_middle(animator, animator.render(laugh), laugh, mesh, lip)
    # Teeth at the opening's lower edge, above her own come down (the last rows down the middle).
    lower = teeth[len(teeth) // 2:]
    assert np.count_nonzero(lower) >= 0.25 * depth, (np.count_nonzero(lower), depth)


def _dark_runs_under_her_teeth(animator, frame, motion, mesh, lip: float) -> int:
    """The longest run of pixels down the middle of her opening under her own teeth that is the
    mouth's dark (under 0.6 of the lips' light)."""
    light, _ = _down_the_middle(animator, frame, motion, mesh)
    longest = run = 0
    for dark in light < 0.6 * lip:
        run = run + 1 if dark else 0
        longest = max(longest, run)
    return longest


def _grin(opening: float) -> np.ndarray:
    """A visitor's grin with the lips parted by `opening` face heights, the jaw held."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = opening
    return offsets


def test_under_her_own_teeth_a_grin_with_the_teeth_together_shows_her_rows_meeting_not_a_black_band(
        stack, sitter, monkeypatch):
    """A visitor grinning with the teeth held together: their upper row over their lower, or
    their upper teeth over a dark a few pixels tall (the biting line's shadow, the lower teeth in
    the lip's shade). Her lip comes down by their whole opening, and under her own upper teeth
    that opening was the mouth's dark, or a short lower row with the dark between the rows: a
    black band across the mouth where the visitor shows teeth (the official portrait of a
    smiling man, on the shared expressions and faces drivers). Her lower row now meets hers,
    with the visitor's own thin dark as a line between; a mouth open under the teeth keeps its
    dark (test_mesh_own_teeth.py)."""
    picture, mesh, depth = _smiling(sitter, stack)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    lip = float(animator.rig.palette.lip @ LUMA)
    height = animator.rig.face_height
    together = Motion(offsets=_grin(0.045), teeth=(0.45, 0.55, 0.0, 0.0, 0.0))
    frame = animator.render(together)
    assert _dark_runs_under_her_teeth(animator, frame, together, mesh, lip) <= max(2, 0.006 * height)
    assert np.count_nonzero(_rows_down_the_middle(animator, frame, together, mesh, lip)) >= 0.5 * depth
    # Their upper teeth over their thin dark (0.3 of an opening 0.04 of the face: 0.012).
    bite = Motion(offsets=_grin(0.04), teeth=(0.7, 0.0, 0.0, 0.0, 0.0))
    frame = animator.render(bite)
    assert _dark_runs_under_her_teeth(animator, frame, bite, mesh, lip) <= 0.015 * height
    assert np.count_nonzero(_rows_down_the_middle(animator, frame, bite, mesh, lip)) >= 0.5 * depth
