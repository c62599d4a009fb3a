"""A reload of install.toml applies what it can at once and names what waits for a restart.

A technician who edited the opening hours for a holiday closing, or changed the overlay's
PIN, saw "show reloaded" in the log while the old hours and the old PIN stayed in force
until the next reboot; a changed display size said the same and changed nothing.
"""

from __future__ import annotations

import logging

import pytest

from installation.config.errors import ShowError
from installation.config.loader import load_show
from installation.harness import run_test
from installation.overlay import Overlay
from installation.overlay import attach as attach_overlay
from installation.runtime.attach import attach as attach_runtime

from .conftest import title_scene, write_show

# HOURS: open 10:00-18:00 in Paris every day (the harness clock starts at 01:00 there);
# clean_root (autouse): the root logger as it was, after the runtime set up its logs.
from .test_runtime_unattended import HOURS, clean_root, env_for  # noqa: F401, I001


def two_scenes(tmp_path, extra=""):
    return write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")}, extra=extra)


def test_opening_hours_saved_while_the_show_plays_take_effect_without_a_restart(tmp_path):
    path = two_scenes(tmp_path, '\n[runtime]\nwatch = false\n')
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        runtime.display = None
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None  # no hours: always open
        path.write_text(path.read_text() + HOURS)
        assert pilot.engine.reload() is True
        pilot.advance(1.5)
        assert pilot.engine.dark_reason == "closed"
        hours = pilot.engine.status()["services"]["runtime"]["hours"]
        assert hours["enabled"] and hours["state"] == "closed"
        # And back: the museum decides to stay open all night.
        path.write_text(path.read_text().replace("10:00-18:00", "00:00-24:00"))
        assert pilot.engine.reload() is True
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None
        runtime.stop()


def test_a_reload_with_other_hours_ends_the_technicians_override(tmp_path):
    path = two_scenes(tmp_path, '\n[runtime]\nwatch = false\n' + HOURS)
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        runtime.display = None
        pilot.command("hours", "open", source="osc")
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None
        path.write_text(path.read_text().replace("10:00-18:00", "09:00-17:00"))
        assert pilot.engine.reload() is True
        pilot.advance(1.5)
        hours = pilot.engine.status()["services"]["runtime"]["hours"]
        assert hours["override"] is None and pilot.engine.dark_reason == "closed"
        runtime.stop()


def test_a_changed_pin_is_asked_for_at_once_and_locks_an_open_overlay(tmp_path):
    path = two_scenes(tmp_path, '\n[inputs]\noperator_pin = "1234"\n')
    with run_test(path, fps=10) as pilot:
        overlay = attach_overlay(pilot.engine)
        assert isinstance(overlay, Overlay) and overlay.pin == "1234"
        pilot.command("overlay", 1)
        pilot.step()
        assert overlay.is_open
        path.write_text(path.read_text().replace('"1234"', '"9876"'))
        assert pilot.engine.reload() is True
        assert overlay.pin == "9876" and not overlay.is_open and not overlay.unlocked
        # Removing the PIN is applied as well.
        path.write_text(path.read_text().replace('operator_pin = "9876"', 'operator_pin = ""'))
        assert pilot.engine.reload() is True
        assert overlay.pin is None


def test_a_setting_read_only_at_start_is_named_with_how_to_apply_it(tmp_path):
    path = two_scenes(tmp_path)
    with run_test(path, fps=10) as pilot:
        before = len(pilot.engine.errors)
        path.write_text(path.read_text().replace("fullscreen = false", "fullscreen = false\nfps = 30")
                        .replace('"Test show"', '"Renamed"'))
        assert pilot.engine.reload() is True
        assert pilot.engine.status()["show"] == "Renamed"  # the rest is applied
        news = list(pilot.engine.errors)[before:]
        assert len(news) == 1 and news[0]["where"] == "reload"
        assert "display.fps" in news[0]["message"] and "restart" in news[0]["message"]
        # A reload that changes nothing of the kind says nothing of the kind.
        path.write_text(path.read_text().replace('"Renamed"', '"Renamed again"'))
        assert pilot.engine.reload() is True
        assert len(pilot.engine.errors) == before + 1


def test_the_log_level_follows_a_reload(tmp_path):
    path = two_scenes(tmp_path)
    logging.getLogger().setLevel(logging.INFO)
    with run_test(path, fps=10) as pilot:
        path.write_text(path.read_text() + '\n[logging]\nlevel = "debug"\n')
        assert pilot.engine.reload() is True
        assert logging.getLogger().level == logging.DEBUG


