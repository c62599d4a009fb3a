"""Show files edited badly on a running kiosk: what plays, what is kept, what is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from installation import cli
from installation.cli import main
from installation.config.errors import ShowError
from installation.config.lastgood import recall, remember
from installation.config.loader import load_show
from installation.harness import run_test

from .conftest import overlay_text, title_scene, write_show


def last_good_heading(root: Path, scene: str) -> str:
    return (root / "var" / "last-good" / "scenes" / f"{scene}.toml").read_text()


@pytest.mark.parametrize("text", ["", "\n# nothing yet\n", '[show]\ntitle = "Half written"\n',
                                  "[show]\nplaylist = []\n"])
def test_a_show_file_without_a_playlist_is_refused(tmp_path, capsys, text):
    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")})
    path.write_text(text)
    with pytest.raises(ShowError) as caught:
        load_show(path)
    message = str(caught.value.problems[0])
    assert "no playlist" in message and 'playlist = ["a", "b"]' in message
    assert main(["check", "--show", str(path)]) == 2
    assert "no playlist" in capsys.readouterr().err


def test_an_emptied_show_file_does_not_replace_the_last_good_copy(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a", heading="Kept")})
    remember(load_show(path))
    with run_test(path, fps=10) as pilot:
        path.write_text("")
        assert pilot.engine.reload() is False
        assert pilot.engine.show.playlist == ["a"]  # the show plays on
    assert recall(path) is not None and recall(path).scenes["a"].heading == "Kept"


def test_only_a_show_without_errors_replaces_the_last_good_copy(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a", heading="First")}, playlist=["a"])
    assert remember(load_show(path)) is not None
    write_show(tmp_path, {"a": title_scene("a", heading="Second")}, playlist=["a", "missing"])
    show = load_show(path)
    assert show.errors and remember(show) is None
    assert 'heading = "First"' in last_good_heading(tmp_path, "a")
    show.config.show.playlist.remove("missing")  # warnings alone are fine
    write_show(tmp_path, {"a": title_scene("a", heading="Second")}, playlist=["a"])
    assert remember(load_show(path)) is not None
    assert 'heading = "Second"' in last_good_heading(tmp_path, "a")


def test_the_last_good_copy_is_readable_by_the_show_alone(tmp_path):
    """install.toml may hold OSC passcodes; its remembered copy was 0644 while the service
    keeps everything it writes to itself (UMask=0077)."""
    path = write_show(tmp_path, {"a": title_scene("a")}, playlist=["a"])
    folder = remember(load_show(path))
    assert folder is not None and folder.stat().st_mode & 0o077 == 0


def test_check_warns_about_scene_files_left_out_of_the_playlist(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a"), "spare": title_scene("spare")}, playlist=["a"])
    assert main(["check", "--show", str(path), "--fast"]) == 0
    out = capsys.readouterr().out
    assert "scene 'spare' (spare.toml) is not in the playlist and never plays" in out
    assert "install.toml:3: show.playlist:" in out  # the line to edit


def test_a_broken_scene_file_plays_its_last_good_version(tmp_path):
    path = write_show(tmp_path, {"opening": title_scene("opening", heading="Welcome"), "b": title_scene("b")})
    remember(load_show(path))
    scene_file = tmp_path / "scenes" / "opening.toml"
    with run_test(path, fps=10, size=(320, 180)) as pilot:
        scene_file.write_text(scene_file.read_text().replace("heading", "headng"))
        assert pilot.engine.reload(at_once=True)
        pilot.command("goto", "b")
        pilot.command("goto", "opening")
        assert pilot.scene_id == "opening"  # not dropped: `goto opening` lands on it
        assert pilot.engine.sequencer.current.scene.config.heading == "Welcome"
        # What is wrong now is in status "problems" (the history, "errors", leaves it out).
        assert any("headng" in p and "last good version of 'opening' plays" in p
                   for p in pilot.engine.status()["problems"])
        assert any("headng" in str(p) and p.severity == "error" for p in pilot.engine.show.problems)
        assert any(event == "error" and "headng" in str(args) for event, args in pilot.events)  # alerts fire
    # An edit elsewhere is remembered while the broken file's good copy is kept.
    broken = load_show(path, keep_good=True)
    assert broken.errors and remember(broken) is not None
    # The copy keeps the good version until a valid one replaces it.
    assert 'heading = "Welcome"' in last_good_heading(tmp_path, "opening")
    scene_file.write_text(scene_file.read_text().replace("headng", "heading").replace("Welcome", "Hello"))
    show = load_show(path, keep_good=True)
    assert show.scenes["opening"].heading == "Hello" and not show.errors
    remember(show)
    assert 'heading = "Hello"' in last_good_heading(tmp_path, "opening")


def test_starting_from_the_last_good_copy_shows_in_status_and_reloads_the_real_file(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a", heading="Kept")})
    remember(load_show(path))
    good = path.read_text()
    path.write_text(good + "\n[display\n")  # a half-saved edit while the kiosk was off
    started: list = []
    monkeypatch.setattr("installation.app.run", lambda show, **kwargs: started.append(show) or 0)
    monkeypatch.setattr("installation.app.display_available", lambda: True)
    assert cli.main(["run", "--headless", "--show", str(path)]) == 0
    with run_test(started[0], fps=10) as pilot:
        status = pilot.engine.status()
        assert status["last_good"]["show_file"] == str(path.resolve())
        assert any("TOML syntax" in said for said in status["problems"] + [e["message"] for e in status["errors"]])
        drawn = overlay_text(pilot)
        assert any("LAST GOOD" in line for line in drawn), drawn
        path.write_text(good.replace("Test show", "Fixed show"))
        assert pilot.engine.reload(at_once=True)  # the real show file, not the copy
        assert pilot.engine.status()["last_good"] is None
        assert pilot.engine.status()["show"] == "Fixed show"


def test_the_overlay_names_the_scene_by_its_title_too(tmp_path):
    """A scene file's `title` is "for logs, status and the operator overlay"."""
    scene = title_scene("a") + '        title = "Opening card"\n'
    with run_test(write_show(tmp_path, {"a": scene}), fps=10) as pilot:
        said = overlay_text(pilot)
        assert "Scene: a - Opening card" in said
        assert "Show: Test show" in said  # the show's title: "shown in logs, status and the overlay"


