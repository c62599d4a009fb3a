"""The machine's verdicts on the quiz's items kept across starts (scenes/quiz_verdicts.py):
a restart reads them back instead of judging every item again; a changed picture or
changed weights are judged again; a damaged file is a warning and is ignored."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

import installation.scenes.quiz  # noqa: F401 - registers the "quiz" kind
import installation.scenes.quiz_machine as quiz_machine
import installation.scenes.quiz_pictures as quiz_pictures
import installation.scenes.quiz_prepared as quiz_prepared
from installation.harness import run_test
from installation.models.detector.base import Detector, Verdict
from installation.scenes import quiz_verdicts
from installation.scenes.quiz_verdicts import KeptVerdicts, verdicts_folder

from .test_quiz import SIZE, _show, _status


class CountingDetector(Detector):
    """Judges by the picture's mean brightness, counting every picture it is asked to judge."""

    name = "counting"

    def __init__(self, weights: Path) -> None:
        self.path = weights
        self.judged: list[float] = []

    def score(self, image: np.ndarray) -> Verdict:
        mean = float(image.mean()) / 255.0
        self.judged.append(mean)
        return Verdict(mean, 0.5, float(np.log(max(mean, 1e-6) / max(1 - mean, 1e-6))))


def _fresh_process() -> None:
    """What a restart forgets: everything in memory."""
    quiz_prepared._REPORTED.clear()
    quiz_machine._MACHINES.clear()
    quiz_machine._JUDGED.clear()
    quiz_machine._FILES.clear()
    quiz_machine._UNKEPT.clear()
    quiz_verdicts._UNWRITABLE.clear()
    quiz_verdicts._UNTOLD.clear()
    quiz_pictures.forget()


@pytest.fixture(autouse=True)
def _fresh():
    _fresh_process()
    yield
    _fresh_process()


def _start(show: Path, detector: CountingDetector, monkeypatch) -> dict:
    """Start the show in a fresh process with `detector` as the quiz's machine; the quiz's status."""
    _fresh_process()
    monkeypatch.setattr(quiz_prepared, "load_machine", lambda *args, **kwargs: (detector, ""))
    with run_test(show, size=SIZE) as pilot:
        return _status(pilot)


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    show = _show(tmp_path)
    weights = tmp_path / "models" / "counting.bin"
    weights.write_bytes(b"weights one")
    return show, weights


