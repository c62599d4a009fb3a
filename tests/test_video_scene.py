"""The video scene: plays a film at its own rate, subtitles at their times, the show
moves on when the film ends (or it loops), and a broken film never stalls the show."""

from __future__ import annotations

import re

import numpy as np
import pygame
import pytest

import installation.scenes.video  # noqa: F401  (registers the scene kind until the lead wires it)
from installation.harness import run_test
from installation.media.testvideo import read_index, write_test_video
from installation.scenes.video import SubtitleError, parse_srt

from .conftest import title_scene, write_show

SRT = """\ufeff1
00:00:00,500 --> 00:00:01,200
<i>First</i> line

2
00:00:01.500 --> 00:00:02,000
Second
"""


def test_srt_parsing_is_tolerant_and_errors_name_the_line():
    cues = parse_srt(SRT.replace("\n", "\r\n"))
    assert [(c.start, c.end, c.text) for c in cues] == [(0.5, 1.2, "First line"), (1.5, 2.0, "Second")]
    with pytest.raises(SubtitleError, match="line 2"):
        parse_srt("1\nnot a time\nhello\n", "clip.srt")


def film_show(tmp_path, on_end="advance", subtitles=True, file="clip.mp4", size=(320, 180)):
    (tmp_path / "content").mkdir(parents=True, exist_ok=True)
    write_test_video(tmp_path / "content" / "clip.mp4", seconds=2.0, fps=30, size=(320, 180))
    (tmp_path / "content" / "clip.srt").write_text(SRT, encoding="utf-8")
    subs = 'subtitles = "clip.srt"' if subtitles else ""
    return write_show(
        tmp_path,
        {
            "film": f"""
            type = "video"
            id = "film"
            file = "{file}"
            on_end = "{on_end}"
            {subs}
            """,
            "after": title_scene("after", duration=30),
        },
        size=size,
    )


