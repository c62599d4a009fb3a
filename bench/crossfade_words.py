"""Scene changes of the default show: what a crossfade costs a frame, and whether two
scenes' words show at once. The plain crossfade (words blended with their pictures, as
before words had a curve of their own) and the show's crossfade are drawn on the same
frames, one after the other, in one run.

    .venv/bin/python bench/crossfade_words.py                   # 1920x1080
    .venv/bin/python bench/crossfade_words.py --size 1080x1920 --reps 5

Walks the show with a stepped clock (frames of 0.1 s between changes, 1/40 s during them)
and, on every frame of every change, draws the frame with each crossfade `--reps` times,
alternating which goes first. Prints per change: the median ms per transition frame of
each and their ratio, and "both words": on the worst frame, how much the fainter of the
two scenes' words showed (their opacity times their picture's share of the blend; 0: never
both at once; before words had their own curve the loop's body and the portrait's words
were each half there, 0.50). Faults are failures: the run stops at the first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from installation.clock import FakeClock  # noqa: E402
from installation.config.loader import load_show  # noqa: E402
from installation.engine import Engine, init_pygame  # noqa: E402
from installation.render import without_live_camera  # noqa: E402
from installation.scenes.style import smoothstep  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
STEP_S = 0.1  # between changes (the engine's largest step)
CHANGE_STEP_S = 1 / 40  # during them


def plain_crossfade(sequencer, surface: pygame.Surface) -> None:
    """The crossfade as it was drawn before words had a curve of their own: both scenes as
    they draw themselves, the incoming one blended over the outgoing (the baseline)."""
    out, current = sequencer.outgoing, sequencer.current
    sequencer._guarded(out.scene_id, "draw", lambda: out.scene.draw(surface), slot=out)
    incoming = sequencer._buffer(1, surface.get_size())
    ok = sequencer._guarded(current.scene_id, "draw", lambda: (current.scene.draw(incoming), True)[1], False,
                            current)
    if ok:
        alpha = round(smoothstep(sequencer.transition_progress()) * 255)
        incoming.set_alpha(alpha if alpha < 255 else None)
        surface.blit(incoming, (0, 0))
        incoming.set_alpha(None)


def both_words(engine: Engine, draw) -> float:
    """How much the fainter of the two scenes' words shows on the frame `draw` makes."""
    log, sequencer = engine.fonts.log, engine.sequencer
    log.recording = True
    log.begin_frame()
    draw(engine.frame)
    log.recording = False
    share = smoothstep(sequencer.transition_progress())
    boxes = [box for box in log.boxes if box.tier != "operator"]
    leaving = max((box.alpha for box in boxes if box.target == id(engine.frame)), default=0.0) * (1 - share)
    coming = max((box.alpha for box in boxes if box.target != id(engine.frame)), default=0.0) * share
    return min(leaving, coming)


def timed(draw, surface: pygame.Surface) -> float:
    start = time.perf_counter()
    draw(surface)
    return (time.perf_counter() - start) * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default=str(REPO / "install.toml"))
    parser.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    parser.add_argument("--reps", type=int, default=3, help="draws of each crossfade per frame")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.lower().split("x"))

    init_pygame(headless=True)
    # The quiz keeps answers and verdicts in the show's state folder: a bench's go in a
    # temporary one, never a kiosk's (or the checkout's) var/.
    state = tempfile.TemporaryDirectory(prefix="bayard-crossfade-")
    show = load_show(args.show, folders={"state": state.name})
    show.set_display(size=size)
    without_live_camera(show)
    clock = FakeClock()
    engine = Engine(show, clock, synchronous_prepare=True, raise_faults=True)
    sequencer = engine.sequencer
    kinds = {"plain": lambda surface: plain_crossfade(sequencer, surface), "words apart": sequencer.draw}
    print(f"bench/crossfade_words.py  {size[0]}x{size[1]}  {args.reps} draws of each per frame, "
          f"{os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}")
    print(f"{'change':<22}{'frames':>7}{'plain ms':>10}{'apart ms':>10}{'ratio':>7}"
          f"{'both words plain':>18}{'apart':>7}")
    totals: dict[str, list[float]] = {kind: [] for kind in kinds}
    engine.step()
    try:
        for _ in range(len(show.playlist)):
            while not sequencer.in_transition:
                clock.advance(STEP_S)
                engine.step()
            change = f"{sequencer.outgoing.scene_id} > {sequencer.current.scene_id}"
            times: dict[str, list[float]] = {kind: [] for kind in kinds}
            worst = dict.fromkeys(kinds, 0.0)
            frames = 0
            while sequencer.in_transition:
                frames += 1
                for kind, draw in kinds.items():
                    worst[kind] = max(worst[kind], both_words(engine, draw))
                order = list(kinds.items())
                for rep in range(args.reps):
                    for kind, draw in order if rep % 2 == 0 else order[::-1]:
                        times[kind].append(timed(draw, engine.frame))
                clock.advance(CHANGE_STEP_S)
                engine.step()
            plain, apart = (statistics.median(times[kind]) for kind in kinds)
            for kind in kinds:
                totals[kind] += times[kind]
            print(f"{change:<22}{frames:>7}{plain:>10.1f}{apart:>10.1f}{apart / plain:>7.2f}"
                  f"{worst['plain']:>18.2f}{worst['words apart']:>7.2f}", flush=True)
    finally:
        engine.shutdown()
        state.cleanup()
    plain, apart = (statistics.median(totals[kind]) for kind in kinds)
    print(f"{'all changes':<22}{'':>7}{plain:>10.1f}{apart:>10.1f}{apart / plain:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