def test_a_second_start_reads_the_verdicts_back_without_judging(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    first = CountingDetector(weights)
    status = _start(show, first, monkeypatch)
    assert len(first.judged) == 8 and status["items"] == 8
    assert status["verdicts"] == {"read back": 0, "judged": 8, "remembered": 0}

    second = CountingDetector(weights)
    status = _start(show, second, monkeypatch)
    assert second.judged == []  # the machine was not asked again
    assert status["verdicts"] == {"read back": 8, "judged": 0, "remembered": 0}
    assert status["machine_playing"] and status["items"] == 8


def test_the_verdicts_read_back_are_the_ones_judged(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    first = CountingDetector(weights)
    judged = {k: p.verdict for k, p in _prepared_of(show, first, monkeypatch).items()}
    second = CountingDetector(weights)
    read_back = {k: p.verdict for k, p in _prepared_of(show, second, monkeypatch).items()}
    assert len(first.judged) == 8 and second.judged == []
    assert read_back == judged and len(read_back) == 8


def _prepared_of(show: Path, detector: CountingDetector, monkeypatch) -> dict:
    _fresh_process()
    monkeypatch.setattr(quiz_prepared, "load_machine", lambda *args, **kwargs: (detector, ""))
    with run_test(show, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        items = dict(scene.items)
        explanation = next(iter(items.values())).explanation
        assert explanation.spectrum_image.shape[0] > 0 and explanation.curve.size > 0
        return items


def test_a_changed_picture_is_judged_again(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    _start(show, CountingDetector(weights), monkeypatch)
    picture = tmp_path / "content" / "quiz" / "real" / "real0.jpg"
    other = tmp_path / "content" / "quiz" / "real" / "real1.jpg"
    picture.write_bytes(other.read_bytes())  # another picture under its name (same size or not)

    again = CountingDetector(weights)
    status = _start(show, again, monkeypatch)
    # real0 now has real1's bytes: its verdict is real1's, read back; nothing is judged wrongly
    assert status["verdicts"]["judged"] == 0 and again.judged == []

    picture.write_bytes(picture.read_bytes() + b"\0")  # a byte more: another picture
    again = CountingDetector(weights)
    status = _start(show, again, monkeypatch)
    assert len(again.judged) == 1
    assert status["verdicts"] == {"read back": 7, "judged": 1, "remembered": 0}


def test_changed_weights_judge_every_item_again(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    _start(show, CountingDetector(weights), monkeypatch)
    weights.write_bytes(b"weights two")  # re-made or replaced
    again = CountingDetector(weights)
    status = _start(show, again, monkeypatch)
    assert len(again.judged) == 8
    assert status["verdicts"] == {"read back": 0, "judged": 8, "remembered": 0}


def test_a_half_written_verdict_is_ignored_with_a_warning_naming_it(tmp_path, monkeypatch, caplog):
    show, weights = _setup(tmp_path)
    _start(show, CountingDetector(weights), monkeypatch)
    folder = verdicts_folder(tmp_path / "var")
    files = sorted(folder.glob("*.npz"))
    assert len(files) == 8
    cut = files[0]
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])  # the power went mid-write
    (folder / files[1].name).write_bytes(b"not a verdict at all")

    again = CountingDetector(weights)
    with caplog.at_level(logging.WARNING, logger="bayard.quiz"):
        status = _start(show, again, monkeypatch)
    assert len(again.judged) == 2 and status["verdicts"]["read back"] == 6
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(cut) in line and "ignored" in line for line in warned), warned
    assert any(str(files[1]) in line for line in warned), warned
    assert status["machine_playing"] and status["items"] == 8
    # written anew: the next start reads every one back
    third = CountingDetector(weights)
    assert _start(show, third, monkeypatch)["verdicts"]["read back"] == 8 and third.judged == []


def test_no_verdict_file_of_a_detector_whose_weights_cannot_be_told(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    unknown = CountingDetector(tmp_path / "nowhere.bin")  # weights given in memory, or unreadable
    _start(show, unknown, monkeypatch)
    again = CountingDetector(tmp_path / "nowhere.bin")
    _start(show, again, monkeypatch)
    assert len(again.judged) == 8
    assert not list(verdicts_folder(tmp_path / "var").glob("*.npz"))


class UntoldDetector(CountingDetector):
    """A detector (not the CNN) whose identity() has a bug of its own."""

    name = "untold"

    def identity(self) -> dict | None:
        raise KeyError("weights_sha")


class UnwritableIdentity(CountingDetector):
    """One whose identity is not JSON (a Path where the format wants text)."""

    name = "pathish"

    def identity(self) -> dict | None:
        return {"weights": self.path}


@pytest.mark.parametrize("kind", [UntoldDetector, UnwritableIdentity])
def test_a_detector_whose_identity_fails_judges_afresh_and_says_once_which_and_why(tmp_path, monkeypatch,
                                                                                  caplog, kind):
    show, weights = _setup(tmp_path)
    detector = kind(weights)
    with caplog.at_level(logging.WARNING, logger="bayard.quiz"):
        status = _start(show, detector, monkeypatch)  # (a fault in its prepare fails the test: conftest)
        assert status["machine_playing"] and status["items"] == 8 and status["verdicts"]["judged"] == 8
        with run_test(show, size=SIZE) as pilot:  # its next showing, in the same process
            assert _status(pilot)["machine_playing"]
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and "identity" in r.getMessage()]
    assert len(said) == 1, said  # once, not at every showing
    again = kind(weights)
    status = _start(show, again, monkeypatch)  # a restart
    assert len(again.judged) == 8, "nothing may be read back for a detector that cannot be told"
    assert status["verdicts"] == {"read back": 0, "judged": 8, "remembered": 0}
    assert not list(verdicts_folder(tmp_path / "var").glob("*.npz"))
    assert f"'{kind.name}'" in said[0] and kind.__qualname__ in said[0], said
    assert ("KeyError" if kind is UntoldDetector else "TypeError") in said[0], said


def test_the_folder_is_bounded_least_recently_used_first(tmp_path, monkeypatch):
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"w")
    detector = CountingDetector(weights)
    kept = KeptVerdicts(tmp_path / "verdicts", detector)
    image = np.full((64, 64, 3), 100, np.uint8)
    explanation = detector.explain(image)
    monkeypatch.setattr(quiz_verdicts, "MAX_FILES", 3)
    for n in range(5):
        kept.keep(f"sha{n}", explanation)
    for n, path in enumerate(sorted((tmp_path / "verdicts").glob("*.npz"))):
        os.utime(path, ns=(n * 10**9, n * 10**9))
    assert kept.recall("sha0") is not None  # used now: the last to go
    left = tmp_path / "verdicts" / ".abc.npz.99999999.tmp"  # a write an earlier run's kill cut short
    left.write_bytes(b"half")
    # the old show still exiting as the new one starts: its write goes on and is renamed after
    writing = tmp_path / "verdicts" / f".def.npz.{os.getppid()}.1234.tmp"
    writing.write_bytes(b"half")
    kept.prune()
    assert len(list((tmp_path / "verdicts").glob("*.npz"))) == 3
    assert kept.recall("sha0") is not None
    assert not left.exists()
    assert writing.exists()


def test_the_face_detectors_explanation_comes_back_whole(tmp_path):
    """Every field the reveal draws (its evidence map, the eyes) survives the file."""
    from installation.models.detector import load_detector
    from installation.models.detector.base import Explanation
    from installation.models.detector.eyes import EyesView

    detector = load_detector("faces")
    rng = np.random.default_rng(1)
    explanation = detector.explain(rng.integers(0, 255, (300, 260, 3), dtype=np.uint8))
    eyes = EyesView([rng.integers(0, 255, (9, 9, 3), dtype=np.uint8)] * 2, [(4.0, 4.0, 2.5)] * 2, [(3.0, 4.0), None])
    explanation.eyes_view, explanation.eyes_finding = eyes, "one"
    explanation.peaks = [(0.25, 0.0)]
    kept = KeptVerdicts(tmp_path, detector)
    kept.keep("abc", explanation)
    back = kept.recall("abc")
    assert isinstance(back, Explanation)
    for name in vars(explanation):
        mine, theirs = getattr(explanation, name), getattr(back, name)
        if isinstance(mine, np.ndarray):
            assert np.array_equal(mine, theirs, equal_nan=True) and mine.dtype == theirs.dtype, name
        elif isinstance(mine, EyesView):
            assert all(np.array_equal(a, b) for a, b in zip(mine.patches, theirs.patches, strict=True))
            assert (mine.irises, mine.highlights) == (theirs.irises, theirs.highlights)
        else:
            assert mine == theirs, name


def test_two_workers_keeping_the_same_verdict_at_once_leave_it_whole(tmp_path, monkeypatch, caplog):
    """Two quiz scenes prepared at once (on their workers) may keep one picture's verdict
    together; they shared one temporary file: the second to rename found it gone, and the log
    said the verdict could not be written."""
    import threading

    from installation.runtime import files

    weights = tmp_path / "w.bin"
    weights.write_bytes(b"w")
    detector = CountingDetector(weights)
    explanation = detector.explain(np.full((64, 64, 3), 100, np.uint8))
    both_writing = threading.Barrier(2)
    real_open = open

    def slow_open(path, mode="r", *args, **kwargs):  # each writer holds its temporary file open until both do
        handle = real_open(path, mode, *args, **kwargs)
        if "w" in mode and str(path).endswith(".tmp"):
            both_writing.wait(5)
        return handle

    monkeypatch.setattr(files, "open", slow_open, raising=False)
    writers = [threading.Thread(target=KeptVerdicts(tmp_path / "v", detector).keep, args=("same", explanation))
               for _ in range(2)]
    with caplog.at_level(logging.WARNING, logger="bayard.quiz"):
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(10)
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert KeptVerdicts(tmp_path / "v", detector).recall("same") is not None
    assert not list((tmp_path / "v").glob(".*.tmp"))


def test_check_says_how_many_verdicts_are_kept_and_where(tmp_path, monkeypatch, capsys):
    from installation.cli import main

    show, weights = _setup(tmp_path)
    folder = verdicts_folder(tmp_path / "var")
    assert main(["check", "--fast", "--show", str(show)]) == 0
    before = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Quiz verdicts kept:")]
    assert before == [f"Quiz verdicts kept: none yet in {folder}: each quiz picture is judged at the first start "
                      "and kept there for the next"]
    _start(show, CountingDetector(weights), monkeypatch)
    size = sum(p.stat().st_size for p in folder.glob("*.npz"))
    assert main(["check", "--fast", "--show", str(show)]) == 0
    after = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Quiz verdicts kept:")]
    assert after == [f"Quiz verdicts kept: 8 ({size / 2**20:.1f} MB) in {folder}, read back at each start instead "
                     f"of judged again; at most {quiz_verdicts.MAX_FILES} files and "
                     f"{quiz_verdicts.MAX_BYTES // 2**20} MB, the least recently used go first"]


def test_check_says_nothing_of_kept_verdicts_for_a_quiz_without_a_machine(tmp_path, capsys):
    from installation.cli import main

    show = _show(tmp_path, extra_keys='detector = "none"')
    main(["check", "--fast", "--show", str(show)])
    assert "Quiz verdicts" not in capsys.readouterr().out


def _overlay_of(show: Path, detector, monkeypatch) -> str:
    """What the operator overlay says over the quiz, in a fresh process with `detector`."""
    from .conftest import overlay_text

    _fresh_process()
    note = "" if detector is not None else "the machine is switched off"
    monkeypatch.setattr(quiz_prepared, "load_machine", lambda *args, **kwargs: (detector, note))
    with run_test(show, size=SIZE) as pilot:
        return " ".join(overlay_text(pilot))


def test_the_overlay_tells_a_technician_whether_the_verdicts_were_read_back_after_a_restart(tmp_path, monkeypatch):
    show, weights = _setup(tmp_path)
    said = _overlay_of(show, CountingDetector(weights), monkeypatch)
    assert "Quiz: the machine plays; its verdicts at this showing: 0 read back from disk, 8 judged" in said, said
    said = _overlay_of(show, CountingDetector(weights), monkeypatch)  # a restart
    assert "Quiz: the machine plays; its verdicts at this showing: 8 read back from disk, 0 judged" in said, said
    said = _overlay_of(show, None, monkeypatch)
    assert "Quiz: the machine is not playing: the machine is switched off" in said, said


def test_a_full_disk_is_said_once_naming_the_folder_not_once_a_picture(tmp_path, monkeypatch, caplog):
    import errno

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(quiz_verdicts, "atomic_write_bytes", full)
    show, weights = _setup(tmp_path)
    with caplog.at_level(logging.WARNING, logger="bayard.quiz"):
        status = _start(show, CountingDetector(weights), monkeypatch)
    assert status["verdicts"]["judged"] == 8 and status["items"] == 8  # the quiz plays on, judged anew
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1, warned
    assert warned[0].startswith(f"{verdicts_folder(tmp_path / 'var')}: ") and "No space left on device" in warned[0]


def test_verdicts_judged_while_the_disk_was_full_are_kept_once_it_has_room(tmp_path, monkeypatch, caplog):
    # The disk fills, the quiz judges its pictures and cannot keep them; the technician
    # frees room while the show runs. The verdicts, remembered in memory, were never written
    # at the quiz's later showings: the next start judged every picture again, its start
    # card late, though the disk had had room for hours.
    import errno

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    show, weights = _setup(tmp_path)
    detector = CountingDetector(weights)
    monkeypatch.setattr(quiz_prepared, "load_machine", lambda *args, **kwargs: (detector, ""))
    room = quiz_verdicts.atomic_write_bytes
    monkeypatch.setattr(quiz_verdicts, "atomic_write_bytes", full)
    with caplog.at_level(logging.INFO, logger="bayard.quiz"):
        with run_test(show, size=SIZE) as pilot:  # the disk full
            assert _status(pilot)["verdicts"]["judged"] == 8
        monkeypatch.setattr(quiz_verdicts, "atomic_write_bytes", room)  # room made, the show running on
        with run_test(show, size=SIZE) as pilot:  # the quiz's next showing
            assert _status(pilot)["verdicts"]["remembered"] == 8
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO and "kept there" in r.getMessage()]
    assert len(said) == 2 and "cannot be kept there" in said[0] and "kept there again" in said[1], said
    assert len(detector.judged) == 8
    status = _start(show, CountingDetector(weights), monkeypatch)  # a restart
    assert status["verdicts"]["read back"] == 8 and status["verdicts"]["judged"] == 0, status["verdicts"]
