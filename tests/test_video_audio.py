"""A video scene's sound: decoded from the film's own track, played with the picture,
paused with the show, stopped when the scene goes; and whenever sound cannot play, the
film plays silently with one log line saying why."""

from __future__ import annotations

import logging
import subprocess
import time

import numpy as np
import pygame
import pytest

import installation.scenes.video  # noqa: F401  (registers the scene kind until the lead wires it)
from installation.harness import run_test
from installation.media import audio as film_audio
from installation.media.testvideo import write_test_video

from .conftest import title_scene, write_show


def tone_film(path, seconds=2.0, frequency=440):
    """A short film with a pure tone as its sound track (ffmpeg's built-in test sources)."""
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
            "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=44100",
            "-t", str(seconds), "-shortest",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            str(path),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return path


@pytest.fixture
def mixer(monkeypatch):
    """Each test opens the mixer itself (as the first film does) and leaves none open."""
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setattr(film_audio, "_mixer_failure", None)
    pygame.mixer.quit()
    yield
    pygame.mixer.quit()


def film_show(tmp_path, audio=True, sound=True, on_end="advance"):
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    if sound:
        tone_film(content / "clip.mp4")
    else:
        write_test_video(content / "clip.mp4", seconds=2.0, fps=25, size=(320, 180))
    return write_show(
        tmp_path,
        {
            "film": f"""
            type = "video"
            id = "film"
            file = "clip.mp4"
            on_end = "{on_end}"
            audio = {"true" if audio else "false"}
            volume = 0.5
            """,
            "after": title_scene("after", duration=30),
        },
    )


def silence_lines(caplog):
    return [r for r in caplog.records if r.name == "bayard.scene.video" and "without sound" in r.getMessage()]


def test_decoded_track_is_the_films_tone_at_its_length(tmp_path):
    track = film_audio.decode_track(tone_film(tmp_path / "tone.mp4"))
    assert (track.rate, track.channels) == (44100, 2)
    assert track.seconds == pytest.approx(2.0, abs=0.05)
    left = np.frombuffer(bytes(track.pcm), np.int16).reshape(-1, 2)[:, 0].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(left * np.hanning(len(left)))) ** 2
    freqs = np.fft.rfftfreq(len(left), 1 / track.rate)
    assert freqs[spectrum.argmax()] == pytest.approx(440, abs=2)
    near = spectrum[(freqs > 430) & (freqs < 450)].sum()
    assert near / spectrum.sum() > 0.9  # a tone, not noise or silence
    assert np.abs(left).max() > 1000


def test_decoder_says_why_a_film_has_no_sound(tmp_path):
    write_test_video(tmp_path / "mute.mp4", seconds=0.5, fps=25, size=(160, 90))
    with pytest.raises(film_audio.AudioUnavailable, match="no audio track"):
        film_audio.decode_track(tmp_path / "mute.mp4")
    with pytest.raises(film_audio.AudioUnavailable, match="up to 0 min|min long"):
        film_audio.decode_track(tone_film(tmp_path / "long.mp4"), max_seconds=1.0)
    (tmp_path / "junk.mp4").write_bytes(b"\x00" * 5000)
    with pytest.raises(film_audio.FilmUnreadable):
        film_audio.decode_track(tmp_path / "junk.mp4")


def test_sound_plays_with_the_film_pauses_with_the_show_and_stops_on_exit(tmp_path, mixer, caplog):
    with run_test(film_show(tmp_path), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(0.4)
        assert scene.audio is not None and scene.audio.state == "playing"
        assert scene.audio.channel.get_busy()
        assert scene.audio.channel.get_volume() == pytest.approx(0.5, abs=0.01)
        assert scene.status()["audio"] == "playing"
        pilot.command("pause")
        pilot.step()
        assert scene.audio.state == "paused"
        paused_t = scene.t
        pilot.command("resume")
        pilot.step()
        assert scene.audio.state == "playing" and scene.t > paused_t
        pilot.command("next")
        pilot.advance(1.2)  # the crossfade ends: the film's scene has exited
        assert pilot.scene_id == "after"
        assert scene.audio.state == "stopped"
        deadline = time.monotonic() + 2.0
        while scene.audio.channel.get_busy() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not scene.audio.channel.get_busy()
    assert not silence_lines(caplog)


def test_sound_fades_when_the_film_ends_and_restarts_with_each_loop(tmp_path, mixer):
    with run_test(film_show(tmp_path, on_end="loop"), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(2.4)  # past the 2 s film's end: the second pass has begun
        assert scene._pass == 1 and scene.audio.state == "playing"
    with run_test(film_show(tmp_path / "once"), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(2.2)
        assert pilot.scene_id == "after" and scene.audio.state in ("fading", "stopped")


def test_film_without_a_sound_track_plays_silently_with_one_log_line(tmp_path, mixer, caplog):
    caplog.set_level(logging.INFO)
    with run_test(film_show(tmp_path, sound=False), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(1.0)
        assert scene._frame is not None and scene._frame.index > 0  # the picture plays
        assert scene.audio is None and "no audio track" in scene.status()["audio"]
    lines = silence_lines(caplog)
    assert len(lines) == 1 and "no audio track" in lines[0].getMessage()


def test_no_sound_output_means_a_silent_film_not_a_crash(tmp_path, mixer, caplog, monkeypatch):
    def refuse(**kwargs):
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", refuse)
    with run_test(film_show(tmp_path), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(0.5)
        assert scene.audio is None and scene._frame is not None
    lines = silence_lines(caplog)
    assert len(lines) == 1 and "No available audio device" in lines[0].getMessage()


def test_audio_off_never_starts_the_decoder(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(film_audio, "decode_track", lambda *a, **k: calls.append(a))
    with run_test(film_show(tmp_path, audio=False), fps=25) as pilot:
        scene = pilot.engine.sequencer.current.scene
        pilot.advance(0.5)
        assert scene.audio is None and scene.status()["audio"] == "off"
    assert calls == []
