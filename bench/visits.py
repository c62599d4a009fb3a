"""Visits: the portrait scene meeting visitor after visitor, as a gallery's day brings them.

    python bench/visits.py                 # 24 visitors
    python bench/visits.py --visitors 60   # a longer look

The soak plays the portrait with no camera, so it never sees a visit; the second visit
of a scene's stay once went "live" on an uncalibrated, idling portrait while every test
and the soak passed. Here the scene runs headless with the shared face videos standing
in for the camera (three different people), and each visitor does one of the things
visitors do: stays for a whole visit, walks past, leaves during the card, the framing
or the countdown, steps out and straight back, gives way to the next visitor within a
moment, or the camera is unplugged under them.

Prints, and exits 1 unless all hold:
- every visitor who stayed through the countdown was calibrated (the worker animates
  them live) and the portrait moved with them;
- every visitor who left was let go (attract, nobody in view, within the leave time and
  two seconds);
- every visitor who stepped straight in after another (away over a second, within the
  scene's leave time) was measured afresh, not read through the last one's calibration;
- no fault was caught by a fault boundary (scene or animator worker), nothing crashed;
- resident memory and open files after the last visitor are those after the first few.

Needs ../shared/data (the driver videos); exits 0 with a note when it is absent.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from installation.faults import FaultRecorder  # noqa: E402
from installation.harness import run_test  # noqa: E402
from installation.inputs.camera import Frame  # noqa: E402
from installation.inputs.capture import fitted  # noqa: E402
from installation.runtime.metrics import open_fds, rss_bytes  # noqa: E402
from installation.scenes.portrait import LEAVE_S  # noqa: E402
from installation.scenes.portrait_record import SYNTHETIC_NOTE  # noqa: E402

SHARED = Path(os.environ.get("BAYARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
DRIVERS = ("driver-expressions-12s.mp4", "driver-faces-34s.mp4", "driver-smile-3s.mp4")
FPS = 10.0  # show frames a second; the camera gives one new frame per show frame
FRAME_SIZE = (480, 360)
FRAMES_PER_PERSON = 150
RECORDING_CAP_MB = 0.3
DISCLOSURE = SYNTHETIC_NOTE.encode()[:40]  # as written into each clip's metadata
BEHAVIOURS = ("whole visit", "walks past", "leaves at the card", "leaves while framing",
              "leaves in the countdown", "steps out and back", "next one steps in", "camera unplugged")


class Visitors:
    """The camera service: the current visitor's video, an empty room, or nothing at all
    (unplugged). One new frame per look, in lock-step with the show's clock."""

    def __init__(self, people: list[list[np.ndarray]]) -> None:
        self.people = people
        self.room = np.full_like(people[0][0], 96)
        self.person: int | None = None
        self.state = "live"
        self.i = -1
        self._pos = 0

    def latest(self) -> Frame | None:
        if self.state != "live":
            return None
        self.i += 1
        if self.person is None:
            image = self.room
        else:
            frames = self.people[self.person]
            image = frames[self._pos % len(frames)]
            self._pos += 1
        return Frame(image, self.i / FPS, self.i)

    def wait_new(self, after_index, timeout):
        return self.latest()

    def arrive(self, person: int) -> None:
        self.person, self._pos = person, 0

    def leave(self) -> None:
        self.person = None


def load_people() -> list[list[np.ndarray]]:
    people = []
    for name in DRIVERS:
        cap = cv2.VideoCapture(str(SHARED / name))
        frames = []
        while len(frames) < FRAMES_PER_PERSON:
            ok, bgr = cap.read()
            if not ok:
                break
            frames.append(cv2.cvtColor(fitted(bgr, FRAME_SIZE), cv2.COLOR_BGR2RGB))
        cap.release()
        people.append(frames)
    return people


def write_show(folder: Path, recording: bool = False) -> Path:
    (folder / "scenes").mkdir(parents=True)
    (folder / "content").mkdir()
    (folder / "install.toml").write_text(textwrap.dedent(f"""
        [show]
        title = "Visits"
        playlist = ["portrait"]
        content = "content"
        scenes = "scenes"
        state = "state"

        [display]
        size = [640, 360]
        fullscreen = false

        [models]
        folder = "{ROOT / 'models'}"
        """).lstrip())
    if recording:  # a small cap, so the oldest clips are deleted along the way
        with open(folder / "install.toml", "a") as show:
            show.write(f"\n[camera]\nrecording = true\nrecording_max_mb = {RECORDING_CAP_MB}\n")
    (folder / "scenes" / "portrait.toml").write_text(textwrap.dedent("""
        type = "portrait"
        id = "portrait"
        duration = 100000
        card_seconds = 1.0
        countdown = 1
        """).lstrip())
    return folder / "install.toml"


