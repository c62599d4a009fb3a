"""A film played from a USB stick (copying off) whose reads stop answering mid-film, with the
real ffmpeg: its decoder process is stopped (SIGSTOP: it sends no more frames, as when its reads
hang in the kernel on a failing stick), a while later let go (SIGCONT: the stick answers). Prints
how long the showing waits before it ends (media/film_reads.py: LOOK_DEADLINE_S), what a second
showing does while the first's reading still hangs, and the threads and ffmpeg processes left
on the stick at each step. Linux only (/proc, signals). A stopped process is not a silent drive:
a second ffmpeg would read the film well, where on a hung stick it would hang too.

    python bench/stick_film_reads.py [--hang-s 12] [--film-s 20]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.media import staging  # noqa: E402
from installation.media.sources import VideoSource  # noqa: E402
from installation.media.testvideo import write_test_video  # noqa: E402

SIZE = (320, 180)


def ffmpeg_children() -> list[int]:
    """ffmpeg processes this one started, not yet ended."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"ffmpeg" in command and fields[0] != "Z":
            found.append(int(pid))
    return found


def film_threads() -> dict[str, int]:
    names = [t.name for t in threading.enumerate() if t.is_alive() and t.name.startswith(("decode", "bayard-film"))]
    return {name: names.count(name) for name in sorted(set(names))}


def play(source: VideoSource, seconds: float, began: float) -> None:
    """Ask for frames as the screen does, `seconds` long or until the showing fails."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and source.error is None:
        source.frame_at(time.monotonic() - began)
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hang-s", type=float, default=12.0, help="how long the stick stays silent")
    parser.add_argument("--film-s", type=float, default=20.0)
    args = parser.parse_args()
    staging.use(None)  # copying off: the film plays from where it lies
    with tempfile.TemporaryDirectory() as folder:
        film = Path(folder) / "film.mp4"
        write_test_video(film, args.film_s, fps=25, size=SIZE)
        began = time.monotonic()
        first = VideoSource(film, SIZE, loop=False).start()
        play(first, 1.0, began)
        stopped = ffmpeg_children()
        for pid in stopped:
            os.kill(pid, signal.SIGSTOP)
        hung = time.monotonic()
        print(f"the stick goes silent after {first.stats.shown} frames shown")
        play(first, args.hang_s, began)
        print(f"the showing waited {time.monotonic() - hung:.1f} s: ended {first.ended}, error: {first.error}")
        first.close()
        second = VideoSource(film, SIZE, loop=False).start()
        asked = time.monotonic()
        second.wait_ready(args.hang_s)
        print(f"a second showing while the stick is silent: {time.monotonic() - asked:.2f} s to "
              f"{'fail: ' + second.error if second.error else 'its first frame'}")
        second.close()
        time.sleep(0.5)
        print(f"left on the silent stick: threads {film_threads()}, ffmpeg processes {len(ffmpeg_children())}")
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
        time.sleep(3.0)
        print(f"3 s after the stick answers: threads {film_threads()}, ffmpeg processes {len(ffmpeg_children())}")
        third = VideoSource(film, SIZE, loop=False).start()
        third.wait_ready(10.0)
        time.sleep(0.5)
        print(f"a showing after: {third.stats.decoded} frames decoded, error: {third.error}")
        third.close()


if __name__ == "__main__":
    main()
