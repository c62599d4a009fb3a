"""`bayard animate`: render a portrait driven by a video, offline, for artists.

This module holds the command line and the crop backends' path (fomm, landmarks, flow);
the mesh path is in animate_mesh.py, what both share about the film in animate_film.py.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np

from ...clitypes import factor, height
from . import PICTURES, PORTRAIT_SIDE
from .animate_film import SYNTHETIC_NOTE, _fail, _sound_of, _steady
from .animate_mesh import _animate_mesh, references_per_frame

__all__ = ["SYNTHETIC_NOTE", "add_commands", "references_per_frame", "run_animate"]


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
        help=f"output height in pixels (default: the portrait's as the scene shows it, its longer side at most "
             f"{PORTRAIT_SIDE}, made even); the face is fitted and moved on that copy, as the scene does, and each "
             "frame scaled to this height"
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
    p.add_argument("--picture", choices=PICTURES, default="auto",
                   help="what the portrait is, as the scene's `picture` says: its closed lids (and, for a "
                        "painting, its lip line) are painted by that rule, mesh backend (default: auto, read "
                        "from the picture; docs/portrait.md)")
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
    from ...imaging import MediaError, image_size, read_rgb

    try:
        # As the scene reads it, to the pixel: a cut-out's transparency over white, a decompression
        # bomb refused, the longer side cut to the scene's. (Scaling the height to 900 instead fitted
        # a wide picture's face on twice the scene's pixels: another fit than visitors see.)
        portrait = read_rgb(args.portrait, max_side=PORTRAIT_SIDE)
        if args.face:  # given in the picture's own pixels
            width = (image_size(args.portrait) or read_rgb(args.portrait).shape[1::-1])[0]
            args.face = [v * portrait.shape[1] / width for v in args.face]
    except MediaError as error:
        return _fail(f"{error}; save it as jpg or png")
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
                                      lips_hidden=args.lips_hidden, picture=args.picture)
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
