"""What each scene kind takes over OSC is listed in docs/osc.md from the kind's own table,
and that table decides what reaches the scene: the document cannot drift from the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from installation.harness import run_test
from installation.inputs.osc.addresses import doc_section
from installation.inputs.osc.service import attach
from installation.scenes import SCENE_KINDS

from .conftest import title_scene, write_show
from .test_portrait_scene import SCENE as PORTRAIT
from .test_quiz import SIZE
from .test_quiz import _show as quiz_show

DOC = Path(__file__).resolve().parents[1] / "docs" / "osc.md"


def last_error(pilot, verb: str) -> str:
    said, (payload,) = pilot.replies[-1]
    assert said == f"/bayard/reply/{verb}"
    reply = json.loads(payload)
    assert reply["status"] == "error"
    return reply["data"]


def test_the_scene_verbs_in_docs_are_generated_from_the_scene_kinds():
    """docs/osc.md said only "quiz and portrait buttons": a desk programmer had to read the code."""
    from installation.docs import VERBS_END, VERBS_START, scene_verbs_markdown

    section = doc_section(DOC.read_text(encoding="utf-8"), VERBS_START, VERBS_END)
    assert section is not None, "docs/osc.md lost its generated scene verbs section"
    assert section == scene_verbs_markdown(), "run: python -m installation.inputs.osc docs/osc.md"
    for kind in ("quiz", "portrait"):
        for verb in SCENE_KINDS.get(kind).verbs:
            assert f"| `{kind}` | `/bayard/scene/<id>/{verb.name}` |" in section


def test_every_quiz_verb_listed_works_over_osc_and_others_are_told_what_it_takes(tmp_path):
    with run_test(quiz_show(tmp_path), size=SIZE) as pilot:
        attach(pilot.engine, start=False)
        scene = pilot.engine.sequencer.current.scene
        pilot.osc("/bayard/scene/q/start")
        assert scene.state == "question"
        pilot.osc("/bayard/scene/q/answer", "fake")
        assert scene.state == "reveal"
        pilot.osc("/bayard/scene/q/reset")
        assert last_error(pilot, "reset") == "scene 'q' does not take 'reset'; it takes start, answer (docs/osc.md)"
        pilot.osc("/bayard/scene/*/handle")  # a scene's own methods are not verbs
        assert "does not take 'handle'" in last_error(pilot, "handle")
        assert scene.state == "reveal"


def test_a_pair_quiz_takes_a_desk_buttons_floats_and_ignores_its_release(tmp_path):
    """`answer 1.0` (what a TouchOSC button sends) was "not understood" in pair mode, though
    `answer 1` answered "right" and the docs list 1; and a button sending its value on press
    and 0 on release answered twice: the release started the round's first question as "left",
    or moved on from the reveal the visitor had just asked for."""
    with run_test(quiz_show(tmp_path, mode="pair", detector=False), size=SIZE) as pilot:
        attach(pilot.engine, start=False)
        scene = pilot.engine.sequencer.current.scene
        pilot.osc("/bayard/scene/q/answer", 1.0)  # a press on the start card starts a round
        pilot.osc("/bayard/scene/q/answer", 0.0)  # its release
        assert scene.state == "question" and scene.index == 0
        pilot.advance(1.0)
        pilot.osc("/bayard/scene/q/answer", 1.0)  # "right", as `answer 1`
        assert scene.state == "reveal" and scene.answer == scene.round[0][1].key
        pilot.osc("/bayard/scene/q/answer", 0.0)  # its release: the reveal stays
        pilot.advance(0.3)
        pilot.osc("/bayard/scene/q/answer", 0)
        assert scene.state == "reveal" and scene.index == 0
        pilot.advance(1.0)
        pilot.osc("/bayard/scene/q/answer", 0.0)  # later, a press of its own: moves on
        assert scene.state == "question" and scene.index == 1
        pilot.advance(1.0)
        pilot.osc("/bayard/scene/q/answer", 0.0)  # "left"
        assert scene.state == "reveal" and scene.answer == scene.round[1][0].key
        pilot.advance(1.0)
        pilot.osc("/bayard/scene/q/answer", "next")
        pilot.advance(1.0)
        pilot.osc("/bayard/scene/q/answer", 0.5)
        assert last_error(pilot, "answer") == ("answer (0.5,) not understood; expected which picture is real: left "
                                               "or right (upper or lower, top or bottom, 0 or 1)")


def test_a_single_quiz_names_the_words_it_takes_for_a_number(tmp_path):
    with run_test(quiz_show(tmp_path, detector=False), size=SIZE) as pilot:
        attach(pilot.engine, start=False)
        scene = pilot.engine.sequencer.current.scene
        pilot.osc("/bayard/scene/q/start")
        pilot.osc("/bayard/scene/q/answer", 1.0)
        assert scene.state == "question"
        assert last_error(pilot, "answer") == ("answer (1.0,) not understood; expected real or fake (or photo, "
                                               "photograph, generated, synthetic)")
        pilot.osc("/bayard/scene/q/answer", " Fake ")
        assert scene.state == "reveal"


def test_a_kind_with_no_verbs_says_so(tmp_path):
    with run_test(write_show(tmp_path, {"intro": title_scene("intro")})) as pilot:
        attach(pilot.engine, start=False)
        pilot.osc("/bayard/scene/intro/answer", "real")
        assert last_error(pilot, "answer") == ("scene 'intro' does not take 'answer'; it takes no commands "
                                               "(docs/osc.md)")


def test_the_portrait_verbs_listed_work_over_osc(tmp_path):
    import cv2

    from installation.scenes.portrait import draw_house_portrait

    image, face = draw_house_portrait()
    (tmp_path / "content").mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(tmp_path / "content" / "a.png"), image)
    cv2.imwrite(str(tmp_path / "content" / "b.png"), image[:, ::-1])
    scene = PORTRAIT + f"""
    [[portraits]]
    image = "a.png"
    face = [{face[0]}, {face[1]}, {face[2]}]
    [[portraits]]
    image = "b.png"
    face = [{600 - face[0]}, {face[1]}, {face[2]}]
    """
    path = write_show(tmp_path, {"p": scene}, extra='\n[camera]\nfile = "none.mp4"\n', size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        attach(pilot.engine, start=False)
        pilot.advance(0.3)
        portrait = pilot.engine.sequencer.current.scene
        pilot.osc("/bayard/scene/p/swipe", "left")
        assert portrait.index == 1
        pilot.osc("/bayard/scene/p/swipe", "right")
        assert portrait.index == 0
        pilot.osc("/bayard/scene/p/tap")  # no camera: no resting card to leave
        assert "has nothing to do for 'tap' now" in last_error(pilot, "tap")


@pytest.mark.shared_data
def test_a_portrait_tap_over_osc_leaves_the_resting_card(tmp_path, shared_data):
    from .test_portrait_scene import VideoCamera, _face_frames

    camera = VideoCamera(_face_frames(shared_data, 60))
    path = write_show(tmp_path, {"p": PORTRAIT.replace("card_seconds = 1.0", "card_seconds = 30")}, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        attach(pilot.engine, start=False)
        portrait = pilot.engine.sequencer.current.scene
        for _ in range(40):
            pilot.step()
            if portrait.state == "card":
                break
        assert portrait.state == "card"
        pilot.osc("/bayard/scene/p/tap")
        assert portrait.state == "framing"  # not after the card's 30 s