def _moves(frames: list[np.ndarray]) -> bool:
    return any(np.abs(frames[0].astype(int) - f.astype(int)).max() > 30 for f in frames[1:])


def run(visitors: int, seed: int, progress: bool, recording: bool = False) -> dict:
    # The show's own lines are not the bench's report: quiet while it runs, and put back after,
    # as a test runs it in the suite's process (left at ERROR, it hid every later test's warnings).
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        return _visits(visitors, seed, progress, recording)
    finally:
        root.setLevel(level)


def _visits(visitors: int, seed: int, progress: bool, recording: bool) -> dict:
    rng = random.Random(seed)
    people = load_people()
    camera = Visitors(people)
    result = {"visitors": visitors, "behaviours": {}, "live_visits": 0, "calibrated": 0, "moved": 0,
              "let_go": 0, "departures": 0, "crashes": 0, "newcomers": 0, "newcomers_afresh": 0,
              "failures": []}
    rss, fds = [], []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bayard-visits-") as folder, FaultRecorder() as recorder:
        show = write_show(Path(folder), recording)
        with run_test(show, fps=FPS, raise_faults=False,
                      services={"synchronous_models": True, "camera": camera}) as pilot:
            scene = pilot.engine.sequencer.current.scene

            def wait_for(states: tuple[str, ...], seconds: float) -> bool:
                for _ in range(int(seconds * FPS)):
                    pilot.step()
                    if scene.state in states:
                        return True
                return False

            def let_go(seconds: float) -> bool:
                """Back to attract with nobody in view (a walk-by's last look is held for a
                moment, long enough to show the card after they have gone)."""
                for _ in range(int(seconds * FPS)):
                    pilot.step()
                    r = scene.worker.latest() if scene.worker is not None else None
                    face = r.face if r is not None else None
                    if scene.state == "attract" and (face is None or face.state == "none"):
                        return True
                return False

            def frame_array() -> np.ndarray:
                r = scene.worker.latest() if scene.worker is not None else None
                return r.image.copy() if r is not None else np.zeros(1)

            for n in range(visitors):
                # One of each kind first, then at random.
                behaviour = BEHAVIOURS[n] if n < len(BEHAVIOURS) else rng.choice(BEHAVIOURS)
                result["behaviours"][behaviour] = result["behaviours"].get(behaviour, 0) + 1
                person = rng.randrange(len(people))
                pilot.advance(rng.uniform(0.5, 3.0))  # the room is empty for a moment
                camera.arrive(person)
                stop_at = {"walks past": None, "leaves at the card": "card",
                           "leaves while framing": "framing", "leaves in the countdown": "countdown"}
                if behaviour == "walks past":
                    pilot.advance(rng.uniform(0.2, 0.6))
                elif behaviour in stop_at:
                    if not wait_for((stop_at[behaviour],), 8.0):
                        result["failures"].append(
                            f"visitor {n} ({behaviour}): never reached {stop_at[behaviour]}")
                else:
                    if not wait_for(("live",), 12.0):
                        result["failures"].append(f"visitor {n} ({behaviour}): never went live "
                                                  f"(stuck in {scene.state})")
                    else:
                        result["live_visits"] += 1
                        pilot.advance(0.5)
                        if scene.worker.latest().mode == "live":
                            result["calibrated"] += 1
                        else:
                            result["failures"].append(f"visitor {n} ({behaviour}): live on screen, "
                                                      "but the portrait was not calibrated")
                        shots = []
                        for _ in range(6):
                            pilot.advance(rng.uniform(0.3, 0.8))
                            shots.append(frame_array())
                        if _moves(shots):
                            result["moved"] += 1
                        else:
                            result["failures"].append(
                                f"visitor {n} ({behaviour}): the portrait did not move")
                        if behaviour == "steps out and back":
                            camera.leave()
                            pilot.advance(rng.uniform(0.3, LEAVE_S * 0.6))
                            camera.arrive(person)
                            pilot.advance(2.0)
                            if scene.state != "live":
                                result["failures"].append(f"visitor {n}: stepped back in and lost the visit")
                        elif behaviour == "next one steps in":
                            before = scene.worker.animator.returns.recalibrations
                            camera.leave()
                            pilot.advance(rng.uniform(1.2, LEAVE_S * 0.8))
                            camera.arrive((person + 1) % len(people))
                            pilot.advance(4.0)
                            result["newcomers"] += 1
                            if scene.worker.latest().mode != "live":
                                result["failures"].append(
                                    f"visitor {n}: the next visitor met a still portrait")
                            if scene.worker.animator.returns.recalibrations > before:
                                result["newcomers_afresh"] += 1
                            else:
                                result["failures"].append(f"visitor {n}: the next visitor inherited the "
                                                          "last one's calibration")
                        elif behaviour == "camera unplugged":
                            camera.state = "unplugged"
                            pilot.advance(LEAVE_S + 1.0)
                            camera.state = "live"
                # Everyone leaves in the end.
                camera.leave()
                result["departures"] += 1
                if let_go(LEAVE_S + 2.0):
                    result["let_go"] += 1
                else:
                    result["failures"].append(f"visitor {n} ({behaviour}): not let go (still {scene.state})")
                if n % 4 == 3:
                    rss.append(rss_bytes() or 0)
                    fds.append(open_fds() or 0)
                    if progress:
                        print(f"  visitor {n + 1}: rss {rss[-1] / 2**20:.1f} MB, fds {fds[-1]}",
                              file=sys.stderr)
            if recording:
                if scene.recorder is not None:
                    scene.recorder.wait(30.0)  # the last clip is finished on the encoder's thread
                clips = sorted((Path(folder) / "state" / "recordings").glob("visit-*.mp4"))
                result["clips"] = [c.name for c in clips]
                result["clips_mb"] = round(sum(c.stat().st_size for c in clips) / 2**20, 2)
                if not clips:
                    result["failures"].append("recording was on, and no clip was kept")
                unlabelled = [c.name for c in clips if DISCLOSURE not in c.read_bytes()]
                if unlabelled:
                    result["failures"].append(f"clips without the synthetic-media note: {unlabelled}")
    result["faults"] = len(recorder.faults)
    result["fault_summary"] = recorder.summary()
    if len(rss) >= 3:
        result["rss_mb"] = (round(rss[1] / 2**20, 1), round(rss[-1] / 2**20, 1))
        result["fds"] = (fds[1], fds[-1])
    result["wall_s"] = round(time.monotonic() - started, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--recording", action="store_true",
                        help=f"with [camera] recording on (one clip a visit, a {RECORDING_CAP_MB:g} MB cap)")
    args = parser.parse_args()
    if not all((SHARED / name).exists() for name in DRIVERS):
        print(f"no driver videos in {SHARED}: nothing to measure (skipped)")
        return 0
    r = run(args.visitors, args.seed, args.progress, args.recording)
    print(f"visitors            {r['visitors']} ({r['wall_s']:.0f} s wall)")
    for behaviour, count in r["behaviours"].items():
        print(f"  {behaviour:26s}{count}")
    print(f"stayed to go live   {r['live_visits']}: calibrated {r['calibrated']}, "
          f"portrait moved {r['moved']}")
    print(f"let go on leaving   {r['let_go']} of {r['departures']}")
    print(f"next one stepped in {r['newcomers']}: measured afresh {r['newcomers_afresh']}")
    if "clips" in r:
        print(f"clips kept          {len(r['clips'])}, {r['clips_mb']} MB (cap {RECORDING_CAP_MB:g} MB: "
              "the oldest deleted, the newest always kept)")
    print(f"faults recorded     {r['faults']} (must be 0)")
    if r["faults"]:
        print(textwrap.indent(r["fault_summary"], "    "))
    if "rss_mb" in r:
        print(f"memory              {r['rss_mb'][0]} MB after the first visitors, "
              f"{r['rss_mb'][1]} MB at the end")
        print(f"open files          {r['fds'][0]} after the first visitors, {r['fds'][1]} at the end")
    for line in r["failures"]:
        print(f"FAIL  {line}")
    grew = "rss_mb" in r and r["rss_mb"][1] > r["rss_mb"][0] * 1.10 + 20
    leaked = "fds" in r and r["fds"][1] > r["fds"][0] + 2
    ok = not r["failures"] and not r["faults"] and not grew and not leaked
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
