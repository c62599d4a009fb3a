"""What a technician reads of the animated portrait and of the film cache, in status and on the
operator overlay: the overlay said nothing of the portrait (which backend moves it, whether the
visitor's neutral face is taken, how fast it moves, its last failure), and status said nothing
of the film cache with copying off, where `bayard check` has a line for it."""

from __future__ import annotations

import os
from pathlib import Path

import installation.scenes.portrait as portrait_mod  # noqa: F401  (registers the kind)
from installation.harness import run_test
from installation.media import drives, staging
from installation.overlay_words import status_blocks
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig

from .conftest import overlay_text, title_scene, write_show
from .test_stick_cache import _until

PORTRAIT = """
    type = "portrait"
    id = "p"
    duration = 600
    """


def _said(status: dict) -> list[str]:
    return [" ".join(block.words) for block in status_blocks(status, 60, 5)]


def test_the_overlay_tells_the_portraits_backend_calibration_speed_and_last_fault():
    status = {"scene": "p", "scene_status": {
        "state": "live", "camera": "live", "backend": "fomm", "calibrated": True, "fps": 14.4,
        "animator_error": "RuntimeError: CUDA error: an illegal memory access was encountered", "problem": ""}}
    said = _said(status)
    assert "Portrait: fomm backend, live, calibrated, 14 portraits/s, camera live" in said
    assert "Portrait's last fault: RuntimeError: CUDA error: an illegal memory access was encountered" in said


def test_the_portraits_speed_and_calibration_reach_status_and_the_overlay(tmp_path):
    """A portrait with no camera, stepped with the clock: status counts the portraits made a
    second, and the overlay says it is not calibrated (no visitor has stood for it)."""
    path = write_show(tmp_path, {"p": PORTRAIT}, extra='\n[camera]\nfile = "none.mp4"\n', size=(960, 540))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(3.0)
        scene = pilot.engine.status()["scene_status"]
        assert scene["calibrated"] is False and scene["backend"] == "mesh"
        assert scene["fps"] == 10.0  # one portrait a frame, stepped with the clock at 10 frames a second
        said = " ".join(overlay_text(pilot))
        assert "Portrait: mesh backend, attract, not calibrated, 10 portraits/s, camera unavailable" in said, said


def test_status_and_the_overlay_say_the_film_cache_is_off_and_why(tmp_path, no_cache):
    path = write_show(tmp_path, {"a": title_scene("a")}, size=(800, 480))  # (at 320x180 its last line had no room)
    env = {"XDG_CACHE_HOME": str(tmp_path / "home")}
    with run_test(path, fps=10) as pilot:
        runtime = attach(pilot.engine, env=env, config=RuntimeConfig(watch=False, film_cache_mb=0))
        try:
            cache = pilot.engine.status()["services"]["runtime"]["film_cache"]
            assert cache == {"off": "[runtime] film_cache_mb = 0: films on a USB stick play from it"}
            assert "Film cache off: [runtime] film_cache_mb = 0: films on a USB stick play from it" in " ".join(
                overlay_text(pilot))
        finally:
            runtime.stop()


def test_the_overlay_tells_what_the_film_cache_holds_and_what_played_from_the_stick(tmp_path, monkeypatch,
                                                                                      no_cache):
    stick = tmp_path / "stick"
    monkeypatch.setattr(drives, "device", lambda path: 2 if stick in (path, *path.parents) else 1)
    film = 'type = "video"\nid = "film"\nfile = "one.mp4"\n'
    path = write_show(stick, {"a": title_scene("a", duration=30), "film": film}, size=(1280, 720))
    (stick / "content" / "one.mp4").write_bytes(os.urandom(300_000))
    with run_test(path, fps=10) as pilot:
        runtime = attach(pilot.engine, env={"XDG_CACHE_HOME": str(tmp_path / "home")},
                         config=RuntimeConfig(watch=False, film_cache_mb=0.2))  # too small for the film
        try:
            films = staging.current()
            _until(lambda: films.playlist_bytes > 0)  # (the films-ahead thread has sized the show's films)
            with films.staged(Path(stick / "content" / "one.mp4")):
                pass  # a showing, played from the stick for want of room
            said = " ".join(overlay_text(pilot))
            assert "Film cache: 0 films copied off their drive (0 of 0.2 MB); 1 showing played from the drive" in said
            assert ("Film cache too small: the show's films on their drive need 0.3 MB: set [runtime] "
                    "film_cache_mb = 1 to copy them all") in said, said
        finally:
            runtime.stop()
