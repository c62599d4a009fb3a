"""`bayard animate`: clear errors for bad input, and a real render from a face video."""

from __future__ import annotations

import argparse

import cv2
import numpy as np
import pytest

from installation.models.motion.cli import add_commands
from installation.scenes.portrait import draw_house_portrait


def _run(argv):
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())
    args = parser.parse_args(["animate", *argv])
    return args.func(args)


def test_missing_portrait_is_one_clear_line(tmp_path, capsys):
    rc = _run(["--portrait", str(tmp_path / "nope.jpg"), "--driver", "x.mp4", "-o", str(tmp_path / "o.mp4")])
    err = capsys.readouterr().err
    assert rc == 2 and "nope.jpg: no such file" in err and "Traceback" not in err


@pytest.mark.parametrize("content, said", [
    (b"not a picture at all", "cannot be decoded as an image"),
    (None, "is fully transparent, so there is nothing to show"),
])
def test_a_portrait_that_cannot_be_shown_is_one_clear_line(tmp_path, capsys, content, said):
    from PIL import Image

    path = tmp_path / "p.png"
    if content is None:
        Image.fromarray(np.zeros((300, 200, 4), np.uint8)).save(path)
    else:
        path.write_bytes(content)
    (tmp_path / "d.mp4").write_bytes(b"x")
    rc = _run(["--portrait", str(path), "--driver", str(tmp_path / "d.mp4"), "-o", str(tmp_path / "o.mp4")])
    err = capsys.readouterr().err
    assert rc == 2 and said in err and "save it as jpg or png" in err and "Traceback" not in err


def test_unknown_backend_suggests_the_nearest(tmp_path, capsys):
    image, _ = draw_house_portrait()
    cv2.imwrite(str(tmp_path / "p.png"), image)
    (tmp_path / "d.mp4").write_bytes(b"not a video")
    rc = _run(
        [
            "--portrait",
            str(tmp_path / "p.png"),
            "--driver",
            str(tmp_path / "d.mp4"),
            "-o",
            str(tmp_path / "o.mp4"),
            "--backend",
            "flwo",
        ]
    )
    assert rc == 2 and "did you mean 'flow'" in capsys.readouterr().err


@pytest.mark.parametrize("backend, hint", [("mesh", "no face found"), ("flow", "--face X Y SIZE")])
def test_portrait_without_a_face_says_what_to_do(tmp_path, capsys, backend, hint):
    cv2.imwrite(str(tmp_path / "p.png"), np.full((300, 200, 3), 120, np.uint8))
    (tmp_path / "d.mp4").write_bytes(b"x")
    rc = _run(
        [
            "--portrait",
            str(tmp_path / "p.png"),
            "--driver",
            str(tmp_path / "d.mp4"),
            "-o",
            str(tmp_path / "o.mp4"),
            "--backend",
            backend,
        ]
    )
    assert rc == 2 and hint in capsys.readouterr().err


def test_a_driver_with_no_readable_frames_is_one_clear_line(tmp_path, capsys):
    # The mesh path decodes in a thread beside the tracker: an unreadable file must still
    # end at once with the fix, not hang or trace back.
    from pathlib import Path

    portrait = Path(__file__).resolve().parents[1] / "content/portraits/thoreau-1856.jpg"
    (tmp_path / "d.mp4").write_bytes(b"not a video")
    rc = _run(["--portrait", str(portrait), "--driver", str(tmp_path / "d.mp4"),
               "-o", str(tmp_path / "o.mp4"), "--backend", "mesh"])
    err = capsys.readouterr().err
    assert rc == 2 and "no readable frames" in err and "Traceback" not in err
    assert not (tmp_path / "o.mp4").exists()


