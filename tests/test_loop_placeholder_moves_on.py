"""A loop whose film is missing showed visitors its placeholder card for the scene's whole
duration (45 s in the show as shipped). The card stays long enough to be read, then the show
goes on to its next scene, while the operator's overlay and status name the missing file."""

from __future__ import annotations

import shutil

import installation.scenes.loop  # noqa: F401  (registers the kind)
from installation.harness import run_test

from .conftest import REPO, title_scene, write_show

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
    # Both pictures missing: moving on from one card to the other every 5 s showed visitors nothing
    # more, opened a decoder and logged each time, for ever. The first moves on (the second might
    # have had something to show); the second, with nothing better to go to, keeps its card for its
    # duration, and so does each after it until a picture is there.
    loop = LOOP.replace("duration = 45", "duration = 20").replace(".mp4", ".jpg")
    path = write_show(tmp_path, {"a": loop.replace("faces", "a"), "b": loop.replace("faces", "b")}, playlist=["a", "b"])
    with run_test(path, fps=10) as pilot:
        shown = []  # (when, scene id, scene) at each change of scene

        def play(seconds):
            for _ in range(round(seconds * 10)):
                pilot.step()
                scene = pilot.engine.sequencer.current.scene
                if not shown or shown[-1][2] is not scene:
                    shown.append((pilot.engine.clock.now(), pilot.scene_id, scene))

        play(30.0)
        assert [scene_id for _, scene_id, _ in shown] == ["a", "b", "a"], shown
        assert shown[2][0] - shown[1][0] >= 19.0  # (b kept its card its 20 s)
        status = pilot.engine.status()
        assert all(any(f"loop/{s}.jpg" in p for p in status["problems"]) for s in "ab"), status["problems"]
        # b's picture copied in: b plays it at its next showing, and then a, still with nothing to
        # play, moves on after its card is read again.
        (tmp_path / "content" / "loop").mkdir()
        shutil.copy(REPO / "content" / "portraits" / "thoreau-1856.jpg", tmp_path / "content" / "loop" / "b.jpg")
        play(50.0)
        ids = [scene_id for _, scene_id, _ in shown]
        assert ids[:5] == ["a", "b", "a", "b", "a"] and shown[3][2].mode == "files", shown
        assert len(ids) > 5 and shown[5][0] - shown[4][0] < 8.0, shown  # (a's card, then b's picture)