def test_an_osc_change_on_reload_is_refused_with_a_clear_message(tmp_path):
    from installation.inputs.osc.service import attach as attach_osc

    osc = '\n[osc]\nport = 0\nallow = ["127.0.0.1/32"]\n[osc.passcodes]\ncontrol = "old-code-1"\n'
    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")}, extra=osc)
    with run_test(path, fps=10) as pilot:
        server = attach_osc(pilot.engine, start=False)
        path.write_text(path.read_text().replace("old-code-1", "new-code-2"))
        assert pilot.engine.reload() is False
        message = pilot.engine.errors[-1]["message"]
        assert "[osc] passcodes changed" in message and "restart" in message
        assert server.config.passcodes.control == "old-code-1"  # and it says so: no silent mismatch
        # Without an [osc] change the rest reloads as before.
        path.write_text(path.read_text().replace("new-code-2", "old-code-1").replace('"Test show"', '"Renamed"'))
        assert pilot.engine.reload() is True
        assert pilot.engine.status()["show"] == "Renamed"


def test_a_named_pipe_or_a_huge_file_in_scenes_is_reported_and_the_show_goes_on(tmp_path):
    """A FIFO saved as scenes/pipe.toml blocked the reload on the render thread until
    something wrote into it (status, frames and the watchdog's pongs all stopped)."""
    import os
    import threading

    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")}, size=(1280, 720))
    with run_test(path, fps=10) as pilot:
        os.mkfifo(tmp_path / "scenes" / "pipe.toml")
        (tmp_path / "scenes" / "huge.toml").write_text("# " + "x" * 5_000_000 + "\n")
        done = threading.Event()
        worker = threading.Thread(target=lambda: (pilot.engine.reload(), done.set()), daemon=True)
        worker.start()
        assert done.wait(10), "the reload is blocked on the pipe"
        said = "\n".join(e["message"] for e in pilot.engine.errors)
        assert "pipe.toml" in said and "not a regular file" in said
        assert "huge.toml" in said and "too large" in said
        pilot.advance(3)
        assert pilot.scene_id in ("a", "b")