@pytest.mark.shared_data
def test_renders_a_moving_portrait_video(tmp_path, shared_data):
    import imageio_ffmpeg

    image, face = draw_house_portrait()
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    out = tmp_path / "out.mp4"
    rc = _run(
        [
            "--portrait",
            str(tmp_path / "p.png"),
            "--driver",
            str(shared_data / "driver-smile-3s.mp4"),
            "-o",
            str(out),
            "--face",
            *map(str, face),
            "--size",
            "360",
        ]
    )
    assert rc == 0 and out.stat().st_size > 10_000
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = [np.frombuffer(f, np.uint8).reshape(meta["size"][1], meta["size"][0], 3) for f in reader]
    assert meta["size"][1] == 360 and len(frames) > 60
    motion = max(np.abs(f.astype(int) - frames[0].astype(int)).mean() for f in frames)
    assert motion > 0.2  # the sitter smiles with the driver


def test_a_reference_frame_with_an_open_mouth_gets_a_note_naming_the_fix(stack, sitter):
    """`--reference first` on a driver that starts mid-word: every closed mouth after it
    pulls the portrait's chin up. The user chose that frame, so it is kept; the note says
    what will happen and which option avoids it."""
    from installation.models.face import portrait_faces
    from installation.models.motion.driver_notes import open_mouth_note

    from .test_mesh_expression import _mouth_opened

    neutral = portrait_faces(sitter, stack)[0].landmarks.astype(np.float64)
    frames = [_mouth_opened(neutral, 0.08), neutral, _mouth_opened(neutral, 0.01)]
    note = open_mouth_note(0, [0, 1, 2], frames)
    assert note and "frame 0" in note and "frame 1" in note and "--reference best" in note
    assert open_mouth_note(2, [0, 1, 2], frames) is None  # barely open: no note
    assert open_mouth_note(1, [0, 1, 2], frames) is None


def test_a_driver_face_filmed_from_afar_gets_a_note_naming_the_fix(stack, sitter):
    """A driver video shrunk for the web, or filmed from across a room: the face is a few
    dozen pixels and its blinks and smiles are coarse. The render goes on; a note says why
    and what to do."""
    from installation.models.face import portrait_faces
    from installation.models.motion.driver_notes import SMALL_DRIVER_FACE_PX, small_face_note

    face = portrait_faces(sitter, stack)[0].landmarks.astype(np.float64)
    height = float(np.linalg.norm(face[10, :2] - face[152, :2]))
    small = face * (0.8 * SMALL_DRIVER_FACE_PX / height)
    note = small_face_note([0, 1], [small, small])
    assert note and f"{0.8 * SMALL_DRIVER_FACE_PX:.0f} px" in note and "Film closer" in note
    assert small_face_note([0, 1], [face, face]) is None  # the sitter's own face: plenty


def test_the_small_driver_note_reaches_the_user(tmp_path, stack, sitter, capsys):
    from installation.models.motion.driver_notes import SMALL_DRIVER_FACE_PX

    face = next(iter(stack.faces(sitter, 1)))
    height = float(np.linalg.norm(face.landmarks[10, :2] - face.landmarks[152, :2]))
    scale = 0.8 * SMALL_DRIVER_FACE_PX / height
    frame = cv2.resize(cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    frame = cv2.copyMakeBorder(frame, 8, 8, 8, 8, cv2.BORDER_REPLICATE)
    frame = frame[: frame.shape[0] // 2 * 2, : frame.shape[1] // 2 * 2]
    driver = tmp_path / "far.avi"
    writer = cv2.VideoWriter(str(driver), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (frame.shape[1], frame.shape[0]))
    for _ in range(6):
        writer.write(frame)
    writer.release()
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    rc = _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(tmp_path / "out.mp4")])
    err = capsys.readouterr().err
    assert rc == 0 and "px tall" in err and "Film closer" in err


def _two_shot_driver(path, first, second, frames_each=8):
    """A driver that cuts from one still face to another (MJPG: every frame kept as is)."""
    side = 384
    shots = [cv2.resize(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), (side, side), interpolation=cv2.INTER_AREA)
             for image in (first, second)]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (side, side))
    for shot in shots:
        for _ in range(frames_each):
            writer.write(shot)
    writer.release()


