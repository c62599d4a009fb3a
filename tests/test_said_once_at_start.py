"""What is wrong at a show's start is said once in the log and once in /bayard/status. A state
folder the show cannot write was said by its first last good copy ("could not keep a last-good
copy ...") and again by the runtime's start, and status had it twice (services.runtime's
`state_problem` and `standing`'s state-folder entry); a missing camera film was said by the
show's files list and again by the camera ("camera ... unavailable: no such video file")."""

from __future__ import annotations

import json
import logging

import pytest

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.config import lastgood
from installation.config.loader import load_show
from installation.harness import run_test
from installation.runtime.attach import attach as attach_runtime

from .conftest import title_scene, write_show
from .test_runtime_unattended import clean_root  # noqa: F401  (a fixture)


class _Kept(logging.Handler):
    """The show's log lines, warnings and above, as a technician's journal has them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


@pytest.fixture
def journal():
    # The show's warnings whatever level an earlier test left the root logger at.
    kept, logger = _Kept(), logging.getLogger("bayard")
    level = logger.level
    logger.setLevel(logging.WARNING)
    logger.addHandler(kept)
    yield kept.said
    logger.removeHandler(kept)
    logger.setLevel(level)


@pytest.mark.usefixtures("clean_root")
def test_a_state_folder_that_cannot_be_written_at_start_is_said_once(tmp_path, journal):
    path = write_show(tmp_path, {"a": title_scene("a", duration=600)})
    path.write_text(path.read_text().replace("[show]\n", '[show]\nstate = "blocked/var"\n', 1))
    (tmp_path / "blocked").write_text("not a folder")  # (a file where the folder should be)
    folder = str(tmp_path.resolve() / "blocked" / "var")
    lastgood.remember(load_show(path, keep_good=True))  # (as `bayard run` does before the show starts)
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env={"HOME": str(tmp_path / "home")})
        try:
            pilot.advance(1.0)
            status = pilot.engine.status()
        finally:
            runtime.stop()
    # The last good copy lost, said once (each other part, the logs and the restart count, says its own).
    copy_lost = [m for m in journal if folder in m and ("last-good copy" in m or "last good copy" in m)]
    assert len(copy_lost) == 1, copy_lost
    assert "state under [show]" in copy_lost[0] and "(line 2)" in copy_lost[0], copy_lost[0]
    # Once in status: the standing entry (the overlay's "Until it is mended:" and the count read it).
    assert [s["where"] for s in status["standing"]] == ["state-folder"], status["standing"]
    said = json.dumps(status)
    assert said.count("cannot be written") + said.count("the show cannot write") == 1, status["services"]["runtime"]
    assert "state_problem" not in status["services"]["runtime"]


@pytest.mark.usefixtures("clean_root")
def test_a_state_folder_found_unwritable_by_the_start_alone_is_standing_until_a_copy_is_made(tmp_path, journal):
    """No copy tried before the runtime starts (a test harness, the safe card): the start's
    sentence is the standing condition, and a copy made there later clears it."""
    path = write_show(tmp_path, {"a": title_scene("a", duration=600)})
    path.write_text(path.read_text().replace("[show]\n", '[show]\nstate = "blocked/var"\n', 1))
    (tmp_path / "blocked").write_text("not a folder")
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env={"HOME": str(tmp_path / "home")})
        try:
            pilot.advance(0.5)
            standing = pilot.engine.status()["standing"]
            assert [s["where"] for s in standing] == ["state-folder"], standing
            assert "restart count" in standing[0]["message"] and "(line 2)" in standing[0]["message"]
            assert sum("state under [show]" in m for m in journal) == 1, journal
            lastgood.remember(pilot.engine.show)  # a copy failing there again: not said again
            assert sum("state under [show]" in m for m in journal) == 1, journal
            (tmp_path / "blocked").unlink()  # mended: the next copy is made, and the condition clears
            assert lastgood.remember(pilot.engine.show) is not None
            pilot.advance(0.5)
            assert pilot.engine.status()["standing"] == []
        finally:
            runtime.stop()


def test_a_missing_camera_film_is_said_once_in_the_log(tmp_path, journal):
    scene = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\ncountdown = 1\n'
    path = write_show(tmp_path, {"p": scene}, extra='\n[camera]\nfile = "stand-in/visitor.mp4"\n', size=(640, 360))
    show = load_show(path)
    for problem in show.missing_media:  # (as `bayard run` logs the show's files' problems)
        logging.getLogger("bayard.cli").error("%s", problem)
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        assert pilot.scene_id == "p"
    said = [m for m in journal if "visitor.mp4" in m]
    assert len(said) == 1 and "install.toml:" in said[0] and "camera.file" in said[0], said


@pytest.mark.usefixtures("clean_root")
def test_a_logs_folder_of_the_environments_is_said_beside_the_state_folder_said_once(tmp_path, journal):
    """[show] state and the kiosk unit's LOGS_DIRECTORY both unwritable: the runtime's start
    found both in one message, and where the first copy had said [show] state's the message was
    dropped whole: the logs' folder and its fix (set LOGS_DIRECTORY) were said nowhere."""
    path = write_show(tmp_path, {"a": title_scene("a", duration=600)})
    path.write_text(path.read_text().replace("[show]\n", '[show]\nstate = "blocked/var"\n', 1))
    (tmp_path / "blocked").write_text("not a folder")
    (tmp_path / "logs-blocked").write_text("not a folder either")
    logs = str(tmp_path.resolve() / "logs-blocked" / "bayard")
    lastgood.remember(load_show(path, keep_good=True))  # (as `bayard run` does before the show starts)
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env={"HOME": str(tmp_path / "home"), "LOGS_DIRECTORY": logs})
        try:
            pilot.advance(1.0)
            status = pilot.engine.status()
        finally:
            runtime.stop()
    logs_said = [m for m in journal if logs in m and "LOGS_DIRECTORY" in m]
    assert len(logs_said) == 1, journal
    problem = status["services"]["runtime"].get("state_problem", "")
    assert logs in problem and "LOGS_DIRECTORY" in problem and "blocked/var" not in problem, problem
    # [show] state's, once: the standing entry, not beside it in state_problem.
    assert [s["where"] for s in status["standing"]] == ["state-folder"], status["standing"]
