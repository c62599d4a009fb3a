"""The flow backend and the portrait pipeline on synthetic faces: no motion means no
change, motion goes the right way, the background stays put, paste-back touches only
the head."""

import cv2
import numpy as np
import pytest

from installation.models.face import FaceBox
from installation.models.motion import geometry
from installation.models.motion.base import MOTION_BACKENDS
from installation.models.motion.choose import choose_backend
from installation.models.motion.flow import FlowBackend
from installation.models.motion.landmarks import (
    LandmarkBackend,
    border_points,
    piecewise_affine_warp,
    triangulate,
)
from installation.models.motion.pipeline import PortraitAnimator

N = 256


def _texture(seed, size=N):
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (size // 8, size // 8, 3)).astype(np.uint8)
    img = cv2.resize(small, (size, size), interpolation=cv2.INTER_CUBIC)
    return cv2.GaussianBlur(img, (0, 0), 1.5)


def _shift(img, dx, dy):
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(img, m, img.shape[1::-1], borderMode=cv2.BORDER_REFLECT)


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        self.t += 1 / 30
        return self.t


def _backend():
    b = FlowBackend(clock=_Clock())
    b.set_source(_texture(1))
    return b


def test_flow_is_registered_and_needs_nothing(tmp_path):
    assert MOTION_BACKENDS.get("flow") is FlowBackend
    assert FlowBackend.availability(tmp_path).ok


def test_identity_driver_equal_to_calibration_leaves_source():
    b = _backend()
    driver = _texture(7)
    b.calibrate(driver)
    for _ in range(20):
        out = b.animate(driver)
    diff = np.abs(out.astype(int) - b.source.astype(int))
    assert diff.mean() < 1.0 and np.percentile(diff, 99) < 6


def _centre_shift(a, b):
    """Phase-correlation shift of b relative to a over the middle of the face."""
    cx, cy, side = geometry.box_in_crop(N)
    y0, x0, h = int(cy - 0.3 * side), int(cx - 0.3 * side), int(0.6 * side)
    ga = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY)[y0 : y0 + h, x0 : x0 + h].astype(np.float32)
    gb = cv2.cvtColor(b, cv2.COLOR_RGB2GRAY)[y0 : y0 + h, x0 : x0 + h].astype(np.float32)
    (dx, dy), _ = cv2.phaseCorrelate(ga, gb, cv2.createHanningWindow((h, h), cv2.CV_32F))
    return dx, dy


@pytest.mark.parametrize("dx,dy", [(8, 0), (-8, 0), (0, 8), (0, -8)])
def test_a_moving_driver_moves_the_portrait_the_same_way(dx, dy):
    b = _backend()
    driver = _texture(7)
    b.calibrate(driver)
    moved = _shift(driver, dx, dy)
    for _ in range(20):
        out = b.animate(moved)
    sx, sy = _centre_shift(b.source, out)
    assert np.sign(sx) == np.sign(dx) if dx else abs(sx) < 1.5
    assert np.sign(sy) == np.sign(dy) if dy else abs(sy) < 1.5
    assert max(abs(sx), abs(sy)) > 2.5  # visibly, not a rounding error


