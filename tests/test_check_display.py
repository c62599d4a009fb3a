"""`bayard check` says which screen the show would open, without opening a window."""

from __future__ import annotations

import pytest

from installation.cli import main
from installation.config.loader import load_show
from installation.runtime import units
from installation.runtime.display_check import display_report

from .conftest import title_scene, write_show

SCREEN_KEYS = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "XAUTHORITY")


@pytest.fixture
def no_service(tmp_path, monkeypatch):
    """No kiosk service on this machine (the one a test machine may have must not count)."""
    monkeypatch.setattr(units, "SERVICE_UNIT", tmp_path / "no-such.service")
    for key in SCREEN_KEYS:
        monkeypatch.delenv(key, raising=False)


def display_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("Display:"))


def test_check_says_when_there_is_no_screen_here_and_what_to_do(tmp_path, capsys, no_service):
    """check said nothing of the display: a kiosk whose X session had not come up passed it."""
    path = write_show(tmp_path, {"a": title_scene("a")})
    assert main(["check", "--fast", "--show", str(path)]) == 0
    line = display_line(capsys.readouterr().out)
    assert line.startswith("Display: none found") and "--headless" in line and "DISPLAY=:0" in line


def test_check_names_the_driver_it_would_use(tmp_path, capsys, no_service, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a")})
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["check", "--fast", "--show", str(path)]) == 0
    assert display_line(capsys.readouterr().out) == (
        "Display: SDL dummy (SDL_VIDEODRIVER=dummy): no screen; frames are drawn, not shown")


def test_a_screen_sdl_cannot_open_is_a_warning_on_the_display_line(tmp_path, capsys, no_service, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a")})
    monkeypatch.setenv("SDL_VIDEODRIVER", "x11")
    monkeypatch.setenv("DISPLAY", ":97")  # no X server there (nor, here, SDL's x11 driver)
    assert main(["check", "--fast", "--show", str(path)]) == 0  # the show itself is valid
    out = capsys.readouterr().out
    assert display_line(out) == "Display: see the problem below"
    warning = next(line for line in out.splitlines() if "display: SDL cannot open" in line)
    assert "install.toml:" in warning and "DISPLAY=:97" in warning and "XAUTHORITY" in warning


@pytest.mark.parametrize(("size", "rotation", "screen", "said"), [
    ((1920, 1080), 0, (1920, 1080), "the 1920x1080 show fills it full-screen"),
    ((1920, 1080), 0, (1920, 1200), "the 1920x1080 show is scaled to 1920x1080 full-screen, with black bars above "
                                    "and below"),
    ((1920, 1080), 0, (3840, 2160), "the 1920x1080 show is scaled to 3840x2160 full-screen"),
    ((1920, 1080), 90, (1080, 1920), "the 1920x1080 show, turned 90 degrees, fills it full-screen"),
    ((1080, 1920), 0, (1920, 1080), "the 1080x1920 show is scaled to 608x1080 full-screen, with black bars left "
                                    "and right"),
])
def test_the_line_says_how_the_show_fills_the_screen(tmp_path, size, rotation, screen, said):
    extra = f"[display]\nsize = [{size[0]}, {size[1]}]\nrotation = {rotation}\nfullscreen = true\n"
    path = write_show(tmp_path, {"a": title_scene("a")}, extra="")
    path.write_text(path.read_text().replace("[display]\nsize = [320, 180]\nfullscreen = false\n", extra))
    asked = []

    def probe(env):
        asked.append(dict(env))
        return {"driver": "x11", "screens": [list(screen)]}

    line, problems = display_report(load_show(path), {"DISPLAY": ":0"}, probe=probe)
    assert problems == [] and asked[0]["DISPLAY"] == ":0"
    assert line == f"Display: SDL x11 (DISPLAY=:0), screen {screen[0]}x{screen[1]}; {said}"


def test_from_a_shell_without_a_display_it_looks_at_the_one_the_kiosk_service_opens(tmp_path):
    """Over SSH there is no DISPLAY; the service sets DISPLAY=:0 and its XAUTHORITY."""
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nEnvironment=DISPLAY=:0\nEnvironment=XAUTHORITY=/home/kiosk/.Xauthority\n"
                    "Environment=PYTHONUNBUFFERED=1\n")
    path = write_show(tmp_path, {"a": title_scene("a")})
    asked = []

    def probe(env):
        asked.append(env)
        return {"driver": "x11", "screens": [[1280, 720], [1920, 1080]]}

    line, _ = display_report(load_show(path), {"PATH": "/usr/bin"}, unit=unit, probe=probe)
    assert asked[0]["DISPLAY"] == ":0" and asked[0]["XAUTHORITY"] == "/home/kiosk/.Xauthority"
    assert line.startswith(f"Display: the service's ({unit}) SDL x11 (DISPLAY=:0), screen 1280x720 (and 1 more; "
                           "the show uses the first)")
    assert line.endswith("the 320x180 show in a 320x180 window ([display] fullscreen = false; "
                         "`bayard run --fullscreen` fills the screen)")


def test_the_service_display_is_read_however_its_environment_line_is_written(tmp_path):
    """`Environment = DISPLAY=:0` (blanks around the '=') and a quoted value with a space are
    as valid to systemd as the plain form; check said the service had no display."""
    unit = tmp_path / "bayard.service"
    unit.write_text('[Service]\nEnvironment = DISPLAY=:0 "XAUTHORITY=/home/kiosk/my files/.Xauthority"\n')
    path = write_show(tmp_path, {"a": title_scene("a")})
    asked = []

    def probe(env):
        asked.append(env)
        return {"driver": "x11", "screens": [[320, 180]]}

    line, _ = display_report(load_show(path), {"PATH": "/usr/bin"}, unit=unit, probe=probe)
    assert asked and asked[0]["DISPLAY"] == ":0" and asked[0]["XAUTHORITY"] == "/home/kiosk/my files/.Xauthority"
    assert line.startswith(f"Display: the service's ({unit}) SDL x11 (DISPLAY=:0)")


def test_a_display_cleared_by_a_drop_in_is_not_the_services(tmp_path):
    """A drop-in with an empty Environment= (systemd forgets the unit's DISPLAY=:0 there) was
    read as adding nothing: check probed DISPLAY=:0 and called it the service's screen."""
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nEnvironment=DISPLAY=:0\n")
    (tmp_path / "bayard.service.d").mkdir()
    (tmp_path / "bayard.service.d" / "override.conf").write_text("[Service]\nEnvironment=\n")
    path = write_show(tmp_path, {"a": title_scene("a")})
    asked = []
    line, _ = display_report(load_show(path), {"PATH": "/usr/bin"}, unit=unit, probe=asked.append)
    assert asked == [] and line.startswith("Display: none found")
