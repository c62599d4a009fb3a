"""`bayard check` on a quiz of thousands of pictures: every one was decoded in full and looked at
for a face, and check took minutes. As for a loop's folder, the first QUIZ_DECODED of each truth
are decoded and looked at; the rest are judged by their headers and endings, and check says so."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np

from installation.scenes import quiz_check

from .conftest import write_show
from .detector_fixtures import natural


def _large_quiz(tmp_path, monkeypatch) -> tuple[Path, list]:
    """Six pictures of each truth (one cut short, one too small), three decoded in part; and
    the pictures decoded, as they are."""
    from installation import imaging

    monkeypatch.setattr(quiz_check, "QUIZ_DECODED", 3, raising=False)
    decoded: list = []
    real_read = imaging.read_rgb
    monkeypatch.setattr(imaging, "read_rgb", lambda path, *a, **k: decoded.append(path) or real_read(path, *a, **k))
    for truth in ("real", "fake"):
        folder = tmp_path / "content" / "quiz" / truth
        folder.mkdir(parents=True)
        for n in range(6):
            picture = natural(np.random.default_rng(n))[:, :, ::-1]
            cv2.imwrite(str(folder / f"p{n}.jpg"), picture)
    whole = (tmp_path / "content" / "quiz" / "real" / "p4.jpg").read_bytes()
    (tmp_path / "content" / "quiz" / "real" / "p4.jpg").write_bytes(whole[: len(whole) // 2])  # a copy cut short
    cv2.imwrite(str(tmp_path / "content" / "quiz" / "fake" / "p5.jpg"), np.full((40, 40, 3), 90, np.uint8))
    path = write_show(tmp_path, {"q": """
        type = "quiz"
        id = "q"
        real = "quiz/real"
        fake = "quiz/fake"
        questions = 2
        detector = "none"
        """}, size=(1920, 1080))
    return path, decoded


def _looked_at(decoded: list) -> set[str]:
    return {p.parent.name + "/" + p.name for p in map(Path, decoded) if "quiz" in str(p)}


def test_a_large_quiz_is_looked_at_in_part_and_check_says_how_far(tmp_path, capsys, monkeypatch):
    from installation.cli import main

    path, decoded = _large_quiz(tmp_path, monkeypatch)
    main(["check", "--show", str(path)])
    out = capsys.readouterr().out
    assert _looked_at(decoded) == {f"{t}/p{n}.jpg" for t in ("real", "fake") for n in range(3)}, \
        sorted(_looked_at(decoded))
    # Past the bound, a copy cut short and a picture too small are still named where they lie.
    assert re.search(r"q\.toml:\d+: real: quiz item 'quiz/real/p4\.jpg'.*cannot be decoded", out), out
    assert re.search(r"q\.toml:\d+: fake: quiz item 'quiz/fake/p5\.jpg' .*40x40", out), out
    assert len(re.findall(r"shows no face", out)) == 6, out  # (the six it looked at: noise, no face)
    assert "the quiz has 12 pictures: `bayard check` decoded the first 3 of each truth" in out, out
    assert "judged the other 6 by their headers and endings" in out, out
    # How many were not looked at for a face, and how to look at them all.
    assert "6 pictures not looked at for a face" in out and "`bayard check --full` looks at all" in out, out


def test_check_full_looks_at_every_picture_of_a_large_quiz(tmp_path, capsys, monkeypatch):
    """A technician who wants the whole quiz looked at (before an opening, say) asks for it."""
    from installation.cli import main

    path, decoded = _large_quiz(tmp_path, monkeypatch)
    main(["check", "--show", str(path), "--full"])
    out = capsys.readouterr().out
    assert _looked_at(decoded) == {f"{t}/p{n}.jpg" for t in ("real", "fake") for n in range(6)}, \
        sorted(_looked_at(decoded))
    assert len(re.findall(r"shows no face", out)) == 11, out  # (all but the one cut short)
    assert re.search(r"q\.toml:\d+: real: quiz item 'quiz/real/p4\.jpg'.*", out), out
    assert "judged the other" not in out and "not looked at" not in out, out
