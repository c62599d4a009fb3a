"""A quiz's folders hold what a curator copied in: files of kinds the show does not play (a
phone's HEIC, a PDF) are passed over by the quiz, and `bayard check` says so at the folder's
key (issue 47's walk: a GIF in a quiz folder was passed over without a word)."""

from __future__ import annotations

import os

from PIL import Image

from installation.cli import main

from .conftest import write_show


def test_files_the_quiz_passes_over_are_named_at_their_folders_key(tmp_path, capsys):
    write_show(tmp_path, {"q": """
        type = "quiz"
        id = "q"
        real = "quiz/real"
        fake = "quiz/fake"
        questions = 2
        """})
    for truth in ("real", "fake"):
        folder = tmp_path / "content" / "quiz" / truth
        folder.mkdir(parents=True)
        Image.new("RGB", (300, 300), (90, 90, 90)).save(folder / "still.png")
    fake = tmp_path / "content" / "quiz" / "fake"
    (fake / "phone.HEIC").write_bytes(b"\0\0\0\x18ftypheic")
    (fake / "sheet.pdf").write_bytes(b"%PDF-1.4")
    (fake / ".DS_Store").write_bytes(b"\0")  # (hidden: a Mac's own, never said)
    (fake / "folder.jpg").mkdir()  # (a folder, not a file)
    os.symlink("loop-b.jpg", fake / "loop-a.jpg")  # (matches no file: the items' listing says nothing either)
    os.symlink("loop-a.jpg", fake / "loop-b.jpg")
    main(["check", "--show", str(tmp_path)])
    out = " ".join(capsys.readouterr().out.split())
    said = ("scenes/q.toml:4: fake: 2 file(s) in the fake folder are of kinds the show does not play, and the quiz "
            "passes them over: 'quiz/fake/phone.HEIC', 'quiz/fake/sheet.pdf'; export pictures as JPEG or PNG")
    assert said in out, out
    assert "DS_Store" not in out and "folder.jpg" not in out, out
    assert "real folder are of kinds" not in out, out
