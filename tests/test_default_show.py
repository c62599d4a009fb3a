"""The real default show, played as the gallery sees it: two whole loops, every
transition included, with no fault caught anywhere.

The fault boundary once hid a scene that failed each time the show left it, while the
suite and a 24 h soak passed; this plays the show file that ships.
"""

from __future__ import annotations

from installation.harness import run_test

from .conftest import load_default_show


def test_the_default_show_plays_two_whole_loops_without_a_fault(faults_fail_tests):
    show = load_default_show()
    playlist = list(show.playlist)
    assert len(playlist) >= 2
    shown: list[str] = []
    fps = 8
    with run_test(show, fps=fps, size=(320, 180)) as pilot:
        shown.append(pilot.scene_id)
        # Two loops and back to the first scene: every transition, the wrap included.
        limit = 2 * 20 * 60 * fps
        for _ in range(limit):
            pilot.step()
            if pilot.scene_id != shown[-1]:
                shown.append(pilot.scene_id)
                if len(shown) == 2 * len(playlist) + 1:
                    break
        status = pilot.engine.status()
    assert shown == playlist * 2 + playlist[:1], shown
    assert {scene_id: shown[:-1].count(scene_id) for scene_id in playlist} == {s: 2 for s in playlist}
    assert faults_fail_tests.faults == []
    assert status["faulted"] == {}
    assert not [e for e in status["errors"] if e["severity"] == "error" and e["where"] != "config"]