def test_the_log_names_the_show_by_its_title_at_start_and_on_reload(tmp_path, caplog):
    import logging

    path = write_show(tmp_path, {"a": title_scene("a")})
    with caplog.at_level(logging.INFO, logger="bayard.engine"), run_test(path, fps=10) as pilot:
        assert "show 'Test show' from" in caplog.text
        path.write_text(path.read_text().replace('"Test show"', '"Renamed"'))
        assert pilot.engine.reload()
    assert "show 'Renamed' reloaded from" in caplog.text


@pytest.mark.parametrize(("written", "says"), [
    ("photos/Moulin.JPG", "did you mean 'photos/moulin.jpg'? (letter case matters)"),
    ("moulin.jpg", "did you mean 'photos/moulin.jpg'?"),
    ("content/photos/moulin.jpg", "did you mean 'photos/moulin.jpg'? (paths start inside the content folder)"),
    ("photos/moulin.heic", "is a '.heic' file, which the show cannot open; export it as JPEG or PNG"),
])
def test_a_picture_named_almost_right_gets_the_name_it_probably_meant(tmp_path, capsys, written, says):
    """An artist's file name off by a letter's case or a folder got "not found" and no more,
    and a HEIC from a phone was "OK" in check and an empty mat on the wall."""
    import cv2
    import numpy as np

    path = write_show(tmp_path, {"p": f'type = "photograph"\nid = "p"\nduration = 5\nimage = "{written}"\n'})
    (tmp_path / "content" / "photos").mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(tmp_path / "content" / "photos" / "moulin.jpg"), np.full((300, 400, 3), 90, np.uint8))
    (tmp_path / "content" / "photos" / "moulin.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"scenes/p.toml:4: image: media file '{written}'" in out and says in out


@pytest.mark.parametrize(("line", "says"), [
    ("heading = \u201cLe moulin\u201d", "curly quotes"),
    ('heading = "Le moulin', "a quote is not closed on this line"),
    ("duration = ten", "text goes between quotes"),
    ('r\u00f4le = "date"', "no accents or spaces"),
])
def test_a_syntax_mistake_says_what_was_probably_typed(tmp_path, capsys, line, says):
    """TOML's own words ("Invalid value", "Illegal character '\\n'") told an artist nothing
    about the curly quotes TextEdit had typed or the quote left open."""
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_text(f'type = "title"\nid = "x"\n{line}\n', encoding="utf-8")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "scenes/x.toml:3: TOML syntax:" in out and says in out


def test_a_file_not_in_utf8_names_its_line(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_bytes(b'type = "title"\nid = "x"\nheading = "caf\xe9"\n')
    assert main(["check", "--show", str(path)]) == 1
    assert "scenes/x.toml:3: not UTF-8 text" in capsys.readouterr().out


def test_a_caption_timed_after_its_scene_ends_is_named_by_check(tmp_path, capsys):
    """A caption at 45 s in a 30 s scene never showed, and nothing said so."""
    scene = ('type = "photograph"\nid = "p"\nduration = 30\nimage = "print.png"\n\n'
             '[[captions]]\nat = 0\ntext = "Shown"\nrole = "title"\n\n'
             '[[captions]]\nat = 45\ntext = "Never shown"\nrole = "body"\n')
    path = write_show(tmp_path, {"p": scene})
    import cv2
    import numpy as np

    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((900, 1200, 3), 128, np.uint8))
    assert main(["check", "--show", str(path)]) == 0  # a warning: the rest plays
    out = capsys.readouterr().out
    assert ('scenes/p.toml:12: captions #2, at: caption 2 ("Never shown") begins at 45 s, after the scene '
            "ends at 30 s") in out
    assert "Shown\")" not in out


def test_a_keyframe_timed_after_its_scene_ends_is_named_by_check(tmp_path, capsys):
    """A keyframe at 40 s in a 30 s scene was never reached (the pan towards it cut off),
    and check, which named a late caption, said nothing of it. It names the keyframe's line
    and the fix, as for a caption; a keyframe at the very end is reached, and not named."""
    scene = ('type = "photograph"\nid = "p"\nduration = 30\nimage = "print.png"\n\n'
             '[[keyframes]]\nat = 0\n\n'
             '[[keyframes]]\nat = 30\nzoom = 1.2\n\n'
             '[[keyframes]]\nat = 40\ncenter = [0.3, 0.4]\nzoom = 1.5\n')
    path = write_show(tmp_path, {"p": scene})
    import cv2
    import numpy as np

    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((1800, 2400, 3), 128, np.uint8))
    assert main(["check", "--show", str(path)]) == 0  # a warning: the rest plays
    out = capsys.readouterr().out
    assert ("scenes/p.toml:14: keyframes #3, at: keyframe 3 (zoom 1.5x on 0.3, 0.4) is reached at 40 s, after "
            "the scene ends at 30 s, so visitors never see the picture get there; lower its 'at' or raise the "
            "scene's 'duration'") in out, out
    assert "keyframe 2" not in out, out


