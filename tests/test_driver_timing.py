"""A driver recorded at a variable frame rate (phones in dim light) is written as a steady
film that keeps in step with its sound; a steady driver is written one for one."""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.motion.timing import steady_schedule


def test_a_steady_driver_is_written_frame_for_frame():
    times = [i * 1000 / 29.97 for i in range(300)]
    assert steady_schedule(times, 29.97) == (29.97, list(range(300)))
    # timestamps rounded to a container's millisecond time base are still steady
    assert steady_schedule([round(t) for t in times], 29.97)[1] == list(range(300))


def test_a_phone_that_slows_down_in_the_dark_stays_in_step_with_its_sound():
    # 5 s at 30 fps, then 10 s at 10 fps: 250 frames, 16.7 a second on average.
    times = [i * 1000 / 30 for i in range(150)] + [5000 + i * 100 for i in range(100)]
    rate, shown = steady_schedule(times, 250 / 15.0)
    assert rate == 30.0 and len(shown) == 450  # 15 s at the usual 30 fps (the old film: 250 frames)
    assert shown[:150] == list(range(150))
    # 8 s in, the film shows the frame the phone showed 8 s in (frame 180 at 8.0 s)
    assert shown[240] == 180 and shown[241] == 180 and shown[243] == 181
    seconds = np.array(times) / 1000
    for k in range(0, 450, 7):  # never a frame that had not yet appeared, nor one long gone
        assert seconds[shown[k]] <= k / 30 + 1e-3 < seconds[shown[k]] + 0.1 + 1e-3


def test_timestamps_a_container_does_not_give_leave_the_frames_as_they_are():
    assert steady_schedule([0.0] * 20, 25.0) == (25.0, list(range(20)))
    assert steady_schedule([0, 40, 20, 60], 25.0) == (25.0, [0, 1, 2, 3])
    assert steady_schedule([0, 40, float("nan"), 120], 25.0) == (25.0, [0, 1, 2, 3])
    assert steady_schedule([], 25.0) == (25.0, [])


@pytest.mark.parametrize("backend", ["mesh", "flow"])
def test_animate_writes_a_variable_rate_driver_at_its_usual_rate(tmp_path, sitter, capsys, backend):
    import subprocess

    import cv2
    import imageio_ffmpeg

    from installation.video import has_sound

    from .test_motion_cli import _read_video, _run, _two_shot_driver

    steady = tmp_path / "steady.avi"
    _two_shot_driver(steady, sitter, sitter, frames_each=10)  # 20 frames at 10 fps
    driver = tmp_path / "phone.mp4"  # frames 0-9 kept, then 12, 15, 18: 13 frames over 2 s
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(steady), "-f", "lavfi", "-i",
                    "sine=frequency=300:duration=2", "-vf", "select='lt(n\\,10)+not(mod(n\\,3))'",
                    "-fps_mode", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-map", "0:v", "-map", "1:a", str(driver)], check=True)
    cap = cv2.VideoCapture(str(driver))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 13
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))

    out = tmp_path / "out.mp4"
    assert _run(["--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(out),
                 "--backend", backend]) == 0
    captured = capsys.readouterr()
    assert "frame rate varies" in captured.err and "10 fps" in captured.out
    # About 2 s at 10 fps, as long as its sound (written one for one: 13 frames, 1.3 s).
    assert len(_read_video(out)) in (20, 21) and has_sound(out)
