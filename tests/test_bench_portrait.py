"""bench/portrait.py takes the sitters and the driver videos it is told to: the issue is judged
on portraits and drivers the project never saw, so the figures must come from those."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import portrait as bench  # noqa: E402

FIGURES = {"frames": 3, "reference": 0, "r_mouth": 0.9, "amp_mouth": 0.8, "r_eyes": 0.7, "amp_eyes": 1.0,
           "r_smile": 0.8, "amp_smile": 0.9, "r_roll": 0.9, "amp_roll": 1.0, "sharp": 1.0,
           "r_smile_placed": 0.97, "r_roll_placed": 0.99, "r_eyes_placed": 0.96}


def test_quality_drives_each_sitter_with_the_videos_given(monkeypatch, capsys, tmp_path):
    read, driven = [], []
    frame = np.zeros((8, 8, 3), np.uint8)
    monkeypatch.setattr(bench, "frames_of", lambda path, limit: (read.append(path) or [frame], 30.0))
    monkeypatch.setattr(bench, "load_portrait", lambda path: path)
    monkeypatch.setattr(bench, "measure_pair",
                        lambda stack, sitter, frames, fps, picture: driven.append(sitter) or FIGURES)
    sitter = tmp_path / "sitter.jpg"
    videos = [tmp_path / "visitor-a.mp4", tmp_path / "visitor-b.mp4"]

    bench.quality(None, 10, [sitter], videos)

    assert read == videos and driven == [sitter, sitter]
    rows = [line for line in capsys.readouterr().out.splitlines() if "sitter.jpg" in line]
    assert [row.split()[0] for row in rows] == ["visitor-a.mp4", "visitor-b.mp4"]


def _one_pairs_table(monkeypatch, capsys, tmp_path) -> list[str]:
    """The quality table's lines for one sitter and one visitor measured as FIGURES."""
    frame = np.zeros((8, 8, 3), np.uint8)
    monkeypatch.setattr(bench, "frames_of", lambda path, limit: ([frame], 30.0))
    monkeypatch.setattr(bench, "load_portrait", lambda path: path)
    monkeypatch.setattr(bench, "measure_pair", lambda *args: FIGURES)
    bench.quality(None, 10, [tmp_path / "sitter.jpg"], [tmp_path / "visitor.mp4"])
    return capsys.readouterr().out.splitlines()


def test_each_pair_tells_the_smile_as_placed_beside_the_smile_as_read(monkeypatch, capsys, tmp_path):
    """Where the read smile falls and the placed one does not, the smile was lost in the drawing or in
    the face mesh's reading of it, not in the motion: the table says which, per pair and on the mean."""
    lines = _one_pairs_table(monkeypatch, capsys, tmp_path)
    assert next(line for line in lines if line.startswith("driver")).split()[-1] == "placed"
    assert next(line for line in lines if "sitter.jpg" in line).split()[-1] == "0.97"
    assert next(line for line in lines if line.startswith("mean")).split()[-1] == "0.97"


def test_each_pair_tells_the_roll_and_the_eyes_as_placed_beside_them_as_read(monkeypatch, capsys, tmp_path):
    """A visitor who barely tilts read back at roll r 0.3-0.8 while the motion placed the roll at
    0.996-0.999: the table says, per pair and on the mean, whether roll and eyes were lost in the
    motion or after it (in the drawing or in the face mesh's reading of it)."""
    lines = _one_pairs_table(monkeypatch, capsys, tmp_path)
    header = next(line for line in lines if line.startswith("driver")).split()
    row = next(line for line in lines if "sitter.jpg" in line).split()
    mean = next(line for line in lines if line.startswith("mean")).split()
    # The header's two-word names ("r mouth") and the row's two names (driver, sitter) differ in
    # count: columns are found from the right, where both hold one figure a name.
    for name, value in (("pl.roll", "0.99"), ("pl.eyes", "0.96")):
        at = header.index(name) - len(header)
        assert row[at] == value and mean[at] == value


def test_the_roll_and_eyes_as_placed_are_read_from_the_moved_mesh_and_the_motion():
    """Driven by the shipped sitter's own picture tilted by +-1 degree, frame by frame, the roll the
    motion places follows the driver's; its eyes, never closing, place no blink (no figure)."""
    import cv2

    from installation.models.face import FaceStack

    sitter = bench.load_portrait(bench.ROOT / "content/portraits/thoreau-1856.jpg")
    h, w = sitter.shape[:2]
    frames = [cv2.warpAffine(sitter, cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0), (w, h),
                             borderMode=cv2.BORDER_REPLICATE) for tilt in (0.0, 1.0, -1.0, 0.5, -0.5, 1.0)]

    figures = bench.measure_pair(FaceStack.open(), sitter, frames, 30.0)

    assert figures["frames"] == 6
    assert figures["r_roll_placed"] > 0.95
    assert "r_eyes_placed" in figures


