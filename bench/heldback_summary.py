"""The held-back set's figures in one table, from the raw outputs heldback_run.sh kept.

    python bench/heldback_summary.py OUTDIR [--set /tmp/unseen5]   (a copy: /tmp/unseen5/summarize.py)

bench/heldback.md says how the set is rebuilt; fixers must not look at it or its figures.

Reads every OUTDIR/*.txt (bench/portrait.py --only quality, one driver each) and prints
the means over all measured pairs of r mouth, r eyes, r smile, r roll, amp mouth,
amp smile, sharp, placed, pl.roll and pl.eyes; the same per sitter and per driver; and
the pairs not measured (no face found in the sitter, or in the driver), counted against
the set's full sitter x driver list. The bench prints two decimals a pair, so the means
are of rounded figures (within 0.005 of the exact ones). Wall time from OUTDIR/run.log.
"""

from __future__ import annotations

import argparse
import ast
import math
import re
from pathlib import Path

# bench/portrait.py's row: driver, portrait, n, then these ten figures in this order.
BENCH_COLUMNS = ("r_mouth", "r_eyes", "r_smile", "r_roll", "amp_mouth", "amp_smile",
                 "sharp", "pl_roll", "pl_eyes", "placed")
SHOWN = ("r_mouth", "r_eyes", "r_smile", "r_roll", "amp_mouth", "amp_smile", "sharp",
         "placed", "pl_roll", "pl_eyes")
HEADINGS = ("r mouth", "r eyes", "r smile", "r roll", "amp mouth", "amp smile", "sharp",
            "placed", "pl.roll", "pl.eyes")


def read_rows(out: Path, sitters: set[str], drivers: set[str]):
    """Measured pairs as dicts, and the bench's own 'not animated / not measured' lines."""
    rows, misses = [], []
    for text in sorted(out.glob("*.txt")):
        for line in text.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) < 2 or parts[0] not in drivers:
                continue
            if "not animated:" in line or "not measured:" in line or "not read:" in line:
                misses.append(line.strip())
                continue
            if parts[1] not in sitters or len(parts) != 3 + len(BENCH_COLUMNS):
                continue
            figures = dict(zip(BENCH_COLUMNS, (float(v) for v in parts[3:]), strict=True))
            rows.append({"driver": parts[0], "sitter": parts[1], "n": int(parts[2]), **figures})
    return rows, misses


def mean(values) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else float("nan")


def line(label: str, rows: list[dict], width: int) -> str:
    cells = "".join(f"{mean(r[k] for r in rows):>{len(h) + 2}.3f}" for k, h in zip(SHOWN, HEADINGS, strict=True))
    return f"{label:<{width}}{len(rows):>6}{cells}"


# The bench's own names for the figures in its 'precise means' line.
PRECISE = {"r_mouth": "r_mouth", "r_eyes": "r_eyes", "r_smile": "r_smile", "r_roll": "r_roll",
           "amp_mouth": "amp_mouth", "amp_smile": "amp_smile", "sharp": "sharp",
           "placed": "r_smile_placed", "pl_roll": "r_roll_placed", "pl_eyes": "r_eyes_placed"}


def exact_means(out: Path, rows: list[dict], sitters: set[str], drivers: set[str]) -> dict | None:
    """Where every driver was run over every sitter, the mean of the bench's own per-driver
    means (four decimals, equal weights) is the mean over all pairs without the rounding."""
    if len(rows) != len(sitters) * len(drivers):
        return None
    per_driver = []
    for text in sorted(out.glob("*.txt")):
        found = re.search(r"precise means: (\{.*\})", text.read_text(errors="replace"))
        if found:
            per_driver.append(ast.literal_eval(found.group(1)))
    if len(per_driver) != len(drivers):
        return None
    return {k: sum(m[PRECISE[k]] for m in per_driver) / len(per_driver) for k in SHOWN}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder heldback_run.sh wrote")
    parser.add_argument("--set", type=Path, default=Path("/tmp/unseen5"), help="the held-back set")
    args = parser.parse_args()
    sitters = {p.name for p in (args.set / "sitters").iterdir()}
    drivers = {p.name for p in (args.set / "drivers").iterdir()}
    rows, misses = read_rows(args.out, sitters, drivers)
    width = max(len(n) for n in sitters | drivers | {"all pairs"}) + 2
    head = f"{'':<{width}}{'pairs':>6}" + "".join(f"{h:>{len(h) + 2}}" for h in HEADINGS)

    print(f"held-back set {args.set}: {len(sitters)} sitters x {len(drivers)} drivers = "
          f"{len(sitters) * len(drivers)} pairs; measured {len(rows)}")
    log = args.out / "run.log"
    if log.exists():
        found = re.search(r"^wall_s (\d+)", log.read_text(), re.M)
        commit = re.search(r" at ([0-9a-f]{7})", log.read_text())
        print(f"commit {commit.group(1) if commit else '?'}, wall "
              f"{f'{int(found.group(1)) / 60:.1f} min' if found else 'not finished'}")
    if not rows:
        print("no pair measured")
        return
    print(head)
    print(line("all pairs", rows, width))
    exact = exact_means(args.out, rows, sitters, drivers)
    if exact:
        cells = "".join(f"{exact[k]:>{len(h) + 2}.4f}" for k, h in zip(SHOWN, HEADINGS, strict=True))
        print(f"{'exact':<{width}}{len(rows):>6}{cells}   (the bench's 4-decimal means, every driver whole)")
    print("\nper sitter")
    for name in sorted(sitters):
        mine = [r for r in rows if r["sitter"] == name]
        print(line(name, mine, width) if mine else f"{name:<{width}}     0  (not measured)")
    print("\nper driver (n: mean frames compared)")
    for name in sorted(drivers):
        mine = [r for r in rows if r["driver"] == name]
        if mine:
            print(line(name, mine, width) + f"   n {mean(r['n'] for r in mine):.0f}")
        else:
            print(f"{name:<{width}}     0  (not measured)")
    measured = {(r["driver"], r["sitter"]) for r in rows}
    missing = [(d, s) for d in sorted(drivers) for s in sorted(sitters) if (d, s) not in measured]
    # A sitter without a face costs that pair; a driver without one, all its pairs (the bench
    # stops that driver there). Pairs with no line at all were not run (a cut-short run).
    no_face = sum(1 if "not animated:" in m else len(sitters) if "not measured:" in m else 0 for m in misses)
    print(f"\npairs not measured: {len(missing)} of {len(sitters) * len(drivers)}: "
          f"{no_face} with a face not found, {len(missing) - no_face} not run")
    for miss in misses:
        print("  " + re.sub(r"\s+", " ", miss))

if __name__ == "__main__":
    main()
