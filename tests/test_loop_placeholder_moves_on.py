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



def test_a_loop_whose_only_other_scene_has_errors_keeps_its_card(tmp_path):
    # The playlist names two scenes, but the card's file has errors: the show plays the loop alone,
    # and the loop restarted itself every 5 s (a crossfade from its card to its card, a decoder
    # opened and "skipping ..." logged each time) instead of keeping its card as the only scene.
    path = write_show(tmp_path, {"faces": LOOP, "card": title_scene("card")}, playlist=["faces", "card"])
    (tmp_path / "scenes" / "card.toml").write_text('type = "title"\nid = "card"\nduration = "x"\n')
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.mode == "placeholder"
        assert any("card.toml" in p for p in pilot.engine.status()["problems"])  # (the technician is told)
        pilot.advance(20.0)
        assert pilot.engine.sequencer.current.scene is scene and pilot.engine.sequencer.outgoing is None


def test_loops_that_all_have_nothing_to_play_do_not_take_turns_every_few_seconds(tmp_path):
    # Both films missing: moving on from one card to the other every 5 s showed visitors nothing
    # more, started a decoder and logged each time, for ever. The first moves on (the second might
    # have had something to show); the second, with nothing better to go to, keeps its card for its
    # duration, and so does each after it until a film is there.
    scenes = {"a": LOOP.replace("faces", "a"), "b": LOOP.replace("faces", "b")}
    path = write_show(tmp_path, scenes, playlist=["a", "b"])
    with run_test(path, fps=10) as pilot:
        shown = []
        for _ in range(600):  # 60 s
            pilot.step()
            scene = pilot.engine.sequencer.current.scene
            if not shown or shown[-1][1] is not scene:
                shown.append((pilot.scene_id, scene))
        assert [scene_id for scene_id, _ in shown] == ["a", "b", "a"], [s for s, _ in shown]
        status = pilot.engine.status()
        assert all(any(f"loop/{s}.mp4" in p for p in status["problems"]) for s in "ab"), status["problems"]
