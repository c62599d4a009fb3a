"""A loop whose film is missing showed visitors its placeholder card for the scene's whole
duration (45 s in the show as shipped). The card stays long enough to be read, then the show
goes on to its next scene, while the operator's overlay and status name the missing file."""

from __future__ import annotations

import installation.scenes.loop  # noqa: F401  (registers the kind)
from installation.harness import run_test

from .conftest import title_scene, write_show

LOOP = """
    type = "loop"
    id = "faces"
    duration = 45
    [[items]]
    file = "loop/faces.mp4"
    """


def test_a_loop_with_its_film_missing_moves_on_after_its_card_is_read(tmp_path):
    path = write_show(tmp_path, {"faces": LOOP, "card": title_scene("card", duration=30)}, playlist=["faces", "card"])
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        assert pilot.scene_id == "faces" and pilot.engine.sequencer.current.scene.mode == "placeholder"
        status = pilot.engine.status()
        assert any("loop/faces.mp4" in p for p in status["problems"]), status["problems"]
        pilot.advance(6.0)  # (the card's few seconds and the crossfade: not the scene's 45)
        assert pilot.scene_id == "card"
        assert pilot.engine.status()["faulted"] == {}
    # The only scene, with nothing else to show, keeps its card (never a black screen).
    alone = write_show(tmp_path / "alone", {"faces": LOOP})
    with run_test(alone, fps=10) as pilot:
        pilot.advance(2.0)
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(10.0)
        assert pilot.engine.sequencer.current.scene is scene and scene.mode == "placeholder"

