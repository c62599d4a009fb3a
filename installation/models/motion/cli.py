"""`bayard animate`: render a portrait driven by a video, offline, for artists."""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ...clitypes import factor, height


def add_commands(subparsers) -> None:
    p = subparsers.add_parser(
        "animate",
        help="animate a portrait with the facial motion of a driving video (offline render)",
        description="Render PORTRAIT moved as the face in DRIVER moves; writes an mp4.",
    )
    p.add_argument("--portrait", required=True, type=Path, help="the picture to animate (jpg/png)")
    p.add_argument("--driver", required=True, type=Path, help="a video of a face (mp4, mov, ...)")
    p.add_argument("-o", "--output", required=True, type=Path, help="the mp4 to write")
    p.add_argument("--backend", default="auto",
                   help="mesh, fomm, landmarks, flow, or auto (default: mesh where the face models load)")
    p.add_argument(
        "--size", type=height, default=0,
        help="output height in pixels (default: the portrait's own, at most 900, made even)"
    )
    p.add_argument(
        "--reference",
        type=_reference,
        default="best",
        help="the driver's neutral frame: best (default: mouth closed, eyes open, facing the camera, "
             "chosen by face landmarks), first (the first frame with a face) or a frame number N",
    )
    p.add_argument("--exaggeration", type=factor, default=1.0,
                   help="how strongly expressions are carried, mesh backend (default 1.0: faithful)")
    p.add_argument("--lips-hidden", action="store_true",
                   help="the sitter's moustache hides both lips: the mouth opens below its fringe, mesh "
                        "backend (default: off; see docs/portrait.md)")
    p.add_argument(
        "--face",
        type=float,
        nargs=3,
        metavar=("X", "Y", "SIZE"),
        help="the portrait's face (centre and size in pixels) when it is not found automatically",
    )
    p.add_argument("--no-sound", action="store_true",
                   help="leave the driver's sound out (default: the film keeps the driver's sound, if it has any)")
    p.add_argument("--beside-driver", action="store_true",
                   help="put the driver's own frame to the left of the portrait, at its height, to check "
                        "a pairing by eye or document the piece")
    p.add_argument("--models", type=Path, default=Path("models"), help="folder with model weights")
    p.set_defaults(func=run_animate)


def _reference(value: str) -> str | int:
    if value in ("best", "first"):
        return value
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}': use best, first or a frame number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number}: frame numbers start at 0")
    return number


MAX_DEFAULT_HEIGHT = 900  # output height when --size is not given and the picture is taller

SYNTHETIC_NOTE = "Synthetic media: a portrait moved by a computer (Bayard) from another person's face."


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


def _sound_of(args: argparse.Namespace) -> Path | None:
    """The driver, when its sound goes into the film: a talking portrait is silent without
    it, and the film follows the driver's own timing (timing.py), so the two stay in step."""
    from ...video import has_sound

    return None if args.no_sound or not has_sound(args.driver) else args.driver


def _fail(message: str) -> int:
    print(f"bayard animate: {message}", file=sys.stderr)
    return 2


def _read_frames(path: Path):
    """Every frame (RGB), the stated rate, and each frame's timestamp in ms (timing.py)."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    frames, times = [], []
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        times.append(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
    cap.release()
    return frames, float(fps), times


def _steady(times_ms: list[float], fps: float) -> tuple[float, list[int]]:
    """The film's rate and the driver frame in each film frame, with a note when the
    driver's rate varies."""
    from .timing import steady_schedule

    rate, shown = steady_schedule(times_ms, fps)
    if shown != list(range(len(times_ms))):
        print(f"bayard animate: note: the driver's frame rate varies ({fps:.3g} frames a second on "
              f"average); the film is written at a steady {rate:g} so that it keeps in step with the sound",
              file=sys.stderr)
    return rate, shown