def test_check_finds_a_model_file_that_differs_from_its_checksum(tmp_path, capsys):
    """A byte flipped in face_landmark.tflite: `check` said "mesh: ok" and "OK"; only
    `bayard assets status` knew. Every model in the manifests is verified."""
    import hashlib

    path = write_show(tmp_path, {"a": title_scene("a")})
    models = tmp_path / "models"
    (models / "face").mkdir(parents=True)
    good = b"a model's bytes" * 100
    (models / "face" / "mesh.tflite").write_bytes(good[:-1] + b"!")
    (models / "manifest.toml").write_text(
        '[[asset]]\nid = "face-mesh"\npath = "face/mesh.tflite"\n'
        f'sha256 = "{hashlib.sha256(good).hexdigest()}"\nlicence = "Apache-2.0"\n')
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "face-mesh" in out and "face/mesh.tflite is damaged" in out and "git checkout models/face/mesh.tflite" in out


def test_a_file_cut_off_mid_value_names_its_last_line(tmp_path, capsys):
    """"TOML syntax: Invalid value (at end of document)" gave no line to look at."""
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_text('type = "title"\nid = "x"\nduration =', encoding="utf-8")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "scenes/x.toml:3: TOML syntax: Invalid value" in out and "end of document" not in out


def test_check_lists_problems_in_reading_order(tmp_path, capsys):
    """Problems came in the order the checks ran, a later line before an earlier one."""
    import cv2
    import numpy as np

    scene = ('type = "photograph"\nid = "p"\nduration = 30\nimage = "small.png"\n\n'
             '[[captions]]\nat = 45\ntext = "Late"\nrole = "body"\n')
    path = write_show(tmp_path, {"p": scene})
    cv2.imwrite(str(tmp_path / "content" / "small.png"), np.full((30, 40, 3), 128, np.uint8))  # soft on screen
    main(["check", "--show", str(path)])
    out = capsys.readouterr().out
    lines = [int(m) for m in __import__("re").findall(r"scenes/p\.toml:(\d+):", out)]
    assert len(lines) >= 2 and lines == sorted(lines), out


