"""What a showing of a film already copied off a USB stick waits for: the look that reads
the film's first and last MiB off the stick (media/film_room.py, edges_digest) before the
copy is found, on a stick read through a throttle (MB/s and a latency per read call), and,
for comparison, the same look with the page cache warm (the film's edges read a moment
before, the usual case once a film has played) and with no edges read at all (the look
before the edges were part of a copy's name: its size and time only).

    python bench/stick_edges.py [--mb-per-s 8 20 35] [--latency-ms 1] [--film-mb 64] [--looks 5] [--hang-s 8]

Last, a stick going bad: its reads hang `--hang-s` (the kernel's error handling) before they
fail (EIO). Each showing's wait is printed: a copied film's showing waits on the drive at most
film_edges.EDGES_DEADLINE_S, then plays its copy.

The wait is on the film's decoder thread (its picture black until then), never the render
thread's; the copy ahead of a loop's folder reuses the edges of a film whose size, time and
inode stand, so only the showing itself pays it.
"""

from __future__ import annotations

import argparse
import errno
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.media import film_edges, film_room  # noqa: E402
from installation.media.staging import FilmCache  # noqa: E402


class ThrottledFile:
    """A file read as a stick gives it: `rate` bytes a second and `latency` s per read call."""

    def __init__(self, path: Path, rate: float, latency: float) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 (closed by __exit__)
        self._rate, self._latency = rate, latency

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        time.sleep(self._latency + len(data) / self._rate)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def __enter__(self) -> ThrottledFile:
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def look_ms(films: FilmCache, film: Path, looks: int) -> float:
    waits = []
    for _ in range(looks):
        start = time.perf_counter()
        with films.staged(film) as play:
            waits.append((time.perf_counter() - start) * 1000)
            assert play != film, "the film was not found copied"
    return statistics.median(waits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb-per-s", type=float, nargs="+", default=[8.0, 20.0, 35.0])
    parser.add_argument("--latency-ms", type=float, default=1.0)
    parser.add_argument("--film-mb", type=int, default=64)
    parser.add_argument("--looks", type=int, default=5)
    parser.add_argument("--hang-s", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        stick = Path(work) / "stick"
        stick.mkdir()
        film = stick / "film.mp4"
        film.write_bytes(os.urandom(args.film_mb * 2**20))
        films = FilmCache(Path(work) / "cache", limit_bytes=2**40, keep_free_bytes=0, elsewhere=lambda path: True)
        with films.staged(film):  # copied once, as the copy ahead does before the first showing
            pass
        print(f"a {args.film_mb} MiB film, copied; median of {args.looks} showings' looks:")
        print(f"  edges from the page cache: {look_ms(films, film, args.looks):7.1f} ms")
        for rate in args.mb_per_s:
            film_edges.open = lambda path, mode="rb", r=rate: ThrottledFile(path, r * 1e6, args.latency_ms / 1000)
            try:
                print(f"  edges off a stick at {rate:4.0f} MB/s: {look_ms(films, film, args.looks):7.1f} ms")
            finally:
                del film_edges.open
        real = film_room.edges_digest
        film_room.edges_digest = lambda path, size: "none"  # (size and time alone name the copy)
        try:
            films._edges.clear()
            with films.staged(film):  # (its copy under the name without edges)
                pass
            print(f"  no edges (size and time only): {look_ms(films, film, args.looks):7.1f} ms")
        finally:
            film_room.edges_digest = real
        hung_stick(films, film, args.hang_s, args.looks)


def hung_stick(films: FilmCache, film: Path, hang_s: float, looks: int) -> None:
    """Each showing's wait while every read of the stick hangs `hang_s`, then fails (EIO)."""
    real = film_room.edges_digest

    def hung(path: Path, size: int) -> str:
        time.sleep(hang_s)
        raise OSError(errno.EIO, "Input/output error")

    film_room.edges_digest = hung
    try:
        waits = []
        for _ in range(looks):
            start = time.perf_counter()
            with films.staged(film) as play:
                waits.append(time.perf_counter() - start)
                assert play != film, "the film played from the failing stick"
        print(f"  a stick hung {hang_s:.0f} s in each read, showings in a row: "
              + ", ".join(f"{wait:.1f}" for wait in waits) + " s")
    finally:
        film_room.edges_digest = real


if __name__ == "__main__":
    main()
