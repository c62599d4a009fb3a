"""A loop's `folder` written as a folder, without a pattern.

Walked as an artist: `folder = "photos"` (the key is called folder) matched the folder itself,
not the pictures in it, so `bayard check` said "OK: the show is valid" and the loop played its
resting card ("The faces are resting for a moment"). A folder named plainly now plays the
files in it, as `photos/*` does; one with nothing in it is said, as a pattern matching nothing is.
"""

from __future__ import annotations

import cv2
import numpy as np

from installation.cli import main
from installation.harness import run_test

from .conftest import write_show

LOOP = """
    type = "loop"
    id = "faces"
    duration = 30
    folder = "{folder}"
    """


def _show(root, folder: str):
    photos = root / "content" / "photos"
    photos.mkdir(parents=True)
    for n in range(2):
        assert cv2.imwrite(str(photos / f"p{n}.jpg"), np.full((360, 480, 3), 60 + 100 * n, np.uint8))
    (root / "content" / "empty").mkdir()
    return write_show(root, {"faces": LOOP.format(folder=folder)}, size=(640, 360))


def test_a_folder_named_without_a_pattern_plays_the_pictures_in_it(tmp_path):
    path = _show(tmp_path, "photos")
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        status = pilot.engine.sequencer.current.scene.status()
    assert status["items"] == 2, status
    assert status.get("playing", "").startswith("photos/p"), status


def test_check_passes_a_plain_folder_and_says_an_empty_one(tmp_path, capsys):
    assert main(["check", "--show", str(_show(tmp_path / "a", "photos/"))]) == 0
    out = capsys.readouterr().out
    assert "matches no file" not in out, out
    main(["check", "--show", str(_show(tmp_path / "b", "empty"))])
    out = capsys.readouterr().out
    assert "scenes/faces.toml:4: folder: 'empty' matches no file in the content folder" in out, out
