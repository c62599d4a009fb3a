"""`bayard check` on a quiz played from folders (`real = ...`, `fake = ...`, no manifest):
each picture's problem is named at the key of the folder it lies in, so a curator opens
the right folder."""

from __future__ import annotations

import re
import shutil

import cv2
import numpy as np

from installation.scenes.quiz_manifest import load_manifest

from .conftest import REPO, write_show
from .detector_fixtures import natural

CONTENT = REPO / "content"


def _folder_show(root):
    real = root / "content" / "quiz" / "real"
    fake = root / "content" / "quiz" / "fake"
    real.mkdir(parents=True)
    fake.mkdir(parents=True)
    face = next(i for i in load_manifest(CONTENT / "quiz" / "manifest.toml", CONTENT) if i.truth == "real")
    shutil.copy(face.path, real / "face.jpg")
    cv2.imwrite(str(fake / "noise.jpg"), natural(np.random.default_rng(1))[:, :, ::-1])
    cv2.imwrite(str(fake / "small.png"), natural(np.random.default_rng(2))[:60, :60, ::-1])
    return write_show(root, {"q": """
        type = "quiz"
        id = "q"
        real = "quiz/real"
        fake = "quiz/fake"
        questions = 2
        detector = "none"
        """}, size=(1920, 1080))


def test_check_names_a_fake_folders_picture_at_the_fake_key(tmp_path, capsys):
    """A faceless and a small picture in the fake folder were said at `fake`'s line but
    under the key `real` ("q.toml:4: real: quiz item 'quiz/fake/noise.jpg' ..."): the
    curator was sent to the folder of real photographs."""
    from installation.cli import main

    main(["check", "--show", str(_folder_show(tmp_path))])
    out = capsys.readouterr().out
    said = {m[1]: m[0] for m in re.findall(r"scenes/q\.toml:\d+: (\w+): quiz item '(quiz/\w+/\w+\.\w+)'", out)}
    assert said.get("quiz/fake/noise.jpg") == "fake", out
    assert said.get("quiz/fake/small.png") == "fake", out
    assert all(key == path.split("/")[1] for path, key in said.items()), said
    assert re.search(r"scenes/q\.toml:4: fake: quiz item 'quiz/fake/noise.jpg' shows no face", out), out
