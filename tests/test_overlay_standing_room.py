"""At 800x480, eight long missing-file lines pushed "Until it is mended:" off the technician's
panel entirely: the conditions that hold until someone mends them (a camera the show cannot use,
a last good copy that cannot be made) are the panel's most important lines. They stay; the
missing-file list gives way, the panel ending with where the rest can be read."""

from __future__ import annotations

from .conftest import drawn_overlay

CONTENT = "/media/kiosk/EXHIBITION-2026/bayard-show-v2/content"
CAMERA = ("camera /dev/v4l/by-id/usb-Gone_Camera-video-index0: could not open the camera (unplugged or in use?); "
          "the portrait stirs by itself until it is back (check the camera's cable, or [camera] device in "
          "install.toml; the scene's without_camera = \"skip\" leaves it out meanwhile)")


def _status() -> dict:
    missing = [f"scenes/gallery-{n}.toml line {10 + n} (items[{n}].image): media file "
               f"portraits/sitter-{n}-in-the-studio-1856.jpg "
               f"not found in {CONTENT}; did you mean 'portraits/sitter-{n}-in-the-studio-1865.jpg'? (the names differ "
               "in the year only)"
               for n in range(8)]
    return {"show": "Bayard: Staged, Synthetic, Real", "scene": "gallery-0", "problems": missing,
            "problem_count": len(missing),
            "standing": [{"where": "portrait", "message": CAMERA, "severity": "warning"}]}


def test_until_it_is_mended_stays_on_a_small_panel_full_of_missing_files():
    drawn, overlay = drawn_overlay((800, 480), _status())
    labels = {button.label for button in overlay.buttons}
    lines = [text for text, _ in drawn if text not in labels]
    assert "Until it is mended:" in lines, lines
    said = " ".join(lines[lines.index("Until it is mended:"):])
    assert "usb-Gone_Camera" in said, lines
    # The missing-file list gave way, and the panel says where the rest is.
    assert "Wrong in the show's files now (8):" in lines, lines
    assert lines[-1].startswith("\u2026") and "/bayard/status has them all" in lines[-1], lines
