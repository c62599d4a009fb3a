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


def test_one_value_of_a_list_past_its_limit_is_named_by_its_place_in_the_list(tmp_path, capsys):
    """A keyframe's `center = [1.3, 0.4]` was said "keyframes #2, center #1: 0 is the number 1.3":
    the list's index, counted from 0, standing where the key's name goes, and none of its words."""
    scene = """
        type = "photograph"
        id = "ph"
        image = "letter.jpg"
        [[keyframes]]
        at = 0
        [[keyframes]]
        at = 20
        center = [0.3, 1.4]
        """
    out = _checked(write_show(tmp_path, {"ph": scene}), capsys)
    ph = tmp_path / "scenes" / "ph.toml"
    assert (f"ph.toml:{_line(ph, 'center')}: keyframes #2, center #2: center #2 is the number 1.4; it takes "
            "at most 1 (center: point of the image at the centre, 0..1 each") in out, out
    assert "write center" not in out, out
