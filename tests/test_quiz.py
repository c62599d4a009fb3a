"""The quiz scene, played headless like a visitor and a technician would."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import cv2
import numpy as np
import pygame
import pytest

import installation.scenes.quiz  # noqa: F401 - registers the "quiz" kind
import installation.scenes.quiz_machine as quiz_machine
import installation.scenes.quiz_pictures as quiz_pictures
import installation.scenes.quiz_prepared as quiz_prepared
from installation.harness import run_test

from .conftest import REPO, load_default_show, write_show
from .detector_fixtures import natural, upsampled

SIZE = (960, 540)


def _content(root: Path, n: int = 4) -> None:
    rng = np.random.default_rng(3)
    for kind, make in (("real", natural), ("fake", upsampled)):
        folder = root / "content" / "quiz" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            cv2.imwrite(str(folder / f"{kind}{i}.jpg"), make(rng)[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 92])


def _show(root: Path, mode: str = "single", detector: bool = True, extra_keys: str = "") -> Path:
    """A quiz with the spectral detector's weights in the show's own models folder, or
    (detector=False) a machine that cannot load: the CNN, whose checkpoint nobody installed."""
    _content(root)
    if "detector" not in extra_keys:
        extra_keys += '\ndetector = "spectral"' if detector else '\ndetector = "cnn"'
    if detector:
        (root / "models" / "detector").mkdir(parents=True, exist_ok=True)
        shutil.copy(
            REPO / "models" / "detector" / "spectral.npz", root / "models" / "detector" / "spectral.npz"
        )
    scene = f"""
        type = "quiz"
        id = "q"
        mode = "{mode}"
        questions = 3
        seed = 7
        reveal_seconds = 6
        summary_seconds = 8
        idle_timeout = 20
        {extra_keys}
        """
    return write_show(root, {"q": scene}, size=SIZE)


def _status(pilot) -> dict:
    return pilot.engine.status()["scene_status"]


def _scene(pilot):
    return pilot.engine.sequencer.current.scene


@pytest.fixture(autouse=True)
def _fresh_caches():
    quiz_prepared._REPORTED.clear()
    quiz_machine._MACHINES.clear()
    quiz_machine._JUDGED.clear()
    quiz_pictures.forget()
    yield


def test_single_round_by_touch(tmp_path):
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        assert _status(pilot)["state"] == "attract" and not _scene(pilot).holding
        pilot.tap(SIZE[0] / 2, SIZE[1] * 0.84)  # "Touch to play"
        assert _status(pilot)["state"] == "question" and _scene(pilot).holding
        frame = pilot.frame()
        buttons = _scene(pilot)._answer_targets()
        assert buttons["real"].height >= 60 and buttons["fake"].height >= 60  # fingertip-sized at 540 px
        assert frame.get_at(buttons["real"].center)[:3] != frame.get_at(buttons["fake"].center)[:3]
        truth = _scene(pilot).round[0][0].truth
        target = buttons[truth]
        pilot.tap(*target.center)
        status = _status(pilot)
        assert status["state"] == "reveal"
        assert status["visitor_score"] == 1
        assert status["machine_playing"]
        pilot.advance(1.0)
        pilot.tap(10, 10)  # anywhere: next question
        assert _status(pilot)["question"] == 2
    events = [args for name, args in pilot.events if name == "quiz"]
    assert events[0] == ("q", "round_started", 3)
    assert events[1][:2] == ("q", "answer") and events[1][3] == 1


def test_osc_answers_play_a_whole_round_and_persist(tmp_path):
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        pilot.command("start", scene="q", source="osc")
        seen = []
        for _ in range(3):
            item = _scene(pilot).round[_scene(pilot).index][0]
            seen.append(item.key)
            pilot.command("answer", "fake", scene="q", source="osc")
            assert _status(pilot)["state"] == "reveal"
            pilot.command("answer", "next", scene="q", source="osc")
        status = _status(pilot)
        assert status["state"] == "summary" and status["rounds_played"] == 1
        assert len(set(seen)) == 3  # no repeats within a round
        expected = sum(k.startswith("quiz/fake") for k in seen)
        assert status["visitor_score"] == expected
        assert status["totals"] == {"shown": 3, "answered": 3, "correct": expected}
        assert any(name == "quiz" and args[1] == "round_finished" for name, args in pilot.events)
    saved = json.loads((tmp_path / "var" / "quiz" / "q.json").read_text())
    assert sum(v["answered"] for v in saved["items"].values()) == 3
    assert not list((tmp_path / "var" / "quiz").glob("*.tmp"))
    # a new showing (as after a restart) carries the counts on
    with run_test(tmp_path / "install.toml", size=SIZE) as pilot:
        assert _status(pilot)["totals"]["answered"] == 3


def test_osc_answers_hold_the_round_like_touch(tmp_path):
    # Issue 12: a round played from an OSC button desk was cut off at the scene's
    # duration, because only touch counted as a visitor using the scene.
    with run_test(_show(tmp_path, extra_keys="duration = 6"), size=SIZE) as pilot:
        scene = _scene(pilot)
        pilot.command("start", scene="q", source="osc")
        for _ in range(4):  # an answer every 3 s: 12 s in all, twice the duration
            pilot.advance(3.0)
            word = "fake" if _status(pilot)["state"] == "question" else "next"
            pilot.command("answer", word, scene="q", source="osc")
        assert _scene(pilot) is scene and scene.holding
        assert pilot.engine.sequencer.current.elapsed > 6


def test_pair_mode_touch_the_real_one(tmp_path):
    with run_test(_show(tmp_path, mode="pair"), size=SIZE) as pilot:
        pilot.command("answer", scene="q")  # any answer on the start card starts a round
        scene = _scene(pilot)
        for question in scene.round:
            assert sorted(i.truth for i in question) == ["fake", "real"]
        targets = scene._answer_targets()
        real_key = next(i.key for i in scene.round[0] if i.truth == "real")
        pilot.tap(*targets[real_key].center)
        assert _status(pilot)["visitor_score"] == 1
        pilot.advance(7.0)  # the reveal moves on by itself
        assert _status(pilot)["state"] == "question" and _status(pilot)["question"] == 2
        pilot.command("answer", "left", scene="q", source="osc")
        assert _status(pilot)["state"] == "reveal"


UPRIGHT = (540, 960)


def test_an_upright_screen_shows_the_face_large_with_the_buttons_on_screen(tmp_path):
    """A portrait-turned kiosk: the face a visitor must judge fills the grid's picture box,
    as every scene's picture does (0.82 of a 9:16 screen's width; it was three quarters of
    it, with the lower fifth of the screen empty; 0.76 since upright type is set 1.19 times
    as large and the grid's words need the room), and the question and both buttons still
    fit below it."""
    from installation.scenes.layout import picture_and_column

    with run_test(_show(tmp_path), size=UPRIGHT) as pilot:
        pilot.command("start", scene="q")
        g = _scene(pilot)._geometry()
        screen = pygame.Rect((0, 0), UPRIGHT)
        assert g["single_image"].width >= min(picture_and_column(UPRIGHT)[0].size) >= 0.75 * UPRIGHT[0]
        assert screen.contains(g["single_image"])
        for button in (g["button_real"], g["button_fake"]):
            assert screen.contains(button) and button.top > g["single_image"].bottom
        assert not g["button_real"].colliderect(g["button_fake"])


def test_an_upright_screen_stacks_a_pair_and_the_reveal_names_them_as_it_shows_them(tmp_path):
    """Two faces side by side on a portrait-turned screen were each 0.4 of its width, with
    the lower half empty: stacked, each is far larger. The reveal sets them side by side again,
    the upper at the left (stacked at its left they were 0.22 of a 9:16 screen's width, smaller
    than the eyes under them), and names them by their labels, not their places: the lower one
    the visitor touched is never "the right picture" of a face they touched below the other."""
    set_in_type: list[str] = []
    with run_test(_show(tmp_path, mode="pair"), size=UPRIGHT) as pilot:
        fonts = pilot.engine.fonts
        block = fonts.block
        fonts.block = lambda text, *args, **kwargs: set_in_type.append(text) or block(text, *args, **kwargs)
        pilot.command("start", scene="q")
        scene = _scene(pilot)
        g = scene._geometry()
        upper, lower = g["pair_left"], g["pair_right"]
        screen = pygame.Rect((0, 0), UPRIGHT)
        assert screen.contains(upper) and screen.contains(lower) and not upper.colliderect(lower)
        assert lower.top > upper.bottom and min(upper.width, lower.width) >= 0.6 * UPRIGHT[0]
        lower_key = scene.round[0][1].key
        pilot.tap(*lower.center)  # the lower picture is the round's second
        assert scene.answer == lower_key
        pilot.advance(0.5)
        said = " ".join(set_in_type)
        touched = scene.items[lower_key].item
        named = {"real": "photograph", "fake": "generated one", "altered": "altered one"}[touched.kind]
        assert f"You said the {named} was real." in said
        assert "right picture" not in said and "lower picture" not in said
        pilot.advance(7.0)
        assert _status(pilot)["question"] == 2
        pilot.command("answer", "upper", scene="q", source="osc")  # a technician's words too
        assert _status(pilot)["state"] == "reveal"


def test_a_wide_screen_keeps_a_pair_side_by_side(tmp_path):
    with run_test(_show(tmp_path, mode="pair"), size=SIZE) as pilot:
        pilot.command("start", scene="q")
        g = _scene(pilot)._geometry()
        assert g["pair_left"].top == g["pair_right"].top and g["pair_left"].right < g["pair_right"].left


@pytest.mark.parametrize("size", [(540, 960), (512, 512), (960, 540), (512, 384)])
def test_the_start_cards_faces_stay_on_screen_and_clear_of_the_heading(tmp_path, size, monkeypatch):
    """Four preview faces of a quarter of the height each ran off both edges of an upright
    screen; upright they go in two rows of two, elsewhere in one row."""
    from installation.scenes import quiz_draw

    drawn: list[pygame.Rect] = []
    picture = quiz_draw.picture
    monkeypatch.setattr(quiz_draw, "picture",
                        lambda surface, image, rect, *a, **k: drawn.append(pygame.Rect(rect))
                        or picture(surface, image, rect, *a, **k))
    with run_test(_show(tmp_path), size=size) as pilot:
        assert _status(pilot)["state"] == "attract"
        drawn.clear()
        pilot.step()  # one frame, really drawn
        assert len(drawn) == 4
        screen = pygame.Rect((0, 0), size)
        heading_top = round(size[1] * 0.47)
        for n, rect in enumerate(drawn):
            assert screen.contains(rect) and rect.bottom < heading_top, (size, rect)
            assert not any(rect.colliderect(other) for other in drawn[n + 1:])
        assert min(r.width for r in drawn) >= 0.15 * min(size)


def test_without_a_detector_the_quiz_still_plays(tmp_path):
    with run_test(_show(tmp_path, detector=False), size=SIZE) as pilot:
        status = _status(pilot)
        assert not status["machine_playing"] and ("cnndetection" in status["detector_note"]
                                                  or "torch is not installed" in status["detector_note"])
        pilot.command("start", scene="q")
        pilot.command("answer", "real", scene="q")
        status = _status(pilot)
        assert status["state"] == "reveal" and status["machine_score"] == 0
        assert _scene(pilot).history[-1]["machine_correct"] is None
        pilot.advance(0.2)  # the reveal without a machine draws


def test_idle_visitor_returns_to_the_start_card(tmp_path):
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        pilot.command("start", scene="q")
        assert _scene(pilot).holding
        pilot.advance(21.0)
        assert _status(pilot)["state"] == "attract" and not _scene(pilot).holding
        assert any(name == "quiz" and args[1] == "round_abandoned" for name, args in pilot.events)


def test_a_quiz_idle_timeout_longer_than_the_shows_holds_the_show_as_long_as_the_round(tmp_path):
    """With [attract] idle_timeout 20 and the quiz's own 120, the show moved on to the next
    scene mid-round at 20 s; the quiz's own limit is the one its round keeps."""
    path = _show(tmp_path, extra_keys="duration = 10").parent
    scene = (path / "scenes" / "q.toml").read_text().replace("idle_timeout = 20", "idle_timeout = 120")
    (path / "scenes" / "q.toml").write_text(scene)
    (path / "scenes" / "t.toml").write_text('type = "title"\nid = "t"\nheading = "Next"\n')
    show = path / "install.toml"
    show.write_text(show.read_text().replace('playlist = ["q"]', 'playlist = ["q", "t"]')
                    + "\n[attract]\nidle_timeout = 20\n")
    with run_test(show, size=SIZE) as pilot:
        pilot.command("start", scene="q")
        pilot.advance(60.0)
        assert pilot.scene_id == "q" and _status(pilot)["state"] != "attract"
        pilot.advance(65.0)  # past the quiz's own 120 s: the round ends, then the show goes on
        assert pilot.scene_id == "t"


