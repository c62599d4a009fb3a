"""Real faces the shipped detector calls generated, by how light the sitter's skin reads.

    BAYARD_PD_CORPUS=... python -m installation.models.detector.facecorpus frames --work build/faces
    ... (the recipe in docs/detector.md) ...
    .venv/bin/python bench/detector_fairness.py --work build/faces

The issue asks that real faces called generated do not concentrate in one group. The
corpus names sets, sex and colour (reported at making, `bench/detector.py`); skin tone it
does not name, so it is measured here on the test split's own real examples (all five
real kinds, each source once per kind, and the living legislators' modern portraits, real
examples only) from the cheeks of each source's published example (the detector's own
128 px square, the face from the eyes to the mouth):

- in colour frames, the individual typology angle (ITA) of the cheeks, the measure
  dermatology uses: atan((L* - 50) / b*); lighter skin has the higher angle;
- in greyscale frames (most of the nineteenth-century sets) there is no b*, so the
  cheeks' lightness relative to the frame's own light (L* of the cheeks over the 95th
  percentile of the frame): film, exposure and print all move it, so it is a weak proxy,
  reported apart and said to be one.

Each is split into terciles within its own kind of frame. Glasses, head coverings and age
the corpus does not name either: they were labelled by eye from each test source's frame
(`bench/data/detector_test_looks.tsv`) and are reported by group too. Nothing is written
anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from installation.models.detector.facecorpus import read_index  # noqa: E402
from installation.models.detector.facedet import load_weights  # noqa: E402
from installation.models.detector.families import REAL_KINDS, read_living  # noqa: E402
from installation.models.detector.preprocess import read_image  # noqa: E402

# The cheeks in an example (the central square of an FFHQ-aligned frame, eyes to mouth):
# below the eyes, beside the nose, as shares of the example's side.
CHEEKS = ((0.25, 0.65), (0.75, 0.65))
CHEEK_SIDE = 0.1


def cheeks_lab(frame: np.ndarray) -> np.ndarray:
    side = frame.shape[0]
    half = max(2, int(CHEEK_SIDE * side / 2))
    lab = cv2.cvtColor(frame, cv2.COLOR_RGB2LAB).astype(np.float64)
    patches = [lab[int(y * side) - half:int(y * side) + half, int(x * side) - half:int(x * side) + half]
               for x, y in CHEEKS]
    return np.median(np.concatenate([p.reshape(-1, 3) for p in patches]), axis=0)


def tone(frame: np.ndarray) -> tuple[str, float]:
    """("colour", ITA in degrees) or ("greyscale", relative lightness)."""
    lightness, a, b = cheeks_lab(frame)
    lightness, a, b = lightness * 100 / 255, a - 128, b - 128
    chroma = np.ptp(frame.reshape(-1, 3).astype(np.float64), axis=1).mean()
    if chroma < 6.0:
        light = np.percentile(cv2.cvtColor(frame, cv2.COLOR_RGB2LAB)[..., 0], 95) * 100 / 255
        return "greyscale", float(lightness / max(light, 1.0))
    return "colour", float(np.degrees(np.arctan2(lightness - 50.0, b)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "faces")
    parser.add_argument("--weights", type=Path, default=ROOT / "models" / "detector" / "faces.npz")
    parser.add_argument("--looks", type=Path, default=ROOT / "bench" / "data" / "detector_test_looks.tsv",
                        help="glasses, head covering and age of each test source, labelled by eye")
    args = parser.parse_args()
    if not (args.work / "frames.tsv").is_file():
        print(f"{args.work}: no frames.tsv; make the corpus first (docs/detector.md, 'The recipe')")
        return 1
    net, info = load_weights(args.weights)
    a, b = info["platt"]
    threshold = info["threshold"]
    rows = [r for r in read_index(args.work) if r["split"] == "test"]
    living = [r for r in read_living(args.work) if r["split"] == "test"]
    by_source = {}
    called = defaultdict(list)  # source key -> called generated, one per real kind

    def verdict(path: Path) -> bool:
        p = 1.0 / (1.0 + np.exp(-(a * net.logit(read_image(path)) + b)))
        return bool(p >= threshold)

    for row in rows:
        by_source[row["key"]] = tone(read_image(args.work / "examples" / "real" / f"{row['key']}.png"))
        for kind in REAL_KINDS:
            path = args.work / "examples" / kind / f"{row['key']}.png"
            if path.is_file():
                called[row["key"]].append(verdict(path))
    for row in living:
        path = args.work / "examples" / "real_living" / f"{row['key']}.png"
        by_source[row["key"]] = tone(read_image(path))
        called[row["key"]].append(verdict(path))
    print(f"shipped weights: {args.weights.name}; test split: {len(rows)} public-domain sources and "
          f"{len(living)} living legislators, {sum(len(v) for v in called.values())} real examples")
    table = {}
    for kind in ("colour", "greyscale"):
        keys = [k for k, (frame_kind, _) in by_source.items() if frame_kind == kind and called[k]]
        if len(keys) < 6:
            continue
        values = np.array([by_source[k][1] for k in keys])
        cuts = [-np.inf, *np.percentile(values, [100 / 3, 200 / 3]), np.inf]
        measure = ("ITA of the cheeks" if kind == "colour"
                   else "cheek lightness / the frame's light (a weak proxy)")
        print(f"\n{kind} frames, terciles by {measure}:")
        third = np.digitize(values, cuts[1:-1])  # 0 darker, 1 middle, 2 lighter
        for index, name in enumerate(("darker", "medium", "lighter")):
            chosen = [k for k, t in zip(keys, third, strict=True) if t == index]
            verdicts = [c for k in chosen for c in called[k]]
            share = float(np.mean(verdicts)) if verdicts else float("nan")
            span = f"{values[third == index].min():.2f}..{values[third == index].max():.2f}"
            print(f"  {name:<8} {len(chosen):>4} sources ({span}): real called generated {share:.1%} "
                  f"of {len(verdicts)} examples")
            table[f"{kind} {name}"] = [len(verdicts), share]
    if args.looks.is_file():
        table.update(by_looks(read_looks(args.looks), called))
    print("\n" + json.dumps(table))
    return 0


def read_looks(path: Path) -> dict[str, dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in (line.split("\t") for line in lines[1:])}


def by_looks(looks: dict[str, dict[str, str]], called: dict[str, list[bool]]) -> dict[str, list]:
    """Real called generated by what the corpus does not name: glasses, head covering and
    age, labelled by eye from each source's frame ('-': not labelled, left out)."""
    table = {}
    print(f"\nby looks (labelled by eye, {len(looks)} sources):")
    for attribute in ("glasses", "head_covering", "age"):
        groups = defaultdict(list)
        for key, verdicts in called.items():
            value = looks.get(key, {}).get(attribute, "-")
            if value != "-" and verdicts:
                groups[value].append(verdicts)
        parts = []
        for value in sorted(groups):
            verdicts = [v for source in groups[value] for v in source]
            share = float(np.mean(verdicts))
            parts.append(f"{value} {share:.1%} of {len(verdicts)} ({len(groups[value])} sources)")
            table[f"{attribute} {value}"] = [len(verdicts), share]
        print(f"  {attribute:<14} " + "; ".join(parts))
    return table


if __name__ == "__main__":
    raise SystemExit(main())
