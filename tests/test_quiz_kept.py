"""The quiz's last good items kept in the show's state folder: a show restarted over a broken
manifest (a power cut mid-save, systemd's restart) plays them, and says so, where it rested
on its start card all day; a show that never read its manifest well rests as before."""

from __future__ import annotations

import json
import re
import time

import installation.scenes.quiz_manifest as quiz_manifest
from installation.harness import run_test

from .test_quiz import _fresh_caches  # noqa: F401  (autouse: each test loads items afresh)
from .test_quiz_manifest import FOUR, SIZE, _quiz, _said

HALF_SAVED = '[[item]\nimage = "quiz/real0.jpg"\n'  # a manifest the power cut while it was saved


def _restart() -> None:
    """What a new process knows of the manifests it read before: nothing in memory."""
    quiz_manifest._LAST_GOOD.clear()


def test_a_show_restarted_over_a_broken_manifest_plays_the_last_good_items(tmp_path, capsys):
    from installation.cli import main

    path = _quiz(tmp_path, FOUR)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    with run_test(path, size=SIZE) as pilot:
        played = {key: prepared.item for key, prepared in pilot.engine.sequencer.current.scene.items.items()}
    assert len(played) == 4
    manifest.write_text(HALF_SAVED)
    _restart()
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert {key: prepared.item for key, prepared in scene.items.items()} == played  # truth, match, credit
        assert not scene.problem and scene.can_play()
        said = _said(pilot)
        assert any(m.startswith("content/quiz/items.toml:1: not valid TOML") and "mend that line" in m
                   and "the quiz plays the 4 items it last read well (kept in var/quiz/q.last-good-items.json on "
                   in m for m in said), said
        pilot.command("start", scene="q")
        assert scene.state == "question"
    assert main(["check", "--show", str(path)]) == 1  # the manifest is still to be mended
    out = capsys.readouterr().out
    assert ("content/quiz/items.toml:1: not valid TOML" in out and "until it is mended the quiz plays the 4 "
            "items it last read well (kept in var/quiz/q.last-good-items.json on ") in out, out


def test_a_show_that_never_read_its_manifest_well_rests_and_keeps_nothing(tmp_path):
    path = _quiz(tmp_path, HALF_SAVED)
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert not scene.items and not scene.can_play()
        assert scene.problem.startswith("content/quiz/items.toml:1: not valid TOML"), scene.problem
    assert not (tmp_path / "var" / "quiz" / "q.last-good-items.json").exists()


