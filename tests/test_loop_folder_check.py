"""`bayard check` looks at what a loop's `folder` holds as it looks at files named one by one
(issue 47's walk: a truncated JPEG, a 40 px picture and a GIF in a folder passed unsaid), each
named at the folder's line with the file and the fix, odd files included, and stays quick on
a folder of thousands by saying how far it looked."""

from __future__ import annotations

import os
import struct
import zlib

import cv2
import numpy as np
import pytest

from installation.cli import main

from .conftest import write_show

LOOP = """
    type = "loop"
    id = "loopy"
    duration = 30
    folder = "img/*"
    item_duration = 3
    """


def _jpeg(path, side=900, seed=0) -> bytes:
    picture = np.random.default_rng(seed).integers(0, 255, (side, side, 3), dtype=np.uint8)
    data = cv2.imencode(".jpg", cv2.GaussianBlur(picture, (0, 0), 3))[1].tobytes()
    path.write_bytes(data)
    return data


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is width x height and holds one compressed row: a decompression bomb's
    header (decoded, 30000x30000 would take 2.7 GB)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * (3 * width + 1)))
            + chunk(b"IEND", b""))


def _check(tmp_path, capsys, *more: str) -> tuple[int, list[str]]:
    code = main(["check", "--show", str(tmp_path), *more])
    return code, capsys.readouterr().out.splitlines()


def _said(lines: list[str], name: str) -> list[str]:
    return [line.strip() for line in lines if line.strip().startswith("scenes/loopy.toml:4: folder:") and name in line]


