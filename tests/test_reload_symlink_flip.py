"""A technician stages the next version of the show beside the running one and flips a symlink
(`current -> show-v2`), then reloads. The show file's path was kept with its symlinks resolved,
so the reload read show-v1 again and said "reloaded": the old show played on. A reload reads
the show file where it was named."""

from __future__ import annotations

import os

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame

from .conftest import title_scene, write_show


def test_a_reload_after_a_symlink_flip_plays_the_show_the_link_now_names(tmp_path):
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v1")
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(tmp_path / "current" / "install.toml"), clock)
    try:
        engine.step()
        assert engine.sequencer.current.scene_id == "one"
        (tmp_path / "next").symlink_to("show-v2")
        os.replace(tmp_path / "next", tmp_path / "current")  # (the flip is atomic, as a technician's ln -sfn)
        assert engine.reload(at_once=True) is True
        for _ in range(60):  # (two seconds at 30 fps: its scene readied, the crossfade done)
            clock.advance(1 / 30)
            engine.step()
            engine.sequencer.wait_prepared()
        assert engine.show.playlist == ["two"], f"the reload read {engine.show.path} again"
        assert engine.sequencer.current.scene_id == "two"
        assert engine.show.content_root == (tmp_path / "show-v2" / "content").resolve()
    finally:
        engine.shutdown()