def test_a_half_written_copy_of_the_last_good_items_is_ignored_and_said(tmp_path):
    path = _quiz(tmp_path, FOUR)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    kept = tmp_path / "var" / "quiz" / "q.last-good-items.json"
    with run_test(path, size=SIZE):
        pass
    whole = kept.read_text()
    kept.write_text(whole[: len(whole) // 2])  # a disk that said it had flushed, and had not
    manifest.write_text(HALF_SAVED)
    _restart()
    with run_test(path, size=SIZE) as pilot:  # (a fault fails the test)
        scene = pilot.engine.sequencer.current.scene
        assert not scene.items and not scene.can_play()
        assert "content/quiz/items.toml:1: not valid TOML" in scene.problem
        assert ("var/quiz/q.last-good-items.json: the quiz's last good items are half-written or damaged"
                in scene.problem), scene.problem
    manifest.write_text(FOUR)  # mended: read well, and kept whole again
    _restart()
    with run_test(path, size=SIZE) as pilot:
        assert len(pilot.engine.sequencer.current.scene.items) == 4
    assert len(json.loads(kept.read_text())["items"]) == 4


def test_a_kept_copy_with_a_date_out_of_range_still_plays_its_items(tmp_path):
    """A copy edited by hand, or damaged in its date alone ("saved": 1e20, or a number too
    long to be a time): its items are whole, and play; the overflow raised out of the quiz
    and faulted it, where a damaged copy is promised to be ignored at worst."""
    path = _quiz(tmp_path, FOUR)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    kept = tmp_path / "var" / "quiz" / "q.last-good-items.json"
    with run_test(path, size=SIZE):
        pass
    for saved in ("1e20", "1e999"):
        kept.write_text(re.sub(r'"saved": [^,]+,', f'"saved": {saved},', kept.read_text()))
        manifest.write_text(HALF_SAVED)
        _restart()
        with run_test(path, size=SIZE) as pilot:  # (a fault fails the test)
            scene = pilot.engine.sequencer.current.scene
            assert len(scene.items) == 4 and scene.can_play(), scene.problem
            said = _said(pilot)
            assert any("the quiz plays the 4 items it last read well" in m for m in said), said


def test_kept_items_are_not_told_of_other_pictures_under_their_names(tmp_path):
    """The kept items name their pictures from the content folder. A stick swapped for another
    exhibition's show, made from the same template (the state folder is the service's, shared),
    or a picture replaced while the manifest was broken: the restart told visitors the truth
    and credit kept for another picture that now bears the name. An item whose picture is no
    longer the one it was kept with is left out, and said."""
    path = _quiz(tmp_path, FOUR)
    folder = tmp_path / "content" / "quiz"
    with run_test(path, size=SIZE):
        pass
    (folder / "real0.jpg").write_bytes((folder / "fake0.jpg").read_bytes() + b"\0" * 100)  # another picture
    (folder / "items.toml").write_text(HALF_SAVED)
    _restart()
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert sorted(scene.items) == ["quiz/fake0.jpg", "quiz/fake1.jpg", "quiz/real1.jpg"]
        said = _said(pilot)
        assert any("'quiz/real0.jpg' is left out: its picture is not the one it was kept with" in m for m in said), said
        assert any("the quiz plays the 3 items it last read well" in m for m in said), said


def test_check_counts_the_cross_fit_of_the_kept_items_a_broken_manifest_leaves_playing(tmp_path):
    """Over a broken manifest the quiz plays its kept items, each judged by its cross-fitted
    verdict; `check` said it used "the detector's own verdicts (no cross-fit: `bayard detector
    fit --quiz`)", sending the technician to refit a cross-fit that was there all along."""
    from installation.config.loader import load_show
    from installation.models.detector.crossfit import CROSSFIT_FILE, sha256_of
    from installation.scenes.quiz_check import describe

    path = _quiz(tmp_path, FOUR, detector="spectral")
    folder = tmp_path / "content" / "quiz"
    verdicts = {sha256_of(folder / f"{kind}{i}.jpg"): {"probability": 0.987, "threshold": 0.4, "log_odds": 4.3}
                for i in range(2) for kind in ("real", "fake")}
    (tmp_path / "models" / "detector" / CROSSFIT_FILE).write_text(json.dumps({"items": verdicts}))
    with run_test(path, size=SIZE):
        pass  # the manifest read well once: its items are kept
    (folder / "items.toml").write_text(HALF_SAVED)
    _restart()
    with run_test(path, size=SIZE) as pilot:
        played = pilot.engine.sequencer.current.scene.items
        assert len(played) == 4
        assert all(p.verdict.probability == 0.987 for p in played.values())  # the cross-fit judges them
    lines = describe(load_show(path))
    assert any("cross-fitted verdicts for 4 of 4 items it last read well (quiz-crossfit.json)" in line
               for line in lines), lines
    assert not any("no cross-fit" in line for line in lines), lines


def test_check_says_a_quiz_with_a_broken_manifest_and_nothing_kept_has_nothing_to_judge(tmp_path):
    from installation.config.loader import load_show
    from installation.scenes.quiz_check import describe

    lines = describe(load_show(_quiz(tmp_path, HALF_SAVED, detector="spectral")))
    assert any("no pictures to judge until its manifest is mended" in line for line in lines), lines


def test_the_last_good_items_are_dated_by_the_shows_clock(tmp_path):
    """The date a technician reads ("kept in ... on 2026-01-01 00:00") came from the machine's
    wall clock, past the show's injected one: a render or a test at a fixed date wrote today's."""
    path = _quiz(tmp_path, FOUR)
    kept = tmp_path / "var" / "quiz" / "q.last-good-items.json"
    with run_test(path, size=SIZE) as pilot:
        started = pilot.clock.wall()
    saved = json.loads(kept.read_text())["saved"]
    assert abs(saved - started) < 60, (saved, started)  # (the harness's clock starts on 2026-01-01)
    (tmp_path / "content" / "quiz" / "items.toml").write_text(HALF_SAVED)
    _restart()
    with run_test(path, size=SIZE) as pilot:
        said = _said(pilot)
    day = time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
    assert any(f"(kept in var/quiz/q.last-good-items.json on {day})" in m for m in said), said
