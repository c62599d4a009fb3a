"""Key frames of each scene kind, pinned by snapshots at frozen times."""

from __future__ import annotations

import numpy as np
import pygame

from installation.config.loader import load_show
from installation.harness import run_test
from installation.preview import single_scene_show

from .conftest import REPO
from .snapshot import assert_snapshot


def scene_frames(scene_file: str, times: list[float], size=(960, 540)):
    show = single_scene_show(load_show(REPO / "install.toml"), (REPO / scene_file).resolve())
    frames = []
    with run_test(show, fps=10, size=size) as pilot:
        t = 0.0
        for target in times:
            pilot.advance(target - t)
            t = target
            frames.append(pilot.frame())
    return frames


def test_title_card_snapshot():
    (frame,) = scene_frames("scenes/opening.toml", [4.0])
    assert_snapshot(frame, "title-opening-4s")


def test_photograph_scene_snapshots_front_and_back():
    front, back = scene_frames("scenes/bayard.toml", [12.0, 45.0])
    assert_snapshot(front, "photograph-bayard-12s")
    assert_snapshot(back, "photograph-bayard-45s")


def test_photograph_pans_smoothly():
    a, b = scene_frames("scenes/bayard.toml", [10.0, 10.1])
    diff = np.abs(pygame.surfarray.array3d(a).astype(int) - pygame.surfarray.array3d(b).astype(int))
    assert 0 < diff.mean() < 2.0  # moving, but by a fraction of a pixel per frame


def test_installed_photograph_replaces_the_standin(tmp_path):
    import cv2

    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.png"
        """})
    # A synthetic "print": a bright diagonal gradient the stand-in could never produce.
    ramp = np.linspace(0, 255, 400, dtype=np.uint8)
    image = np.dstack([np.tile(ramp, (300, 1))] * 3)
    image[:, :, 2] = 255
    cv2.imwrite(str(tmp_path / "content" / "print.png"), image)
    with run_test(path, fps=10) as pilot:
        pilot.advance(1)
        scene = pilot.engine.sequencer.current.scene
        assert scene.installed and scene.status()["image_installed"]
        frame = pygame.surfarray.array3d(pilot.frame())
        assert frame[..., 0].max() > 200  # the red channel of the synthetic print shows


def test_corrupt_photograph_shows_standin_not_black(tmp_path):
    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.jpg"
        """})
    (tmp_path / "content" / "print.jpg").write_bytes(b"\xff\xd8 truncated")
    with run_test(path, fps=10) as pilot:
        pilot.advance(1)
        scene = pilot.engine.sequencer.current.scene
        assert not scene.installed and "cannot be decoded" in scene.problem
        frame = pygame.surfarray.array3d(pilot.frame())
        assert frame.mean() > 30


def test_installed_media_shows_the_credit_its_manifest_requires(tmp_path):
    import cv2

    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.png"
        """}, size=(960, 540))
    (tmp_path / "content" / "manifest.toml").write_text(
        '[[asset]]\nid = "print"\npath = "print.png"\nsha256 = ""\n'
        'licence = "CC BY 4.0"\ncredit = "A. Photographer, 1901"\n')
    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((300, 400, 3), 128, np.uint8))
    with run_test(path, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(4)
        scene = pilot.engine.sequencer.current.scene
        assert scene.context.credit_for("print.png") == "A. Photographer, 1901 (CC BY 4.0)"
        # The credit is set beside the print, in the text column's credit slot, readable.
        credit = [b for b in pilot.engine.fonts.log.boxes if b.text == "A. Photographer, 1901 (CC BY 4.0)"]
        assert credit and credit[0].alpha > 0.98 and credit[0].contrast >= 4.5
        assert credit[0].rect.left >= scene._photo_rect().right
