"""What `bayard check` costs on a quiz of thousands of pictures (scenes/quiz_check.py): the time
of the quiz kind's check on `real` and `fake` folders of N pictures in all, decoding and looking
for a face in the first QUIZ_DECODED of each truth and judging the rest by their headers and
endings, what its note estimates `check --full` would take more, and what looking at every one
costs (as `check --full` does), for comparison.

    python bench/quiz_folder_check.py [--files 2000] [--side 1024] [--whole 400]

The pictures are made in a temporary folder: photograph-like (blurred noise) JPEGs, quality 90,
4:3, `side` px on the long side, half in each folder; one in a hundred cut short. Looking at
every picture is timed on the first `whole` of them (0: all), as it takes minutes; the time for
all N is given from it per picture.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _make(content: Path, files: int, side: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from loop_folder_check import made_jpeg  # (the loop folder's bench makes the same pictures)

    data = made_jpeg(side)
    for index in range(files):
        cut = index % 100 == 99
        folder = content / "quiz" / ("real" if index % 2 == 0 else "fake")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"item-{index:05d}.jpg").write_bytes(data[: len(data) // 2] if cut else data)


def _show(root: Path, files: int, side: int):
    from installation.config.loader import load_show

    (root / "scenes").mkdir()
    (root / "install.toml").write_text('[show]\ntitle = "bench"\nplaylist = ["q"]\n', encoding="utf-8")
    (root / "scenes" / "q.toml").write_text(textwrap.dedent("""
        type = "quiz"
        id = "q"
        real = "quiz/real"
        fake = "quiz/fake"
        detector = "none"
        """), encoding="utf-8")
    _make(root / "content", files, side)
    return load_show(root / "install.toml")


def _timed(show, decoded: int, full: bool = False) -> tuple[float, list]:
    from installation.scenes import quiz_check

    quiz_check.QUIZ_DECODED = decoded
    start = time.perf_counter()
    problems = quiz_check.check_quiz_faces(show.scenes["q"], show, full=full)
    return time.perf_counter() - start, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--side", type=int, default=1024)
    parser.add_argument("--whole", type=int, default=400)
    args = parser.parse_args()
    from installation.scenes import quiz_check

    bound = quiz_check.QUIZ_DECODED
    with tempfile.TemporaryDirectory() as temp:
        show = _show(Path(temp), args.files, args.side)
        took, problems = _timed(show, bound)
        named = sum("cannot be decoded" in p.message for p in problems)
        print(f"{'bounded':>22}: {took:7.2f} s for {args.files} pictures ({named} cut short named, "
              f"{len(problems)} lines)")
        estimate = next((p.message.split("looks at all (")[1].split(")")[0] for p in problems
                         if "looks at all (" in p.message), "none")
        print(f"{'its note says --full':>22}: {estimate}")
    whole = args.whole or args.files
    with tempfile.TemporaryDirectory() as temp:
        show = _show(Path(temp), whole, args.side)
        took, problems = _timed(show, bound, full=True)  # (as `check --full` does)
        print(f"{'every picture looked at':>22}: {took:7.2f} s for {whole} pictures (--full), "
              f"{took / whole * 1000:.0f} ms each: about {took / whole * args.files:.0f} s for {args.files}")
    quiz_check.QUIZ_DECODED = bound


if __name__ == "__main__":
    main()
