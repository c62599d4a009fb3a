"""Settings of the wrong TOML type: said with file, line, what was found and what to write,
and the show plays on with the field's default. pydantic's lax conversion once read
`override_max_h = "12"` as 12, `override_max_h = true` as 1 hour and `fullscreen = "no"` as
false without a word."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from installation.cli import main
from installation.config.errors import ShowError
from installation.config.lastgood import remember
from installation.config.loader import load_show

TITLE = """
    type = "title"
    id = "opening"
    heading = "Hello"
    duration = 5
    """


def show_at(root: Path, settings: str, scenes: dict[str, str] | None = None) -> Path:
    """install.toml with `settings` after its [show] table (line 4 on), and scene files."""
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    for name, text in (scenes or {"opening": TITLE}).items():
        (root / "scenes" / f"{name}.toml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    path = root / "install.toml"
    path.write_text('[show]\ntitle = "Types"\nplaylist = ["opening"]\n' + textwrap.dedent(settings).lstrip(),
                    encoding="utf-8")
    return path


def said(show) -> str:
    return "\n".join(str(p) for p in show.problems)


def test_a_quoted_number_of_hours_plays_the_default_and_says_how_to_write_it(tmp_path):
    show = load_show(show_at(tmp_path, """
        [hours]
        override_max_h = "20"
        """))
    assert show.config.hours.override_max_h == 12  # the default, not 20 read from the text
    assert ('install.toml:5: hours.override_max_h: override_max_h is the text "20"; it takes a number, '
            "without quotes: write override_max_h = 20") in said(show)
    assert "the default, 12, is used until this is fixed" in said(show)
    assert [p.severity for p in show.problems] == ["error"]


@pytest.mark.parametrize("section, setting, value, default, words", [
    ("hours", "override_max_h = true", "override_max_h", 12,
     "override_max_h is true (a yes/no value); it takes a number"),
    ("attract", "idle_timeout = true", "idle_timeout", 45, "idle_timeout is true (a yes/no value); it takes a number"),
    ("display", 'fullscreen = "no"', "fullscreen", True, 'fullscreen is the text "no"; it takes true or false, '
                                                         "without quotes: write fullscreen = false"),
    ("display", "fullscreen = 0", "fullscreen", True, "write fullscreen = false"),
    ("display", "fps = true", "fps", 60, "fps is true (a yes/no value); it takes a whole number"),
    ("display", 'fps = "30"', "fps", 60, "write fps = 30"),
    ("display", "rotation = false", "rotation", 0, "rotation is false (a yes/no value); it takes one of 0, 90"),
    ("display", 'rotation = "90"', "rotation", 0, "write rotation = 90"),
    ("display", 'size = [1920, "1080"]', "size", (1920, 1080),
     'size is a list whose item #2 is the text "1080"; it takes a list in square brackets, each item a whole '
     "number, without quotes: write size = [1920, 1080]"),
    ("display", "size = [640, true]", "size", (1920, 1080), "item #2 is true"),
    ("camera", "device = true", "device", 0, "device is true (a yes/no value)"),
    ("camera", 'recording = "false"', "recording", False, "write recording = false"),
    ("show", None, "title", "Untitled exhibition", 'title is the number 5; it takes text in quotes: write title = "5"'),
    ("logging", "level = 1", "level", "info", "level is the number 1; it takes one of \"debug\""),
    ("osc", 'port = "9001"', "port", 9000, "write port = 9001"),
    ("runtime", "watch = 1", "watch", True, "write watch = true"),
])
def test_a_value_of_the_wrong_kind_plays_the_default(tmp_path, section, setting, value, default, words):
    if setting is None:  # [show] is the file's first table
        path = show_at(tmp_path, "")
        path.write_text(path.read_text().replace('title = "Types"', "title = 5"))
    else:
        path = show_at(tmp_path, f"[{section}]\n{setting}\n")
    show = load_show(path)
    assert getattr(getattr(show.config, section), value) == default
    assert words in said(show), said(show)
    assert f"install.toml:{2 if setting is None else 5}: {section}.{value}:" in said(show)


def test_a_table_written_as_a_value_plays_the_default_table(tmp_path):
    path = show_at(tmp_path, "")
    path.write_text("attract = 3\n" + path.read_text())
    show = load_show(path)
    assert show.config.attract.idle_timeout == 45
    assert "install.toml:1: attract: attract is the number 3; it takes a table" in said(show)


def test_what_was_accepted_stays_accepted(tmp_path):
    """An integer where a number is asked, a whole float for a whole number, a date in quotes."""
    show = load_show(show_at(tmp_path, """
        [display]
        fps = 30.0
        size = [640, 480]
        [hours]
        override_max_h = 20
        exceptions = [{ date = "2026-12-25", closed = true }, { date = 2027-01-01, closed = true }]
        [attract]
        idle_timeout = 30
        """, {"opening": TITLE, "film": """
        type = "video"
        id = "film"
        file = "film.mp4"
        volume = 1
        """}))
    assert [p for p in show.problems if "film.mp4" not in p.message] == []
    assert show.config.display.fps == 30 and show.config.hours.override_max_h == 20
    assert [e.date for e in show.config.hours.exceptions] == [dt.date(2026, 12, 25), dt.date(2027, 1, 1)]
    assert show.scenes["film"].volume == 1.0


def test_a_number_read_as_a_date_is_refused(tmp_path):
    """A date in figures was read as seconds since 1970 ("1735084800": 2024-12-25)."""
    path = show_at(tmp_path, """
        [hours]
        exceptions = [{ date = "1735084800", closed = true }]
        """)
    with pytest.raises(ShowError) as caught:
        load_show(path)
    assert ('install.toml:5: hours.exceptions #1, date: date is the text "1735084800"; it takes a date, '
            "e.g. 2026-12-25") in str(caught.value)


def test_a_scene_setting_of_the_wrong_kind_plays_the_scene_with_its_default(tmp_path):
    scene_file = TITLE.replace("duration = 5", 'stagger = "0.2"\n    duration = "10"')
    show = load_show(show_at(tmp_path, "", {"opening": scene_file}))
    scene = show.scenes["opening"]
    assert show.playlist == ["opening"]
    assert scene.stagger == 0.6 and scene.duration is None
    assert 'scenes/opening.toml:4: stagger: stagger is the text "0.2"' in said(show)
    assert "write stagger = 0.2" in said(show) and "the default, 0.6, is used until this is fixed" in said(show)
    assert "scenes/opening.toml:5: duration:" in said(show) and "read as if not written" in said(show)


def test_a_playing_scene_edited_to_the_wrong_kind_keeps_its_last_good_settings(tmp_path):
    """A running show keeps its last good state: the scene plays as it did, not at a default."""
    path = show_at(tmp_path, "", {"opening": TITLE.replace("duration = 5", "duration = 40")})
    remember(load_show(path))
    scene_file = tmp_path / "scenes" / "opening.toml"
    scene_file.write_text(scene_file.read_text().replace("duration = 40", 'duration = "30"'))
    show = load_show(path, keep_good=True)
    assert show.scenes["opening"].duration == 40
    assert 'scenes/opening.toml:4: duration: duration is the text "30"' in said(show)
    assert "the last good version of 'opening' plays until this is fixed" in said(show)
    assert "is used until this is fixed" not in said(show) and "read as if not written" not in said(show)
    assert show.errors  # still an error: status, alerts and check say so, and the copy is not replaced
    assert remember(show) is not None and "duration = 40" in (tmp_path / "var" / "last-good" / "scenes" /
                                                               "opening.toml").read_text()


def test_a_required_setting_of_the_wrong_kind_refuses_the_scene(tmp_path):
    """No default to play: the scene is left out (its last good version plays in a running show)."""
    show = load_show(show_at(tmp_path, "", {"opening": TITLE, "photo": """
        type = "photograph"
        id = "photo"
        image = "p.jpg"
        [[keyframes]]
        at = "3"
        """}))
    assert "photo" not in show.scenes
    assert 'scenes/photo.toml:5: keyframes #1, at: at is the text "3"' in said(show)
    assert "write at = 3" in said(show) and "until this is fixed" not in said(show).split("photo.toml:5")[1]


def test_a_refused_file_does_not_say_a_default_plays(tmp_path):
    path = show_at(tmp_path, """
        [display]
        fullscreen = "no"
        fps = 5
        """)
    with pytest.raises(ShowError) as caught:
        load_show(path)
    text = str(caught.value)
    assert 'install.toml:5: display.fullscreen: fullscreen is the text "no"' in text
    assert "install.toml:6: display.fps:" in text and "is used until this is fixed" not in text


def test_a_playlist_written_as_one_name_says_how_to_list_it(tmp_path):
    path = show_at(tmp_path, "")
    path.write_text(path.read_text().replace('playlist = ["opening"]', 'playlist = "opening"'))
    with pytest.raises(ShowError) as caught:
        load_show(path)
    assert 'install.toml:3: show.playlist: playlist is the text "opening"' in str(caught.value)
    assert 'write playlist = ["opening"]' in str(caught.value)


def test_a_pin_or_passcode_never_falls_back_to_none_nor_is_repeated(tmp_path):
    for setting in ("[inputs]\noperator_pin = 5937\n", "[osc.passcodes]\ncontrol = 73194628\n"):
        with pytest.raises(ShowError) as caught:
            load_show(show_at(tmp_path, setting))
        assert "5937" not in str(caught.value) and "73194628" not in str(caught.value)


def test_check_reports_a_value_of_the_wrong_kind(tmp_path, capsys):
    path = show_at(tmp_path, '[display]\nvsync = "yes"\n')
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert 'install.toml:5: display.vsync: vsync is the text "yes"; it takes true or false, without quotes: ' \
           "write vsync = true" in out


def test_a_wrong_value_inside_an_inline_table_keeps_the_rest_of_the_table(tmp_path):
    scene_file = TITLE.replace("duration = 5", 'transition = { kind = "cut", duration = "2" }')
    show = load_show(show_at(tmp_path, "", {"opening": scene_file}))
    transition = show.scenes["opening"].transition
    assert transition.kind == "cut" and transition.duration == 1.0
    assert ('scenes/opening.toml:4: transition.duration: duration is the text "2"; it takes a number, without '
            "quotes: write duration = 2") in said(show)