def test_broken_item_is_skipped_and_logged_once(tmp_path, caplog):
    path = _show(tmp_path)
    (tmp_path / "content" / "quiz" / "real" / "broken.jpg").write_bytes(b"not an image")
    with caplog.at_level(logging.WARNING):
        for _ in range(2):  # the scene is built anew on every showing
            with run_test(path, size=SIZE) as pilot:
                assert _status(pilot)["items"] == 8
    assert sum("broken.jpg" in r.getMessage() for r in caplog.records) == 1


def test_damaged_statistics_start_again(tmp_path):
    path = _show(tmp_path)
    (tmp_path / "var" / "quiz").mkdir(parents=True)
    (tmp_path / "var" / "quiz" / "q.json").write_text("{ half a file")
    with run_test(path, size=SIZE) as pilot:
        pilot.command("start", scene="q")
        pilot.command("answer", "real", scene="q")
        assert _status(pilot)["totals"]["answered"] == 1
    assert (tmp_path / "var" / "quiz" / "q.json.damaged").exists()


def test_manifest_with_credits(tmp_path):
    _content(tmp_path)
    (tmp_path / "content" / "quiz" / "items.toml").write_text(
        '[[item]]\nimage = "quiz/real/real0.jpg"\ntruth = "real"\ncredit = "Photo: someone, CC0"\n\n'
        '[[item]]\nimage = "quiz/fake/fake0.jpg"\ntruth = "generated"\n'
    )
    path = write_show(
        tmp_path,
        {
            "q": """
        type = "quiz"
        id = "q"
        manifest = "quiz/items.toml"
        questions = 5
        detector = "none"
        """
        },
        size=SIZE,
    )
    with run_test(path, size=SIZE) as pilot:
        scene = _scene(pilot)
        assert _status(pilot)["items"] == 2
        assert {p.item.truth for p in scene.items.values()} == {"real", "fake"}
        assert scene.items["quiz/real/real0.jpg"].item.credit == "Photo: someone, CC0"
        pilot.command("start", scene="q")
        assert len(scene.round) == 2  # fewer items than questions: a shorter round, no repeats


