"""A value past a key's limits was told in pydantic's words: `bayard check` said "questions:
input should be less than or equal to 30; found 50", naming no fix and speaking the
library's language, where a value of the wrong kind says what was found and what to write.
Now a number out of range says so as the settings files say everything else: what it is,
the limit, and the value to write where the limit is one that can be written."""

from __future__ import annotations

from installation.cli import main

from .conftest import title_scene, write_show


def _line(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _checked(path, capsys) -> str:
    assert main(["check", "--show", str(path)]) != 0
    said = capsys.readouterr()
    return said.out + said.err


def test_a_number_past_its_keys_limits_says_the_limit_and_what_to_write(tmp_path, capsys):
    scene = title_scene("card").replace('heading = "Hello"', 'heading = "Hello"\nstagger = 9')
    scene = scene.replace("duration = 1.0 }", "duration = -1 }")
    out = _checked(write_show(tmp_path, {"card": scene}), capsys)
    assert "input should be" not in out, out
    card = tmp_path / "scenes" / "card.toml"
    assert (f"card.toml:{_line(card, 'stagger')}: stagger: stagger is the number 9; it takes at most 5: "
            f"write stagger = 5") in out, out
    assert (f"card.toml:{_line(card, 'transition')}: transition.duration: duration is the number -1; "
            f"it takes at least 0: write duration = 0") in out, out


def test_a_limit_a_value_may_not_reach_is_said_without_a_value_to_write(tmp_path, capsys):
    path = write_show(tmp_path, {"card": title_scene("card")}, extra="\n[attract]\nidle_timeout = 0\n")
    out = _checked(path, capsys)
    assert "input should be" not in out, out
    assert (f"install.toml:{_line(path, 'idle_timeout')}: attract.idle_timeout: idle_timeout is the number 0; "
            f"it takes a number more than 0") in out, out
