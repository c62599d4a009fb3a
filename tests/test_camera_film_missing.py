"""A film standing in for the camera (`[camera] file`) that is not in the content folder was
only `check`'s error: the running show said nothing of install.toml or its line (the portrait
scene, once it ran, told of its camera's absolute path). The show says it as check does, in
its log, status and on the overlay, and plays on: the portrait stirs by itself, no visitor."""

from __future__ import annotations

import logging

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.cli import main
from installation.harness import run_test

from .conftest import drawn_overlay, write_show

SCENE = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\ncountdown = 1\n'
CAMERA = '\n[camera]\nfile = "stand-in/visitor.mp4"\n'


def test_a_missing_camera_film_is_said_at_run_time_with_its_line_and_the_show_plays_on(tmp_path, capsys, caplog):
    path = write_show(tmp_path, {"p": SCENE}, extra=CAMERA, size=(640, 360))
    line = path.read_text().splitlines().index('file = "stand-in/visitor.mp4"') + 1
    main(["check", "--show", str(path), "--fast"])
    checked = next(text for text in capsys.readouterr().out.splitlines() if "camera.file" in text)
    said = checked.strip().removeprefix("error:").strip()
    assert f"install.toml:{line}: camera.file: no video 'stand-in/visitor.mp4'" in said, checked

    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.5)
        status = pilot.engine.status()
        assert pilot.scene_id == "p" and status["faulted"] == {}
        assert pilot.engine.sequencer.current.scene.status()["state"] == "attract"  # no visitor: it stirs alone
    listed = [p for p in status["problems"] if "camera.file" in p]
    assert listed and said in listed[0], status["problems"]
    assert "copy the file there" in listed[0] and "the portrait shows no visitor" in listed[0]
    drawn, _ = drawn_overlay((1280, 720), status)
    assert any("camera.file" in text and "visitor.mp4" in text for text, _ in drawn), drawn

    with caplog.at_level(logging.ERROR):
        assert main(["run", "--show", str(path), "--headless", "--seconds", "0.5"]) == 0
    assert any(said in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]


def test_a_camera_film_named_by_an_absolute_path_is_not_said_to_be_in_the_content_folder(tmp_path, capsys):
    """A film on a stick (`file = "/media/stick/visitor.mp4"`) is looked for there, as written:
    the words said it was not in the content folder and that the path starts inside it, and
    offered a film of the same name there, all of which sent the technician to the wrong place."""
    stick = tmp_path / "stick"  # (its drive not plugged in)
    (tmp_path / "content" / "stand-in").mkdir(parents=True)
    (tmp_path / "content" / "stand-in" / "visitor.mp4").write_bytes(b"")  # (a different film, of the same name)
    path = write_show(tmp_path, {"p": SCENE}, extra=f'\n[camera]\nfile = "{stick}/visitor.mp4"\n', size=(640, 360))
    main(["check", "--show", str(path), "--fast"])
    checked = next(text for text in capsys.readouterr().out.splitlines() if "camera.file" in text)
    assert f"no video at '{stick}/visitor.mp4'" in checked, checked
    assert "plug in that drive" in checked and "in the content folder content/" not in checked, checked
    assert "starts inside the content folder" not in checked and "did you mean" not in checked, checked


def _checked(path, capsys, key: str) -> str:
    main(["check", "--show", str(path), "--fast"])
    return next(text for text in capsys.readouterr().out.splitlines() if key in text)


def test_the_camera_films_hint_offers_no_film_another_line_names(tmp_path, capsys):
    """The camera film's 'did you mean' offered the next film of a series that a scene shows
    (stand-in/visitor1.mp4 missing beside visitor2.mp4, a video scene's): a technician who took
    it pointed the camera at the other scene's film. Media's hint never offers a file another
    line names; the camera film's keeps the same rule, and media's counts install.toml's camera
    film among the lines."""
    stand_in = tmp_path / "content" / "stand-in"
    stand_in.mkdir(parents=True)
    for name in ("visitor2.mp4", "visitor3.mp4", "guest.mp4"):
        (stand_in / name).write_bytes(b"")
    scenes = {"p": SCENE, "v": 'type = "video"\nid = "v"\nfile = "stand-in/visitor2.mp4"\n',
              "w": 'type = "video"\nid = "w"\nfile = "stand-in/visitor4.mp4"\n'}
    path = write_show(tmp_path, scenes, ["p", "v", "w"], extra='\n[camera]\nfile = "stand-in/visitor3.mp4"\n',
                      size=(640, 360))
    said = _checked(path, capsys, "stand-in/visitor4.mp4")  # (visitor2 is v's, visitor3 the camera's)
    assert "did you mean" not in said and "copy the file there" in said, said

    def camera_film(name: str) -> None:
        path.write_text(path.read_text().replace('file = "stand-in/visitor3.mp4"', f'file = "stand-in/{name}"'))

    (stand_in / "visitor3.mp4").unlink()
    camera_film("visitor1.mp4")
    said = _checked(path, capsys, "camera.file")
    assert "no video 'stand-in/visitor1.mp4'" in said and "did you mean" not in said, said
    assert "copy the file there, or correct the path" in said, said
    path.write_text(path.read_text().replace("stand-in/visitor1.mp4", "stand-in/guests.mp4"))
    said = _checked(path, capsys, "camera.file")
    assert "did you mean 'stand-in/guest.mp4'?" in said, said  # (a near name no line names)