def test_film_plays_every_frame_then_the_show_moves_on(tmp_path):
    with run_test(film_show(tmp_path), fps=60) as pilot:
        scene = pilot.engine.sequencer.current.scene
        shown = []
        for _ in range(110):
            pilot.step()
            shown.append(read_index(scene._frame.image))
        assert scene.natural_duration() == pytest.approx(2.0, abs=0.1)
        assert shown == [(n + 1) * 30 // 60 for n in range(110)]
        assert scene.source.stats.dropped == 0 and scene.source.stats.held == 0
        pilot.advance(2.0)
        assert pilot.scene_id == "after"


def test_subtitle_shows_during_its_cue_only(tmp_path):
    with run_test(film_show(tmp_path, size=(960, 540)), fps=10) as pilot:

        def subtitle_band():
            frame = pygame.surfarray.array3d(pilot.frame()).swapaxes(0, 1).astype(int)
            return frame[-110:-20, 100:-100]

        pilot.advance(0.3)
        before = subtitle_band()
        pilot.advance(0.5)  # t = 0.8: "First line"
        during = subtitle_band()
        pilot.advance(0.6)  # t = 1.4: between cues
        between = subtitle_band()
    # White subtitle text in a dark box: many bright pixels only while the cue runs.
    bright = [int((band.min(axis=2) > 220).sum()) for band in (before, during, between)]
    assert bright[1] > 50 and bright[0] < bright[1] / 3 and bright[2] < bright[1] / 3


def test_loop_keeps_playing(tmp_path):
    with run_test(film_show(tmp_path, on_end="loop"), fps=30) as pilot:
        pilot.advance(5.0)
        scene = pilot.engine.sequencer.current.scene
        assert pilot.scene_id == "film" and not scene.finished
        assert scene.source.stats.loops >= 2 and scene.source.stats.dropped == 0


def test_broken_film_shows_a_card_then_moves_on(tmp_path):
    show = film_show(tmp_path, file="missing.mp4", subtitles=False)
    with run_test(show, fps=10) as pilot:
        pilot.advance(1.0)
        frame = pygame.surfarray.array3d(pilot.frame())
        assert frame.std() > 3  # a designed card, not black
        pilot.advance(10)
        assert pilot.scene_id == "after"


def test_a_half_copied_film_gets_visitor_words_and_the_operator_gets_the_fix(tmp_path, monkeypatch, capsys):
    """A film cut off mid-copy (no index at its end): the card used to tell visitors
    "clip.mp4 could not be played", and `check` said "OSError: Could not load meta
    information"."""
    from installation import faults
    from installation.cli import main
    from installation.scenes import video

    show = film_show(tmp_path, subtitles=False)
    film = tmp_path / "content" / "clip.mp4"
    film.write_bytes(film.read_bytes()[:4000])
    assert main(["check", "--show", str(show)]) == 1
    said = capsys.readouterr().out
    assert "film.toml:3: file: media file 'clip.mp4' cannot be read as a video (half-copied" in said
    shown = []
    def drawn(surface, fonts, title, detail, t):
        shown.append(title + detail)

    monkeypatch.setattr(video, "draw_missing", drawn)
    with faults.FaultRecorder() as recorder, run_test(show, fps=10) as pilot:
        pilot.advance(1.0)
        errors = [e for e in pilot.engine.status()["errors"] if e["where"] == "film"]
        pilot.advance(10)
        assert pilot.scene_id == "after"
    assert shown and not any("clip" in text or ".mp4" in text for text in shown)
    assert "resting" in shown[0]
    assert errors and "cannot be read as a video" in errors[0]["message"]
    assert not recorder.faults  # a bad file is the operator's to mend, not a fault


@pytest.mark.injects_faults
def test_a_decoder_bug_is_a_fault_not_a_bad_file(tmp_path, monkeypatch):
    from installation import faults
    from installation.media.sources import VideoSource

    def broken(self):
        raise TypeError("a bug in the decoder")

    monkeypatch.setattr(VideoSource, "_run", broken)
    with faults.FaultRecorder() as recorder, run_test(film_show(tmp_path, subtitles=False), fps=10) as pilot:
        pilot.advance(1.0)
    assert any("a bug in the decoder" in fault.message for fault in recorder.faults)


def test_a_media_file_deleted_while_running_is_in_status_errors(tmp_path):
    # Issue 12: the deleted file showed in the log only; a technician reading
    # /bayard/status (or the overlay) saw nothing wrong.
    with run_test(film_show(tmp_path, subtitles=False), fps=10) as pilot:
        pilot.advance(3.0)
        assert pilot.scene_id == "after"
        (tmp_path / "content" / "clip.mp4").unlink()
        for _ in range(2):  # two showings of the film: one entry, not one per showing
            pilot.command("goto", "film")
            pilot.advance(1.0)
        errors = [e for e in pilot.engine.status()["errors"] if e["where"] == "film"]
        assert len(errors) == 1
        said = errors[0]["message"]
        assert "'clip.mp4' not found in content/" in said and "copy the file there" in said
        assert ("error", ("film", errors[0]["message"])) in pilot.events


def test_config_fields_are_described():
    from installation.scenes.video import VideoConfig

    for name, field in VideoConfig.model_fields.items():
        assert field.description, name
    assert np  # keeps the import for the frame helpers


def test_check_counts_a_film_at_its_own_length(tmp_path, capsys):
    """`check` listed a 2 s film as the default 30 s, and the loop's length with it."""
    from installation.cli import main

    path = film_show(tmp_path)
    main(["check", "--fast", "--show", str(path)])
    out = capsys.readouterr().out
    assert re.search(r"film\s+video\s+2 s", out), out
    assert "Loop length: 0 min 32 s" in out


def test_check_finds_a_film_cut_short_whose_start_plays(tmp_path, capsys):
    """A faststart MP4 (its index at the front) cut off part-way starts well: `check`
    decoded its first frame and said OK, and the film stopped early on the wall."""
    from installation.cli import main

    from .test_assets import _faststart_film

    show = film_show(tmp_path, subtitles=False)
    film = tmp_path / "content" / "clip.mp4"
    whole = _faststart_film(film)
    assert main(["check", "--show", str(show)]) == 0
    capsys.readouterr()
    film.write_bytes(whole[: len(whole) // 2])
    assert main(["check", "--show", str(show)]) == 1
    said = capsys.readouterr().out
    assert "film.toml:3: file: media file 'clip.mp4' is cut short: it should last 4.0 s, but its data stops at" in said
    # The fix, as `bayard assets` words it: the message named the fault and left the technician there.
    (line,) = [line for line in said.splitlines() if "is cut short" in line]
    assert line.endswith("(a copy or a download that stopped early): copy it again, whole"), line


def test_a_whole_film_whose_timestamps_start_late_is_not_called_cut_short(tmp_path):
    """A Matroska film whose first frame is stamped 30 s (a recorder's or a remux's clock)
    declares 40 s from zero; check and `assets --pin` refused it, whole, as "cut short: it
    should last 40.0 s, but its data stops at 9.9 s". Cut off, it is still refused."""
    import imageio_ffmpeg
    import numpy as np

    from installation.config.loader import probe_media

    film = tmp_path / "late.mkv"
    writer = imageio_ffmpeg.write_frames(str(film), (160, 96), fps=25, macro_block_size=16,
                                         output_params=["-output_ts_offset", "30", "-g", "25"])
    writer.send(None)
    for index in range(100):
        frame = np.full((96, 160, 3), index * 2, np.uint8)
        frame[20:40, index:index + 20] = 255
        writer.send(frame)
    writer.close()
    assert probe_media(film) is None
    whole = film.read_bytes()
    film.write_bytes(whole[: len(whole) // 2])
    assert "is cut short" in (probe_media(film) or "")


def test_a_cut_film_is_never_said_to_stop_where_it_should_end(tmp_path):
    """A MOV with a timecode track (as cameras and editors write it), its index at the front,
    cut off at 60%: its timecode reaches the full length, and check said "it should last
    10.0 s, but its data stops at 10.0 s", which a technician cannot act on."""
    import imageio_ffmpeg
    import numpy as np

    from installation.config.loader import probe_media

    film = tmp_path / "camera.mov"
    writer = imageio_ffmpeg.write_frames(str(film), (160, 96), fps=25, macro_block_size=16,
                                         output_params=["-timecode", "10:00:00:00", "-movflags", "+faststart",
                                                        "-g", "25"])
    writer.send(None)
    rng = np.random.default_rng(5)
    for _ in range(250):
        writer.send(rng.integers(0, 255, (96, 160, 3), np.uint8))  # noise: the data spreads evenly
    writer.close()
    assert probe_media(film) is None
    whole = film.read_bytes()
    film.write_bytes(whole[: len(whole) * 6 // 10])
    said = probe_media(film) or ""
    assert said.startswith("is cut short"), said
    numbers = [float(n) for n in re.findall(r"(\d+\.\d) s", said)]
    assert len(numbers) < 2 or numbers[1] < numbers[0] - 1, said
