"""`bayard animate` with the mesh backend: track the whole driver once (its mesh, eyes,
teeth and cuts, on two cores), take each shot's neutral frame, then render the frames on
two renderers and write the film in order. The crop backends' path is in cli.py."""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import sys
from pathlib import Path
from typing import NamedTuple

from .animate_film import SYNTHETIC_NOTE, _fail, _sound_of, _steady


def _in_order(pool, work, items, ahead: int = 4):
    """`work(item)` for each item on the pool, yielded in order, a few frames ahead: a
    film of thousands of frames is never held in memory, and when writing fails (a full
    disk) the frames not yet started are dropped instead of rendered for nothing."""
    items = iter(items)
    pending: collections.deque = collections.deque(pool.submit(work, item) for item in itertools.islice(items, ahead))
    try:
        while pending:
            done = pending.popleft().result()
            for item in itertools.islice(items, 1):
                pending.append(pool.submit(work, item))
            yield done
    finally:
        for future in pending:
            future.cancel()


class DriverTrack(NamedTuple):
    faces: list  # per frame, the face mesh's landmarks (None: no face)
    eyes: list
    teeth: list
    fps: float  # the rate the container states
    cuts: list[int]  # frames that begin a new shot (shots.py)
    times_ms: list[float]  # each frame's timestamp (timing.py)


def _track_driver(path: Path, stack) -> DriverTrack:
    """Every driver frame's own mesh (no steadying lag), eyes and teeth shown (teeth.py),
    its timestamp, and the frames where the video cuts to another shot (shots.py), with
    decoding, the mesh and the eyes overlapped on two cores: a thread decodes ahead and
    watches for cuts, this one tracks the mesh (each frame's crop follows the last frame's
    landmarks; after a cut the face is looked for afresh), and a second face stack (LiteRT
    interpreters are not thread-safe) finds the eyes of the frames already meshed. LiteRT
    and OpenCV release the GIL while they work. The frames themselves are not kept."""
    import queue
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import cv2
    from tqdm import tqdm

    from ..face import FaceStack, FaceTracker
    from .mesh.teeth import mouth_shown
    from .shots import CutWatch

    cap = cv2.VideoCapture(str(path))
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 25.0)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0) or None
    decoded: queue.Queue = queue.Queue(maxsize=16)
    stop = threading.Event()
    cuts = CutWatch(fps)

    def decode() -> None:
        try:
            while not stop.is_set():
                ok, bgr = cap.read()
                if not ok:
                    break
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
                decoded.put((rgb, cuts.see(rgb), float(cap.get(cv2.CAP_PROP_POS_MSEC))))
        finally:
            cap.release()
            decoded.put(None)

    eye_stack = FaceStack(stack.models_dir, stack.threads)
    reader = threading.Thread(target=decode, name="animate-decode", daemon=True)
    reader.start()
    tracker = FaceTracker(stack)
    faces: list = []
    eyes: list = []
    teeth: list = []
    times: list[float] = []
    finished = False
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="animate-eyes") as pool, \
                tqdm(total=total, desc="tracking", unit="frame") as bar:
            while (item := decoded.get()) is not None:
                frame, cut, at_ms = item
                if cut:  # another shot: the last frame's face says nothing about where this one is
                    tracker.reset()
                times.append(at_ms)
                seen = tracker.update(frame, len(faces) / fps)
                face = seen.raw_face or seen.face  # offline: every frame's own mesh, no steadying lag
                faces.append(face.landmarks if face is not None else None)
                eyes.append(pool.submit(eye_stack.eyes, frame, face.landmarks) if face is not None else None)
                teeth.append(mouth_shown(frame, face.landmarks) if face is not None else None)
                bar.update()
            finished = True
            eyes = [e.result() if e is not None else None for e in eyes]
    finally:
        stop.set()
        while not finished and decoded.get() is not None:  # unblock the reader so it can stop
            pass
        reader.join()
    return DriverTrack(faces, eyes, teeth, fps, cuts.cuts, times)


def references_per_frame(animator, shot_ranges, refs, ref: int, faces, eyes, times=None) -> list:
    """Each frame's DriverReference: one neutral face per shot (a shot with no face keeps
    the one before it), its eyes' rest opening settled over the shot as the live show
    settles it over the visit, so a film and the show agree on how open an ordinary look is."""
    frame_reference: list = []
    for shot, shot_ref in zip(shot_ranges, refs, strict=True):
        if shot_ref is not None or animator.reference is None:
            _calibrate_near(animator, ref if shot_ref is None else shot_ref, shot, faces, eyes)
            seen = [i for i in shot if faces[i] is not None]
            taken = None if times is None else [times[i] for i in seen]
            animator.reference.settle_over([faces[i] for i in seen], taken)
        frame_reference += [animator.reference] * len(shot)
    return frame_reference


