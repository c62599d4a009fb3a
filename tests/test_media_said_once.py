"""What the running show says of a curator's odd media, said once with where it is and the fix
(the artist's show walked on issue 47: a portrait without a face was logged twice)."""

from __future__ import annotations

import logging

import numpy as np

from installation.harness import run_test

from .conftest import write_show


def test_a_portrait_without_a_face_is_logged_once_with_what_the_scene_does(tmp_path, caplog):
    # A flat grey card: no face for any detector. It was logged by the scene ("...; the scene
    # skips it") and again by the engine's report of the same problem.
    import cv2

    path = write_show(tmp_path, {"sitter": """
        type = "portrait"
        id = "sitter"
        duration = 600
        [[portraits]]
        image = "img/grey.jpg"
        title = "Nobody"
        """})
    (tmp_path / "content" / "img").mkdir()
    cv2.imwrite(str(tmp_path / "content" / "img" / "grey.jpg"), np.full((600, 480, 3), 128, np.uint8))
    caplog.set_level(logging.INFO)
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.0)
    said = [r.getMessage() for r in caplog.records if "img/grey.jpg" in r.getMessage() and "no face" in r.getMessage()]
    assert len(said) == 1, said
    assert "the scene skips it" in said[0], said


def _loop_with_a_cut_picture(tmp_path):
    """A show of one loop over img/*: a good picture and one cut short halfway (b-truncated.jpg)."""
    import cv2

    import installation.scenes.loop  # noqa: F401  (registers the scene kind)

    path = write_show(tmp_path, {"loopy": """
        type = "loop"
        id = "loopy"
        duration = 600
        folder = "img/*"
        item_duration = 2
        """})
    (tmp_path / "content" / "img").mkdir()
    good = cv2.imencode(".jpg", np.full((300, 300, 3), 90, np.uint8))[1].tobytes()
    (tmp_path / "content" / "img" / "a-good.jpg").write_bytes(good)
    (tmp_path / "content" / "img" / "b-truncated.jpg").write_bytes(good[: len(good) // 2])
    return path


def test_a_picture_a_loop_skips_is_named_with_its_folder_the_scene_files_line_and_the_fix(tmp_path, caplog):
    # It was logged as "scene 'loopy': truncated.jpg: cannot be decoded ...": no folder, no line,
    # no fix, where check names the file at the folder's line with what to do.
    path = _loop_with_a_cut_picture(tmp_path)
    caplog.set_level(logging.INFO)
    with run_test(path, fps=10) as pilot:
        pilot.advance(6.0)
        assert pilot.engine.sequencer.current.scene.skipped == ["img/b-truncated.jpg"]
        told = [e for e in pilot.engine.status()["errors"] if "b-truncated.jpg" in e["message"]]
    said = [e["message"] for e in told]
    assert len(said) == 1, said
    assert told[0]["severity"] == "warning", told  # (as check says it: the loop plays the others)
    assert said[0].startswith("scenes/loopy.toml:4: folder: 'content/img/b-truncated.jpg' cannot be decoded"), said
    assert "take it out of the folder; the loop plays the others meanwhile" in said[0], said
    logged = [r.getMessage() for r in caplog.records
              if r.name == "bayard.engine" and "b-truncated.jpg" in r.getMessage()]
    assert logged == [f"scene 'loopy': {said[0]}"], logged


def test_a_listed_item_the_loop_skips_is_named_at_its_entry_with_its_own_fix(tmp_path):
    import installation.scenes.loop  # noqa: F401  (registers the scene kind)

    path = write_show(tmp_path, {"loopy": """
        type = "loop"
        id = "loopy"
        duration = 600
        item_duration = 2
        [[items]]
        file = "img/empty.jpg"
        [[items]]
        file = "img/good.png"
        """})
    import cv2

    (tmp_path / "content" / "img").mkdir()
    (tmp_path / "content" / "img" / "empty.jpg").write_bytes(b"")
    cv2.imwrite(str(tmp_path / "content" / "img" / "good.png"), np.full((300, 300, 3), 90, np.uint8))
    with run_test(path, fps=10) as pilot:
        pilot.advance(5.0)
        said = [e["message"] for e in pilot.engine.status()["errors"] if "empty.jpg" in e["message"]]
    assert len(said) == 1 and said[0].startswith("scenes/loopy.toml:6: items #1, file: 'content/img/empty.jpg' "), said
    assert "remove its [[items]] entry from the scene file" in said[0], said


def _said_of(caplog, name: str) -> list[str]:
    """Every log line, from any part of the show (the decoder's threads too), that names `name`."""
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if name in r.getMessage()]


def test_a_picture_a_loop_skips_is_said_in_one_line_not_also_by_its_decoder(tmp_path, caplog):
    # The decoder's thread logged "skipping b-truncated.jpg: cannot be decoded ..." (the bare name,
    # no folder, line or fix) beside the engine's full line: a technician read two troubles.
    path = _loop_with_a_cut_picture(tmp_path)
    caplog.set_level(logging.DEBUG)
    with run_test(path, fps=10) as pilot:
        pilot.advance(6.0)
        assert pilot.engine.sequencer.current.scene.skipped == ["img/b-truncated.jpg"]
    said = _said_of(caplog, "b-truncated.jpg")
    assert len(said) == 1 and said[0].startswith("bayard.engine: scene 'loopy': scenes/loopy.toml:4: "), said


def test_a_film_that_cannot_be_read_is_said_in_one_line_by_its_scene(tmp_path, caplog):
    path = write_show(tmp_path, {"film": """
        type = "video"
        id = "film"
        file = "films/broken.mp4"
        """})
    (tmp_path / "content" / "films").mkdir()
    (tmp_path / "content" / "films" / "broken.mp4").write_bytes(b"\x00\x00\x00 not a film")
    caplog.set_level(logging.DEBUG)
    with run_test(path, fps=10) as pilot:
        pilot.advance(3.0)
    said = _said_of(caplog, "broken.mp4")
    assert len(said) == 1 and said[0].startswith("bayard.engine: scene 'film': "), said
    assert "showing a card" in said[0], said


def test_a_loops_film_whose_reads_fail_after_it_played_is_named_and_not_left_frozen(tmp_path, caplog, monkeypatch):
    # Its decoder's own line was the only word of it; without that line the loop must say it, and
    # its only film, ended, was its last frame held for ever.
    import os

    import installation.scenes.loop  # noqa: F401  (registers the scene kind)
    from installation.media import staging
    from installation.media.frames import fit_size
    from installation.media.sources import VideoSource

    size, fps = (64, 36), 25.0
    film = tmp_path / "content" / "films" / "stops.mp4"

    def stops_after_a_second(source, output_params, path=None):
        shown = fit_size(size, source.box, source.fit)[1]  # (ffmpeg scales to the size shown)

        def frames():
            for _ in range(int(fps)):
                yield bytes([96]) * (shown[0] * shown[1] * 3)
            raise OSError(5, "Input/output error")

        return frames(), {"size": size, "source_size": size, "fps": fps, "duration": 600.0}

    monkeypatch.setattr(VideoSource, "_open", stops_after_a_second)
    monkeypatch.setattr(staging, "_cache", None)  # (read where it lies, as from a stick)
    path = write_show(tmp_path, {"loopy": """
        type = "loop"
        id = "loopy"
        duration = 600
        [[items]]
        file = "films/stops.mp4"
        """})
    film.parent.mkdir()
    film.write_bytes(os.urandom(4096))
    caplog.set_level(logging.DEBUG)
    with run_test(path, fps=10) as pilot:
        pilot.advance(4.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.mode == "placeholder", scene.mode  # (its card, not the film's last frame)
        told = [e for e in pilot.engine.status()["errors"] if "stops.mp4" in e["message"]]
    assert len(told) == 1 and "Input/output error" in told[0]["message"], told
    assert len(_said_of(caplog, "stops.mp4")) == 1, _said_of(caplog, "stops.mp4")
