"""An open mouth in a drawing is drawn in the drawing's paper and marks (mesh/drawn_mouth.py), not
painted as a photograph's smooth dark cavity with soft teeth pasted onto the paper."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.imaging import read_rgb
from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    INNER_LIPS,
    LEFT_EYE_OPENING,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
    RIGHT_EYE_OPENING,
    UPPER_INNER_LIP,
)

from .test_mesh_picture_setting import pencil_drawing

FACES = Path(__file__).parent / "data" / "faces-cc0"
LUMA = np.array([0.299, 0.587, 0.114], np.float32)
PAPER = np.array([236, 226, 204], np.float32)  # RGB: a cream paper


@pytest.fixture(scope="module")
def drawing():
    return pencil_drawing(read_rgb(FACES / "face_woman_13.jpg"), PAPER)


def _yawn(teeth: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0), share: float = 0.09) -> Motion:
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    return Motion(offsets=offsets, teeth=teeth)


def _tones(picture: np.ndarray, points: np.ndarray) -> tuple[float, float, float]:
    """The drawing's paper and strokes as a viewer sees them round its eyes and mouth: the
    lightness of its bare paper (95th percentile) and the range of its strokes' (its darkest
    pixels, 0.5th percentile, to its darkest 3%'s lightest)."""
    ids = list(LEFT_EYE_OPENING) + list(RIGHT_EYE_OPENING) + list(OUTER_LIPS)
    x0, y0 = np.floor(points[ids, :2].min(0)).astype(int)
    x1, y1 = np.ceil(points[ids, :2].max(0)).astype(int)
    light = picture[y0:y1, x0:x1].astype(np.float32) @ LUMA
    paper, darkest, marks = np.percentile(light, [95, 0.5, 3])
    return float(paper), float(darkest), float(marks)


