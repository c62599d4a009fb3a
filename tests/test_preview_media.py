"""`bayard preview` as an artist saves a scene that names a picture not there.

Walked as an artist: a save with `image = "photos/leter.jpg"` is valid TOML and a valid scene,
so the preview reloaded it and played an empty mat, with no word in the window (only a log
line in the terminal behind it), though docs/first-scene.md promises that the window shows
what is wrong and where. Now the window says the line and the fix, as `bayard check` does,
and once the picture is copied in it plays and the words go.
"""

from __future__ import annotations

import shutil

import cv2
import numpy as np

from installation.config.loader import load_show
from installation.harness import run_test
from installation.preview import ScenePreview, single_scene_show

from .conftest import write_show

PHOTOGRAPH = """
    type = "photograph"
    id = "ph"
    duration = 60
    image = "photos/letter.jpg"
    """

def _panel_shown(frame) -> bool:
    """Whether the preview's red panel lies along the bottom of `frame`."""
    r, g, b, _ = frame.get_at((3, frame.get_height() - 3))
    return r > 80 and g < 60 and b < 60


def test_a_save_naming_a_missing_picture_says_its_line_and_fix_until_the_picture_is_there(tmp_path):
    path = write_show(tmp_path, {"ph": PHOTOGRAPH}, size=(640, 360))
    letter = tmp_path / "content" / "photos" / "letter.jpg"
    letter.parent.mkdir(parents=True)
    assert cv2.imwrite(str(letter), np.full((300, 400, 3), 210, np.uint8))
    scene_file = tmp_path / "scenes" / "ph.toml"
    show = single_scene_show(load_show(path), scene_file)
    with run_test(show, fps=10) as pilot:
        watcher = ScenePreview(pilot.engine, scene_file)
        pilot.engine.overlays.append(watcher)
        pilot.engine.frame_hooks.append(watcher.poll)
        pilot.advance(1.0)
        assert not _panel_shown(pilot.frame())

        scene_file.write_text(scene_file.read_text().replace("photos/letter.jpg", "photos/leter.jpg"))
        pilot.advance(1.0)
        assert _panel_shown(pilot.frame())
        said = [str(p) for p in watcher.media]
        assert said == ["scenes/ph.toml:4: image: media file 'photos/leter.jpg' not found in content/; "
                        "did you mean 'photos/letter.jpg'?"], said

        shutil.copy(letter, letter.with_name("leter.jpg"))  # the artist copies the picture in
        pilot.advance(1.0)
        assert watcher.media == [] and not _panel_shown(pilot.frame())
        scene = pilot.engine.sequencer.current.scene
        assert scene.config.image == "photos/leter.jpg"