@pytest.mark.parametrize(("pin", "says"), [
    ("1234", 'write it between quotes, as in operator_pin = "..."'),
    ('"abcd"', "3 to 8 digits"),
    ('"12"', "3 to 8 digits"),
])
def test_a_pin_the_overlay_cannot_use_is_refused_with_its_line(tmp_path, pin, says):
    path = two_scenes(tmp_path, f'\n[inputs]\noperator_pin = {pin}\n')
    with pytest.raises(ShowError) as refused:
        load_show(path)
    text = str(refused.value)
    assert "install.toml:" in text and "operator_pin" in text and says in text
    assert "abcd" not in text and "1234" not in text  # a PIN, even a wrong one, stays out of logs


def test_a_show_file_with_its_own_name_and_scenes_folder_reloads_when_saved(tmp_path):
    import time

    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("b")},
                      extra='\n[runtime]\nwatch = true\n')
    (tmp_path / "scenes").rename(tmp_path / "galleries")
    museum = path.rename(tmp_path / "museum.toml")
    museum.write_text(museum.read_text().replace('title = "Test show"',
                                                 'title = "Test show"\nscenes = "galleries"'))
    with run_test(museum, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        time.sleep(0.5)  # let the watcher arm
        museum.write_text(museum.read_text().replace('"Test show"', '"Saved in an editor"'))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pilot.engine.status()["show"] != "Saved in an editor":
            pilot.step()
            time.sleep(0.05)
        assert pilot.engine.status()["show"] == "Saved in an editor"
        runtime.stop()


def test_a_scene_broken_while_the_show_plays_is_named_in_the_log(tmp_path, caplog):
    """An artist editing while the show ran read "show reloaded" in the log over a scene
    that had stopped taking their edits: the problem went to status and the overlay only."""
    path = two_scenes(tmp_path)
    scene = tmp_path / "scenes" / "b.toml"
    with run_test(path, fps=10, raise_faults=False) as pilot:
        pilot.advance(1)
        scene.write_text(scene.read_text().replace("duration = 5", 'duration = "ten"'))
        with caplog.at_level(logging.INFO, logger="bayard"):
            assert pilot.engine.reload() is True  # the rest of the show reloads
    logged = [r.getMessage() for r in caplog.records]
    problem = [m for m in logged if m.startswith("reload: ") and "b.toml" in m and "duration" in m]
    assert problem, logged
    assert any("reloaded" in m and "error" in m and "above)" in m for m in logged), logged


def test_status_says_what_is_wrong_now_and_forgets_it_once_mended(tmp_path):
    """Status kept every error since the start (the same one three times), and the systemd
    line's "8 errors" only grew: after a fix a technician could not tell a healthy show from
    a broken one. `problems` is what is wrong in the files now; `last_reload` says how the
    last reload went; the history stays in `errors`."""
    path = two_scenes(tmp_path)
    scene = tmp_path / "scenes" / "b.toml"
    good = scene.read_text()
    with run_test(path, fps=10, raise_faults=False) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        pilot.advance(1)
        scene.write_text(good.replace("duration = 5", 'duration = "ten"'))
        pilot.engine.reload()
        status = pilot.engine.status()
        assert any("b.toml" in p and "duration" in p for p in status["problems"])
        assert status["last_reload"]["result"] == "warning"
        assert "problem" in runtime.status_line()
        scene.write_text(good)
        pilot.engine.reload()
        status = pilot.engine.status()
        assert status["problems"] == [] and status["last_reload"]["result"] == "ok"
        assert "problem" not in runtime.status_line()
        assert any("b.toml" in e["message"] for e in status["errors"])  # the history is kept
        runtime.stop()


def test_a_setting_of_the_wrong_kind_saved_while_the_show_plays_leaves_the_show_as_it_was(tmp_path):
    """A running show keeps its last good state: `override_max_h = "20"` typed into install.toml is
    refused with its line, not played as the setting's default."""
    path = two_scenes(tmp_path, "\n[runtime]\nwatch = false\n\n[hours]\noverride_max_h = 8\n")
    with run_test(path, fps=10) as pilot:
        assert pilot.engine.show.config.hours.override_max_h == 8
        path.write_text(path.read_text().replace("override_max_h = 8", 'override_max_h = "20"'))
        assert pilot.engine.reload() is False
        assert pilot.engine.last_reload["result"] == "refused"
        assert pilot.engine.show.config.hours.override_max_h == 8
        errors = [str(args) for event, args in pilot.events if event == "error"]
        assert any('override_max_h is the text "20"' in e and "the show plays on as it was" in e
                   and "install.toml:" in e and "default" not in e for e in errors), errors
        path.write_text(path.read_text().replace('override_max_h = "20"', "override_max_h = 20"))
        assert pilot.engine.reload() is True and pilot.engine.show.config.hours.override_max_h == 20
