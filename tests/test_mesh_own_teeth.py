"""A sitter who shows her own upper teeth at rest (a smiling photograph): an opening mouth
keeps them as a row under her upper lip and opens below them, not a ring of stretched teeth
round a painted pit. The smile is drawn here into the shipped sitter's picture."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh import animator as animator_module
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    INNER_LIPS,
    LIP_ROWS,
    LOWER_INNER_LIP,
    OUTER_LIPS,
    UPPER_INNER_LIP,
)

TEETH_SHARE = 0.45  # of the opening, from the upper lip down


def _smiling(sitter: np.ndarray, stack, lower_teeth: float = 0.0, touching_at: float | None = None,
             teeth_colour: tuple[int, int, int] = (235, 230, 215)) -> tuple[np.ndarray, np.ndarray, float]:
    """The sitter with her lips parted (the lower inner lip 0.06 face heights down) and her
    upper teeth drawn in the opening's upper part; the mesh of that mouth; the teeth's depth.
    `lower_teeth`: her lower teeth drawn too, this share of the opening up from the lower
    lip; `touching_at`: where (pixels from the mouth's middle, along it) one upper tooth
    reaches down to them, the rows touching there; `teeth_colour`: the teeth's RGB."""
    mesh = portrait_faces(sitter, stack)[0].landmarks.astype(np.float32).copy()
    height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    # The whole lower lip comes down (its inner edge, its outer one and the rows between).
    lower = sorted({p for row in LIP_ROWS[4:] for p in row} - {61, 62, 76, 78, 291, 292, 306, 308})
    u = np.abs(mesh[lower, 0] - mesh[14, 0]) / (abs(mesh[308, 0] - mesh[78, 0]) / 2)
    mesh[lower, 1] += 0.06 * height * np.sqrt(np.clip(1.0 - u * u, 0.0, 1.0))
    picture = sitter.copy()
    opening = np.round(mesh[list(INNER_LIPS), :2]).astype(np.int32)
    cv2.fillPoly(picture, [opening], (40, 25, 25))
    teeth = np.zeros(picture.shape[:2], np.uint8)
    cv2.fillPoly(teeth, [opening], 1)
    line = mesh[list(UPPER_INNER_LIP), :2]
    top = np.interp(np.arange(picture.shape[1]), *line[np.argsort(line[:, 0])].T)
    depth = TEETH_SHARE * 0.06 * height
    rows = np.arange(picture.shape[0])[:, None]
    shown = rows <= top[None, :] + depth
    if lower_teeth > 0.0:
        line = mesh[list(LOWER_INNER_LIP), :2]
        bottom = np.interp(np.arange(picture.shape[1]), *line[np.argsort(line[:, 0])].T)
        shown |= rows >= bottom[None, :] - lower_teeth * (bottom - top)[None, :]
    if touching_at is not None:
        x = int(round(mesh[13, 0] + touching_at))
        shown[:, x - 2:x + 3] = True
    teeth &= shown.astype(np.uint8)
    picture[teeth > 0] = teeth_colour
    return picture, mesh, depth


def _as_found(monkeypatch, stack, mesh: np.ndarray) -> None:
    """The portrait's face found with this mesh (the drawn mouth's own)."""
    face = SimpleNamespace(landmarks=mesh, height=float(np.linalg.norm(mesh[152, :2] - mesh[10, :2])))
    monkeypatch.setattr(animator_module, "find_portrait_face", lambda image, stack: face)
    monkeypatch.setattr(animator_module, "_portrait_analysis", lambda image, stack: ([face], stack.eyes(image, mesh)))


@pytest.fixture
def smiling(stack, sitter, monkeypatch):
    picture, mesh, depth = _smiling(sitter, stack)
    _as_found(monkeypatch, stack, mesh)
    return picture, mesh, depth


def _open_mouth() -> Motion:
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.08
    return Motion(offsets=offsets, teeth=(0.0, 0.0))  # the visitor's own teeth hidden


def _open_jaw() -> Motion:
    """The whole lower lip drops with the jaw (its inner and outer edges and the rows between)."""
    offsets = np.zeros((468, 3), np.float32)
    lower = sorted({p for row in LIP_ROWS[4:] for p in row} - {61, 62, 76, 78, 291, 292, 306, 308})
    offsets[lower, 1] = 0.08
    return Motion(offsets=offsets, teeth=(0.0, 0.0))


def test_her_own_teeth_stay_a_row_and_the_mouth_opens_below_them(stack, smiling):
    picture, mesh, depth = smiling
    animator = MeshAnimator(picture, stack)
    assert np.array_equal(animator.render(Motion()), picture)  # at rest, the picture itself
    opened = animator.render(_open_mouth()).astype(np.float32)
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    top = int(np.ceil(mesh[[82, 13, 312], 1].max()))
    edge = int(mesh[13, 1] + depth)
    # Her teeth where they were, as they were (painted over, they were a dark pit: 100+ off).
    band = np.abs(opened[top:edge - 1, x0:x1] - picture[top:edge - 1, x0:x1]).mean()
    assert band < 25.0
    luma = opened @ np.array([0.299, 0.587, 0.114])
    assert luma[edge + 3:int(mesh[14, 1]) + 2, x0:x1].mean() < 120  # and the opening below them
    # Not stretched down round the opening: no light band lower down.
    bottom = luma[int(mesh[14, 1]) + 2:int(mesh[14, 1] + 0.08 * animator.rig.face_height) - 2, x0:x1]
    assert (bottom > 180).mean() < 0.05


def test_a_closed_mouth_shows_no_teeth_at_rest(stack, sitter):
    from installation.models.motion.mesh.own_teeth import biting_line

    mesh = portrait_faces(sitter, stack)[0].landmarks
    assert biting_line(sitter, mesh) is None
    assert not MeshAnimator(sitter, stack).rig.own_teeth


def _down_the_middle(animator, frame: np.ndarray, motion: Motion, mesh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Light down the middle of the opening under her teeth (the central columns' mean), from
    her teeth's edge to the lower inner lip, and each row's share of the way (0 to 1)."""
    dst = animator.place(motion)[0]
    edge, bottom = dst[13, 1], dst[14, 1]  # her teeth's edge (the moved upper inner lip), the lower lip
    x = int(round(dst[13, 0]))
    rows = np.arange(int(np.ceil(edge)), int(np.floor(bottom)) + 1)
    luma = frame[rows, x - 3:x + 4].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return luma.mean(axis=1), (rows - edge) / (bottom - edge)


def test_under_her_own_teeth_a_toothy_smile_shows_her_lower_row_on_the_lips_inside_not_a_yawn(stack, smiling):
    """A visitor's broad toothy smile (as the face mesh reads the shared smile driver: upper
    teeth over two thirds of their opening, resting on the lower lip's inside, no dark).
    Her own upper teeth stand for theirs and her lip comes down by the visitor's whole
    opening; left dark under her row, the smile was her teeth, a wide dark gap and a band of
    lip: a yawn. Her lower row shows, in her own teeth's light, standing on a band of the lip's
    inside (not one flat slab of lip either). It meets her row where a lower row as tall as
    hers allow reaches it (lower_row.LOWER_OF_UPPER); here her opening is far taller, and the
    mouth's dark is between the rows, as in a laugh (test_mesh_own_lower_row.py)."""
    picture, mesh, depth = smiling
    animator = MeshAnimator(picture, stack)
    lip = float(animator.rig.palette.lip @ np.array([0.299, 0.587, 0.114], np.float32))
    her_teeth = float(np.array([235, 230, 215], np.float32) @ np.array([0.299, 0.587, 0.114], np.float32))
    smile = Motion(offsets=_open_mouth().offsets, teeth=(0.67, 0.0, 0.0, 0.0, 0.33))
    light, at = _down_the_middle(animator, animator.render(smile), smile, mesh)
    # A row of teeth low in her opening (the yawn had none: its lower half under 0.5 of the lips)...
    row = (light > 1.1 * lip) & (at > 0.5)
    assert np.count_nonzero(row) >= 0.4 * depth
    # ...as light as her own at its lit middle (the face's shaded enamel was 0.6-0.75 of hers: a row of two colours)...
    assert light[row].max() > 0.8 * her_teeth
    # ...standing on a band of the lip's light at the lip.
    assert 0.5 * lip < light[(at > 0.9) & (at < 0.97)].mean() < 1.1 * lip


def test_under_her_own_teeth_a_mouth_open_past_the_visitors_teeth_keeps_its_dark(stack, smiling):
    """The visitor's upper teeth with their mouth's dark under them (an open mouth, a yawn):
    her own row stands for theirs and the rest of her opening is the mouth's dark, no lower
    row risen into it (the face mesh read a filled opening as a closed mouth)."""
    picture, mesh, depth = smiling
    animator = MeshAnimator(picture, stack)
    lip = float(animator.rig.palette.lip @ np.array([0.299, 0.587, 0.114], np.float32))
    cavity = Motion(offsets=_open_mouth().offsets, teeth=(0.67, 0.0, 0.0, 0.0, 0.0))
    dark, at = _down_the_middle(animator, animator.render(cavity), cavity, mesh)
    assert dark[(at > 0.15) & (at < 0.9)].max() < 0.6 * lip


def test_her_own_lower_teeth_go_down_with_her_jaw_and_the_mouth_opens_between_the_rows(stack, sitter, monkeypatch):
    """A laughing sitter shows both rows, a dark gap between them. Her lower teeth lay
    between the inner lips with the gap, and the opening was painted over all of it as soon
    as the mouth moved: her lower teeth went black at once. They now hang from the lower
    lip as the upper ones from the upper: the mouth opens between the rows, and her own
    lower teeth come down with her jaw."""
    picture, mesh, depth = _smiling(sitter, stack, lower_teeth=0.3)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    assert animator.rig.own_teeth
    assert np.array_equal(animator.render(Motion()), picture)
    motion = _open_jaw()
    opened = animator.render(motion).astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    dst = animator.place(motion)[0]
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    lower = int(round(dst[14, 1]))  # the opening's lower edge: her lower teeth's top, come down
    assert dst[14, 1] - animator.rig.points[14, 1] > 0.5 * 0.08 * animator.rig.face_height
    # Her lower teeth just below the opening's lower edge, as light as drawn (painted over,
    # they were the cavity's dark, under 120).
    assert opened[lower + 1:lower + 3, x0:x1].mean() > 180
    # And the opening between the rows is dark.
    edge = int(np.ceil(dst[13, 1]))
    assert opened[edge + 2:lower - 2, x0:x1].mean() < 120


def test_over_her_own_lower_teeth_no_second_row_is_painted(stack, sitter, monkeypatch):
    """A visitor laughing with their lower teeth showing: the painted opening drew their lower
    row at its bottom, right over her own lower teeth come down with her jaw, a doubled row
    (the opening's bottom third 150 light of 255, the dark between the rows 43). Her own row
    stands for theirs, as her upper row does for their upper teeth; nor is a smile's lower
    lip inside painted there, over her teeth (91)."""
    picture, mesh, depth = _smiling(sitter, stack, lower_teeth=0.3)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    offsets = _open_jaw().offsets
    dst = animator.place(Motion(offsets=offsets))[0]
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    edge, lower = dst[13, 1], dst[14, 1]  # her upper teeth's edge and her lower teeth's top, moved
    band = slice(int(round(lower - 0.3 * (lower - edge))), int(round(lower)) - 1)
    luma = np.array([0.299, 0.587, 0.114], np.float32)
    # Their lower teeth, both rows, and upper teeth resting on the lower lip (its inside seen).
    for teeth in ((0.0, 0.35), (0.3, 0.35), (0.75, 0.0, 0.0, 0.0, 0.25)):
        opened = animator.render(Motion(offsets=offsets, teeth=teeth)).astype(np.float32) @ luma
        assert opened[band, x0:x1].mean() < 70, teeth


def test_where_her_rows_touch_her_teeth_keep_one_edge_not_a_tooth_hanging_into_the_opening(
        stack, sitter, monkeypatch):
    """Each point of the upper lip reads its teeth's edge on its own: where the rows touch,
    its light run went on down through both rows, and the edge there was the lower teeth's
    bottom, a tooth hanging deep into the opening as a spike. The edge is one row's."""
    from installation.models.motion.mesh.own_teeth import biting_line

    picture, mesh, depth = _smiling(sitter, stack, lower_teeth=0.3, touching_at=0.0)
    depths = biting_line(picture, mesh)
    middle = depths[3:-3]
    neighbours = (depths[2:-4] + depths[4:-2]) / 2
    assert np.all(middle < neighbours + 0.25 * depth), (depths, depth)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    motion = _open_jaw()
    opened = animator.render(motion).astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    dst = animator.place(motion)[0]
    x = int(round(dst[13, 0]))
    # Under the middle tooth, half way down the opening: the dark of the opening.
    y = int(round(dst[13, 1] + 0.5 * (dst[14, 1] - dst[13, 1])))
    assert opened[y - 1:y + 2, x - 1:x + 2].mean() < 120


def test_inspect_tells_the_curator_the_mouth_opens_from_its_own_opening(tmp_path, capsys, stack, sitter,
                                                                        monkeypatch):
    """`portrait inspect` says when the picture's own mouth is open showing teeth (it opens
    from there), and says nothing of it for a closed mouth."""
    from installation.cli import main
    from installation.models.motion import mesh as mesh_package

    picture, mesh, _ = _smiling(sitter, stack, lower_teeth=0.3)
    found = mesh_package.find_portrait_face
    for name, image, parted in (("smiling.png", picture, mesh), ("closed.png", sitter, None)):
        cv2.imwrite(str(tmp_path / name), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if parted is not None:  # found with the drawn mouth's own mesh, as the show finds it
            face = dataclasses.replace(found(image, stack), landmarks=parted)
            monkeypatch.setattr(mesh_package, "find_portrait_face", lambda image, stack, face=face: face)
        else:
            monkeypatch.setattr(mesh_package, "find_portrait_face", found)
        assert main(["portrait", "inspect", str(tmp_path / name), "-o", str(tmp_path / f"mesh-{name}")]) == 0
    smiling, closed = capsys.readouterr().out.split("closed.png:")
    note = "the mouth is open in the picture, showing teeth: it opens from its own opening"
    assert note in smiling and note not in closed


def _engraved(picture: np.ndarray, period: float = 5.0) -> np.ndarray:
    """The picture as an engraving: its tones in two sets of crossing lines `period` pixels
    apart on light paper, the dark tones crossed twice, bare paper in the light."""
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    dark = 1.0 - cv2.normalize(cv2.GaussianBlur(grey, (0, 0), 1.0), None, 0.0, 1.0, cv2.NORM_MINMAX)
    ys, xs = np.mgrid[0:grey.shape[0], 0:grey.shape[1]].astype(np.float32)
    lines = 0.5 + 0.5 * np.sin(2 * np.pi * (0.8 * xs + 0.6 * ys) / period)
    crossing = 0.5 + 0.5 * np.sin(2 * np.pi * (0.6 * xs - 0.8 * ys) / period)
    ink = np.maximum(np.clip((0.75 * dark - lines) * 4 + 0.5, 0, 1),
                     np.clip((1.3 * (dark - 0.45) - crossing) * 4 + 0.5, 0, 1))
    paper, black = np.array([236, 226, 200], np.float32), np.array([34, 30, 28], np.float32)
    return np.clip(paper + (black - paper) * ink[..., None], 0, 255).astype(np.uint8)


def _halftone(picture: np.ndarray, period: float = 5.0) -> np.ndarray:
    """The picture as a book prints it: a screen of ink dots `period` pixels apart at 45
    degrees, each as large as its tone is dark, bare paper between them in the light."""
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    ys, xs = np.mgrid[0:grey.shape[0], 0:grey.shape[1]].astype(np.float32)
    u, v = (xs + ys) / (np.sqrt(2) * period), (ys - xs) / (np.sqrt(2) * period)
    dots = 0.5 + 0.25 * (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v))
    ink = np.clip((dots - grey) * 6 + 0.5, 0, 1)
    paper, black = np.array([234, 228, 214], np.float32), np.array([30, 28, 30], np.float32)
    return np.clip(paper + (black - paper) * ink[..., None], 0, 255).astype(np.uint8)


def test_an_engravings_hatched_mouth_is_not_read_as_teeth_and_its_bare_paper_teeth_are(stack, sitter):
    """On an engraving (or a book's halftone) the paper between the lines (or dots) is as
    light as teeth: read pixel by pixel, an engraved sitter's parted, shadowed mouth showed
    her own teeth at rest, and no smile ever painted teeth for her. Read at the scale of the
    strokes, the hatched mouth is dark as in the photograph; teeth the engraver left as bare
    paper are still her own teeth, to their edge."""
    from installation.models.motion.mesh.own_teeth import biting_line

    picture, mesh, depth = _smiling(sitter, stack)
    parted = sitter.copy()  # the same parted lips, the mouth between them in shadow
    cv2.fillPoly(parted, [np.round(mesh[list(INNER_LIPS), :2]).astype(np.int32)], (70, 56, 56))
    assert biting_line(parted, mesh) is None  # as a photograph: no teeth
    for medium in (_engraved, _halftone):
        for period in (4.0, 5.0, 6.0):  # lines 0.025-0.04 face heights apart
            assert biting_line(medium(parted, period), mesh) is None, (medium.__name__, period)
            teeth = biting_line(medium(picture, period), mesh)
            assert teeth is not None, (medium.__name__, period)
            middle = teeth[3:-3]  # the opening's middle, where the teeth are drawn full depth
            assert np.all(np.abs(middle - depth) < 0.35 * depth), (medium.__name__, period, teeth, depth)


def test_a_small_faces_lit_lower_lip_in_a_thin_parting_is_not_read_as_her_teeth(stack, sitter):
    """A face about 100 px tall, its lips parted by 3-4 px over a lower lip lit along its
    inner edge (a small old photograph, a miniature): read through the picture's blur, the
    lit lip was her own upper teeth, 1-3 px long, and an opening mouth painted no teeth
    under them, nor the inside of her lip: a dark hole. An opening that thin cannot tell
    teeth from lip; the sitter shows none at rest."""
    from installation.models.motion.mesh.own_teeth import biting_line

    small = cv2.resize(sitter, None, fx=0.42, fy=0.42, interpolation=cv2.INTER_AREA)
    mesh = portrait_faces(small, stack)[0].landmarks.astype(np.float32).copy()
    height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    assert 85 < height < 115
    lower = list(LOWER_INNER_LIP)[1:-1]
    u = np.abs(mesh[lower, 0] - mesh[14, 0]) / (abs(mesh[308, 0] - mesh[78, 0]) / 2)
    mesh[lower, 1] += 0.03 * height * np.sqrt(np.clip(1.0 - u * u, 0.0, 1.0)) + 1.0
    picture = small.copy()
    cv2.fillPoly(picture, [np.round(mesh[list(INNER_LIPS), :2] * 16).astype(np.int32)], (60, 42, 40),
                 lineType=cv2.LINE_AA, shift=4)
    # The lower lip's lit inner edge, where the mesh put the parting: its lower three quarters.
    line = mesh[list(LOWER_INNER_LIP), :2]
    upper = mesh[list(UPPER_INNER_LIP), :2]
    edge = line + (upper - line) * 0.75
    lit = np.round(np.concatenate([line + [0, 1.0], edge[::-1]]) * 16).astype(np.int32)
    cv2.fillPoly(picture, [lit], (215, 170, 160), lineType=cv2.LINE_AA, shift=4)
    assert biting_line(picture, mesh) is None


def _light_lipped(sitter: np.ndarray, stack, teeth: bool = True) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The sitter as a black-and-white photograph of a light-lipped smile: lips 150 of 255,
    the mouth parted (0.06 face heights), a shaded band 3 px tall under the upper inner lip,
    then her upper teeth at 180 (lighter than the lips by a fifth, not the third lighter
    that the lips' own bar asks), then the dark of the opening. `teeth=False`: no teeth, the
    lower lip lit to 180 from a third of the way down the opening on down into the lip (a closed
    mouth's lit lip under a parted mesh). The picture, its mesh, the teeth's top and their
    edge (pixels below the upper inner lip)."""
    picture, mesh, _ = _smiling(sitter, stack)
    grey = cv2.cvtColor(sitter, cv2.COLOR_RGB2GRAY)
    picture = cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)
    height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    lips = np.zeros(picture.shape[:2], np.uint8)
    cv2.fillPoly(lips, [np.round(mesh[list(OUTER_LIPS), :2]).astype(np.int32)], 1)
    picture[lips > 0] = 150
    opening = np.zeros_like(lips)
    cv2.fillPoly(opening, [np.round(mesh[list(INNER_LIPS), :2]).astype(np.int32)], 1)
    line = mesh[list(UPPER_INNER_LIP), :2]
    top = np.interp(np.arange(picture.shape[1]), *line[np.argsort(line[:, 0])].T)
    rows = np.arange(picture.shape[0])[:, None] - top[None, :]  # pixels below the upper inner lip
    shade, edge = 3.0, 3.0 + TEETH_SHARE * 0.06 * height
    tone = np.where(rows < shade, 110, np.where(rows < edge, 180 if teeth else 60, 60)).astype(np.uint8)
    if not teeth:  # the lower lip, lit from a third of the way down on down into the lip
        line = mesh[list(LOWER_INNER_LIP), :2]
        bottom = np.interp(np.arange(picture.shape[1]), *line[np.argsort(line[:, 0])].T)
        lit = np.arange(picture.shape[0])[:, None] >= (top + 0.35 * (bottom - top))[None, :]
        lit &= np.arange(picture.shape[0])[:, None] <= bottom[None, :] + 0.04 * height
        picture[lit & (lips > 0)] = 180
        tone = np.where(lit, 180, tone).astype(np.uint8)
    picture[opening > 0] = tone[opening > 0][:, None]
    return cv2.GaussianBlur(picture, (0, 0), 0.8), mesh, shade, edge


def test_a_light_lipped_photographs_own_teeth_are_read_between_the_darks_of_the_opening(
        stack, sitter, monkeypatch):
    """A black-and-white photograph renders lips light (140-165 of 255) and teeth only a
    little lighter (170-200): read against the lips' bar, a smiling boy's own teeth were no
    teeth, and his opening mouth painted a dark hole over them. A light row framed by the
    opening's dark above and below is her teeth: they stay with her upper lip, and the
    mouth opens below them."""
    from installation.models.motion.mesh.own_teeth import biting_line

    picture, mesh, shade, edge = _light_lipped(sitter, stack)
    depths = biting_line(picture, mesh)
    assert depths is not None
    assert np.all(np.abs(depths[3:-3] - edge) < 1.5), (depths, edge)
    _as_found(monkeypatch, stack, mesh)
    animator = MeshAnimator(picture, stack)
    assert animator.rig.own_teeth
    opened = animator.render(_open_mouth()).astype(np.float32)
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    y0, y1 = int(np.ceil(mesh[13, 1] + shade)) + 1, int(mesh[13, 1] + edge) - 1
    # His teeth where they were, as light as they were (painted over, the opening's dark).
    assert opened[y0:y1, x0:x1].mean() > 160


def test_a_light_lipped_closed_mouths_lit_lower_lip_is_not_read_as_teeth(stack, sitter):
    """The same photograph with no teeth: the lower lip lit as light as those teeth were,
    inside the mesh's opening and on down into the lip. It has no dark below it: not teeth."""
    from installation.models.motion.mesh.own_teeth import biting_line

    picture, mesh, _, _ = _light_lipped(sitter, stack, teeth=False)
    assert biting_line(picture, mesh) is None


@pytest.mark.parametrize("face_height", [160, 130, 100])
def test_a_small_photographs_own_teeth_are_read_as_at_full_size(stack, shared_data, face_height):
    """A smiling sitter with her upper teeth showing (a frame of the smile driver), her face
    made 100-160 px tall: blurred into her lips, the light over the lips' bar covered 0.16-0.2 of
    her opening's middle where it covered 0.32 at full size, and she got a painted mouth in place
    of her own teeth. Read out to half way back to the lips, her row covers what it covers
    at full size, and her teeth's edge lies in the opening, below her upper lip."""
    from installation.models.motion.mesh.own_teeth import biting_line

    video = cv2.VideoCapture(str(shared_data / "driver-smile-3s.mp4"))
    video.set(cv2.CAP_PROP_POS_FRAMES, 55)
    ok, frame = video.read()
    video.release()
    assert ok
    frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    mesh = portrait_faces(frame, stack)[0].landmarks
    scale = face_height / float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mesh = portrait_faces(small, stack)[0].landmarks
    teeth = biting_line(small, mesh)
    assert teeth is not None
    down = (mesh[152, :2] - mesh[10, :2]) / np.linalg.norm(mesh[152, :2] - mesh[10, :2])
    opening = (mesh[list(LOWER_INNER_LIP), :2] - mesh[list(UPPER_INNER_LIP), :2]) @ down
    share = teeth[3:-3] / opening[3:-3]
    assert np.all((share > 0.2) & (share < 0.95)), share
