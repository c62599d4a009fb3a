"""Odd pictures a curator may hand the portrait: each is animated or refused with its reason,
never a crash (issue 10's review of the face stack's last looks: drawn.py, top_edge.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest


@pytest.mark.parametrize("shape", [(1, 900), (900, 1)])
def test_check_refuses_a_picture_a_pixel_or_two_thin_with_its_reason(tmp_path, capsys, shape):
    # A strip exported by mistake (a slice of a scan, a separator line). Striped like a drawing,
    # it was measured for strokes at 256 px on its long side, its short side shrunk to no pixel
    # at all: OpenCV raised, and `check` stopped with a traceback instead of naming the file.
    from installation.cli import main
    from tests.conftest import write_show

    write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "strip.png"
        """})
    strip = np.zeros((*shape, 3), np.uint8)
    strip[::2, ::2] = 255  # (strokes: the blur would take a third of the grey range away)
    cv2.imwrite(str(tmp_path / "content" / "strip.png"), strip)
    main(["check", "--show", str(tmp_path / "install.toml")])
    out = capsys.readouterr().out
    assert "'strip.png' cannot be animated: no face found" in out
