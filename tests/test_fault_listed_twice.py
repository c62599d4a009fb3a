"""A playlist may list a scene twice (a welcome film before and after the quiz). A fault is
the scene's (its file, its media, its code), so it is skipped at each of its places until its
retry; but its copy readied ahead for the next place failing its prepare cut the working copy
on screen off mid-showing, with no transition (the fault boundary let go of every slot of
that scene). That showing plays to its end, and the overlay and status say where it is
skipped."""

from __future__ import annotations

import pytest

from installation.harness import run_test

from .conftest import write_show
from .probe import ProbeScene, probe

RED, GREEN = (255, 0, 0), (0, 255, 0)


def _centre(frame) -> tuple[int, int, int]:
    return tuple(frame.get_at((frame.get_width() // 2, frame.get_height() // 2)))[:3]


@pytest.mark.injects_faults
def test_a_copy_readied_ahead_failing_lets_the_showing_on_screen_play_to_its_end(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": probe("a", "#ff0000", 3), "b": probe("b", "#00ff00", 3)}, ["a", "b", "a"])
    readied = {"a": 0}
    prepare = ProbeScene.prepare

    def failing_once(self) -> None:  # (its film gone from the stick as it is readied for its 1st place again)
        if self.id == "a":
            readied["a"] += 1
            if readied["a"] == 3:
                raise RuntimeError("the film went missing")
        prepare(self)

    monkeypatch.setattr(ProbeScene, "prepare", failing_once)
    with run_test(path, fps=20, raise_faults=False) as pilot:
        pilot.advance(7.0)  # a (0-3 s), b (3-6 s), a again from 6 s; its next copy readied at 7.5 s
        assert (pilot.scene_id, pilot.engine.sequencer.current.index) == ("a", 2)
        pilot.advance(1.5)
        assert pilot.engine.status()["faulted"]["a"]["count"] == 1, "the copy readied ahead did not fail"
        assert pilot.scene_id == "a" and _centre(pilot.frame()) == RED, "the showing on screen was cut off"
        pilot.advance(2.0)  # its 3 s end at 9 s, then a 1 s crossfade: to b, the scene skipped at place 1
        assert pilot.scene_id == "b" and _centre(pilot.frame()) == GREEN
        status = pilot.engine.status()
        assert status["faulted"]["a"]["skipped_at"] == [0, 2]
        said = [e["message"] for e in status["errors"] if e["where"] == "a"]
        assert any("scenes 1 and 3" in m and "scene 3) plays to its end" in m for m in said), said
