"""How many words a visitor reads on each reveal of the default round: the machine's account
(the light serif beside the verdict), and all the visitor text on the screen together.

A kiosk's visitors stand; every word of the account must earn its place. For every reveal
(both modes, the round fixed by its seed) it prints the account's words, the words of every
visitor text on the screen, and the account itself.

    python bench/quiz_reveal_words.py [--sizes 1920x1080,1080x1920] [--modes single,pair]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def run(size: tuple[int, int], mode: str) -> list[int]:
    """Print each reveal's counts; return the account's words on each."""
    from installation.scenes import quiz_explain
    from tests.conftest import quiz_reveals

    counts = []
    with tempfile.TemporaryDirectory() as folder:
        for n, (pilot, shown) in enumerate(quiz_reveals(Path(folder), size, mode=mode)):
            boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
            texts = list(dict.fromkeys(b.text for b in boxes))
            told = set(quiz_explain.accounts(shown.explanation, shown.item.kind))
            account = next((t for t in texts if t in told), "")
            counts.append(len(account.split()))
            every = sum(len(t.split()) for t in texts)
            print(f"  {n}: {shown.item.key:24} account {counts[-1]:3} words, all visitor text {every:3} words")
            print(f"       {account}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1920x1080,1080x1920,1280x1024,800x480")
    parser.add_argument("--modes", default="single,pair")
    args = parser.parse_args()
    for text in args.sizes.split(","):
        w, h = (int(v) for v in text.split("x"))
        for mode in args.modes.split(","):
            print(f"{w}x{h} {mode}:")
            counts = run((w, h), mode)
            print(f"  account words: mean {sum(counts) / len(counts):.1f}, most {max(counts)}")


if __name__ == "__main__":
    main()
