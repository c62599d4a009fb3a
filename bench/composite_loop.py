"""The composite loop as shipped: what a visitor sees, measured on the rendered file.

1. A contact sheet of the loop (docs/images/loop-contact.png): every face at rest and
   the middle of every morph, small.
2. MediaPipe's face detector (the project's face stack) on 20 frames sampled evenly
   through the loop: in how many it finds exactly one face (target: at least 18).
3. Flashing (WCAG 2.3.1): the most flashes in any one second (target: at most 3).
4. Picture checks: colour cast (largest channel difference, 0 for neutral grey) and
   horizontal/vertical stripe energy.
5. With --corpus: "how many faces make nobody": nearest-source distances of composites
   of 1 to 12 look-alike sources (ten draws each) and of the corpus's own neighbours.

    python bench/composite_loop.py [--loop content/loop/faces.mp4] [--corpus PD_CORPUS]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def read_frames(path: Path) -> tuple[list[np.ndarray], float]:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader], float(meta["fps"])


def contact_sheet(frames: list[np.ndarray], out: Path, faces: int, tile: int = 128) -> None:
    import cv2

    per = len(frames) // faces
    picks = [i * per + per // 8 for i in range(faces)] + [i * per + per * 7 // 10 for i in range(faces)]
    tiles = [cv2.resize(frames[i], (tile, tile), interpolation=cv2.INTER_AREA) for i in picks]
    sheet = np.vstack([np.hstack(tiles[:faces]), np.hstack(tiles[faces:])])
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"contact sheet: {out} ({out.stat().st_size // 1024} KB; top: faces at rest, bottom: mid-morph)")


def detection_rate(frames: list[np.ndarray], samples: int = 20) -> int:
    from installation.models.face import FaceStack

    stack = FaceStack.open()
    picks = np.linspace(0, len(frames) - 1, samples).round().astype(int)
    return sum(len(stack.detect(frames[i])) == 1 for i in picks)


def nobody_table(corpus: Path, recipe_path: Path) -> None:
    from installation.models.composite.blend import Atlas, pick_groups
    from installation.models.composite.distance import IdentitySpace
    from installation.models.composite.loop import Recipe
    from installation.models.composite.sources import load_sources, read_list

    recipe = Recipe.read(recipe_path)
    sources, _ = load_sources(read_list(recipe.sources), corpus, Path("/tmp/bayard-composite"), recipe.side)
    atlas = Atlas(sources, recipe.side)
    space = IdentitySpace(atlas, sources)
    ref = space.reference()
    for name in ("geometry", "appearance"):
        q = np.quantile([getattr(n, name) for n in ref], [0.05, 0.5])
        print(f"corpus: a source's nearest other person, {name}: 5th pct {q[0]:.3f}, median {q[1]:.3f}")
    print("faces  nearest geometry (mean, min)  nearest appearance (mean, min)  refused at "
          f"{recipe.min_distance}")
    for n in (1, 2, 3, 4, 6, 8, 12):
        rows = []
        for draw in range(10):
            group = pick_groups(sources, 1, n, seed=100 + draw, side=recipe.side)[0]
            c = atlas.composite(group)
            near = space.nearest(c.grey, c.shape)
            rows.append((near.geometry, near.appearance,
                         min(near.geometry, near.appearance) < recipe.min_distance))
        r = np.array(rows)
        print(f"{n:5d}  {r[:, 0].mean():.3f}, {r[:, 0].min():.3f}{'':17s}{r[:, 1].mean():.3f}, "
              f"{r[:, 1].min():.3f}{'':19s}{int(r[:, 2].sum())}/10")


def main() -> None:
    from installation.media.flashes import most_flashes_per_second

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loop", type=Path, default=REPO / "content/loop/faces.mp4")
    parser.add_argument("--recipe", type=Path, default=REPO / "content/loop/recipe.toml")
    parser.add_argument("--sheet", type=Path, default=REPO / "docs/images/loop-contact.png")
    parser.add_argument("--faces", type=int, default=8)
    parser.add_argument("--corpus", type=Path, help="the public-domain corpus, for the 'nobody' table")
    args = parser.parse_args()

    frames, fps = read_frames(args.loop)
    print(f"{args.loop}: {len(frames)} frames, {frames[0].shape[1]} x {frames[0].shape[0]} px, {fps:g} fps, "
          f"{args.loop.stat().st_size / 1e6:.2f} MB")
    contact_sheet(frames, args.sheet, args.faces)
    print(f"face detector finds one face in {detection_rate(frames)}/20 sampled frames")
    print(f"most flashes in any second (WCAG 2.3.1 allows 3): {most_flashes_per_second(frames, fps):g}")
    cast = max(int(np.abs(f.astype(int)[..., 0] - f[..., 2]).max()) for f in frames[::10])
    print(f"colour cast: largest |R - B| on any pixel of every 10th frame: {cast}")
    stripes = []
    for f in frames[::25]:
        g = f[..., 1].astype(np.float32)
        spec = np.abs(np.fft.rfft2(g - g.mean()))
        total = spec.sum()
        # Energy on the horizontal/vertical frequency axes beyond the lowest frequencies:
        # stripes and halftone screens put peaks there.
        axes = spec[0, 8:].sum() + spec[8 : g.shape[0] // 2, 0].sum()
        stripes.append(axes / total)
    print(f"stripe energy (share on the frequency axes, lower is cleaner): {max(stripes):.4f}")
    if args.corpus:
        nobody_table(args.corpus, args.recipe)


if __name__ == "__main__":
    main()