def test_a_local_expression_moves_only_that_part():
    b = _backend()
    driver = _texture(7)
    b.calibrate(driver)
    # The driver's mouth region drops by 6 px (a jaw opening), the rest is still.
    zone = geometry.mouth_zone(N)
    yy, xx = np.mgrid[0:N, 0:N].astype(np.float32)
    moved = cv2.remap(driver, xx, yy - 6 * zone, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    for _ in range(20):
        out = b.animate(moved)
    diff = np.abs(out.astype(int) - b.source.astype(int)).mean(-1)
    cx, cy, side = geometry.box_in_crop(N)
    mouth = diff[int(cy + 0.2 * side) : int(cy + 0.45 * side), int(cx - 0.15 * side) : int(cx + 0.15 * side)]
    eyes = diff[int(cy - 0.25 * side) : int(cy - 0.05 * side), int(cx - 0.3 * side) : int(cx + 0.3 * side)]
    assert mouth.mean() > 3 * eyes.mean() and mouth.mean() > 4


def test_mask_keeps_background_static_even_for_large_motion():
    b = _backend()
    driver = _texture(7)
    b.calibrate(driver)
    m = cv2.getRotationMatrix2D((N / 2, N / 2), 12, 1.05)
    moved = cv2.warpAffine(driver, m, (N, N), borderMode=cv2.BORDER_REFLECT)
    for _ in range(20):
        out = b.animate(moved)
    outside = geometry.head_mask(N) < 1e-3
    assert outside.mean() > 0.15  # the corners of the crop are background
    assert np.array_equal(out[outside], b.source[outside])
    inside = geometry.face_mask(N) > 0.9
    assert np.abs(out[inside].astype(int) - b.source[inside].astype(int)).mean() > 5


def test_lost_face_eases_back_to_rest_within_half_a_second():
    clock = _Clock()
    b = FlowBackend(clock=clock)
    b.set_source(_texture(1))
    driver = _texture(7)
    b.calibrate(driver)
    for _ in range(20):
        moved = b.animate(_shift(driver, 8, 0))
    assert np.abs(moved.astype(int) - b.source.astype(int)).mean() > 2
    outs = [b.animate(None) for _ in range(18)]  # 0.6 s of frames without a face
    first = np.abs(outs[0].astype(int) - b.source.astype(int)).mean()
    last = np.abs(outs[-1].astype(int) - b.source.astype(int)).mean()
    assert first > 0.5, "must ease, not snap"
    assert last < 0.15 * np.abs(moved.astype(int) - b.source.astype(int)).mean()


def test_lighting_change_is_not_motion():
    b = _backend()
    driver = _texture(7)
    b.calibrate(driver)
    darker = (driver.astype(np.float32) * 0.6 + 10).astype(np.uint8)
    for _ in range(10):
        out = b.animate(darker)
    assert np.abs(out.astype(int) - b.source.astype(int)).mean() < 2.0


def _portrait():
    """A whole 'painting': background texture with a textured head at a known box."""
    img = _texture(3, 400)
    img = np.ascontiguousarray(np.vstack([img, img[:100]]))  # 500 x 400
    return img, FaceBox(200.0, 180.0, 110.0)


def test_paste_back_changes_only_the_head_region_with_a_feather():
    img, face = _portrait()
    an = PortraitAnimator(_backend_for_pipeline(), img, face=face)
    white = np.full((N, N, 3), 255, np.uint8)
    out = an.paste(white)
    changed = np.abs(out.astype(int) - img.astype(int)).sum(-1) > 0
    ys, xs = np.nonzero(changed)
    # Only around the head: within the crop's footprint (1.8 x the face box).
    assert xs.min() > 200 - 1.8 * 110 / 2 - 2 and xs.max() < 200 + 1.8 * 110 / 2 + 2
    assert changed[0].sum() == 0 and changed[-1].sum() == 0
    # Feathered: a ramp of partial blends, not a hard edge.
    row = out[180].astype(int).sum(-1) - img[180].astype(int).sum(-1)
    partial = (row > 0) & (row < (765 - img[180].astype(int).sum(-1)) * 0.9)
    assert partial.sum() >= 10
    # The face centre is fully replaced.
    assert (out[180, 200] == 255).all()


def _backend_for_pipeline():
    return FlowBackend(clock=_Clock())


def test_idle_motion_moves_the_face_but_not_the_background():
    img, face = _portrait()
    an = PortraitAnimator(_backend_for_pipeline(), img, face=face)
    frames = [an.idle(t) for t in (0.0, 1.0, 2.2, 4.35)]  # 4.35 s: mid-blink
    x0, y0, x1, y1 = an._region
    for f in frames:
        outside = np.ones(img.shape[:2], bool)
        outside[y0:y1, x0:x1] = False
        assert np.array_equal(f[outside], img[outside])
    moving = np.abs(frames[-1].astype(int) - frames[0].astype(int)).mean(-1)[y0:y1, x0:x1]
    assert moving.max() > 5
    assert not np.array_equal(frames[1], frames[2])


def test_pipeline_without_a_face_in_the_portrait_says_how_to_fix_it():
    from installation.models.motion.pipeline import PortraitError

    with pytest.raises(PortraitError, match="face"):
        PortraitAnimator(_backend_for_pipeline(), np.full((300, 200, 3), 128, np.uint8))


def test_piecewise_affine_warp_moves_a_landmark():
    img = _texture(5)
    src = np.vstack(
        [np.array([[128, 128], [100, 100], [156, 100], [128, 170]], np.float32), border_points(N)]
    )
    dst = src.copy()
    dst[0] += (10, 0)  # the centre landmark moves right
    out = piecewise_affine_warp(img, src, dst, triangulate(src, N))
    # What was at the landmark is now 10 px to its right; the crop's edge is untouched.
    assert np.abs(out[128, 138].astype(int) - img[128, 128].astype(int)).max() <= 12
    assert np.array_equal(out[0], img[0]) and np.array_equal(out[:, 0], img[:, 0])


def test_landmarks_backend_unavailable_without_weights_and_choice_falls_back(tmp_path, monkeypatch):
    a = LandmarkBackend.availability(tmp_path)
    assert not a.ok and ("not installed" in a.reason or "weights" in a.reason)
    choice = choose_backend(tmp_path)
    assert choice.name == "mesh"  # the face models ship with the project
    assert "flow: ok" in choice.summary() and "landmarks: no" in choice.summary()
    from installation.models.face import runtime as face_runtime

    def missing():
        raise face_runtime.FaceStackUnavailable("ai-edge-litert is not installed")

    monkeypatch.setattr(face_runtime, "_interpreter_class", missing)
    choice = choose_backend(tmp_path)
    assert choice.name == "flow" and "mesh: no (ai-edge-litert is not installed)" in choice.summary()
