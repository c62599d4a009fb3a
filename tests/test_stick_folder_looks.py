"""The watcher's looks at a loop's folder pattern (`folder = "films/*.mp4"`) on a USB stick, as
the technician meets them: a film still being copied onto the stick, one renamed or removed
between looks, a folder of thousands, a drive pulled while it is globbed. The looks are made
by hand (no watcher thread, no timing): each `_look_at_folders()` is one of the watcher's beats."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from installation.media.staging import FilmCache
from installation.runtime.watch import ShowWatcher


class _Looks(ShowWatcher):
    """The watcher, its beats made by hand: each `_look_at_folders()` a second after the last."""

    def __init__(self, root: Path) -> None:
        self.now = 0.0
        super().__init__(root, post=lambda command: None, clock=lambda: self.now)

    def _look_at_folders(self) -> None:
        self.now += 1.0
        super()._look_at_folders()


def _watcher(tmp_path: Path, folder: Path, handed: list[list[Path]]) -> ShowWatcher:
    watcher = _Looks(tmp_path)
    watcher.matched = lambda: [Path(p) for p in sorted(glob.glob(str(folder / "*.mp4")))]
    watcher.films_added = handed.append
    return watcher


def test_a_film_still_being_copied_onto_the_stick_is_copied_ahead_whole(tmp_path):
    """A technician copies a film onto the stick while the show runs; the watcher's look comes
    while it is half there. It was handed on at once: the copy ahead took the half film (whole
    by its size then), the film grew, and it was never handed on again, so the loop copied it
    off the stick when it came round, the visitor waiting. Now it is handed on once its size
    and time held still from one look to the next, and the cache holds it whole."""
    folder = tmp_path / "films"
    folder.mkdir()
    (folder / "x.mp4").write_bytes(os.urandom(3000))
    cache = FilmCache(tmp_path / "cache", 10**6, elsewhere=lambda path: True)
    handed: list[list[Path]] = []
    watcher = _watcher(tmp_path, folder, handed)
    watcher.films_added = lambda films: (handed.append(films), cache.stage_ahead(films).join())
    watcher._look_at_folders()  # (the first look notes what is there)
    growing = folder / "y.mp4"
    growing.write_bytes(os.urandom(1000))  # a third of it copied onto the stick so far
    watcher._look_at_folders()
    with growing.open("ab") as more:
        more.write(os.urandom(2000))
    watcher._look_at_folders()  # grown since the last look: still being copied
    watcher._look_at_folders()  # held still: whole
    watcher._look_at_folders()  # (handed on once, not on every look)
    copies = sorted(path.stat().st_size for path in (tmp_path / "cache").iterdir() if path.is_file())
    assert copies == [3000], f"the cache holds {copies} bytes of y.mp4, not the whole 3000"
    assert handed == [[growing]]


def test_a_film_renamed_removed_or_replaced_between_looks(tmp_path):
    """Renamed: the new name is a new film (its copy is found by path). Removed and put back:
    new again. Replaced by another film of the same name (another size): handed on, for the
    copy of the old one is not it. Left alone: never handed on again."""
    folder = tmp_path / "films"
    folder.mkdir()
    (folder / "a.mp4").write_bytes(b"a" * 100)
    (folder / "b.mp4").write_bytes(b"b" * 100)
    handed: list[list[Path]] = []
    watcher = _watcher(tmp_path, folder, handed)
    watcher._look_at_folders()
    (folder / "a.mp4").rename(folder / "c.mp4")
    (folder / "b.mp4").unlink()
    watcher._look_at_folders()
    watcher._look_at_folders()
    assert handed == [[folder / "c.mp4"]]
    (folder / "b.mp4").write_bytes(b"b" * 100)
    (folder / "c.mp4").write_bytes(b"another film" * 20)
    watcher._look_at_folders()
    watcher._look_at_folders()
    watcher._look_at_folders()
    assert handed == [[folder / "c.mp4"], [folder / "b.mp4", folder / "c.mp4"]]


def test_a_drive_pulled_while_its_folder_is_globbed_keeps_the_files_last_seen(tmp_path):
    """The glob runs as the stick goes: it finds nothing (or part), and the files the loop
    played must still be named in the line saying the drive went; nothing is handed on."""
    content = tmp_path / "stick"
    folder = content / "films"
    folder.mkdir(parents=True)
    for name in ("one.mp4", "two.mp4"):
        (folder / name).write_bytes(b"x" * 10)
    handed: list[list[Path]] = []
    watcher = _watcher(tmp_path, folder, handed)
    watcher.content = content
    watcher._look_at_folders()

    def pulled_mid_glob() -> list[Path]:
        content.rename(tmp_path / "pulled")
        return []

    watcher.matched = pulled_mid_glob
    watcher._look_at_folders()
    assert handed == []
    assert "2 of the show's files are out of reach (films/one.mp4, films/two.mp4)" in watcher._lost(content)


def test_a_folder_of_five_thousand_films_is_looked_at_and_one_new_among_them_handed_on(tmp_path):
    folder = tmp_path / "films"
    folder.mkdir()
    for number in range(5000):
        (folder / f"{number:04d}.mp4").write_bytes(b"")
    handed: list[list[Path]] = []
    watcher = _watcher(tmp_path, folder, handed)
    watcher._look_at_folders()
    (folder / "new.mp4").write_bytes(b"n")
    watcher._look_at_folders()
    watcher._look_at_folders()
    assert handed == [[folder / "new.mp4"]]


def test_a_folder_slow_to_glob_is_looked_at_less_often(tmp_path):
    """A loop's folder of thousands of films on a slow stick took the watcher a sixth of a
    second or more to glob, every second, beside the render thread. Its looks are spaced so
    globbing takes at most FOLDER_LOOK_SHARE of the time; a quick folder is looked at each beat."""
    from installation.runtime.watch import FOLDER_LOOK_SHARE

    now = [100.0]
    globs = []

    def slow_glob() -> list[Path]:
        globs.append(now[0])
        now[0] += 0.2  # the glob's own time
        return []

    watcher = ShowWatcher(tmp_path, post=lambda command: None, clock=lambda: now[0])
    watcher.matched = slow_glob
    for _ in range(20):  # twenty beats a second apart
        watcher._look_at_folders()
        now[0] += 1.0
    assert len(globs) == 5, globs  # one in 0.2 / FOLDER_LOOK_SHARE = 4 s
    assert sum(0.2 for _ in globs) / (now[0] - 100.0) <= FOLDER_LOOK_SHARE
    quick = ShowWatcher(tmp_path, post=lambda command: None, clock=lambda: now[0])
    quick.matched = lambda: globs.append(now[0]) or []
    for _ in range(10):
        quick._look_at_folders()
        now[0] += 1.0
    assert len(globs) == 15


def _said_of_new_films(tmp_path: Path, caplog, copying: bool) -> str:
    """The watcher's log line when a film is put in a loop's folder on a stick."""
    import logging
    from types import SimpleNamespace

    from installation.media import staging
    from installation.runtime.films_ahead import FilmsAhead

    folder = tmp_path / "films"
    folder.mkdir()
    (folder / "a.mp4").write_bytes(b"a" * 100)
    cache = FilmCache(tmp_path / "cache", 10**6, elsewhere=lambda path: True) if copying else None
    staging.use(cache)
    try:
        ahead = FilmsAhead(SimpleNamespace(scenes={}), tmp_path / "cache")
        watcher = _watcher(tmp_path, folder, [])
        watcher.films_added = ahead.added
        watcher._look_at_folders()
        (folder / "b.mp4").write_bytes(b"b" * 100)
        with caplog.at_level(logging.INFO, logger="bayard.runtime"):
            watcher._look_at_folders()
            watcher._look_at_folders()
    finally:
        staging.use(None)
    lines = [r.getMessage() for r in caplog.records if "new in the show's folders" in r.getMessage()]
    assert len(lines) == 1, lines
    return lines[0]


def test_with_film_copying_off_the_log_says_new_films_play_from_the_stick(tmp_path, caplog, monkeypatch):
    """[runtime] film_cache_mb = 0: the log said new films were "copied ahead where on another
    drive", and nothing was copied; the technician looked for copies that were never made."""
    from installation.media import staging

    monkeypatch.setattr(staging, "elsewhere", lambda path: True)  # (the films lie on a stick)
    line = _said_of_new_films(tmp_path, caplog, copying=False)
    assert "b.mp4" in line and "copied ahead" not in line
    assert "played from where they lie: film copying is off ([runtime] film_cache_mb = 0)" in line


def test_with_film_copying_on_the_log_says_new_films_are_copied_ahead(tmp_path, caplog):
    line = _said_of_new_films(tmp_path, caplog, copying=True)
    assert "b.mp4" in line and "copied ahead to the show's disk" in line
