"""`bayard generator composite`: render the composite loop from its recipe, and check it."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def cmd_composite(args: argparse.Namespace) -> int:
    from .loop import Recipe, render_loop
    from .sources import SourceError

    try:
        recipe = Recipe.read(args.recipe)
        output = None if args.dry_run else args.output
        result = render_loop(recipe, args.corpus, args.work, output, log=print)
    except (SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(result.composites)} composites of {recipe.faces} faces, {result.frames} frames, "
          f"{result.frames / recipe.fps:.1f} s at {recipe.fps:g} fps, {recipe.size} px, "
          f"made in {result.seconds:.0f} s")
    print("nearest source per composite (distance: 0 = the source, 1 = the average face):")
    for i, n in enumerate(result.nearest, start=1):
        print(f"  {i}: geometry {n.geometry:.3f} ({n.geometry_source}), "
              f"appearance {n.appearance:.3f} ({n.appearance_source})")
    if result.nearest_between is not None:
        n = result.nearest_between
        print(f"  closest in-between frame: geometry {n.geometry:.3f}, appearance {n.appearance:.3f}")
    if args.members:
        write_members(args.members, result)
        print(f"wrote the composites' members to {args.members}")
    print(f"frames sha256 {result.frames_sha256}")
    if result.video_sha256:
        print(f"video  sha256 {result.video_sha256} ({args.output})")
    if result.refused:
        print("refused (too close to a real person):\n  " + "\n  ".join(result.refused), file=sys.stderr)
        return 1
    if args.check:
        checks = [("frames", recipe.frames_sha256, result.frames_sha256)]
        if output:  # without a video written there is no video checksum to compare
            checks.append(("video", recipe.video_sha256, result.video_sha256))
        wrong = [name for name, want, got in checks if want != got]
        if wrong:
            print(f"error: {', '.join(wrong)} checksum differs from {args.recipe}", file=sys.stderr)
            return 1
        print("checksums match the recipe")
    if args.write_checksums:
        write_checksums(args.recipe, result.frames_sha256, result.video_sha256)
        print(f"recorded the checksums in {args.recipe}")
    return 0


def write_members(path: Path, result) -> None:
    lines = ["composite\tmembers\tnearest_geometry\tgeometry_source\tnearest_appearance\tappearance_source"]
    for i, (c, n) in enumerate(zip(result.composites, result.nearest, strict=True), start=1):
        lines.append(f"{i}\t{' '.join(c.members)}\t{n.geometry:.4f}\t{n.geometry_source}"
                     f"\t{n.appearance:.4f}\t{n.appearance_source}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_checksums(recipe: Path, frames: str, video: str) -> None:
    text = recipe.read_text(encoding="utf-8")
    for key, value in (("frames_sha256", frames), ("video_sha256", video)):
        line = f'{key} = "{value}"'
        if re.search(rf"^{key} = .*$", text, flags=re.M):
            text = re.sub(rf"^{key} = .*$", line, text, flags=re.M)
        else:
            text = text.rstrip("\n") + "\n" + line + "\n"
    recipe.write_text(text, encoding="utf-8")


def add_command(sub) -> None:
    p = sub.add_parser("composite", help="render the composite-portrait loop from a recipe (no GPU, no network)")
    p.add_argument("--recipe", type=Path, default=Path("content/loop/recipe.toml"))
    p.add_argument("--corpus", type=Path, required=True, help="folder holding the recipe's source files")
    p.add_argument("--work", type=Path, default=Path("/tmp/bayard-composite"),
                   help="cache of aligned sources (never commit it)")
    p.add_argument("-o", "--output", type=Path, default=Path("content/loop/faces.mp4"))
    p.add_argument("--dry-run", action="store_true", help="compute and hash the frames; write no video")
    p.add_argument("--check", action="store_true", help="fail unless the checksums match the recipe's")
    p.add_argument("--write-checksums", action="store_true", help="record this render's checksums in the recipe")
    p.add_argument("--members", type=Path, help="write each composite's sources and distances here (TSV)")
    p.set_defaults(func=cmd_composite)