def test_check_knows_every_kind_of_film_the_show_plays():
    """check refused a .mpg film that the video scene plays: the two lists had drifted."""
    from installation.config.loader import VIDEO_SUFFIXES
    from installation.media.sources import VIDEO_SUFFIXES as PLAYED

    assert PLAYED <= VIDEO_SUFFIXES


@pytest.mark.parametrize(("line", "says", "not_says"), [
    ("heading =", "Invalid value", "curly quotes"),
    ("fullscreen = True", "write true or false in small letters", "between quotes"),
    ('heading "x"', "Expected '='", "no accents"),
])
def test_syntax_hints_are_not_given_where_they_do_not_fit(tmp_path, capsys, line, says, not_says):
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_text(f'type = "title"\nid = "x"\n{line}\n', encoding="utf-8")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert says in out and not_says not in out


@pytest.mark.parametrize(("lines", "at", "says"), [
    ("duration = = 12", 3, "the = sign is typed twice: write `duration = 12`"),
    ("heading = Le moulin", 3, 'text goes between quotes: write `heading = "Le moulin"`'),
    ("duration = 12,", 3, "with no comma (commas go between the values of a list): write `duration = 12`"),
    ("heading = \u201cLe moulin\u201d", 3, 'curly quotes (\u201c \u201d), which a word processor or TextEdit types: '
                                          'in a plain-text editor, write `heading = "Le moulin"`'),
    ('heading = "Le moulin\u201d', 3, 'write `heading = "Le moulin"` with straight quotes'),
    ('transition = { kind = "cut", duration = 1.0\nduration = 5', 3,
     "a { table } is closed with } on the line that opened it: "
     'write `transition = { kind = "cut", duration = 1.0 }`'),
    ('captions = [\n  "a",\n  "b"\n\n[x]\ny = 1', 5,
     'the list begun on line 3 is not closed: end it after its last value, write `"b"]`'),
    ('heading = "Salle 3"\n[[captions]\nat = 1\ntext = "x"', 4,
     "a table's name is closed with ]]: write `[[captions]]`"),
])
def test_a_syntax_mistake_says_the_line_to_write(tmp_path, capsys, lines, at, says):
    """"scenes/x.toml:3: TOML syntax: Invalid value" told a curator nothing of the = typed
    twice, the comma ended a line as in a list, or the bracket left open; check now gives the
    line as it should read, at the line to mend (a bracket left open: the line that opened it,
    not the next key, where TOML notices it)."""
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_text(f'type = "title"\nid = "x"\n{lines}\n', encoding="utf-8")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"scenes/x.toml:{at}: TOML syntax:" in out and says in out, out


def test_a_list_left_open_is_named_at_its_line_with_the_line_to_write(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a")})
    path.write_text(path.read_text().replace('playlist = ["a"]', 'playlist = ["a"'))
    assert main(["check", "--show", str(path)]) != 0
    out = "".join(capsys.readouterr())
    line = path.read_text().split("\n").index('playlist = ["a"') + 1
    assert f"install.toml:{line}: TOML syntax: Unclosed array" in out, out
    assert "write `playlist = [\"a\"]`" in out, out


def test_the_overlay_shows_a_reloaded_files_syntax_hint(tmp_path):
    """The live reload's message, as the operator overlay shows it, carries the same fix."""
    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")}, size=(1280, 720))
    with run_test(path, fps=10) as pilot:
        scene_file = tmp_path / "scenes" / "b.toml"
        scene_file.write_text(scene_file.read_text().replace("duration = 5", "duration = = 12"))
        pilot.engine.reload(at_once=True)
        pilot.step()
        said = [p for p in pilot.engine.status()["problems"] if "b.toml" in p]
        assert said and "write `duration = 12`" in said[0], said
        drawn = " ".join(overlay_text(pilot))
        assert "b.toml:3" in drawn and "write `duration = 12`" in drawn, drawn