def _calibrate_near(animator, chosen: int, shot, faces, eyes) -> None:
    """Calibrate on frame `chosen`, or, when its reading is not whole (an iris or a point not
    placed: a NaN neutral gaze froze the portrait's eyes for the whole film), on the nearest
    frame of its shot read whole, then of the driver; with no eyes read whole anywhere, on its
    mesh alone (the eyes then stay at rest, as they must with nothing to follow)."""
    from .mesh.motion import DriverReference

    near = sorted((i for i, f in enumerate(faces) if f is not None),
                  key=lambda i: (i != chosen, i not in shot, abs(i - chosen)))
    if not any(animator.calibrate_on(faces[i], eyes[i]) for i in near) and \
            not any(animator.calibrate_on(faces[i]) for i in near):
        animator.reference = DriverReference(faces[chosen])  # no whole mesh at all: nothing to follow


def _animate_mesh(args: argparse.Namespace, animator) -> int:
    """The mesh path: track the driver's mesh once, take each shot's neutral frame, render."""
    import cv2
    from tqdm import tqdm

    from ...video import h264_writer
    from ..face import neutrality
    from .driver_notes import cuts_note, open_mouth_note, pick_reference, small_face_note
    from .shots import shot_references, shots

    faces, eyes, teeth, fps, cuts, times_ms = _track_driver(args.driver, animator.stack)
    if not faces:
        return _fail(f"{args.driver}: no readable frames; re-encode it as H.264 mp4")
    n = len(faces)
    usable = [i for i, f in enumerate(faces) if f is not None]
    if not usable:
        return _fail(f"{args.driver}: no face found; use a video with one face looking at the camera")
    try:
        ref = pick_reference(args.reference, usable, faces)
    except ValueError as exc:
        return _fail(f"--reference: {exc}")
    shot_ranges = shots(cuts, n)
    if args.reference == "best":  # each shot from its own most neutral frame (shots.py)
        refs = shot_references(shot_ranges, usable, lambda i: neutrality(faces[i]))
    else:  # the user's own frame, for every shot
        refs = [ref] * len(shot_ranges)
    for note in (small_face_note(usable, faces), open_mouth_note(ref, usable, faces),
                 cuts_note(args.reference, ref, cuts)):
        if note:
            print(f"bayard animate: {note}", file=sys.stderr)
    frame_reference = references_per_frame(animator, shot_ranges, refs, ref, faces, eyes,
                                           [t / 1000.0 for t in times_ms])
    h, w = animator.portrait.shape[:2]
    out_h = args.size or h
    out_w = int(round(w * out_h / h))
    out_w, out_h = out_w - out_w % 2, out_h - out_h % 2
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from . import beside
    from .mesh import MeshAnimator
    from .mesh.animator import ease_motion
    from .mesh.motion import Motion

    motions, last = [], Motion()
    for i in range(n):
        last = (frame_reference[i].motion(faces[i], eyes[i], teeth=teeth[i],
                                             at=times_ms[i] / 1000.0) if faces[i] is not None
                else ease_motion(last, 0.85))
        motions.append(last)
    # Frames are independent once their motion is known: two renderers (one per core,
    # sharing the portrait's rig) keep `animate` faster than real time. OpenCV and numpy
    # release the GIL for the heavy parts.
    local = threading.local()

    def render(i: int):
        if not hasattr(local, "animator"):
            local.animator = MeshAnimator(animator.portrait, animator.stack, rig=animator.rig)
        image = local.animator.render(motions[i])
        if (out_w, out_h) != (w, h):
            image = cv2.resize(image, (out_w, out_h), interpolation=cv2.INTER_AREA)
        return image

    sound = _sound_of(args)
    rate, shown = _steady(times_ms, fps)  # the driver frame in each film frame
    driver = beside.DriverFrames(args.driver) if args.beside_driver else None
    film_w = beside.film_width(driver.size, (out_w, out_h)) if driver else out_w
    # "veryfast" at CRF 18: x264's default preset took as long as the animation itself.
    with h264_writer(args.output, (film_w, out_h), rate, preset="veryfast",
                     extra=["-metadata", f"comment={SYNTHETIC_NOTE}"], sound_from=sound,
                     seconds=len(shown) / rate) as send, \
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="animate") as pool, \
            contextlib.closing(_in_order(pool, render, shown)) as images, \
            contextlib.closing(driver) if driver else contextlib.nullcontext():
        for index, image in zip(shown, tqdm(images, total=len(shown), desc="animating (mesh)", unit="frame"),
                                strict=True):
            if driver:
                image = beside.side_by_side(driver.at(index), image, beside.driver_width(driver.size, out_h))
            send(image)
    used = list(dict.fromkeys(r for r in refs if r is not None))
    where = f"reference frame{'s' if len(used) > 1 else ''} {', '.join(map(str, used))}"
    if len(shot_ranges) > 1:
        where += f"; {len(shot_ranges)} shots, cut at frame{'s' if len(cuts) > 1 else ''} {', '.join(map(str, cuts))}"
    if sound:
        where += ", with the driver's sound"
    print(f"wrote {args.output} ({len(shown)} frames, {rate:g} fps, backend mesh, {where})")
    return 0