def run_animate(args: argparse.Namespace) -> int:
    import cv2
    from tqdm import tqdm

    from ...registry import UnknownName
    from ..face import FaceBox
    from . import beside
    from .base import MOTION_BACKENDS
    from .choose import choose_backend
    from .pipeline import PortraitAnimator, PortraitError, build_animator, tracker_for

    if not args.portrait.is_file():
        return _fail(f"{args.portrait}: no such file; give the path of a jpg or png")
    if not args.driver.is_file():
        return _fail(f"{args.driver}: no such file; give the path of a video with a face in it")
    if args.output.resolve() in (args.portrait.resolve(), args.driver.resolve()):
        return _fail(f"-o {args.output} would overwrite an input; give the film a name of its own")
    if args.output.is_dir():
        return _fail(f"-o {args.output} is a folder; give the film's file name, e.g. {args.output / 'portrait.mp4'}")
    from ...imaging import MediaError, read_rgb

    try:
        # As the scene reads it: a cut-out's transparency over white, a decompression bomb refused.
        portrait = read_rgb(args.portrait)
    except MediaError as error:
        return _fail(f"{error}; save it as jpg or png")
    # Animate at the size that is written (the scene shows portraits at up to 900 px too):
    # a 4000 px scan would otherwise be warped at full size for every frame.
    height = args.size or min(portrait.shape[0], MAX_DEFAULT_HEIGHT)
    if height < portrait.shape[0]:
        scale = height / portrait.shape[0]
        portrait = cv2.resize(portrait, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if args.face:
            args.face = [v * scale for v in args.face]
    try:
        choice = choose_backend(args.models, args.backend)
    except UnknownName as exc:
        return _fail(f"--backend: {exc}")
    if args.backend not in ("auto", choice.name):
        print(
            f"bayard animate: {args.backend} is unavailable ({choice.reasons[args.backend].reason}); "
            f"using {choice.name}",
            file=sys.stderr,
        )
    backend = MOTION_BACKENDS.get(choice.name)()
    video_t = [0.0]
    if hasattr(backend, "clock"):
        backend.clock = lambda: video_t[0]  # ease by video time, not by render speed
    try:
        if choice.name == "mesh":
            animator = build_animator("mesh", portrait, models_dir=args.models, exaggeration=args.exaggeration,
                                      lips_hidden=args.lips_hidden)
        else:
            animator = PortraitAnimator(backend, portrait, face=FaceBox(*args.face) if args.face else None)
    except PortraitError as exc:
        hint = exc.args[0].replace("in the scene file (face = [x, y, size])", "with --face X Y SIZE")
        return _fail(f"{args.portrait}: {hint}")
    if choice.name == "mesh":
        return _animate_mesh(args, animator)
    frames, fps, times_ms = _read_frames(args.driver)
    if not frames:
        return _fail(f"{args.driver}: no readable frames; re-encode it as H.264 mp4")

    # Track the whole driver once (offline: a detection on every frame is affordable).
    tracker = tracker_for(choice.name, args.models)
    boxes = []
    for i, f in enumerate(tqdm(frames, desc="tracking", unit="frame")):
        boxes.append(tracker.update(f, i / fps).box)
    usable = [i for i, b in enumerate(boxes) if b is not None]
    if not usable:
        return _fail(f"{args.driver}: no face found; use a video with one face looking at the camera")
    ref = usable[0]
    if isinstance(args.reference, int):
        if args.reference not in usable:
            return _fail(f"--reference {args.reference}: that frame has no face")
        ref = args.reference
    elif args.reference == "best":
        # The frame whose face crop is most like the portrait's (pose and expression): the
        # motion is relative to it, so a matching neutral frame keeps the portrait's own face.
        src = cv2.cvtColor(animator.source_crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
        src = (src - src.mean()) / (src.std() + 1)
        best = -1e9
        for i in usable[:: max(1, len(usable) // 60)]:
            d = cv2.cvtColor(animator.driver_crop(frames[i], boxes[i]), cv2.COLOR_RGB2GRAY).astype(np.float32)
            score = float(((d - d.mean()) / (d.std() + 1) * src).mean())
            if score > best:
                best, ref = score, i
    animator._crop_side = boxes[ref].size
    backend.calibrate(animator.driver_crop(frames[ref], boxes[ref]))
    animator._calib_box = boxes[ref]

    h, w = portrait.shape[:2]
    out_h = args.size or h
    out_w = int(round(w * out_h / h))
    out_w, out_h = out_w - out_w % 2, out_h - out_h % 2
    from ...video import h264_writer

    sound = _sound_of(args)
    rate, shown = _steady(times_ms, fps)
    # The backend eases by video time, so every driver frame goes through it in order; a
    # film frame then shows it as often as the steady schedule says (usually once).
    showings = collections.Counter(shown)
    steady = shown == list(range(len(frames)))  # (then timestamps may be missing: count frames)
    driver_size = (frames[0].shape[1], frames[0].shape[0])
    film_w = beside.film_width(driver_size, (out_w, out_h)) if args.beside_driver else out_w
    with h264_writer(args.output, (film_w, out_h), rate, extra=["-metadata", f"comment={SYNTHETIC_NOTE}"],
                     sound_from=sound, seconds=len(shown) / rate) as send:
        for i, frame in enumerate(tqdm(frames, desc=f"animating ({choice.name})", unit="frame")):
            box = boxes[i]
            video_t[0] = i / fps if steady else times_ms[i] / 1000.0
            if box is not None:
                crop = backend.animate(animator.driver_crop(frame, box))
            elif getattr(backend, "supports_weight", False):
                crop = backend.animate(None)
            else:
                crop = animator.source_crop
            image = animator.paste(crop)
            if (out_w, out_h) != (w, h):
                image = cv2.resize(image, (out_w, out_h), interpolation=cv2.INTER_AREA)
            if args.beside_driver:
                image = beside.side_by_side(frame, image, beside.driver_width(driver_size, out_h))
            for _ in range(showings[i]):
                send(image)
    with_sound = ", with the driver's sound" if sound else ""
    print(
        f"wrote {args.output} ({len(shown)} frames, {rate:g} fps, backend {choice.name}, "
        f"reference frame {ref}{with_sound})"
    )
    return 0


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


def references_per_frame(animator, shot_ranges, refs, ref: int, faces, eyes) -> list:
    """Each frame's DriverReference: one neutral face per shot (a shot with no face keeps
    the one before it), its eyes' rest opening settled over the shot as the live show
    settles it over the visit, so a film and the show agree on how open an ordinary look is."""
    frame_reference: list = []
    for shot, shot_ref in zip(shot_ranges, refs, strict=True):
        if shot_ref is not None or animator.reference is None:
            chosen = ref if shot_ref is None else shot_ref
            animator.calibrate_on(faces[chosen], eyes[chosen])
            animator.reference.settle_eyes_over([faces[i] for i in shot if faces[i] is not None])
        frame_reference += [animator.reference] * len(shot)
    return frame_reference


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
    frame_reference = references_per_frame(animator, shot_ranges, refs, ref, faces, eyes)
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
        last = (frame_reference[i].motion(faces[i], eyes[i], teeth=teeth[i]) if faces[i] is not None
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
