"""The engine remembers which scenes had nothing to play at their last showing, so that a loop with
its own card up does not hand over to another that would show only a card too. A reload can bring
a resting scene's film in: what was remembered of the old files no longer holds."""

from __future__ import annotations

import shutil

import installation.scenes.loop  # noqa: F401  (registers the kind)
from installation.harness import run_test

from .conftest import REPO, write_show

LOOP = """
    type = "loop"
    id = "{id}"
    duration = 20
    [[items]]
    file = "loop/{id}.jpg"
    """


def test_a_reload_that_brings_a_picture_in_ends_the_other_loops_wait(tmp_path):
    path = write_show(tmp_path, {s: LOOP.format(id=s) for s in "ab"}, playlist=["a", "b"])
    with run_test(path, fps=10) as pilot:
        pilot.advance(8.0)  # a's card is read and it moves on; b, with a resting, keeps its card
        assert pilot.scene_id == "b" and pilot.engine.sequencer.current.scene.mode == "placeholder"
        # The technician names a picture that is there for a, and the show reloads.
        (tmp_path / "content" / "loop").mkdir()
        shutil.copy(REPO / "content" / "portraits" / "thoreau-1856.jpg", tmp_path / "content" / "loop" / "here.jpg")
        scene_file = tmp_path / "scenes" / "a.toml"
        scene_file.write_text(scene_file.read_text().replace("loop/a.jpg", "loop/here.jpg"))
        assert pilot.engine.reload() is True
        # b's card has been read: the show goes on to a's picture now, not after b's whole 20 s.
        pilot.advance(4.0)
        assert pilot.scene_id == "a", pilot.scene_id
        assert pilot.engine.sequencer.current.scene.mode == "files"
        assert pilot.engine.status()["faulted"] == {}
