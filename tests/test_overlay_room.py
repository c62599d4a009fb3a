"""On an upright kiosk the technician's overlay cut each recent error at two lines while the
screen below the panel stood empty: at 1080x1920 a missing portrait's "did you mean
'portraits/thoreau-1856.jpg'?" (the fix) became "did you mean…", and the portrait's fault lost
"file not found". Where the panel has room for every line, each message is said whole; where
it has not (a small screen, a full panel), lines are cut as before, with an ellipsis
(test_touch_overlay.py holds those)."""

from __future__ import annotations

import pytest

from installation.overlay import Overlay

from .conftest import drawn_overlay

WHEN = 1_700_000_000.0
CONTENT = "/media/kiosk/EXHIBITION-2026/bayard-show-v2/content"  # (a show on a USB stick, as deployed)
MISSING = (f"media file portraits/thoreau-1865.jpg not found in {CONTENT}; "
           "did you mean 'portraits/thoreau-1856.jpg'?")
CAMERA = ("camera 0: could not open the camera (unplugged or in use?); the portrait stirs by itself until it "
          "is back (check the camera's cable, or [camera] device in install.toml; the scene's "
          "without_camera = \"skip\" leaves it out meanwhile).")
FAULT = f"{CONTENT}/portraits/thoreau-1865.jpg: file not found"


def _status() -> dict:
    listed = [{"time": WHEN + 50, "where": "portrait", "severity": "error", "message": MISSING},
               {"time": WHEN + 60, "where": "portrait", "severity": "warning", "message": CAMERA}]
    return {"show": "Bayard: Staged, Synthetic, Real", "scene": "portrait", "title": "The portrait looks back",
            "errors": listed,
            "scene_status": {"state": "attract", "camera": "unavailable", "backend": "mesh", "calibrated": False,
                             "fps": 10.0, "problem": FAULT}}


def _drawn(size: tuple[int, int], status: dict) -> tuple[list[tuple[str, int]], Overlay]:
    """The overlay's lines as drawn on a screen of `size`, each with its width in pixels."""
    drawn, overlay = drawn_overlay(size, status)
    labels = {button.label for button in overlay.buttons}
    return [(text, width) for text, width in drawn if text not in labels], overlay


def _said(lines: list[tuple[str, int]]) -> str:
    return " ".join(text for text, _ in lines)


@pytest.mark.parametrize("size", [(1080, 1920), (1024, 1280)])
def test_an_upright_overlay_with_room_says_each_error_whole(size):
    lines, overlay = _drawn(size, _status())
    said = _said(lines)
    assert "did you mean 'portraits/thoreau-1856.jpg'?" in said, [t for t, _ in lines]
    assert "leaves it out meanwhile)." in said, [t for t, _ in lines]
    assert FAULT.split("/")[-1] in said, [t for t, _ in lines]
    assert not any(text.endswith("\u2026") for text, _ in lines), [t for t, _ in lines]
    # ...and every line still inside the panel, the panel above the buttons
    margin = overlay.target // 3
    assert all(width <= size[0] - 4 * margin for _, width in lines)

