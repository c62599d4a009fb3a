"""`bayard generator ...`: make training faces, train the small GAN, render loops."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...clitypes import frame_rate, ranged, seconds, whole


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_faces(args: argparse.Namespace) -> int:
    from .faces import write_dataset

    if args.count < 1:
        return _fail("--count must be at least 1")
    n = write_dataset(args.output, args.count, args.size, seed=args.seed)
    print(f"wrote {n} procedural portraits to {args.output}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .base import CheckpointError
    from .train import DataError, TrainOptions, export, train

    try:
        ckpt = train(
            TrainOptions(
                images=args.images,
                output=args.output,
                size=args.size,
                width=args.width,
                steps=args.steps,
                batch=args.batch,
                seed=args.seed,
                save_every=args.save_every,
                threads=args.threads,
                max_minutes=args.max_minutes,
                device=args.device,
            )
        )
    except (CheckpointError, DataError, ValueError) as exc:
        return _fail(str(exc))
    print(f"{args.output}: step {ckpt['step']} (run the same command with a larger --steps to continue)")
    if args.export:
        export(ckpt, args.export)
        print(f"exported the playing generator to {args.export}")
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    import cv2

    from ..face import FaceStack, FaceStackUnavailable, align, portrait_faces
    from .train import IMAGE_SUFFIXES

    if not args.images.is_dir():
        return _fail(f"{args.images}: not a folder of portraits")
    try:
        stack = FaceStack.open()
    except FaceStackUnavailable as exc:
        return _fail(str(exc))
    args.output.mkdir(parents=True, exist_ok=True)
    done = skipped = 0
    for path in sorted(p for p in args.images.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        faces = portrait_faces(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), stack) if bgr is not None else []
        if len(faces) != 1:  # none, or a group: which face would be meant is a guess
            skipped += 1
            continue
        crop = align(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), faces[0].landmarks, side=args.size)
        name = "_".join(path.relative_to(args.images).with_suffix(".png").parts)
        cv2.imwrite(str(args.output / name), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
        done += 1
    if done == 0:
        # An empty result is a failure a script must see: training on it fails later, further
        # from its cause.
        found = f"{skipped} pictures, none with exactly one face" if skipped else "no pictures (png/jpg)"
        return _fail(f"{args.images}: {found}; nothing was aligned")
    print(f"aligned {done} faces to {args.output} ({skipped} pictures without exactly one face skipped)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .base import CheckpointError, read_checkpoint
    from .train import export

    try:
        ckpt = read_checkpoint(args.checkpoint)
    except CheckpointError as exc:
        return _fail(str(exc))
    if ckpt.get("kind") != "dcgan" or "g_ema" not in ckpt:
        return _fail(f"{args.checkpoint}: not a dcgan checkpoint from `bayard generator train`")
    export(ckpt, args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .base import CheckpointError, load_generator, pick_device
    from .render import render_video

    if args.frames < 1:
        return _fail("--frames must be at least 1")
    if args.size is not None and (args.size < 16 or args.size % 16):
        return _fail(f"--size {args.size}: use a multiple of 16 (video encoders need it), e.g. 512")
    if args.output.suffix.lower() != ".mp4":
        return _fail(f"{args.output}: the output must be an .mp4 file")
    try:
        generator = load_generator(args.checkpoint, pick_device(args.device))
    except (CheckpointError, ValueError) as exc:  # ValueError: a device this machine lacks
        return _fail(str(exc))
    if hasattr(generator, "truncation"):
        generator.truncation = args.truncation
    summary = render_video(
        generator,
        args.output,
        args.frames,
        walk=args.walk,
        size=args.size,
        fps=args.fps,
        seed=args.seed,
        seconds_per_face=args.seconds_per_face,
        crf=args.crf,
    )
    print(
        f"wrote {args.output}: {summary['frames']} frames, {summary['faces']} faces, "
        f"{summary['seconds']:.1f} s at {summary['fps']:g} fps, {summary['size']} px"
    )
    return 0


def add_commands(subparsers) -> None:
    gen = subparsers.add_parser("generator", help="train a small face GAN and render loops")
    sub = gen.add_subparsers(dest="generator_command", required=True)

    p = sub.add_parser("faces", help="draw procedural portraits (a training set the project may ship)")
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for the PNG files")
    p.add_argument("--count", type=whole(1, what="a number of faces"), default=6000)
    p.add_argument("--size", type=whole(16, 1024, "a size in pixels"), default=64)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_faces)

    p = sub.add_parser("train", help="train (or resume) the small convolutional GAN")
    p.add_argument("--images", type=Path, required=True, help="folder of face images (png/jpg)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="training checkpoint; if it exists, training resumes from it",
    )
    p.add_argument("--size", type=whole(16, 1024, "a size in pixels"), default=64,
                   help="image size, a power of two (64 trains on a CPU)")
    p.add_argument("--width", type=whole(8, 4096, "a number of channels"), default=128,
                   help="generator channels at 4x4")
    p.add_argument("--steps", type=whole(1, what="a number of steps"), default=2000,
                   help="total steps to reach (counts resumed ones)")
    p.add_argument("--batch", type=whole(1, 4096, "a batch size"), default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save-every", type=whole(1, what="a number of steps"), default=200,
                   help="steps between checkpoints")
    p.add_argument("--threads", type=whole(0, 1024, "a number of threads"), default=0,
                   help="CPU threads (0: torch default)")
    p.add_argument("--max-minutes", type=ranged(0, 1e6, "minutes"), default=0.0,
                   help="stop and save after this long (0: no limit)")
    p.add_argument("--export", type=Path, help="also write the slim playing checkpoint here")
    p.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("align", help="crop faces to the FFHQ-like alignment, for training on real portraits")
    p.add_argument("--images", type=Path, required=True, help="folder of portraits (png/jpg, searched recursively)")
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for the aligned PNG files")
    p.add_argument("--size", type=whole(16, 4096, "a size in pixels"), default=256)
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("export", help="slim a training checkpoint to what playing needs")
    p.add_argument("checkpoint", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_export)

    from ..composite.cli import add_command as add_composite

    add_composite(sub)

    p = sub.add_parser("render", help="render a loop video from a generator checkpoint")
    p.add_argument("--checkpoint", type=Path, required=True, help="dcgan or stylegan2-pytorch .pt")
    p.add_argument("--frames", type=whole(1, what="a number of frames"), required=True)
    p.add_argument("--walk", action="store_true", help="a seamless latent walk (else one new face per frame)")
    p.add_argument("--size", type=whole(16, 4096, "a size in pixels"),
                   help="output size in pixels (default: the generator's)")
    p.add_argument("--fps", type=frame_rate, default=25.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seconds-per-face", type=seconds, default=3.0, help="walk: time from one face to the next")
    p.add_argument(
        "--truncation",
        type=ranged(0, 2, "a truncation"),
        default=0.7,
        help="pull towards the average face (1: none; stylegan2 and dcgan)",
    )
    p.add_argument("--crf", type=whole(0, 51, "an H.264 quality"), default=26,
                   help="H.264 quality, 0-51 (lower: better, larger)")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_render)

