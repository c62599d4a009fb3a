"""A film that plays from a USB stick (copying off: [runtime] film_cache_mb = 0) is read by
ffmpeg while it plays. When the stick hangs in its reads, a showing must still end in a bounded
time (the show goes on, the technician told which file) and leave at most one thread waiting on
the stick per film, however often the film comes round. The stick is a fake: ffmpeg's reading
of the film gives its header and a second of frames, then blocks on an Event until the test
lets it answer (as a read held by the kernel's error handling does); its first look (a stat)
hangs in the fake of test_stick_hung_showings."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.media import film_reads, looks, staging
from installation.media.sources import VideoSource

from .test_stick_hung_showings import SHOWINGS, HungFilm, _until

SIZE = (320, 180)  # the test show's screen: ffmpeg's frames come at the size they are shown
FPS = 25.0
FRAMES_BEFORE_HANG = 25
LONG_FILM_S = 3600.0  # its header's length: the showing would otherwise last an hour
FILM_GREY = 96  # the film's frames: plain grey (the card is near black with light words)


class HungReads:
    """ffmpeg's reading of `film`: header and FRAMES_BEFORE_HANG frames, then its next read
    blocks until `answer` is set, and fails then. `in_read`: readings waiting there now;
    `reached`: readings that came to the hung read."""

    def __init__(self, film: Path, monkeypatch) -> None:
        self.film, self.answer = str(film), threading.Event()
        self.in_read, self.reached, self.opened, self._count = 0, 0, 0, threading.Lock()
        real_open = VideoSource._open

        def fake_open(source, output_params, path=None):
            if str(path or source.path) != self.film:
                return real_open(source, output_params, path)
            with self._count:
                self.opened += 1
            meta = {"size": SIZE, "source_size": SIZE, "fps": FPS, "duration": LONG_FILM_S}
            return self._frames(), meta

        monkeypatch.setattr(VideoSource, "_open", fake_open)

    def _frames(self):
        frame = bytes([FILM_GREY]) * (SIZE[0] * SIZE[1] * 3)
        for _ in range(FRAMES_BEFORE_HANG):
            yield frame
        with self._count:
            self.in_read += 1
            self.reached += 1
        try:
            self.answer.wait(60)  # (bounded only so a failing test ends)
        finally:
            with self._count:
                self.in_read -= 1
        raise OSError(5, "Input/output error")


def _film_on_the_stick(tmp_path: Path, monkeypatch) -> Path:
    film = tmp_path / "stick" / "film.mp4"
    film.parent.mkdir()
    film.write_bytes(os.urandom(4096))
    monkeypatch.setattr(staging, "_cache", None)  # copying off: the film plays from the stick
    return film


def _played_up_to_the_hang(source: VideoSource, stick: HungReads) -> bool:
    """Ask `source` for its frames, as the screen does, until its reading reaches the hung read
    (or it fails without reading)."""
    reached, asked = stick.reached, [0]

    def played() -> bool:
        asked[0] += 1
        source.frame_at(asked[0] / FPS)
        return source.error is not None or stick.reached > reached

    return _until(played)


def _decoders(sources: list[VideoSource]) -> list[VideoSource]:
    return [source for source in sources if source._thread.is_alive()]


def test_showings_of_a_film_whose_reads_hang_leave_one_reading_on_the_stick_not_one_each(tmp_path, monkeypatch):
    film = _film_on_the_stick(tmp_path, monkeypatch)
    stick = HungReads(film, monkeypatch)
    monkeypatch.setattr(looks, "LOOK_DEADLINE_S", 0.5)
    sources = []
    try:
        for _ in range(SHOWINGS):  # the film comes round again and again; each showing ends
            source = VideoSource(film, SIZE, loop=False).start()
            sources.append(source)
            assert _played_up_to_the_hang(source, stick), "the showing neither played nor failed"
            source.close()
        assert stick.in_read <= 1, f"{stick.in_read} readings wait on the hung stick after {SHOWINGS} showings"
        assert _until(lambda: not _decoders(sources), 3.0), f"{len(_decoders(sources))} ended showings still decode"
    finally:
        stick.answer.set()
        for source in sources:
            source.close()
    assert _until(lambda: not film_reads.stuck()), "the stuck reading was kept after the stick answered"


def test_showings_with_copying_off_leave_one_look_waiting_on_the_stick(tmp_path, monkeypatch):
    # With no film cache the decoder's first look at its film (is it a file?) went straight to
    # the stick, unbounded and unshared: one thread more stuck there per showing.
    film = _film_on_the_stick(tmp_path, monkeypatch)
    stick = HungFilm(film, monkeypatch)
    sources = []
    try:
        for _ in range(SHOWINGS):
            source = VideoSource(film, SIZE, loop=False).start()
            sources.append(source)
            assert _until(lambda: stick.in_stat >= 1), "the showing never looked at its film"
            source.close()
        assert stick.in_stat == 1, f"{stick.in_stat} threads wait on the hung stick after {SHOWINGS} showings"
        assert _until(lambda: not _decoders(sources), 3.0), f"{len(_decoders(sources))} ended showings still wait"
    finally:
        stick.answer.set()
        for source in sources:
            source.close()
    assert _until(lambda: looks.outstanding() == 0)


class LiveShow:
    """A show of a film on the hung stick (copying off) and a title after it, live on a FakeClock."""

    def __init__(self, tmp_path: Path, monkeypatch, film_keys: str) -> None:
        from installation.clock import FakeClock
        from installation.config.loader import load_show
        from installation.engine import Engine, init_pygame

        from .conftest import title_scene, write_show

        write_show(tmp_path, {"film": f'type = "video"\nid = "film"\nfile = "film.mp4"\n{film_keys}\n',
                              "after": title_scene("after", duration=2)}, size=SIZE)
        self.film = tmp_path / "content" / "film.mp4"
        self.film.write_bytes(os.urandom(4096))
        monkeypatch.setattr(staging, "_cache", None)
        monkeypatch.setattr(looks, "LOOK_DEADLINE_S", 0.5)
        self.stick = HungReads(self.film, monkeypatch)
        init_pygame(headless=True)
        self.clock = FakeClock()
        self.engine = Engine(load_show(tmp_path / "install.toml"), self.clock)
        self.shown: list[str] = []

    def play(self, fake_s: float, until) -> bool:
        """Step the show 0.25 s of fake time a frame (a moment of real time each) until `until`."""
        for _ in range(int(fake_s * 4)):
            self.clock.advance(0.25)
            self.engine.step()
            current = self.engine.sequencer.current
            if current is not None and (not self.shown or self.shown[-1] != current.scene_id):
                self.shown.append(current.scene_id)
            if until():
                return True
            threading.Event().wait(0.01)
        return False

    def said(self) -> list[str]:
        self.play(0.5, lambda: False)  # (what a scene reports is collected at the next frames)
        return [e["message"] for e in self.engine.status()["errors"]]

    def close(self) -> None:
        self.stick.answer.set()
        self.engine.shutdown()


def test_a_film_whose_stick_stops_answering_mid_film_ends_its_showing_and_names_the_file(tmp_path, monkeypatch):
    show = LiveShow(tmp_path, monkeypatch, 'on_end = "advance"')
    stick, shown = show.stick, show.shown
    try:
        assert show.play(30, lambda: stick.in_read >= 1), "the film never played up to its hung read"
        assert show.play(60, lambda: shown[-1] == "after"), (
            f"a minute after its stick stopped answering the film still showed (scenes: {shown})")
        said = show.said()
        assert any("did not answer" in m and str(show.film) in m and "copy the film to the show's disk" in m
                   for m in said), said
        # The film comes round twice more while the stick still hangs: no reading piles up.
        opened = stick.opened
        assert show.play(60, lambda: shown.count("film") >= 3 and shown[-1] == "after"), shown
        assert stick.in_read == 1 and stick.opened == opened, "the film was read again on the hung stick"
        decoders = [t for t in threading.enumerate() if t.name == "decode film.mp4"]
        assert _until(lambda: not [t for t in decoders if t.is_alive()], 3.0), "ended showings still decode"
    finally:
        show.close()
    assert _until(lambda: not film_reads.stuck()), "the stuck reading was kept after the stick answered"


def test_a_looping_film_whose_stick_stops_answering_shows_its_card_not_a_frozen_frame(tmp_path, monkeypatch):
    import numpy as np
    import pygame

    show = LiveShow(tmp_path, monkeypatch, 'on_end = "loop"\nduration = 60')
    try:
        assert show.play(30, lambda: show.stick.in_read >= 1), "the film never played up to its hung read"
        assert show.play(10, lambda: any("did not answer" in m for m in show.said())), show.said()
        assert show.shown == ["film"]  # (its scene lasts a minute)
        screen = pygame.surfarray.array3d(show.engine.frame)
        frozen = np.all(screen == FILM_GREY, axis=-1).mean()
        assert frozen < 0.5, f"{frozen:.0%} of the screen is the film's last frame, frozen"
        assert screen.max() > 150, "no words on the screen: the film's card is not shown"
    finally:
        show.close()
