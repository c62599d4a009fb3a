"""When each driver frame was shown, so that a portrait film stays in step with its sound.

Phones record at a variable frame rate: in dim light they slow to 15-24 frames a second
for a while. Written one for one at the video's average rate, those frames drift against
the sound: a test clip with 5 s at 30 fps and then 10 fps (average 18.8 fps) put the
mouth 3 s behind the voice halfway through. So the film is written at the driver's usual
rate, each frame showing the driver frame that was on screen at that moment. A steady
driver (nearly all of them) is written one for one, unchanged.
"""

from __future__ import annotations

import numpy as np

# Frame intervals within this share of the usual one count as steady (containers round
# timestamps to their time base).
STEADY_SHARE = 0.25
# Rates a film is made at: a measured rate this close (relative) is taken to be one.
COMMON_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 48.0, 50.0, 59.94, 60.0)
SNAP_SHARE = 0.01


def _snapped(rate: float) -> float:
    nearest = min(COMMON_RATES, key=lambda r: abs(r - rate))
    return nearest if abs(nearest - rate) <= SNAP_SHARE * nearest else round(rate, 3)


def steady_schedule(times_ms: list[float], fps: float) -> tuple[float, list[int]]:
    """The film's rate and, for each of its frames, the driver frame to show.

    `times_ms`: each decoded frame's timestamp (OpenCV's CAP_PROP_POS_MSEC); `fps`: the
    rate the container states. Timestamps that are missing, unordered or already steady
    give `fps` and every frame once, in order."""
    count = len(times_ms)
    identity = (fps, list(range(count)))
    times = np.asarray(times_ms, np.float64) / 1000.0
    if count < 3 or not np.all(np.isfinite(times)):
        return identity
    steps = np.diff(times)
    if np.any(steps <= 0):
        return identity
    usual = float(np.median(steps))
    if np.all(np.abs(steps - usual) <= STEADY_SHARE * usual):
        return identity
    rate = _snapped(1.0 / usual)
    length = times[-1] - times[0] + steps[-1]  # the last frame lasts as long as the one before it
    shown_at = times[0] + np.arange(max(1, int(round(length * rate)))) / rate
    # The frame on screen at each moment: the last one that had appeared by then (a
    # millisecond's grace for timestamps rounded to the container's time base).
    on_screen = np.searchsorted(times, shown_at + 1e-3, side="right") - 1
    return rate, np.clip(on_screen, 0, count - 1).tolist()