def _read_video(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(h, w, 3).astype(np.int16) for f in reader]


def test_a_cut_to_another_calm_face_leaves_the_portrait_at_rest(tmp_path, stack, sitter, capsys):
    """Found footage cuts, say from an interviewer to the guest. Measured from the first
    person's neutral face, the second's calm face read as an expression and moved the
    portrait for the whole shot; each shot is now measured from its own neutral frame."""
    from pathlib import Path

    other = cv2.cvtColor(cv2.imread(str(Path(__file__).parents[1] / "content/quiz/real/real-00.jpg")),
                         cv2.COLOR_BGR2RGB)
    driver = tmp_path / "cut.avi"
    _two_shot_driver(driver, sitter, other)
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))

    def away_from_rest(out):  # per frame, mean grey levels from the portrait itself
        frames = _read_video(out)
        rest = cv2.resize(sitter, frames[0].shape[1::-1], interpolation=cv2.INTER_AREA).astype(np.int16)
        return [float(np.abs(f - rest).mean()) for f in frames]

    out = tmp_path / "best.mp4"
    assert _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "2 shots, cut at frame 8" in said
    away = away_from_rest(out)
    # Both shots are still faces: the portrait stays at rest, up to the mesh's own
    # frame-to-frame wobble and the video coding (measured 1.3-3.0 in either shot).
    assert max(away) < 4.0, away

    # Measured from the first shot's face (the user's choice), the same cut moves it (15),
    # and a note says why and which option avoids it.
    out = tmp_path / "first.mp4"
    assert _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(out),
                 "--reference", "first"]) == 0
    err = capsys.readouterr().err
    assert "cuts to another shot at frame 8" in err and "--reference best" in err
    moved = away_from_rest(out)
    assert min(moved[8:]) > 2 * max(away[8:]), (moved, away)


def test_a_talking_driver_gives_a_talking_portrait(tmp_path, sitter, capsys):
    """An artist films themselves speaking: the portrait film carries their voice (a
    silent talking portrait is half a work), and `--no-sound` leaves it out."""
    import subprocess

    import imageio_ffmpeg

    from installation.video import has_sound

    silent = tmp_path / "silent.avi"
    _two_shot_driver(silent, sitter, sitter, frames_each=6)
    driver = tmp_path / "talking.mp4"  # the same frames with a 440 Hz tone as the voice
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=1.2", "-i", str(silent), "-map", "1:v", "-map", "0:a",
                    "-c:v", "mjpeg", "-c:a", "aac", str(driver)], check=True)
    assert has_sound(driver) and not has_sound(silent)
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    portrait = ["--portrait", str(tmp_path / "p.png")]

    assert _run([*portrait, "--driver", str(driver), "-o", str(tmp_path / "a.mp4")]) == 0
    assert "with the driver's sound" in capsys.readouterr().out
    assert has_sound(tmp_path / "a.mp4") and len(_read_video(tmp_path / "a.mp4")) == 12

    assert _run([*portrait, "--driver", str(driver), "-o", str(tmp_path / "b.mp4"), "--no-sound"]) == 0
    assert not has_sound(tmp_path / "b.mp4")
    assert _run([*portrait, "--driver", str(silent), "-o", str(tmp_path / "c.mp4")]) == 0
    assert not has_sound(tmp_path / "c.mp4") and "sound" not in capsys.readouterr().out


