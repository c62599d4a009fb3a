"""A loop whose scene file is broken plays its last good copy (kept in the state folder); a file
it skips was said at 'var/last-good/scenes/faces.toml:4: folder', and the technician opened the
copy, which the show rewrites, not the scene file they had broken and had to mend."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np

from installation.clock import FakeClock
from installation.scenes.base import SceneContext
from installation.scenes.loop import LoopConfig, LoopScene

SCENE = 'type = "loop"\nid = "faces"\nduration = 600\nfolder = "faces/*"\nitem_duration = 3\n'


def _skipped_said(tmp_path, scene_file) -> list[str]:
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    cv2.imwrite(str(faces / "a.png"), np.full((120, 120, 3), 90, np.uint8))
    (faces / "b.jpg").write_bytes(b"\xff\xd8 not really a picture")
    said: list[str] = []
    context = SceneContext(clock=FakeClock(), size=(320, 180), content_root=tmp_path / "content",
                           state_dir=tmp_path / "var", fonts=None, deterministic=True, show_root=tmp_path,
                           scene_file=scene_file, show_config=SimpleNamespace(show=SimpleNamespace(scenes="scenes")),
                           report=lambda message, severity="error": said.append(message))
    scene = LoopScene(LoopConfig(type="loop", id="faces", folder="faces/*", item_duration=3), context)
    scene.prepare()
    scene.enter()
    for _ in range(30 * 8):  # both files come round
        scene.update(1 / 30)
    scene.exit()
    return [line for line in said if "b.jpg" in line]


def test_a_file_skipped_by_a_loop_playing_its_last_good_copy_is_said_at_the_real_scene_file(tmp_path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes" / "faces.toml").write_text('type = "loop"\nid = "faces"\nfolder = [broken\n')
    copy = tmp_path / "var" / "last-good" / "scenes" / "faces.toml"
    copy.parent.mkdir(parents=True)
    copy.write_text(SCENE, encoding="utf-8")
    said = _skipped_said(tmp_path, copy)
    assert len(said) == 1, said
    assert said[0].startswith("scenes/faces.toml: folder (the scene plays its last good copy, "
                              "var/last-good/scenes/faces.toml:4, until this file loads again): "
                              "'content/faces/b.jpg'"), said[0]