def test_a_driver_with_no_frames_is_named_and_the_rest_measured(monkeypatch, capsys, tmp_path):
    empty, good = tmp_path / "empty.mp4", tmp_path / "good.mp4"
    frame = np.zeros((8, 8, 3), np.uint8)
    monkeypatch.setattr(bench, "frames_of", lambda path, limit: ([] if path == empty else [frame], 30.0))
    monkeypatch.setattr(bench, "load_portrait", lambda path: path)
    monkeypatch.setattr(bench, "measure_pair", lambda *args: FIGURES)

    bench.quality(None, 10, [tmp_path / "sitter.jpg"], [empty, good])

    out = capsys.readouterr().out
    assert f"no video frames in {empty}" in out
    assert "good.mp4" in out and "mean" in out


def _a_sitter_and_a_visitor(monkeypatch, tmp_path):
    """Two empty files named on the command line, with no shared data and no face models."""
    sitter, video = tmp_path / "sitter.jpg", tmp_path / "visitor.mp4"
    sitter.write_bytes(b"")
    video.write_bytes(b"")
    monkeypatch.setattr(bench, "SHARED", tmp_path)
    monkeypatch.setattr(bench.FaceStack, "open", classmethod(lambda cls: None))
    return sitter, video


def test_the_command_line_passes_its_drivers_to_quality(monkeypatch, tmp_path):
    sitter, video = _a_sitter_and_a_visitor(monkeypatch, tmp_path)
    calls = []
    monkeypatch.setattr(bench, "quality",
                        lambda stack, limit, portraits, drivers, picture: calls.append((portraits, drivers, picture)))
    monkeypatch.setattr(sys, "argv", ["portrait.py", "--only", "quality", "--portraits", str(sitter),
                                      "--drivers", str(video)])

    bench.main()

    assert calls == [([sitter], [video], "auto")]


def test_the_sitters_are_measured_as_the_scenes_picture_setting_says(monkeypatch, capsys, tmp_path):
    """A curator's miniature set as a painting opens its mouth otherwise than read by itself:
    its figures are taken as the scene would show it (`--picture`, as `animate --picture`)."""
    frame = np.zeros((8, 8, 3), np.uint8)
    sitter, video = _a_sitter_and_a_visitor(monkeypatch, tmp_path)
    made = []
    monkeypatch.setattr(bench, "frames_of", lambda path, limit: ([frame], 30.0))
    monkeypatch.setattr(bench, "load_portrait", lambda path: path)
    monkeypatch.setattr(bench, "measure_pair",
                        lambda stack, sitter, frames, fps, picture: made.append(picture) or FIGURES)
    monkeypatch.setattr(sys, "argv", ["portrait.py", "--only", "quality", "--portraits", str(sitter),
                                      "--drivers", str(video), "--picture", "painting"])

    bench.main()

    assert made == ["painting"]


def test_a_missing_driver_is_refused_by_name(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "argv", ["portrait.py", "--only", "quality", "--drivers", str(tmp_path / "gone.mp4")])

    with pytest.raises(SystemExit):
        bench.main()

    assert f"no such file: {tmp_path / 'gone.mp4'}" in capsys.readouterr().err


def test_a_driver_whose_frames_show_no_face_is_named_not_a_crash(monkeypatch, capsys, tmp_path):
    """A curator's clip of an empty room (or a driver shot too far away) has frames but no face."""
    from installation.models.face import FaceStack

    blank = tmp_path / "empty-room.mp4"
    monkeypatch.setattr(bench, "frames_of", lambda path, limit: ([np.full((240, 320, 3), 90, np.uint8)] * 4, 30.0))
    bench.quality(FaceStack.open(), 4, [bench.ROOT / "content/portraits/thoreau-1856.jpg"], [blank])
    out = capsys.readouterr().out
    assert "empty-room.mp4" in out and "not measured: a face in 0 of its 4 frames" in out
    assert "no pair was measured" in out


def test_the_speed_steps_are_timed_per_frame_and_the_warper_is_left_as_it_was():
    """--only speed tells each step of the warp and paint per frame; the live section runs after it in
    the same process, so nothing of the clock may stay in the warper or in warp.py once it closes."""
    from installation.models.face import FaceStack
    from installation.models.motion.mesh import MeshAnimator
    from installation.models.motion.mesh import warp as mesh_warp
    from installation.models.motion.mesh.motion import idle_motion

    animator = MeshAnimator(bench.load_portrait(bench.ROOT / "content/portraits/thoreau-1856.jpg"), FaceStack.open())
    warper = animator.warper
    painters = {name: getattr(mesh_warp, name) for name in ("paint_lids", "paint_mouth", "move_lids", "soften")}
    with bench.StepClock(warper) as steps:
        for t in (0.0, 0.5):
            animator.render(idle_motion(t))
            steps.frame_done()
        animator.render(idle_motion(1.0))
        steps.frame_dropped()
    for seconds in steps.frames["sampling"] + steps.frames["map"] + steps.frames["easing"]:
        assert seconds > 0.0  # each taken once a frame
    assert all(len(values) == 2 for values in steps.frames.values())  # the dropped frame is not counted

    animator.render(idle_motion(1.5))
    assert all(len(values) == 2 for values in steps.frames.values())
    assert not {"backward_map", "unfold"} & set(vars(warper))
    assert "move" not in vars(warper.irises) and "sample" not in vars(warper.sampler)
    assert "shade" not in vars(warper.folds)
    assert all(getattr(mesh_warp, name) is painter for name, painter in painters.items())
