"""The loop scene through the headless harness: items change without black frames,
captions and the reveal, shuffle without repeats, bad files skipped, an emptied folder
shows the placeholder, and a generator falls back to its pre-rendered loop on a CPU."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pygame
import pytest

import installation.scenes.loop  # noqa: F401  (registers the scene kind until the lead wires it)
from installation.harness import run_test
from installation.media.testvideo import write_test_video

from .conftest import GENERATOR_LOOP, write_show


def face_png(path, colour):
    img = np.zeros((120, 120, 3), np.uint8)
    img[:] = colour[::-1]  # BGR on disk
    cv2.imwrite(str(path), img)


def pixels(frame):
    return pygame.surfarray.array3d(frame).swapaxes(0, 1)


def centre_of_picture(pilot):
    scene = pilot.engine.sequencer.current.scene
    x, y = scene.frame_rect.center
    return tuple(int(v) for v in pixels(pilot.frame())[y, x])


LOOP = """
    type = "loop"
    id = "faces"
    duration = 600
    folder = "faces/*"
    item_duration = 3
    change_duration = 1.0
    """


def test_items_change_with_a_crossfade_and_never_black(tmp_path):
    (tmp_path / "content" / "faces").mkdir(parents=True)
    face_png(tmp_path / "content" / "faces" / "a.png", (200, 40, 40))
    face_png(tmp_path / "content" / "faces" / "b.png", (40, 40, 200))
    show = write_show(tmp_path, {"faces": LOOP})
    with run_test(show, fps=10) as pilot:
        seen = []
        for _ in range(80):
            pilot.step()
            seen.append(centre_of_picture(pilot))
    reds = [c for c in seen if c[0] > 150 and c[2] < 80]
    blues = [c for c in seen if c[2] > 150 and c[0] < 80]
    mixes = [c for c in seen if 80 < c[0] < 170 and 80 < c[2] < 170]
    assert reds and blues and mixes  # both faces, and crossfades between them
    assert min(max(c) for c in seen[2:]) > 100  # never a dark frame between items


def test_caption_and_reveal_for_a_real_person(tmp_path):
    (tmp_path / "content").mkdir(parents=True)
    face_png(tmp_path / "content" / "real.png", (120, 120, 120))
    face_png(tmp_path / "content" / "fake.png", (90, 90, 90))
    show = write_show(
        tmp_path,
        {
            "faces": """
        type = "loop"
        id = "faces"
        duration = 600
        item_duration = 10
        [[items]]
        file = "real.png"
        real = true
        credit = "Portrait: public domain"
        [[items]]
        file = "fake.png"
        """
        },
        size=(960, 540),
    )
    with run_test(show, fps=10) as pilot:
        scene = pilot.engine.sequencer.current.scene
        col = scene.column
        pilot.advance(2.0)
        early = pixels(pilot.frame())[col.top : col.bottom, col.left : col.right].astype(int)
        pilot.advance(5.0)  # past reveal_at (0.55 of 10 s) and its fade
        late = pixels(pilot.frame())[col.top : col.bottom, col.left : col.right].astype(int)
        assert scene.current.item.real
    # The caption column changed (the reveal is set in the accent colour, with a credit).
    assert np.abs(early - late).mean() > 0.5
    accent = np.array([0xB8, 0x9A, 0x72])
    assert (np.abs(late - accent).sum(axis=2) < 60).sum() > (
        np.abs(early - accent).sum(axis=2) < 60
    ).sum() + 50


def test_shuffle_never_repeats_immediately(tmp_path):
    from installation.scenes.loop import LoopConfig, LoopScene

    (tmp_path / "content" / "faces").mkdir(parents=True)
    for i in range(3):
        face_png(tmp_path / "content" / "faces" / f"{i}.png", (i * 80, 50, 50))
    config = LoopConfig(type="loop", id="x", folder="faces/*", shuffle=True, seed=3)

    from installation.clock import FakeClock
    from installation.scenes.base import SceneContext

    context = SceneContext(clock=FakeClock(), size=(640, 360), content_root=tmp_path / "content",
                           state_dir=tmp_path, fonts=None, deterministic=True)
    scene = LoopScene(config, context)
    scene._rescan()
    picks = [scene._next_item().file for _ in range(60)]
    assert all(a != b for a, b in zip(picks, picks[1:], strict=False))
    assert set(picks) == {"faces/0.png", "faces/1.png", "faces/2.png"}


def test_corrupt_file_is_skipped_and_an_emptied_folder_shows_the_placeholder(tmp_path, caplog):
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    face_png(faces / "good.png", (200, 200, 60))
    (faces / "broken.jpg").write_bytes(b"\xff\xd8 not really")
    show = write_show(tmp_path, {"faces": LOOP})
    with run_test(show, fps=10) as pilot:
        pilot.advance(8)
        scene = pilot.engine.sequencer.current.scene
        assert scene.skipped == ["faces/broken.jpg"]
        # said once, not at every pass: one status entry for the technician, which the engine
        # logs (the worker hands its reason over and logs nothing of its own)
        assert sum("broken.jpg" in r.getMessage() for r in caplog.records) == 1
        errors = pilot.engine.status()["errors"]
        assert [e["where"] for e in errors if "broken.jpg" in e["message"]] == ["faces"]
        assert centre_of_picture(pilot)[0] > 150
        (faces / "good.png").unlink()
        pilot.advance(11)  # the folder is looked at again within 10 s
        assert scene.mode == "placeholder" and scene.current is None
        frame = pixels(pilot.frame())
        assert frame.std() > 3  # a designed card with text, not a black screen
        face_png(faces / "back.png", (60, 200, 60))
        pilot.advance(11)
        assert scene.mode == "files"
        assert centre_of_picture(pilot)[1] > 150


def test_a_single_video_loops_seamlessly(tmp_path):
    from installation.media.testvideo import read_index

    (tmp_path / "content").mkdir(parents=True)
    write_test_video(tmp_path / "content" / "walk.mp4", seconds=1.0, fps=10, size=(160, 160))
    show = write_show(
        tmp_path,
        {
            "faces": """
        type = "loop"
        id = "faces"
        duration = 600
        [[items]]
        file = "walk.mp4"
        """
        },
    )
    with run_test(show, fps=20) as pilot:
        scene = pilot.engine.sequencer.current.scene
        indices = []
        for _ in range(60):  # three seconds: three passes of a one-second film
            pilot.step()
            frame = scene.current.source._current
            indices.append(read_index(frame.image))
        stats = scene.current.source.stats
    # Each of the film's 10 frames shows for two display frames, pass after pass.
    assert indices == [((n + 1) // 2) % 10 for n in range(60)]
    assert stats.dropped == 0 and stats.held == 0 and stats.loops >= 2


def test_generator_without_gpu_plays_the_fallback_and_says_why(tmp_path):
    pytest.importorskip("torch")
    from installation.scenes.loop import LoopConfig, describe

    (tmp_path / "content").mkdir(parents=True)
    write_test_video(tmp_path / "content" / "walk.mp4", seconds=1.0, fps=10, size=(160, 160))
    (tmp_path / "models").mkdir()
    from installation.models.generator.stylegan2 import StyleGAN2Config, build_generator, save_checkpoint

    save_checkpoint(
        build_generator(StyleGAN2Config(size=16, style_dim=16, n_mlp=1, max_channels=16)),
        tmp_path / "models" / "g.pt",
    )
    show = write_show(tmp_path, {"faces": GENERATOR_LOOP})

    with run_test(show, fps=10) as pilot:
        pilot.advance(1)
        scene = pilot.engine.sequencer.current.scene
        status = scene.status()
        lines = describe(pilot.engine.show)
    from installation.models.device import cuda_present

    if cuda_present():
        assert status["mode"] == "live"
    else:
        assert status["mode"] == "fallback" and "no CUDA" in status["reason"]
        assert status["playing"] == "walk.mp4"
        assert any("pre-rendered walk.mp4" in line and "GPU" in line for line in lines)
    assert isinstance(LoopConfig.model_fields["generator"].description, str)


def test_live_generator_on_the_cpu_when_asked(tmp_path):
    pytest.importorskip("torch")
    from installation.models.generator.stylegan2 import StyleGAN2Config, build_generator, save_checkpoint

    (tmp_path / "models").mkdir(parents=True)
    save_checkpoint(
        build_generator(StyleGAN2Config(size=16, style_dim=16, n_mlp=1, max_channels=16)),
        tmp_path / "models" / "g.pt",
    )
    show = write_show(
        tmp_path,
        {
            "faces": """
        type = "loop"
        id = "faces"
        duration = 600
        [generator]
        checkpoint = "models/g.pt"
        live = "always"
        faces = 3
        seconds_per_face = 0.5
        fps = 10
        """
        },
    )
    with run_test(show, fps=10) as pilot:
        scene = pilot.engine.sequencer.current.scene
        frames = []
        for _ in range(10):
            pilot.step()
            frames.append(
                pixels(pilot.frame())[scene.frame_rect.centery, scene.frame_rect.centerx].astype(int)
            )
        assert scene.mode == "live"
        assert scene.current.source.stats.shown >= 9
    assert np.abs(np.diff(np.array(frames), axis=0)).sum() > 0  # the walk moves


def test_config_needs_something_to_play():
    from pydantic import ValidationError

    from installation.scenes.loop import LoopConfig

    with pytest.raises(ValidationError, match="needs 'folder', 'items' or 'generator'"):
        LoopConfig(type="loop", id="x")
    with pytest.raises(ValidationError, match="inside the content folder"):
        LoopConfig(type="loop", id="x", folder="../elsewhere/*")
    for name, field in LoopConfig.model_fields.items():
        assert field.description, name


def test_morph_between_two_faces_slides_features(tmp_path):
    from installation.models.generator.faces import render_face

    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    for i, seed in enumerate((3, 11)):
        cv2.imwrite(
            str(faces / f"{i}.png"),
            cv2.cvtColor(cv2.resize(render_face(seed), (256, 256)), cv2.COLOR_RGB2BGR),
        )
    show = write_show(
        tmp_path, {"faces": LOOP.replace("item_duration = 3", 'item_duration = 4\n    change = "morph"')}
    )
    with run_test(show, fps=10) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(2.5)  # the change starts at 4 - 1 = 3 s
        first = pixels(pilot.frame()).astype(int)
        pilot.advance(1.0)  # the middle of the morph
        assert scene.leaving is not None and scene.current.morph is not None
        assert len(scene.current.morph) == 24
        middle = pixels(pilot.frame()).astype(int)
        pilot.advance(1.0)
        last = pixels(pilot.frame()).astype(int)
    r = scene.frame_rect
    crop = (slice(r.top, r.bottom), slice(r.left, r.right))
    blend = (first[crop] + last[crop]) / 2
    # Neither endpoint, and not simply their average: the features moved.
    assert np.abs(middle[crop] - first[crop]).mean() > 5 and np.abs(middle[crop] - last[crop]).mean() > 5
    assert np.abs(middle[crop] - blend).mean() > 2
    assert middle[crop].mean() > 40  # never dark in the middle


@pytest.mark.injects_faults
def test_a_failed_morph_is_a_crossfade_on_screen_and_a_fault_in_a_test(tmp_path, monkeypatch):
    """The morph is worked out on a thread; when it fails the change crossfades, and no
    one sees it. A test, a soak or a bench must."""
    import installation.scenes.loop as loop_mod
    from installation.faults import FaultRecorder

    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    for i, colour in enumerate(((200, 80, 60), (60, 80, 200))):
        cv2.imwrite(str(faces / f"{i}.png"), np.full((128, 128, 3), colour, np.uint8))

    def broken(*args, **kwargs):
        raise ValueError("flow failed")

    monkeypatch.setattr(loop_mod, "morph_frames", broken)
    show = write_show(
        tmp_path, {"faces": LOOP.replace("item_duration = 3", 'item_duration = 4\n    change = "morph"')}
    )
    with FaultRecorder() as recorder, run_test(show, fps=10, raise_faults=False) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(4.5)
        assert scene.current.morph is None  # crossfaded instead
        assert pixels(pilot.frame()).max() > 40
        # The next change is already being worked out: let it fail here, not in the next test.
        for thread in threading.enumerate():
            if thread.name == "morph":
                thread.join(10.0)
    # (Each change is worked out ahead: one fault per morph started.)
    assert recorder.faults and {(f.scene_id, f.phase) for f in recorder.faults} == {("faces", "morph")}


def test_check_explains_a_missing_checkpoint(tmp_path):
    from installation.config.loader import load_show
    from installation.scenes.loop import describe

    (tmp_path / "content").mkdir(parents=True)
    write_test_video(tmp_path / "content" / "walk.mp4", seconds=1.0, fps=10, size=(160, 160))
    show = write_show(tmp_path, {"faces": """
        type = "loop"
        id = "faces"
        [generator]
        checkpoint = "models/nowhere.pt"
        fallback = "walk.mp4"
        """})
    (line,) = describe(load_show(show))
    assert "loop 'faces': pre-rendered walk.mp4" in line and "nowhere.pt not found" in line
