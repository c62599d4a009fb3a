"""A media file missing from content/ was logged again at every reload: 40 reloads (a curator
saving scene files as they work) wrote 40 lines for one missing print, burying what the reloads
changed. It is said once while it stays missing; again when it was found and is missing again,
or when the scene file that names it names it on another line (the line the fix goes to). The
overlay and status list it all along."""

from __future__ import annotations

import logging
import time

import cv2
import numpy as np

from installation.harness import run_test

from .conftest import title_scene, write_show

PRINT = "prints/drowned-1840.jpg"
BOUND_S = 30.0  # real time, far past what the show's looks need, only so a failing test ends
PHOTOGRAPH = f'type = "photograph"\nid = "ph"\nduration = 30\nimage = "{PRINT}"\n'


def _said(caplog) -> list[str]:
    """The log's lines from the reloads that name the missing print."""
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("reload: ") and PRINT in r.getMessage()]


def _listed(pilot) -> list[str]:
    return [p for p in pilot.engine.status()["problems"] if PRINT in p]


def _copy_in(content) -> None:
    (content / "prints").mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(content / PRINT), np.full((240, 180, 3), 128, np.uint8))


def test_a_missing_print_is_said_once_while_it_stays_missing_and_again_when_it_comes_back_missing(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    path = write_show(tmp_path, {"intro": title_scene("intro", duration=600), "ph": PHOTOGRAPH}, ["intro", "ph"])
    scene_file = tmp_path / "scenes" / "ph.toml"
    with run_test(path, fps=10) as pilot:
        assert len(_listed(pilot)) == 1  # (said at the start: `bayard run` logs the show's missing media)
        for _ in range(40):
            assert pilot.engine.reload() is True
            pilot.advance(0.2)
            assert len(_listed(pilot)) == 1, "the overlay and status list it all along"
        assert _said(caplog) == [], "said again at a reload while it stayed missing"

        # A half-written save (the scene's last good copy plays meanwhile), then the whole one: the
        # print, still missing, is not said again.
        scene_file.write_text(PHOTOGRAPH[:40], encoding="utf-8")
        pilot.engine.reload()
        assert any("ph.toml" in p for p in pilot.engine.status()["problems"] if PRINT not in p)
        scene_file.write_text(PHOTOGRAPH, encoding="utf-8")
        assert pilot.engine.reload() is True
        assert _said(caplog) == []

        # Copied in, then gone again: said again each time it went missing again.
        for _ in range(20):
            _copy_in(tmp_path / "content")
            assert pilot.engine.reload() is True
            assert _listed(pilot) == []
            (tmp_path / "content" / PRINT).unlink()
            assert pilot.engine.reload() is True
            assert len(_listed(pilot)) == 1
        assert len(_said(caplog)) == 20, _said(caplog)

        # The scene file names it on another line: said again, with the line the fix goes to.
        scene_file.write_text("# the photograph of the drowned man\n" + PHOTOGRAPH, encoding="utf-8")
        for _ in range(3):
            assert pilot.engine.reload() is True
        said = _said(caplog)
        assert len(said) == 21 and "ph.toml:5" in said[-1], said


def test_a_print_found_by_the_shows_own_looks_is_said_again_when_it_goes_missing_again(tmp_path, caplog):
    """No reload between: the show's looks (every few seconds, off the render thread) see it
    copied in, and the reload after it went again says so."""
    caplog.set_level(logging.INFO)
    path = write_show(tmp_path, {"intro": title_scene("intro", duration=600), "ph": PHOTOGRAPH}, ["intro", "ph"])
    with run_test(path, fps=10) as pilot:
        _copy_in(tmp_path / "content")
        end = time.monotonic() + BOUND_S
        while _listed(pilot) and time.monotonic() < end:
            pilot.advance(0.5)
            time.sleep(0.02)
        assert _listed(pilot) == [], "the looks did not find the print copied in"
        (tmp_path / "content" / PRINT).unlink()
        for _ in range(3):
            assert pilot.engine.reload() is True
            assert len(_listed(pilot)) == 1
        assert len(_said(caplog)) == 1, _said(caplog)  # once, at the first reload after it went
