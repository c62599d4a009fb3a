"""Soak: a day of show time on an accelerated clock, with visitors, a technician and an artist.

    python bench/soak.py                      # 24 h of show time, 100 scene-file edits
    python bench/soak.py --hours 2 --edits 10 # a quick look (memory and open files not judged)

Plays a small show headless through the engine harness with a FakeClock, at a low
simulated frame rate so a day takes minutes. Along the way: random touches, random
technician commands (next, prev, goto, pause/resume, blackout on/off, status, opening
hours overrides), 100 scene-file edits of which half are invalid (half-saved TOML,
unknown keys, wrong types, a deleted and a renamed file), and opening hours that close
the show at night. Every frame is checked. Each edit is judged by the show's own loader as
the files then stand: an edit meant to be invalid that loads cleanly counts as valid (said
in the report), so an invalid edit the show did not report is the show's fault, never the bench's.

Prints: crashes (exceptions escaping a frame), the longest frame in real time (the render
thread held: the show's clock, simulated, cannot see it), faults the scenes' fault boundary caught
(any fails the soak: a swallowed fault once hid a scene failing on every exit), black frames while neither blackout nor
closed hours asked for black, resident memory growth after warm-up, open file
descriptors, and how many reloads were taken or refused.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import re
import shutil
import sys
import tempfile
import textwrap
import time
import traceback
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from installation.commands import Command  # noqa: E402
from installation.config.errors import ShowError  # noqa: E402
from installation.config.loader import load_show  # noqa: E402
from installation.faults import FaultRecorder  # noqa: E402
from installation.harness import run_test  # noqa: E402
from installation.runtime.attach import attach  # noqa: E402
from installation.runtime.metrics import open_fds, rss_bytes  # noqa: E402
from installation.runtime.service import RuntimeConfig  # noqa: E402

# Open 14 h a day, starting the run half an hour before opening: a day of mostly show,
# with the evening closing, the night and the morning opening all crossed once.
OPEN_HOURS = "08:00-22:00"
START_LOCAL = (7, 30)
BLACK_LEVEL = 8  # a frame whose brightest pixel is below this reads as black on a screen
WARM_UP_H = 2.0
# Growth of memory and open files is judged on quarters of the samples after warm-up (one
# each 10 show minutes), at least this many a quarter: a 2 h look has none after its warm-up,
# and judged on all its samples it compared the show loading its models (89 MB) with the
# steady show (354 MB) and failed for a leak it did not have.
GROWTH_SAMPLES_PER_QUARTER = 4

SHOW = """
[show]
title = "Soak"
playlist = ["intro", "drowned", "faces", "quote", "portrait", "quiz", "credits", "missing"]

[display]
size = [320, 180]
fullscreen = false

[camera]
file = "no-camera-here.mp4"

[transitions]
default = {{ kind = "crossfade", duration = 1.0 }}

