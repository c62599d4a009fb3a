"""Cuts in a driver video: found where the picture jumps, not where a head moves, and
not at a flash; each shot gets its own neutral frame."""

from __future__ import annotations

import cv2
import numpy as np

from installation.models.motion.shots import CutWatch, shot_references, shots


def _scene(seed: int, side: int = 160) -> np.ndarray:
    """A picture with soft shapes and texture (RGB)."""
    rng = np.random.default_rng(seed)
    image = cv2.GaussianBlur(rng.integers(0, 256, (side // 8, side // 8, 3), dtype=np.uint8), (3, 3), 0)
    image = cv2.resize(image, (side, side), interpolation=cv2.INTER_CUBIC)
    return np.clip(image.astype(np.int16) + rng.normal(0, 6, image.shape), 0, 255).astype(np.uint8)


def _watch(frames, fps=25.0) -> list[int]:
    watch = CutWatch(fps)
    for frame in frames:
        watch.see(frame)
    return watch.cuts


def _jittered(picture: np.ndarray, count: int, seed: int) -> list[np.ndarray]:
    """The same shot with sensor noise on every frame."""
    rng = np.random.default_rng(seed)
    return [np.clip(picture + rng.normal(0, 3, picture.shape), 0, 255).astype(np.uint8) for _ in range(count)]


def test_a_cut_is_found_at_the_frame_that_begins_the_new_shot():
    frames = _jittered(_scene(1), 30, 0) + _jittered(_scene(2), 30, 1) + _jittered(_scene(3), 10, 2)
    assert _watch(frames) == [30, 60]


def test_a_panning_camera_and_a_slow_fade_are_not_cuts():
    wide = cv2.resize(_scene(4), (480, 160))
    pan = [np.ascontiguousarray(wide[:, x:x + 160]) for x in range(0, 300, 4)]
    fade = [np.clip(_scene(5) * (1.0 - 0.012 * i), 0, 255).astype(np.uint8) for i in range(60)]
    assert _watch(pan) == []
    assert _watch(fade) == []


def test_a_flash_is_not_two_cuts():
    frames = _jittered(_scene(6), 40, 3)
    frames[20] = np.full_like(frames[20], 250)  # a photographer's flash, one frame
    frames[30:32] = [np.full_like(frames[30], 10)] * 2  # two dropped (black) frames
    assert _watch(frames) == []


def test_a_cut_right_after_a_cut_stays_when_the_picture_does_not_come_back():
    frames = _jittered(_scene(7), 20, 4) + _jittered(_scene(8), 3, 5) + _jittered(_scene(9), 20, 6)
    assert _watch(frames) == [20, 23]


def test_each_shot_is_measured_from_its_own_most_neutral_frame():
    ranges = shots([4, 8], 12)
    assert ranges == [range(0, 4), range(4, 8), range(8, 12)]
    score = {0: 0.1, 2: 0.9, 3: 0.5, 9: 0.2, 11: 0.7}.get  # frames 4-7 have no face
    assert shot_references(ranges, [0, 2, 3, 9, 11], score) == [2, None, 11]
    assert shots([], 5) == [range(0, 5)]