def _container_seconds(path) -> float:
    """How long a player says the film is (the longest of its streams)."""
    import re
    import subprocess

    import imageio_ffmpeg

    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                           capture_output=True, text=True)
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", probe.stderr).groups()
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_a_sound_track_longer_than_the_picture_ends_with_it(tmp_path, sitter):
    """A driver whose sound runs on past its picture (an edit that kept the voice-over)
    gave a film as long as the sound, the portrait frozen on its last frame for the rest."""
    import subprocess

    import imageio_ffmpeg

    silent = tmp_path / "silent.avi"
    _two_shot_driver(silent, sitter, sitter, frames_each=6)
    driver = tmp_path / "long-sound.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=6", "-i", str(silent), "-map", "1:v", "-map", "0:a",
                    "-c:v", "mjpeg", "-c:a", "aac", str(driver)], check=True)
    picture = len(_read_video(driver)) / cv2.VideoCapture(str(driver)).get(cv2.CAP_PROP_FPS)
    assert _container_seconds(driver) > 5.5 > 2 * picture
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    for backend in ("mesh", "flow"):
        out = tmp_path / f"{backend}.mp4"
        assert _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(out),
                     "--backend", backend]) == 0
        assert abs(_container_seconds(out) - picture) < 0.15, backend


@pytest.mark.parametrize("backend", ["mesh", "flow"])
def test_beside_driver_puts_the_drivers_own_frame_left_of_the_portrait_in_step(tmp_path, sitter, backend):
    """A curator checks a pairing by eye, and a gallery documents the piece, with the driver
    beside the portrait in one film (they had to line two films up in an editor): the left
    side shows the driver frame the portrait follows, at the portrait's height, and the
    right side is the film `animate` makes without the option."""
    from pathlib import Path

    from installation.models.motion import beside

    other = cv2.cvtColor(cv2.imread(str(Path(__file__).parents[1] / "content/quiz/real/real-00.jpg")),
                         cv2.COLOR_BGR2RGB)
    driver = tmp_path / "cut.avi"
    _two_shot_driver(driver, sitter, other, frames_each=6)
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    common = ["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "--backend", backend,
              "--size", "240"]
    assert _run([*common, "-o", str(tmp_path / "alone.mp4")]) == 0
    assert _run([*common, "-o", str(tmp_path / "beside.mp4"), "--beside-driver"]) == 0
    alone, both = _read_video(tmp_path / "alone.mp4"), _read_video(tmp_path / "beside.mp4")
    assert len(both) == len(alone) == 12
    height, portrait_w = alone[0].shape[:2]
    driver_w = 240  # the square driver at the film's height
    assert both[0].shape[:2] == (height, driver_w + beside.GAP + portrait_w)
    # The right side is the portrait film (up to the video coding).
    for plain, paired in zip(alone, both, strict=True):
        assert np.abs(paired[:, -portrait_w:] - plain).mean() < 3.0
    # The left side is the driver, in step: the first person for six frames, then the other.
    shots = [cv2.resize(image, (driver_w, height), interpolation=cv2.INTER_AREA).astype(np.int16)
             for image in (sitter, other)]
    for n, frame in enumerate(both):
        left = frame[:, :driver_w]
        shown, not_shown = (shots[0], shots[1]) if n < 6 else (shots[1], shots[0])
        assert np.abs(left - shown).mean() < 6.0 < np.abs(left - not_shown).mean(), n


def test_a_film_never_overwrites_its_own_driver_or_portrait(tmp_path, capsys):
    """`animate ... -o driver.mp4` replaced the driver video with the film."""
    portrait, driver = tmp_path / "p.png", tmp_path / "d.mp4"
    cv2.imwrite(str(portrait), np.full((64, 64, 3), 128, np.uint8))
    driver.write_bytes(b"a driver video")
    for output in (driver, portrait):
        rc = _run(["--portrait", str(portrait), "--driver", str(driver), "-o", str(output)])
        assert rc == 2 and "would overwrite an input" in capsys.readouterr().err
    assert driver.read_bytes() == b"a driver video"


