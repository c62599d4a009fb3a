"""A film listed in a loop scene and gone from content/ was told to the technician twice: the
scene's "media file loop/face.mp4 not found in ...; did you mean 'loop/faces.mp4'?" (with its
fix) and, when the loop then skipped it, "face.mp4: file not found." The overlay listed both
under "Recent errors:" for one missing file. The skip no longer says again what the missing
file's report has said."""

from __future__ import annotations

import installation.scenes.loop  # noqa: F401  (registers the scene kind)
from installation.harness import run_test

from .conftest import write_show
from .test_loop_scene import face_png

LISTED = """
    type = "loop"
    id = "faces"
    duration = 600
    item_duration = 3
    change_duration = 1.0
    [[items]]
    file = "faces/gone.png"
    [[items]]
    file = "faces/here.png"
    """


def test_a_listed_file_gone_from_content_is_said_once_with_its_fix(tmp_path):
    (tmp_path / "content" / "faces").mkdir(parents=True)
    face_png(tmp_path / "content" / "faces" / "here.png", (200, 200, 60))
    face_png(tmp_path / "content" / "faces" / "gone.png", (60, 200, 60))
    show = write_show(tmp_path, {"faces": LISTED})
    (tmp_path / "content" / "faces" / "gone.png").unlink()  # (after the show was written: a file taken away)
    with run_test(show, fps=10) as pilot:
        pilot.advance(8)
        assert pilot.engine.sequencer.current.scene.skipped == ["faces/gone.png"]
        status = pilot.engine.status()
        # (Once in all: under the show's files, as check lists it, or under recent errors.)
        said = [m for m in [*status["problems"], *(e["message"] for e in status["errors"])] if "gone.png" in m]
    assert len(said) == 1, said
    assert "not found" in said[0] and "faces/gone.png" in said[0], said
