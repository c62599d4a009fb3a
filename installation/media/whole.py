"""Is a film all there? A copy or a download that stopped early leaves a file whose start
plays: its first frame decodes, and in a "faststart" MP4 (the index at the front, as web
and editing tools write it) the index still promises the whole length. Such a file was
pinned by `bayard assets fetch --pin` and passed `bayard check`, and the film then stopped
(or froze) part-way through, in front of visitors.

`cut_short` reads every packet the container promises without decoding any (ffmpeg's
stream copy into its null muxer: a few hundred MB a second, bound by the disk), and
compares how far the data goes with the length the container declares.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

# How far short of the declared length the last packet may start in a whole file: one
# frame at least (out_time is the last packet's start), more with an audio track that ends
# a little before or after the picture.
SLACK_S = 1.0
# A film on a slow card reads at some 20 MB/s: a long one may take a minute.
READ_TIMEOUT_S = 300.0
# What ffmpeg's MP4/MOV demuxer says when a packet the index lists lies past the file's end.
PARTIAL = "partial file"
# The input's first timestamp, from ffmpeg's banner ("Duration: 00:00:40.00, start: 30.000000").
START = re.compile(r"Duration: [^,]*, start: (-?\d+(?:\.\d+)?)")
# The fix, in the words `bayard assets` and the playing show use: `check` named the fault
# without it.
COPY_AGAIN = "copy it again, whole"


def cut_short(path: Path, declared_s: float | None) -> str | None:
    """None when the file holds all the container promises (or it cannot be told); else a
    phrase saying how much is missing, to follow the file's name."""
    import imageio_ffmpeg

    # At "info" for the banner's start time (errors, "partial file" among them, are said as well).
    argv = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-v", "info", "-i", str(path),
            "-map", "0", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=READ_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        return None  # not knowing is not a finding: the first-frame check has passed
    reached = None
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            reached = int(value) / 1e6
    partial = PARTIAL in done.stderr
    # out_time counts from the film's first timestamp; some containers (Matroska, WebM) count
    # their declared length from zero, before it: a whole MKV starting at 30 s "lasts 40 s"
    # and its data "stopped at 10 s". Whole either way, whichever the container meant.
    start = START.search(done.stderr)
    offset = max(0.0, float(start.group(1))) if start else 0.0
    short = (declared_s is not None and reached is not None
             and reached + offset < declared_s - SLACK_S)
    if not partial and not short:
        return None
    if short:  # (a partial file may still reach its length in one stream: a MOV's timecode)
        return (f"is cut short: it should last {declared_s:.1f} s, but its data stops at {reached:.1f} s "
                f"(a copy or a download that stopped early): {COPY_AGAIN}")
    return f"is cut short: the end of its data is missing (a copy or a download that stopped early): {COPY_AGAIN}"