def test_an_altered_photograph_is_revealed_as_altered_not_generated(tmp_path):
    """A real photograph a computer changed (the default quiz's smiles) counts as not real,
    and the reveal says it was altered: "generated" and "no such photograph exists" would
    be untrue of it."""
    _content(tmp_path)
    (tmp_path / "content" / "quiz" / "items.toml").write_text(
        '[[item]]\nimage = "quiz/fake/fake0.jpg"\ntruth = "altered"\n'
        'credit = "Its smile was put there by the portrait engine."\n'
    )
    path = write_show(tmp_path, {"q": """
        type = "quiz"
        id = "q"
        manifest = "quiz/items.toml"
        questions = 1
        detector = "none"
        """}, size=SIZE)
    with run_test(path, size=SIZE) as pilot:
        item = _scene(pilot).items["quiz/fake/fake0.jpg"].item
        assert item.truth == "fake" and item.kind == "altered"
        set_in_type: list[str] = []
        fonts = pilot.engine.fonts
        block = fonts.block
        fonts.block = lambda text, *args, **kwargs: set_in_type.append(text) or block(text, *args, **kwargs)
        pilot.command("start", scene="q")
        pilot.command("answer", "real", scene="q")
        assert _status(pilot)["visitor_score"] == 0  # "real" is the wrong answer
        pilot.advance(0.5)
        said = " ".join(set_in_type)
        assert "This picture was altered by a computer." in said
        assert "This image was generated by a computer." not in said
        assert "Its smile was put there by the portrait engine." in said