[hours]
enabled = true
timezone = "Europe/Paris"
{days}
"""


def title(scene_id: str, heading: str, background: str, duration: float = 20) -> str:
    return textwrap.dedent(f"""
        type = "title"
        id = "{scene_id}"
        heading = "{heading}"
        subheading = "a soak test"
        background = "{background}"
        duration = {duration}
        """).lstrip()


def photograph(scene_id: str, image: str) -> str:
    return textwrap.dedent(f"""
        type = "photograph"
        id = "{scene_id}"
        duration = 25
        image = "{image}"
        """).lstrip()


def write_show(root: Path) -> Path:
    (root / "scenes").mkdir(parents=True)
    (root / "content").mkdir()
    days = "\n".join(f'{d} = ["{OPEN_HOURS}"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    (root / "install.toml").write_text(SHOW.format(days=days))
    (root / "scenes/intro.toml").write_text(title("intro", "Bayard", "#302418"))
    (root / "scenes/quote.toml").write_text(title("quote", "Staged, synthetic, real", "#18202c"))
    (root / "scenes/credits.toml").write_text(title("credits", "Credits", "#202020", 15))
    (root / "scenes/drowned.toml").write_text(photograph("drowned", "bayard/drowned-man.jpg"))  # not installed
    (root / "scenes/missing.toml").write_text(title("missing", "Last", "#283018"))
    # Every other scene kind of the default exhibition, with the media the project ships:
    # a film decoded ahead, the quiz with its detector, the portrait with no camera.
    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(repo / "content" / "quiz", root / "content" / "quiz")
    (root / "content" / "loop").mkdir()
    shutil.copy(repo / "content" / "loop" / "faces.mp4", root / "content" / "loop" / "faces.mp4")
    (root / "models" / "detector").mkdir(parents=True)
    shutil.copy(repo / "models" / "detector" / "spectral.npz", root / "models" / "detector" / "spectral.npz")
    (root / "scenes/faces.toml").write_text(textwrap.dedent("""
        type = "loop"
        id = "faces"
        duration = 30
        folder = "loop/*.mp4"
        """).lstrip())
    (root / "scenes/portrait.toml").write_text('type = "portrait"\nid = "portrait"\nduration = 25\n')
    (root / "scenes/quiz.toml").write_text(textwrap.dedent("""
        type = "quiz"
        id = "quiz"
        manifest = "quiz/manifest.toml"
        questions = 3
        duration = 30
        """).lstrip())
    return root / "install.toml"


# -- the artist's edits: half valid, half not ---------------------------------------
def valid_edit(scenes: Path, rng: random.Random, n: int) -> str:
    scene = rng.choice(["intro", "quote", "credits"])
    colour = f"#{rng.randrange(0x20, 0x60):02x}{rng.randrange(0x20, 0x60):02x}{rng.randrange(0x20, 0x60):02x}"
    (scenes / f"{scene}.toml").write_text(title(scene, f"Edit {n}", colour, rng.choice([8, 15, 30])))
    for name, text in (("missing", title("missing", "Last", "#283018")),):
        if not (scenes / f"{name}.toml").exists():
            (scenes / f"{name}.toml").write_text(text)  # restore a deleted file
    return f"valid: {scene}"


def half_saved(text: str, rng: random.Random) -> str:
    """`text` cut inside one of its quoted values, as an editor's save stopped mid-write leaves
    it: an unclosed string, which no TOML reader takes. A cut anywhere could fall between two
    lines (right after `heading = "Half 2"`) and leave a whole title scene that loads cleanly,
    which the show rightly did not report and the bench counted as an invalid edit unreported."""
    start, end = rng.choice([m.span(1) for m in re.finditer(r'"([^"\n]*)"', text)])
    return text[: rng.randrange(start, end + 1)]


def loader_errors(show: Path) -> list[str]:
    """What the show's own loader finds wrong in the show as its files stand now (none: the
    show has nothing to report)."""
    try:
        return [str(problem) for problem in load_show(show).errors]
    except ShowError as exc:  # install.toml itself unreadable
        return [str(problem) for problem in exc.problems]


def invalid_edit(scenes: Path, rng: random.Random, n: int) -> str:
    kind = rng.choice(["half", "unknown-key", "wrong-type", "delete", "rename", "garbage"])
    target = scenes / "quote.toml"
    if kind == "half":
        target.write_text(half_saved(title("quote", f"Half {n}", "#18202c"), rng))
    elif kind == "unknown-key":
        target.write_text(title("quote", "Typo", "#18202c") + "headng = 'x'\n")
    elif kind == "wrong-type":
        target.write_text(title("quote", "Bad", "#18202c").replace("duration = 20", 'duration = "long"'))
    elif kind == "delete":
        (scenes / "missing.toml").unlink(missing_ok=True)
    elif kind == "rename":
        if (scenes / "missing.toml").exists():
            (scenes / "missing.toml").rename(scenes / "missing.toml.bak")
    else:
        target.write_bytes(bytes(rng.randrange(256) for _ in range(64)))
    return f"invalid: {kind}"


def restore(scenes: Path) -> None:
    """After an invalid edit, the artist fixes it some time later."""
    (scenes / "quote.toml").write_text(title("quote", "Staged, synthetic, real", "#18202c"))
    backup = scenes / "missing.toml.bak"
    if backup.exists():
        backup.rename(scenes / "missing.toml")
    if not (scenes / "missing.toml").exists():
        (scenes / "missing.toml").write_text(title("missing", "Last", "#283018"))


# -- the run ----------------------------------------------------------------------
def soak(hours: float = 24.0, fps: float = 4.0, edits: int = 100, seed: int = 1,
         folder: Path | None = None, progress: bool = False) -> dict:
    rng = random.Random(seed)
    own = folder is None
    root = Path(tempfile.mkdtemp(prefix="bayard-soak-")) if own else folder
    logging.getLogger().setLevel(logging.WARNING)
    show = write_show(root)
    scenes = root / "scenes"
    env = {"STATE_DIRECTORY": str(root / "state"), "LOGS_DIRECTORY": str(root / "logs")}
    frames_total = int(hours * 3600 * fps)
    edit_frames = sorted(rng.sample(range(int(frames_total * 0.02), frames_total), edits)) if edits else []
    result = {"hours": hours, "fps": fps, "frames": 0, "crashes": 0, "black_frames": 0, "dark_frames": 0,
              "edits_valid": 0, "edits_invalid": 0, "invalid_edits_reported": 0, "invalid_kinds": [],
              "unreported_kinds": [], "meant_invalid_loaded": [],
              "touches": 0, "commands": 0,
              "crash_examples": [], "black_examples": [], "longest_frame_s": 0.0, "longest_frame_at": ""}
    rss: list[tuple[float, int]] = []
    fds: list[tuple[float, int]] = []
    started = time.monotonic()
    pending_fix: int | None = None
    with FaultRecorder() as recorder, run_test(show, fps=fps, raise_faults=False) as pilot:
        runtime = attach(pilot.engine, env=env, config=RuntimeConfig(watch=False))
        runtime.display = None  # no DPMS here: closed hours draw the dark clock screen
        # The harness clock starts at 2026-01-01 00:00 UTC (01:00 in Paris); move to the start time.
        pilot.clock.jump_wall(((START_LOCAL[0] - 1) * 60 + START_LOCAL[1]) * 60)
        engine = pilot.engine
        reload_problems = [0]  # every refused or partly refused reload is pushed as an error event

        def listen(event, args):
            if event == "error" and args and args[0] == "reload":
                reload_problems[0] += 1

        engine.listeners.append(listen)
        harness_s = [0.0]  # real time the harness spent preparing scenes in this frame (see below)

        def timed(work):
            def run(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return work(*args, **kwargs)
                finally:
                    harness_s[0] += time.perf_counter() - started
            return run

        readying = engine.sequencer.readying
        readying.begin, readying.ready = timed(readying.begin), timed(readying.ready)
        problems_at_edit: int | None = None
        edit_index = 0
        blackout_until = None
        for frame_no in range(frames_total):
            show_h = frame_no / fps / 3600
            # Visitors: a touch every ~20 s on average.
            if rng.random() < 1 / (20 * fps):
                engine.post(Command("tap", pos=(rng.uniform(0, 320), rng.uniform(0, 180)), source="touch"))
                result["touches"] += 1
            # The technician: a command every ~3 min on average.
            if rng.random() < 1 / (180 * fps):
                result["commands"] += 1
                name = rng.choice(["next", "prev", "goto", "pause", "status", "blackout", "hours", "screenshot"])
                if name == "goto":
                    engine.post(Command("goto", (rng.choice(["intro", "quote", "nope", 2, 99]),), source="osc"))
                elif name == "pause":
                    engine.post(Command("pause", source="osc"))
                    engine.post(Command("resume", source="osc"))
                elif name == "blackout":
                    engine.post(Command("blackout", (1,), source="osc"))
                    blackout_until = frame_no + int(rng.uniform(5, 60) * fps)
                elif name == "hours":
                    engine.post(Command("hours", (rng.choice(["open", "closed", "auto"]),), source="osc"))
                elif name == "screenshot":
                    pass  # writes files; left out so the fd/disk figures measure the show itself
                else:
                    engine.post(Command(name, source="osc"))
            if blackout_until is not None and frame_no >= blackout_until:
                engine.post(Command("blackout", (0,), source="osc"))
                blackout_until = None
            # The artist.
            if edit_index < len(edit_frames) and frame_no == edit_frames[edit_index]:
                if problems_at_edit is not None:
                    if reload_problems[0] > problems_at_edit:
                        result["invalid_edits_reported"] += 1
                    else:
                        result["unreported_kinds"].append(f"{result['invalid_kinds'][-1]} at {show_h:.2f} h")
                problems_at_edit = None
                edit_index += 1
                if pending_fix is not None:
                    restore(scenes)
                    pending_fix = None
                made = valid_edit(scenes, rng, edit_index) if edit_index % 2 else invalid_edit(scenes, rng, edit_index)
                # Valid or not as the show's own loader reads the files now, not as the edit was meant.
                if loader_errors(show):
                    result["invalid_kinds"].append(made)
                    result["edits_invalid"] += 1
                    problems_at_edit = reload_problems[0]
                    pending_fix = edit_index
                else:
                    result["edits_valid"] += 1
                    if made.startswith("invalid"):
                        result["meant_invalid_loaded"].append(f"{made} at {show_h:.2f} h")
                        pending_fix = edit_index
                engine.post(Command("reload", source="watch"))
            try:
                pilot.clock.advance(1.0 / fps)
                before = pilot.scene_id
                harness_s[0] = 0.0
                step_started = time.perf_counter()
                surface = engine.step()
                # The show's clock is simulated, so a frame that held the render thread (a join
                # on a device thread at a scene's exit, a read off a stick) is seen only in real
                # time; less the preparing the harness does in the frame, which a live show does
                # on its worker.
                step_s = time.perf_counter() - step_started - harness_s[0]
                if step_s > result["longest_frame_s"]:
                    result["longest_frame_s"] = step_s
                    result["longest_frame_at"] = f"{show_h:.2f} h, {before} -> {pilot.scene_id}"
            except Exception as exc:  # a crash: count it and keep soaking
                result["crashes"] += 1
                if len(result["crash_examples"]) < 3:
                    result["crash_examples"].append("".join(traceback.format_exception(exc))[-600:])
                continue
            result["frames"] += 1
            if engine.dark_reason or engine.blackout:
                result["dark_frames"] += 1
            elif int(pygame.surfarray.pixels3d(surface).max()) < BLACK_LEVEL:
                result["black_frames"] += 1
                if len(result["black_examples"]) < 5:
                    result["black_examples"].append(
                        f"{show_h:.2f} h scene={pilot.scene_id} transition={engine.sequencer.in_transition}")
            if frame_no % int(600 * fps) == 0:
                rss.append((show_h, rss_bytes() or 0))
                fds.append((show_h, open_fds() or 0))
                if progress:
                    print(f"  {show_h:5.1f} h  rss {rss[-1][1] / 2**20:6.1f} MB  fds {fds[-1][1]}  "
                          f"frames {result['frames']}", file=sys.stderr)
        if problems_at_edit is not None:
            if reload_problems[0] > problems_at_edit:
                result["invalid_edits_reported"] += 1
            else:
                result["unreported_kinds"].append(f"{result['invalid_kinds'][-1]} at the end")
        result["reload_problems"] = reload_problems[0]
        result["errors_logged"] = runtime.health.errors
        runtime.stop()
    result["faults"] = len(recorder.faults)
    result["fault_summary"] = recorder.summary()
    # Memory swings with what is on screen (crossfade buffers, a prepared next scene), so
    # growth compares the peak of the first quarter after warm-up with the last quarter's.
    after = [v for h, v in rss if h >= WARM_UP_H] or [v for _, v in rss]
    result["growth_judged"] = sum(h >= WARM_UP_H for h, _ in rss) >= 4 * GROWTH_SAMPLES_PER_QUARTER
    quarter = max(1, len(after) // 4)
    first_peak, last_peak = max(after[:quarter]), max(after[-quarter:])
    fd_after = [v for h, v in fds if h >= WARM_UP_H] or [v for _, v in fds]
    result["rss_after_warmup_mb"] = round(first_peak / 2**20, 1)
    result["rss_end_mb"] = round(last_peak / 2**20, 1)
    result["rss_max_mb"] = round(max(after) / 2**20, 1)
    result["rss_peak_growth_pct"] = round(100 * (last_peak - first_peak) / first_peak, 2)
    # A leak raises the typical size, not just the odd peak: a transient ~40 MB peak
    # (seen once or twice a day, gone by the next sample) made peak comparisons swing
    # between +2% and +28% on two runs whose samples otherwise stayed at 127-136 MB.
    first_median = float(np.median(after[:quarter]))
    last_median = float(np.median(after[-quarter:]))
    result["rss_median_first_mb"] = round(first_median / 2**20, 1)
    result["rss_median_last_mb"] = round(last_median / 2**20, 1)
    result["rss_growth_pct"] = round(100 * (last_median - first_median) / first_median, 2)
    # Memory sits on two levels by the scene held (about 336 and 356 MB in the default show),
    # so a quarter's median is whichever level held more of its samples: +5.1% on a run whose
    # lower and upper levels each moved under 1%. A leak lifts both levels, so each is
    # compared on its own: the 10th and the 90th percentile, first quarter against last.
    for name, q in (("low", 10), ("high", 90)):
        first_level = float(np.percentile(after[:quarter], q))
        last_level = float(np.percentile(after[-quarter:], q))
        result[f"rss_{name}_first_mb"] = round(first_level / 2**20, 1)
        result[f"rss_{name}_last_mb"] = round(last_level / 2**20, 1)
        result[f"rss_{name}_growth_pct"] = round(100 * (last_level - first_level) / first_level, 2)
    result["rss_samples_mb"] = [round(v / 2**20) for _, v in rss]
    result["fds_after_warmup"] = fd_after[0]
    result["fds_end"] = fd_after[-1]
    result["fds_max"] = max(fd_after)
    # Open files vary with the scene on screen (a film decoder's pipes, a camera), so a
    # single sample says little; like memory, compare the peaks of the first and last
    # quarters after warm-up. A leak raises the last quarter's peak.
    fd_quarter = max(1, len(fd_after) // 4)
    result["fds_first_quarter_peak"] = max(fd_after[:fd_quarter])
    result["fds_last_quarter_peak"] = max(fd_after[-fd_quarter:])
    result["fds_median_first"] = float(np.median(fd_after[:fd_quarter]))
    result["fds_median_last"] = float(np.median(fd_after[-fd_quarter:]))
    result["fd_samples"] = [v for _, v in fds]
    result["wall_s"] = round(time.monotonic() - started, 1)
    if own:
        shutil.rmtree(root, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=24.0, help="show time to play")
    parser.add_argument("--fps", type=float, default=4.0, help="simulated frames per show second")
    parser.add_argument("--edits", type=int, default=100, help="scene-file edits (half invalid)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--progress", action="store_true", help="print memory and fds every 10 show minutes")
    args = parser.parse_args()
    r = soak(args.hours, args.fps, args.edits, args.seed, progress=args.progress)
    print(f"show time           {r['hours']:.1f} h at {r['fps']:g} fps simulated ({r['frames']} frames, "
          f"{r['wall_s']:.0f} s wall)")
    print(f"crashes             {r['crashes']}")
    print(f"faults recorded     {r['faults']} (must be 0)")
    if r["faults"]:
        print("  " + r["fault_summary"].replace("\n", "\n  "))
    print(f"black frames        {r['black_frames']} "
          f"(outside blackout/closed; {r['dark_frames']} dark frames asked for)")
    print(f"edits               {r['edits_valid']} valid, {r['edits_invalid']} invalid, of which "
          f"{r['invalid_edits_reported']} were reported ({r['reload_problems']} problem lines pushed)")
    if r["meant_invalid_loaded"]:
        print(f"                    counted valid: {len(r['meant_invalid_loaded'])} edits meant invalid loaded "
              f"cleanly in the show's own loader ({', '.join(r['meant_invalid_loaded'])})")
    unreported = r["edits_invalid"] - r["invalid_edits_reported"]
    if unreported:
        print(f"                    not reported: {unreported} ({', '.join(r['unreported_kinds'])})")
    print(f"visitors/technician {r['touches']} touches, {r['commands']} commands")
    print(f"longest frame       {r['longest_frame_s'] * 1000:.0f} ms of real time on the render thread, less "
          f"the harness's preparing ({r['longest_frame_at']})")
    print(f"resident memory     median {r['rss_median_first_mb']} MB in the first quarter after {WARM_UP_H:g} h "
          f"warm-up -> {r['rss_median_last_mb']} MB in the last quarter ({r['rss_growth_pct']:+.2f}%); "
          f"peaks {r['rss_after_warmup_mb']} -> {r['rss_end_mb']} MB ({r['rss_peak_growth_pct']:+.2f}%), "
          f"max {r['rss_max_mb']} MB")
    print(f"memory levels       lower (10th percentile) {r['rss_low_first_mb']} -> {r['rss_low_last_mb']} MB "
          f"({r['rss_low_growth_pct']:+.2f}%), upper (90th) {r['rss_high_first_mb']} -> {r['rss_high_last_mb']} MB "
          f"({r['rss_high_growth_pct']:+.2f}%)")
    print(f"file descriptors    {r['fds_after_warmup']} after warm-up -> {r['fds_end']} at the end "
          f"(max {r['fds_max']}); "
          f"peak {r['fds_first_quarter_peak']} in the first quarter -> {r['fds_last_quarter_peak']} in the last")
    print(f"fd samples (every 10 show minutes): {r['fd_samples']}")
    print(f"memory samples (MB, every 10 show minutes): {r['rss_samples_mb']}")
    for example in r["crash_examples"] + r["black_examples"]:
        print("  example:", example)
    growth_ok = (r["rss_low_growth_pct"] <= 5 and r["rss_high_growth_pct"] <= 5
                 and r["fds_median_last"] <= r["fds_median_first"])
    if not r["growth_judged"]:
        hours_needed = WARM_UP_H + math.ceil(4 * GROWTH_SAMPLES_PER_QUARTER / 6)  # (six samples an hour)
        print(f"growth              not judged: {r['hours']:g} h leaves too few samples after the {WARM_UP_H:g} h "
              f"warm-up (run --hours {hours_needed:g} or more to judge memory and open files)")
        growth_ok = True
    ok = (r["crashes"] == 0 and r["faults"] == 0 and r["black_frames"] == 0 and growth_ok)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