def _opening(frame: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The lightness of the opening's pixels (the moved inner lips' polygon, its edge pixel off)."""
    mask = np.zeros(frame.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points[list(INNER_LIPS), :2]).astype(np.int32)], 1)
    return frame.astype(np.float32)[cv2.erode(mask, np.ones((3, 3), np.uint8)) > 0] @ LUMA


def _gap(points: np.ndarray) -> float:
    return float(np.mean(points[list(LOWER_INNER_LIP)[2:-2], 1] - points[list(UPPER_INNER_LIP)[2:-2], 1]))


def test_a_drawings_open_mouth_is_drawn_in_its_marks_and_still_reads_as_open(stack, drawing):
    """Painted as a photograph's, the yawn was a smooth grey field, its darkest far darker than
    anything the drawing has (none of the drawing's strokes so dark). Drawn, most of it is in
    the drawing's tones (within a tenth of the tonal range of its paper or of its strokes), its
    darkest its darkest stroke's, and the face mesh still reads it as a mouth opened."""
    animator = MeshAnimator(drawing, stack, picture="drawing")
    paper, darkest, marks = _tones(animator.portrait, animator.rig.points)
    motion = _yawn()
    frame, placed = animator.render(motion), animator.place(motion)[0]
    light = _opening(frame, placed)
    near = 0.1 * (paper - darkest)
    in_tones = float(np.mean((np.abs(light - paper) < near) | ((light > darkest - near) & (light < marks + near))))
    assert in_tones > 0.6, (in_tones, paper, darkest, marks)
    assert abs(float(np.percentile(light, 5)) - darkest) < near, (np.percentile(light, 5), darkest)
    read = portrait_faces(frame, stack)[0].landmarks
    at_rest = portrait_faces(animator.render(Motion()), stack)[0].landmarks
    assert _gap(read) - _gap(at_rest) > 0.6 * (_gap(placed) - _gap(animator.rig.points)), (_gap(read), _gap(at_rest))


def test_a_drawings_teeth_are_its_paper(stack, drawing):
    """A smile's teeth in a drawing are left as paper: shaded as enamel, they were a grey band."""
    animator = MeshAnimator(drawing, stack, picture="drawing")
    paper, darkest, _ = _tones(animator.portrait, animator.rig.points)
    motion = _yawn((0.6, 0.0), 0.09)
    frame, points = animator.render(motion), animator.place(motion)[0]
    upper, lower = points[list(UPPER_INNER_LIP), :2], points[list(LOWER_INNER_LIP), :2]
    left, right = upper[:, 0].min(), upper[:, 0].max()
    # the teeth's band down the middle of the mouth: the upper half of the opening (the teeth
    # fill six tenths of it), less the pixel under the lip's edge
    teeth = []
    middle = range(int(np.ceil(left + 0.3 * (right - left))), int(right - 0.3 * (right - left)) + 1)
    for x in middle:
        top = np.interp(x, *upper[np.argsort(upper[:, 0])].T)
        bottom = np.interp(x, *lower[np.argsort(lower[:, 0])].T)
        teeth.extend(frame[int(np.ceil(top)) + 1:int(top + 0.5 * (bottom - top)), x])
    light = np.asarray(teeth, np.float32) @ LUMA
    assert len(light) > 20
    assert float(np.median(light)) > paper - 0.1 * (paper - darkest), (np.median(light), paper, darkest)


def test_a_drawings_row_of_teeth_runs_on_as_paper_towards_the_corners(stack, drawing):
    """The mouth painter's teeth fade towards the corners as a photograph's are shaded there;
    the paper taken in the same proportion, a drawing's smile was a paper lens in a hatched
    crescent, its row of teeth lost. Drawn, the teeth are a band of paper under the upper lip
    out towards the corners too (half to three quarters of the way from the middle, where the
    painter still lays over half a tooth): at least four tenths of the opening tall (the teeth
    fill six), its pixels as light as the drawing's paper, on each side."""
    animator = MeshAnimator(drawing, stack, picture="drawing")
    paper, darkest, _ = _tones(animator.portrait, animator.rig.points)
    motion = _yawn((0.6, 0.0), 0.09)
    frame, points = animator.render(motion), animator.place(motion)[0]
    upper, lower = points[list(UPPER_INNER_LIP), :2], points[list(LOWER_INNER_LIP), :2]
    upper, lower = upper[np.argsort(upper[:, 0])], lower[np.argsort(lower[:, 0])]
    left, right = upper[:, 0].min(), upper[:, 0].max()
    middle, half = (left + right) / 2, (right - left) / 2
    for side in (-1, 1):
        band = []
        for x in range(int(np.ceil(middle + side * 0.5 * half)), int(middle + side * 0.75 * half), side):
            top, bottom = np.interp(x, *upper.T), np.interp(x, *lower.T)
            band.extend(frame[int(np.ceil(top)) + 1:int(top + 0.4 * (bottom - top)) + 1, x])
        light = np.asarray(band, np.float32) @ LUMA
        assert len(light) > 5, (side, len(light))
        assert float(np.mean(light > paper - 0.1 * (paper - darkest))) > 0.9, (side, np.round(light), paper)


def _hatched(drawing: np.ndarray, degrees: float) -> np.ndarray:
    """`drawing` with its shade laid as strokes running `degrees` from level (image axes, y down:
    positive falls to the right), about a line every 5 pixels, as deep as the shade: by hand,
    their spacing wanders (evenly spaced, they are a print's screen, which has its own rule)."""
    grey = cv2.GaussianBlur(cv2.cvtColor(drawing, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0, (0, 0), 3)
    shade = np.clip((0.95 - grey) / 0.5, 0.0, 1.0)
    yy, xx = np.mgrid[:grey.shape[0], :grey.shape[1]].astype(np.float32)
    a = np.radians(degrees)
    across, along = yy * np.cos(a) - xx * np.sin(a), xx * np.cos(a) + yy * np.sin(a)
    phase = ((across + 1.6 * np.sin(across / 7.0) + 0.8 * np.sin(along / 11.0)) / 5.0) % 1.0
    line = np.clip((0.1 + 0.5 * shade - phase) / 0.15 + 0.5, 0.0, 1.0)
    return np.clip(drawing * (1.0 - 0.45 * line[..., None]), 0, 255).astype(np.uint8)


def _stroke_degrees(grey: np.ndarray, within: np.ndarray) -> float:
    """The direction the lines in `grey` run where `within` (degrees from level, image axes, within +-90)."""
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)[within > 0]
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)[within > 0]
    across = 0.5 * np.arctan2(2.0 * np.mean(gx * gy), np.mean(gx * gx) - np.mean(gy * gy))
    return float((np.degrees(across) + 90.0 + 90.0) % 180.0 - 90.0)


@pytest.mark.parametrize("degrees", [60.0, -75.0])
def test_a_drawings_hatched_opening_runs_with_its_strokes(stack, drawing, degrees):
    """Ruled at one angle (rising to the right whatever the drawing), the opening's hatching read
    as a patch laid on the paper. In a drawing hatched one way, the yawn's hatching (its lower
    half, under the solid under the lip) runs that way too, within 15 degrees."""
    animator = MeshAnimator(_hatched(drawing, degrees), stack, picture="drawing")
    motion = _yawn()
    frame, points = animator.render(motion), animator.place(motion)[0]
    upper, lower = points[list(UPPER_INNER_LIP), :2], points[list(LOWER_INNER_LIP), :2]
    mask = np.zeros(frame.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points[list(INNER_LIPS), :2]).astype(np.int32)], 1)
    mask = cv2.erode(mask, np.ones((5, 5), np.uint8))  # (the gradients see no further than the opening)
    middle = (upper[:, 1].mean() + lower[:, 1].mean()) / 2
    mask[:int(np.ceil(middle))] = 0
    assert mask.sum() > 40, mask.sum()
    got = _stroke_degrees(frame.astype(np.float32) @ LUMA, mask)
    off = abs((got - degrees + 90.0) % 180.0 - 90.0)
    assert off < 15.0, (got, degrees)