@pytest.mark.parametrize(("option", "value"), [("--size", "-5"), ("--exaggeration", "nan")])
def test_a_number_animate_cannot_use_is_one_line(tmp_path, capsys, option, value):
    with pytest.raises(SystemExit) as stopped:
        _run(["--portrait", "p.png", "--driver", "d.mp4", "-o", str(tmp_path / "o.mp4"), option, value])
    assert stopped.value.code == 2 and option in capsys.readouterr().err


def _wide_picture(path, sitter):
    """A 2400x1200 picture (a double portrait's scan, a landscape with a sitter) with the
    sitter on its left half: its longer side is its width."""
    canvas = np.full((1200, 2400, 3), 128, np.uint8)
    face = cv2.resize(sitter, (round(sitter.shape[1] * 1200 / sitter.shape[0]), 1200), interpolation=cv2.INTER_CUBIC)
    canvas[:, 300:300 + face.shape[1]] = face
    cv2.imwrite(str(path), cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))


def test_a_wide_picture_is_fitted_on_the_scenes_own_pixels(tmp_path, stack, sitter, monkeypatch):
    """The scene reads a portrait with its longer side cut to 900 px (scenes/portrait_loading.py);
    `animate` scaled the height to 900, so a wide picture's face was fitted on twice the pixels:
    a curator previewing with `animate` saw another fit than visitors get."""
    from installation.imaging import read_rgb
    from installation.models.motion import cli
    from installation.models.motion.mesh import MeshAnimator

    _wide_picture(tmp_path / "wide.png", sitter)
    (tmp_path / "driver.mp4").write_bytes(b"never read: the render is caught before it")
    fitted = []
    monkeypatch.setattr(cli, "_animate_mesh", lambda args, animator: fitted.append(animator) or 0)
    assert _run(["--portrait", str(tmp_path / "wide.png"), "--driver", str(tmp_path / "driver.mp4"),
                 "-o", str(tmp_path / "out.mp4"), "--backend", "mesh"]) == 0
    scene = MeshAnimator(read_rgb(tmp_path / "wide.png", max_side=900), stack)
    assert fitted[0].portrait.shape == scene.portrait.shape == (450, 900, 3)
    assert np.array_equal(fitted[0].rig.mesh, scene.rig.mesh)


def test_a_wide_pictures_film_is_as_tall_as_asked(tmp_path, sitter):
    """--size is the film's height; without it, the scene's copy's (made even)."""
    _wide_picture(tmp_path / "wide.png", sitter)
    driver = tmp_path / "driver.avi"
    _two_shot_driver(driver, sitter, sitter, frames_each=2)
    common = ["--portrait", str(tmp_path / "wide.png"), "--driver", str(driver), "--no-sound"]
    assert _run([*common, "-o", str(tmp_path / "a.mp4")]) == 0
    assert _read_video(tmp_path / "a.mp4")[0].shape == (450, 900, 3)
    assert _run([*common, "-o", str(tmp_path / "b.mp4"), "--size", "1000"]) == 0
    assert _read_video(tmp_path / "b.mp4")[0].shape == (1000, 2000, 3)


def test_face_is_given_in_the_pictures_own_pixels(tmp_path, monkeypatch):
    """--face X Y SIZE names the face where it is in the file, however far the film's copy is shrunk."""
    from installation.models.motion import pipeline

    image, face = draw_house_portrait()  # 600x720
    big = cv2.resize(image, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC)  # 1500x1800: read at 750x900
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(big, cv2.COLOR_RGB2BGR))
    (tmp_path / "d.mp4").write_bytes(b"x")
    given = []
    monkeypatch.setattr(pipeline, "PortraitAnimator", lambda backend, portrait, face: given.append(face))
    _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(tmp_path / "d.mp4"), "-o", str(tmp_path / "o.mp4"),
          "--backend", "flow", "--face", *(str(v * 2.5) for v in face)])
    assert np.allclose((given[0].cx, given[0].cy, given[0].size), np.array(face) * 1.25)  # on the 750x900 copy
