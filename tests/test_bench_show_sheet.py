"""bench/show_sheet.py renders the default show for the docs' contact sheet: its state (the
quiz's kept pictures and verdicts) goes to a temporary folder or the one it is given, never
the checkout's var/, which a kiosk reads as its gallery's own."""

from __future__ import annotations

import os
import subprocess
import sys

import cv2
import pytest

from tests.conftest import REPO, _state_files, title_scene, write_show

sys.path.insert(0, str(REPO / "bench"))
import show_sheet  # noqa: E402

# Far enough into the default show that the quiz has prepared its pictures (it keeps them,
# and the machine's verdicts on them, in the show's state folder).
QUIZ_PREPARED_AT = 130


def _sheet(*args: str) -> None:
    # (a process of its own, as the bench runs: in this one an earlier render's prepared quiz
    # would be reused, and nothing written anywhere)
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1")
    subprocess.run([sys.executable, str(REPO / "bench" / "show_sheet.py"), "--size", "160x90", *args],
                   check=True, env=env, cwd=REPO, capture_output=True)


def test_the_sheet_keeps_its_state_out_of_the_checkout(tmp_path):
    before = _state_files()
    out = tmp_path / "sheet.png"
    _sheet("--at", "0", str(QUIZ_PREPARED_AT), "--out", str(out))
    assert _state_files() == before, "the contact sheet wrote into the checkout's var/"
    assert cv2.imread(str(out)) is not None


def test_the_sheet_writes_its_state_where_it_is_told(tmp_path):
    state = tmp_path / "state"
    _sheet("--at", str(QUIZ_PREPARED_AT), "--out", str(tmp_path / "sheet.png"), "--state", str(state))
    assert any(path.is_file() for path in (state / "quiz").rglob("*")), "the quiz's state went elsewhere"


@pytest.mark.injects_faults
def test_a_show_that_faults_gets_no_sheet(tmp_path, capsys):
    """The show plays on past a failing scene, so its tiles look fine (the next scene, or a
    stand-in): a sheet made then would put a broken show into the docs. The bench fails and
    says which scene failed, as `bayard render --strict` does; a calm show still gets its sheet."""
    import tests.test_runtime_unattended  # noqa: F401  (registers the "test-boom" scene kind)

    path = write_show(tmp_path, {"a": title_scene("a", duration=2), "boom": 'type = "test-boom"\nid = "boom"\n'},
                      playlist=["a", "boom"])
    out = tmp_path / "sheet.png"
    with pytest.raises(SystemExit) as stopped:
        show_sheet.main(["--show", str(path), "--size", "160x90", "--at", "0", "3", "--out", str(out)])
    assert stopped.value.code not in (None, 0)
    assert "scene 'boom' failed in draw" in str(stopped.value.code)
    assert not out.exists(), "a sheet was written of a show that faulted"
    calm = write_show(tmp_path / "calm", {"a": title_scene("a", duration=5)})
    show_sheet.main(["--show", str(calm), "--size", "160x90", "--at", "0", "3", "--out", str(out)])
    assert cv2.imread(str(out)) is not None