def test_broken_small_and_moving_pictures_in_a_loops_folder_are_named_at_its_line_with_the_fix(tmp_path, capsys):
    from PIL import Image

    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    data = _jpeg(img / "good.jpg")
    (img / "truncated.jpg").write_bytes(data[: len(data) // 2])
    cv2.imwrite(str(img / "tiny.png"), np.full((40, 40, 3), 120, np.uint8))
    frames = [Image.new("RGB", (900, 900), colour) for colour in ("red", "blue")]
    frames[0].save(img / "moving.gif", save_all=True, append_images=frames[1:], duration=100)
    code, lines = _check(tmp_path, capsys)
    truncated = _said(lines, "'img/truncated.jpg' (matched by 'img/*') cannot be decoded as an image")
    assert truncated and "copy it again" in truncated[0] and "take it out of the folder" in truncated[0], lines
    tiny = _said(lines, "'img/tiny.png' (matched by 'img/*') is 40x40 px")
    assert tiny and "look soft" in tiny[0] and "Use a picture at least" in tiny[0], lines
    assert _said(lines, "'img/moving.gif' (matched by 'img/*') is an animated GIF"), lines
    assert not _said(lines, "good.jpg"), lines
    assert code == 0  # the loop plays the others: warnings, and the show is valid


def test_odd_files_in_a_loops_folder_are_said_and_never_stop_check(tmp_path, capsys, monkeypatch):
    import installation.imaging as imaging

    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    _jpeg(img / "good.jpg")
    (img / "folder.jpg").mkdir()  # a directory with a picture's name: not a file, not said
    (img / "empty.jpg").write_bytes(b"")
    os.symlink("round2.jpg", img / "round1.jpg")  # a symlink loop: matches no file
    os.symlink("round1.jpg", img / "round2.jpg")
    (img / "bomb.png").write_bytes(_png_header(30000, 30000))
    _jpeg(img / "shut.jpg", seed=1)
    os.chmod(img / "shut.jpg", 0)
    odd = "line\nbreak é \udcff.jpg"  # a line break and a byte no encoding gave, as Linux allows
    (img / os.fsencode(odd).decode("utf-8", "surrogateescape")).write_bytes(b"not a picture at all")
    (img / "phone.heic").write_bytes(b"\0\0\0\x18ftypheic")
    # The bomb is refused by its header: never decoded (it would take 2.7 GB).
    real_imdecode = cv2.imdecode

    def no_bomb(data, flags):
        assert bytes(data[16:24]) != struct.pack(">II", 30000, 30000), "the 30000 px PNG was decoded"
        return real_imdecode(data, flags)

    monkeypatch.setattr(cv2, "imdecode", no_bomb)
    monkeypatch.setattr(imaging, "_over_matte", lambda path: pytest.fail(f"{path} decoded whole"))
    code, lines = _check(tmp_path, capsys)
    assert _said(lines, "'img/empty.jpg' (matched by 'img/*') is empty (0 bytes)"), lines
    assert _said(lines, "'img/bomb.png' (matched by 'img/*') is 900 megapixels"), lines
    shut = _said(lines, "'img/shut.jpg'")
    assert shut and "chmod a+r" in shut[0], lines  # (root reads it anyway: said as the show's user meets it)
    said_odd = _said(lines, r"line\nbreak é \udcff.jpg")
    assert said_odd and "cannot be decoded" in said_odd[0], lines
    heic = _said(lines, "'img/phone.heic'")
    assert heic and "the loop passes over" in heic[0] and "export pictures as JPEG or PNG" in heic[0], lines
    assert not _said(lines, "folder.jpg") and not _said(lines, "round1.jpg") and not _said(lines, "good.jpg"), lines
    assert code == 0, lines


def test_a_big_folder_is_decoded_only_so_far_and_check_says_how_far_it_looked(tmp_path, capsys, monkeypatch):
    # Past the bound, a copy that stopped is still found by its missing end marker.
    from installation.scenes import loop_check

    monkeypatch.setattr(loop_check, "FOLDER_DECODED", 3)
    decodes = []
    real_imdecode = cv2.imdecode
    monkeypatch.setattr(cv2, "imdecode", lambda data, flags: decodes.append(1) or real_imdecode(data, flags))
    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    for index in range(8):
        data = _jpeg(img / f"face-{index}.jpg", side=600, seed=index)
    (img / "face-9-cut.jpg").write_bytes(data[: len(data) * 2 // 3])
    code, lines = _check(tmp_path, capsys)
    assert len(decodes) == 4, len(decodes)  # the first 3, and the one whose ending looks cut, to be sure
    cut = _said(lines, "'img/face-9-cut.jpg' (matched by 'img/*') cannot be decoded as an image")
    assert cut, lines
    note = _said(lines, "decoded the first 3 pictures")
    assert note and "judged the other 6 by their headers and endings" in note[0], lines
    assert "6 not decoded; `bayard check --full` decodes all" in note[0], note
    decodes.clear()
    code, lines = _check(tmp_path, capsys, "--full")  # (a technician who wants all of it decoded)
    assert len(decodes) == 9, len(decodes)
    assert _said(lines, "'img/face-9-cut.jpg' (matched by 'img/*') cannot be decoded as an image"), lines
    assert not _said(lines, "decoded the first"), lines


def test_a_whole_jpeg_with_data_after_its_end_is_not_called_cut_short_past_the_decoded_ones(tmp_path, capsys,
                                                                                          monkeypatch):
    # A phone's motion photo: a whole JPEG with a film appended after its end marker.
    from installation.scenes import loop_check

    monkeypatch.setattr(loop_check, "FOLDER_DECODED", 1)
    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    _jpeg(img / "a-first.jpg")
    (img / "b-motion.jpg").write_bytes(_jpeg(img / "b-motion.jpg", seed=2) + bytes(64 * 1024))
    _, lines = _check(tmp_path, capsys)
    assert not _said(lines, "b-motion.jpg"), lines
    assert _said(lines, "decoded the first 1 pictures"), lines


def test_a_gif_cut_short_in_its_first_frame_is_named_past_the_decoded_ones_and_a_whole_one_is_not(
        tmp_path, capsys, monkeypatch):
    # A GIF ends with its trailer (';'); past the bound only JPEG's and PNG's endings were looked
    # at, so a GIF copy that stopped in the frame the show draws passed unsaid, and the loop
    # skipped it when it came round. One cut in a later frame plays (its first frame is whole).
    from PIL import Image

    from installation.scenes import loop_check

    monkeypatch.setattr(loop_check, "FOLDER_DECODED", 1)
    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    _jpeg(img / "a-first.jpg")
    noise = np.random.default_rng(3).integers(0, 255, (900, 900), dtype=np.uint8)
    Image.fromarray(noise, "L").save(img / "b-whole.gif")
    whole = (img / "b-whole.gif").read_bytes()
    (img / "c-cut.gif").write_bytes(whole[: len(whole) // 2])
    frames = [Image.fromarray(np.roll(noise, shift, axis=1), "L") for shift in (0, 300)]
    frames[0].save(img / "d-moving.gif", save_all=True, append_images=frames[1:], duration=100)
    moving = (img / "d-moving.gif").read_bytes()
    (img / "e-moving-cut.gif").write_bytes(moving[: len(moving) * 3 // 4])
    _, lines = _check(tmp_path, capsys)
    cut = _said(lines, "'img/c-cut.gif' (matched by 'img/*') cannot be decoded as an image")
    assert cut and "copy it again" in cut[0], lines
    assert not _said(lines, "b-whole.gif"), lines
    assert not [line for line in _said(lines, "e-moving-cut.gif") if "cannot be decoded" in line], lines
    assert _said(lines, "decoded the first 1 pictures"), lines


def test_past_the_decoded_ones_a_gif_is_judged_moving_by_its_head_not_read_through_its_first_frame(
        tmp_path, capsys, monkeypatch):
    # Whether a GIF moves was asked of Pillow for every GIF in the folder, which reads the whole
    # first frame (megabytes for a large GIF, on a stick) past check's bound of decoded files too.
    # Past it, the looping marker before the first frame, or a second frame within the first
    # 64 KiB, tells; check's note says how far it looked.
    from PIL import Image

    from installation import imaging
    from installation.scenes import loop_check

    monkeypatch.setattr(loop_check, "FOLDER_DECODED", 1)
    asked = []
    real_animated = imaging.animated_gif
    monkeypatch.setattr(imaging, "animated_gif", lambda path: asked.append(path.name) or real_animated(path))
    write_show(tmp_path, {"loopy": LOOP}, size=(1920, 1080))
    img = tmp_path / "content" / "img"
    img.mkdir()
    _jpeg(img / "a-first.jpg")
    noise = np.random.default_rng(5).integers(0, 255, (900, 900), dtype=np.uint8)
    frames = [Image.fromarray(np.roll(noise, shift, axis=1), "L") for shift in (0, 300)]
    frames[0].save(img / "b-looping.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    small = [Image.new("L", (400, 400), shade) for shade in (40, 200)]
    small[0].save(img / "c-twice.gif", save_all=True, append_images=small[1:], duration=100)  # (no marker)
    Image.fromarray(noise, "L").save(img / "d-still.gif")
    _, lines = _check(tmp_path, capsys)
    assert asked == [], f"Pillow read {asked} through their first frame past check's bound"
    assert _said(lines, "'img/b-looping.gif' (matched by 'img/*') is an animated GIF"), lines
    assert _said(lines, "'img/c-twice.gif' (matched by 'img/*') is an animated GIF"), lines
    assert not _said(lines, "d-still.gif"), lines
    note = _said(lines, "decoded the first 1 pictures")
    assert note and "whether a GIF moves by its first 64 KiB" in note[0], lines
