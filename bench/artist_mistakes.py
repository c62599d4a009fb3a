"""What `bayard check` tells an artist about the mistakes artists make in scene files.

    .venv/bin/python bench/artist_mistakes.py

Builds a small show of its own in a temporary folder (a title card, the letter of
docs/first-scene.md as a photograph, a quiz of two folders), makes one mistake at a time in a
fresh copy (a folder named for a picture, a backslash between folders, an apostrophe in single
quotes, a text left open, a key typed twice, a quiz folder misspelt...), runs `bayard check
--fast` on it and prints what check says at the scene's line. Then, per mistake: whether check
let it pass though the show plays it as nothing, and whether its words say what to do (the
line to write, the name meant, the change to make: FIX_WORDS) or only what the parser found.
Figures, not a test: the messages are for people to read; run it before and after a change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LETTER = REPO / "content" / "archive" / "letter.jpg"

WELCOME = 'type = "title"\nid = "welcome"\nduration = 15\nheading = "Welcome"\n'
PHOTOGRAPH = ('type = "photograph"\nid = "letter"\nduration = 40\n{image}\n\n[[captions]]\nat = 1\nrole = "title"\n'
              'text = "A letter, 1871"\n')
QUIZ = 'type = "quiz"\nid = "guess"\nreal = "guess/real"\nfake = "{fake}"\nquestions = 2\ndetector = "none"\n'
LOOP = 'type = "loop"\nid = "guess"\nduration = 20\nfolder = "{folder}"\n'

# (the mistake, the photograph's image line (with what follows it), or the third scene's text);
# the show plays a loop's folder named without a pattern as the files in it.
MISTAKES = [
    ("image names a folder", 'image = "photos"', None),
    ("image misspelt", 'image = "photos/leter.jpg"', None),
    ("image with content/ in front", 'image = "content/photos/letter.jpg"', None),
    ("backslash in double quotes", r'image = "photos\letter.jpg"', None),
    ("backslash read as a new line", r'image = "photos\new.jpg"', None),
    ("backslash in single quotes", r"image = 'photos\letter.jpg'", None),
    ("apostrophe in single quotes", "image = 'photos/letter.jpg'\ntitle = 'Bayard's letter'", None),
    ("quotes in double quotes", 'image = "photos/letter.jpg"\ntitle = "The "letter""', None),
    ("text never closed", 'image = "photos/letter.jpg"\ntitle = """A letter', None),
    ("key typed twice", 'image = "photos/letter.jpg"\nimage = "photos/letter.jpg"', None),
    ("keyframe centre off the picture", 'image = "photos/letter.jpg"\n[[keyframes]]\nat = 0\ncenter = [1.4, 0.5]',
     None),
    ("quiz folder names a picture", None, QUIZ.format(fake="guess/fake/f0.jpg")),
    ("quiz folder misspelt", None, QUIZ.format(fake="guess/fakes")),
    ("loop folder without a pattern", None, LOOP.format(folder="photos")),
]
# Words that say what to do: the line to write, the name meant, or the change to make (whole
# words: TOML's "Cannot overwrite a value" says nothing to write).
FIX_WORDS = re.compile(r"\b(write|did you mean|keep one|end it with|it takes|separate folders)\b")


def _show(root: Path, image: str | None, third: str | None) -> None:
    (root / "scenes").mkdir(parents=True)
    for folder in ("photos", "guess/real", "guess/fake"):
        (root / "content" / folder).mkdir(parents=True)
    shutil.copy(LETTER, root / "content" / "photos" / "letter.jpg")
    shutil.copy(LETTER, root / "content" / "guess" / "real" / "r0.jpg")
    shutil.copy(LETTER, root / "content" / "guess" / "fake" / "f0.jpg")
    (root / "scenes" / "welcome.toml").write_text(WELCOME, encoding="utf-8")
    (root / "scenes" / "letter.toml").write_text(
        PHOTOGRAPH.format(image=image or 'image = "photos/letter.jpg"'), encoding="utf-8")
    playlist = ["welcome", "letter"]
    if third:
        (root / "scenes" / "guess.toml").write_text(third, encoding="utf-8")
        playlist.append("guess")
    (root / "install.toml").write_text(f'[show]\ntitle = "Mistakes"\nplaylist = {playlist!r}\n'.replace("'", '"'),
                                       encoding="utf-8")


def _loop_files(root: Path, env: dict[str, str]) -> int:
    """How many files the show's loop `guess` plays (0: its resting card)."""
    probe = ("from installation.config.loader import load_show; s = load_show('install.toml'); "
             "print(len(s.scenes['guess'].folder_files(s.content_root)))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    return int(out.stdout.strip() or 0)


def main() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", SDL_VIDEODRIVER="dummy")
    passed_silently = no_fix = 0
    for name, image, third in MISTAKES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "show"
            _show(root, image, third)
            out = subprocess.run([sys.executable, "-m", "installation", "check", "--fast"], cwd=root, env=env,
                                 capture_output=True, text=True, timeout=300).stdout
            said = [line.strip() for line in out.splitlines()
                    if line.strip().startswith(("scenes/letter.toml", "scenes/guess.toml"))]
            valid = "OK: the show is valid" in out
            plays = _loop_files(root, env) if valid and third and 'type = "loop"' in third else 0
        fix = any(FIX_WORDS.search(line) for line in said)
        played = f"; the loop plays {plays} file(s)" if plays else ""
        print(f"{name}: check {'passes' if valid else 'fails'}{played}")
        for line in said or ["(nothing said at the scene's line)"]:
            print(f"    {line}")
        passed_silently += valid and not said and not plays
        no_fix += bool(said) and not fix
    print(f"\n{len(MISTAKES)} mistakes: {passed_silently} passed by check with nothing said (the show plays them as "
          f"nothing), {no_fix} said without what to do")


if __name__ == "__main__":
    main()
