"""What the running show says of a curator's odd media, said once with where it is and the fix
(the artist's show walked on issue 47: a portrait without a face was logged twice)."""

from __future__ import annotations

import logging

import numpy as np

from installation.harness import run_test

from .conftest import write_show


def test_a_portrait_without_a_face_is_logged_once_with_what_the_scene_does(tmp_path, caplog):
    # A flat grey card: no face for any detector. It was logged by the scene ("...; the scene
    # skips it") and again by the engine's report of the same problem.
    import cv2

    path = write_show(tmp_path, {"sitter": """
        type = "portrait"
        id = "sitter"
        duration = 600
        [[portraits]]
        image = "img/grey.jpg"
        title = "Nobody"
        """})
    (tmp_path / "content" / "img").mkdir()
    cv2.imwrite(str(tmp_path / "content" / "img" / "grey.jpg"), np.full((600, 480, 3), 128, np.uint8))
    caplog.set_level(logging.INFO)
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.0)
    said = [r.getMessage() for r in caplog.records if "img/grey.jpg" in r.getMessage() and "no face" in r.getMessage()]
    assert len(said) == 1, said
    assert "the scene skips it" in said[0], said
