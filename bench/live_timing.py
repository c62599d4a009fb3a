"""The live loop both live benches time: a worker's newest result drawn by a 60 Hz loop.

Used by bench/portrait.py (the mesh backend) and bench/fomm_gpu.py --live (FOMM on a GPU),
so their camera-to-screen figures mean the same thing.
"""

from __future__ import annotations

import time


def draw_live(worker, screen, seconds: float, ready: list[float] | None = None,
              surface_of=None) -> tuple[list[float], int, float]:
    """Run a 60 Hz loop for `seconds` that blits each new live result of `worker` to
    `screen`. Returns (camera-to-screen latencies in seconds, results drawn, seconds run).
    `ready`, if given, gets each result's camera-to-ready time: the worker's part of the
    latency, without the wait for the next display refresh. `surface_of`, if given, turns a
    result into the surface drawn (as a scene would), on the loop's time."""
    import pygame

    latencies: list[float] = []
    results, last = 0, None
    start = next_tick = time.monotonic()
    while time.monotonic() - start < seconds:
        r = worker.latest()
        if r is not None and r is not last and r.camera_t is not None and r.mode == "live":
            last = r
            results += 1
            if surface_of is not None:
                surface = surface_of(r)
            else:
                surface = pygame.image.frombuffer(r.image.tobytes(), r.image.shape[1::-1], "RGB")
            screen.blit(surface, (0, 0))
            pygame.display.flip()
            latencies.append(time.monotonic() - r.camera_t)
            if ready is not None:
                ready.append(r.ready_t - r.camera_t)
        next_tick += 1 / 60
        time.sleep(max(0.0, next_tick - time.monotonic()))
    return latencies, results, time.monotonic() - start
