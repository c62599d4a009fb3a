"""A GIF plays as a still, its first frame, wherever a picture goes, and `bayard check` says so
of an animated one (issue 47's walk: check called a GIF photograph a file the show cannot open
while the show played it, and a GIF in a loop's or a quiz's folder was passed over without a word)."""

from __future__ import annotations

import numpy as np
from PIL import Image

import installation.scenes.loop  # noqa: F401  (registers the scene kind)
from installation.cli import main
from installation.harness import run_test

from .conftest import write_show

RED, BLUE = (200, 30, 30), (30, 30, 200)


def animated_gif(path, size=(320, 240)) -> None:
    """Two frames: red, then blue (the show must draw the red one)."""
    first, second = (Image.new("RGB", size, colour) for colour in (RED, BLUE))
    first.save(path, "GIF", save_all=True, append_images=[second], duration=200, loop=0)


def _check(tmp_path, capsys) -> tuple[int, str]:
    code = main(["check", "--show", str(tmp_path)])
    return code, " ".join(capsys.readouterr().out.split())


def test_a_gif_photograph_is_not_an_error_in_check_and_check_says_only_its_first_frame_shows(tmp_path, capsys):
    write_show(tmp_path, {"ph": """
        type = "photograph"
        id = "ph"
        duration = 6
        image = "img/moving.gif"
        """})
    (tmp_path / "content" / "img").mkdir()
    animated_gif(tmp_path / "content" / "img" / "moving.gif")
    code, out = _check(tmp_path, capsys)
    assert "cannot open" not in out, out
    assert "scenes/ph.toml:4: image: 'img/moving.gif' is an animated GIF, and the show draws its first frame " \
           "only" in out, out
    assert "export it as an MP4 film" in out, out
    assert code == 0, out


def test_a_gif_in_a_loops_folder_plays_its_first_frame(tmp_path):
    write_show(tmp_path, {"loopy": """
        type = "loop"
        id = "loopy"
        duration = 600
        layout = "full"
        fit = "cover"
        folder = "img/*"
        item_duration = 3
        """})
    (tmp_path / "content" / "img").mkdir()
    animated_gif(tmp_path / "content" / "img" / "moving.gif")
    with run_test(tmp_path / "install.toml", fps=10) as pilot:
        frame = pilot.advance(2.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.mode == "files" and [item.file for item in scene.items] == ["img/moving.gif"]
        middle = frame.get_at((frame.get_width() // 2, frame.get_height() // 2))[:3]
    assert np.abs(np.array(middle, int) - RED).max() < 30, middle  # the first frame, not the placeholder


def test_a_gif_in_a_quiz_folder_is_asked_about_and_check_says_its_first_frame_is(tmp_path, capsys):
    from installation.scenes.quiz_items import load_folder

    for truth in ("real", "fake"):
        (tmp_path / "content" / "quiz" / truth).mkdir(parents=True)
    animated_gif(tmp_path / "content" / "quiz" / "fake" / "moving.gif", (300, 300))
    Image.new("RGB", (300, 300), (90, 90, 90)).save(tmp_path / "content" / "quiz" / "real" / "still.png")
    items = load_folder("quiz/fake", "fake", tmp_path / "content")
    assert [item.key for item in items] == ["quiz/fake/moving.gif"]
    write_show(tmp_path, {"q": """
        type = "quiz"
        id = "q"
        real = "quiz/real"
        fake = "quiz/fake"
        questions = 2
        """})
    _, out = _check(tmp_path, capsys)
    assert "quiz item 'quiz/fake/moving.gif' is an animated GIF, and the show draws its first frame only" in out, out


def test_a_gif_decodes_to_its_first_frame_where_opencv_reads_no_gif(tmp_path, monkeypatch):
    # OpenCV reads GIF from 4.11 on; the show takes it from 4.8: the same GIF played on one
    # kiosk and was a stand-in card on another.
    import cv2

    from installation.imaging import read_rgb

    path = tmp_path / "moving.gif"
    animated_gif(path)
    real_imdecode = cv2.imdecode
    monkeypatch.setattr(cv2, "imdecode", lambda data, flags: None if bytes(data[:3]) == b"GIF"
                        else real_imdecode(data, flags))
    image = read_rgb(path)
    assert image.shape == (240, 320, 3)
    assert np.abs(image[120, 160].astype(int) - RED).max() < 30, image[120, 160]