@pytest.mark.parametrize(("mode", "size", "detector"), [
    ("single", (1280, 720), "faces"), ("pair", (960, 540), "faces"), ("single", (1080, 1920), "faces"),
    ("pair", (1080, 1920), "faces"), ("single", (1024, 768), "faces"), ("pair", (1024, 768), "spectral")])
def test_a_whole_round_keeps_its_words_legible_on_any_kiosk_screen(tmp_path, mode, size, detector):
    """A visitor's round of the default quiz, question, reveal and summary, on a wide, an
    upright and a 4:3 screen. Played, not just shown: the loop's own checks never press
    start. Found this way: the tips on the summary ran off their card and off the screen,
    the answer buttons' words were under 4.5:1 on their colours, and upright or at 4:3 the
    score line ran off the screen and captions and labels lay over one another (the
    spectrum's caption too, with the spectral detector)."""
    from installation.preview import single_scene_show
    from installation.textlog import problems
    from installation.words import word_list

    show = single_scene_show(load_default_show(), REPO / "scenes" / "quiz.toml")
    show.config = show.config.model_copy(
        update={"show": show.config.show.model_copy(update={"state": str(tmp_path)})}
    )
    show.scenes["quiz"] = show.scenes["quiz"].model_copy(update={"mode": mode, "detector": detector})
    found: dict[str, str] = {}
    answer = "real" if mode == "single" else "left"
    with run_test(show, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.command("start", scene="quiz")
        while _status(pilot)["state"] != "summary":
            for _ in range(3):
                pilot.advance(0.3)
                for problem in problems(pilot.engine.fonts.log.boxes):
                    found.setdefault(problem, _status(pilot)["state"])
            pilot.command("answer", answer, scene="quiz")  # answers; during a reveal, moves on
        pilot.advance(1.0)
        boxes = pilot.engine.fonts.log.boxes
        for problem in problems(boxes):
            found.setdefault(problem, "summary")
        assert not found, found
        shown = [b.text for b in boxes]
        tips = word_list("quiz.tips")
        assert "How to spot a generated face" in shown or size == (1024, 768)  # wrapped there
        assert tips[0] in shown and tips[1] in shown and tips[2] in shown


def test_default_scene_file_plays_from_a_fresh_clone(tmp_path):
    """scenes/quiz.toml with the shipped content and weights: every frame kind draws."""
    from installation.preview import single_scene_show

    show = single_scene_show(load_default_show(), REPO / "scenes" / "quiz.toml")
    show.config = show.config.model_copy(
        update={"show": show.config.show.model_copy(update={"state": str(tmp_path)})}
    )
    # A fixed draw: the spectrum's warmth below depends on which item comes first.
    show.scenes["quiz"] = show.scenes["quiz"].model_copy(update={"seed": 7})
    with run_test(show, size=SIZE) as pilot:
        status = _status(pilot)
        shipped = (REPO / "content" / "quiz" / "manifest.toml").read_text().count("[[item]]")
        assert status["items"] == shipped >= 16 and status["machine_playing"], status
        pilot.command("start", scene="quiz")
        pilot.command("answer", "real", scene="quiz")
        frame = pilot.frame()
        assert isinstance(frame, pygame.Surface)
        # the reveal shows what the machine saw: the face detector's warm/cool map laid
        # over the square it read, on the whole picture in grey (so the face is known)
        rect = _scene(pilot)._geometry()["reveal_spectrum"]
        array = pygame.surfarray.array3d(frame)[rect.left : rect.right, rect.top : rect.bottom].astype(int)
        colourful = (array.max(axis=2) - array.min(axis=2)) > 40
        assert 0.003 < colourful.mean() < 0.5


def test_start_card_does_not_give_answers_away(tmp_path):
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        scene = _scene(pilot)
        truths = [scene.items[k].item.truth for k in scene.previews()]
        assert sorted(truths) == ["fake", "fake", "real", "real"]


def test_refitted_weights_are_used_at_the_next_showing(tmp_path):
    """A gallery runs `bayard detector fit -o models/detector/spectral.npz`; no restart needed."""
    import os

    from installation.models.detector.spectral import SpectralModel

    path = _show(tmp_path)
    weights = tmp_path / "models" / "detector" / "spectral.npz"
    with run_test(path, size=SIZE) as pilot:
        first = _scene(pilot).detector
        assert first is not None
    model = SpectralModel.load(weights)
    model.linear.threshold = 0.9  # a visibly different fit
    model.save(weights)
    os.utime(weights, ns=(1, 2_000_000_000_000_000_000))  # a new time even on coarse clocks
    with run_test(path, size=SIZE) as pilot:
        second = _scene(pilot).detector
        assert second is not first and second.threshold == 0.9


def test_full_disk_while_saving_statistics_keeps_the_game_going(tmp_path, monkeypatch, caplog):
    import errno

    import installation.runtime.files as files  # (the statistics are written through it)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    caplog.set_level(logging.WARNING)
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        monkeypatch.setattr(files.os, "fsync", full)
        pilot.command("start", scene="q", source="osc")
        pilot.command("answer", "fake", scene="q", source="osc")
        assert _status(pilot)["state"] == "reveal"  # the visitor's game goes on
        pilot.command("answer", "next", scene="q", source="osc")
        pilot.command("answer", "real", scene="q", source="osc")
        assert _status(pilot)["totals"]["answered"] == 2  # counted in memory all the same
    assert any("No space left on device" in r.getMessage() for r in caplog.records)
    # no half-written temp file is left (the shared helper's are hidden: .q.json.<pid>.<thread>.tmp)
    assert not [p.name for p in (tmp_path / "var" / "quiz").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", ["spectral", "faces"])
def test_damaged_detector_weights_leave_the_quiz_playing_without_a_machine(tmp_path, name):
    """A truncated faces.npz (a BadZipFile) took the whole quiz scene off with a traceback,
    retried every 30 s; a damaged file is a missing machine, named with what to do."""
    path = _show(tmp_path, extra_keys=f'detector = "{name}"')
    weights = tmp_path / "models" / "detector" / f"{name}.npz"
    weights.write_bytes((REPO / "models" / "detector" / f"{name}.npz").read_bytes()[:5000])
    with run_test(path, size=SIZE) as pilot:
        pilot.advance(1.0)
        assert pilot.scene_id == "q" and pilot.engine.status()["faulted"] == {}
        scene = _scene(pilot)
        assert scene.detector is None and "assets status" in scene.detector_note
        assert str(weights) in scene.detector_note


def test_an_answer_the_quiz_does_not_understand_is_answered_to_its_sender(tmp_path):
    with run_test(_show(tmp_path), size=SIZE) as pilot:
        pilot.command("start", scene="q")
        pilot.command("answer", "maybe", scene="q", source="osc")
        address, (payload,) = pilot.replies[-1]
        reply = json.loads(payload)
        assert address == "/bayard/reply/answer" and reply["status"] == "error"
        assert "'maybe'" in reply["data"] and "not understood" in reply["data"] and "real or fake" in reply["data"]


def test_the_first_visitor_is_told_once_that_nobody_else_has_answered_yet(tmp_path):
    """"You are the first visitor to answer this one." stood on every row, five times over."""
    def play(pilot) -> list[str]:
        pilot.command("start", scene="q", source="osc")
        for _ in range(3):
            pilot.command("answer", "fake", scene="q", source="osc")
            pilot.command("answer", "next", scene="q", source="osc")
        assert _status(pilot)["state"] == "summary"
        pilot.engine.fonts.log.recording = True
        pilot.step()
        return [b.text for b in pilot.engine.fonts.log.boxes]

    with run_test(_show(tmp_path), size=SIZE) as pilot:
        said = play(pilot)
    assert said.count("You are the first visitor to answer these.") == 1
    assert not any("No other answers yet" in text for text in said)


def test_the_start_card_invites_against_the_machine_only_when_there_is_one_to_beat(tmp_path):
    """The start card said "You against the machine" with the machine switched off, and
    when it guesses these very pictures no better than a coin."""
    from installation.preview import single_scene_show

    def invitation(show) -> str:
        with run_test(show, size=SIZE) as pilot:
            pilot.engine.fonts.log.recording = True
            pilot.step()
            return " ".join(b.text for b in pilot.engine.fonts.log.boxes)

    assert "You against the machine" in invitation(_show(tmp_path / "spectral"))
    assert "Trust your eyes" in invitation(_show(tmp_path / "off", detector=False))
    shipped = single_scene_show(load_default_show(), REPO / "scenes" / "quiz.toml")
    shipped.config = shipped.config.model_copy(
        update={"show": shipped.config.show.model_copy(update={"state": str(tmp_path / "state")})})
    said = invitation(shipped)  # the default items: cross-fitted at chance
    assert "fool it as often as people" in said and "You against the machine" not in said
