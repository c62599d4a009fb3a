"""Pictures as curators hand them over: huge scans, decompression bombs, thumbnails, a
few pixels, phone photos stored sideways. Each either shows as it should or is refused
with the size and the fix, and none takes the kiosk's memory."""

from __future__ import annotations

import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from installation import imaging
from installation.cli import main
from installation.config.loader import check_media, load_show, probe_media
from installation.imaging import MediaError, decode_reduction, image_size, read_rgb

from .conftest import write_show


def photo_like(height: int, width: int, seed: int = 3) -> np.ndarray:
    """Smooth colour structure with edges: what a decoder's quality shows on."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (height // 16 + 1, width // 16 + 1, 3)).astype(np.uint8)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)


def test_a_picture_over_the_limit_is_refused_with_its_size_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(imaging, "MAX_DECODED_PIXELS", 40_000)
    path = tmp_path / "scan.png"
    cv2.imwrite(str(path), np.zeros((300, 400, 3), np.uint8))  # 0.12 MP, a small file
    with pytest.raises(MediaError) as refused:
        read_rgb(path, max_side=100)
    message = str(refused.value)
    assert "400x300 px" in message and "export a copy at most 200 px on its long side" in message
    # `bayard check` says the same before opening day
    assert "400x300 px" in probe_media(path)


def test_a_small_file_that_unpacks_to_gigapixels_is_refused_before_decoding(tmp_path):
    """A PNG of 24000x24000 flat pixels is under 2 MB on disk and 1.7 GB decoded. Its
    header is a few bytes; write only those (and a stub of data) so the test stays small."""
    path = tmp_path / "bomb.png"
    header = cv2.imencode(".png", np.zeros((1, 1, 3), np.uint8))[1].tobytes()
    # IHDR: width and height are the 4-byte fields after the 8-byte signature, length and type
    bomb = bytearray(header)
    bomb[16:20] = (24000).to_bytes(4, "big")
    bomb[20:24] = (24000).to_bytes(4, "big")
    bomb[29:33] = zlib.crc32(bytes(bomb[12:29])).to_bytes(4, "big")  # the chunk's checksum
    path.write_bytes(bytes(bomb))
    assert image_size(path) == (24000, 24000)
    with pytest.raises(MediaError, match="576 megapixels"):
        read_rgb(path)


def sharpness(rgb: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32), cv2.CV_32F).var())


def test_a_large_jpeg_is_decoded_small_and_looks_the_same(tmp_path):
    rng = np.random.default_rng(5)
    grain = rng.normal(0, 18, (1600, 2400, 1))  # film grain and fine detail
    picture = np.clip(photo_like(1600, 2400) * 0.8 + 25 + grain, 0, 255).astype(np.uint8)
    path = tmp_path / "big.jpg"
    cv2.imwrite(str(path), picture, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert decode_reduction((2400, 1600), True, 200) == 4
    assert decode_reduction((2400, 1600), True, 290) == 2
    assert decode_reduction((2400, 1600), True, 900) == 1
    assert decode_reduction((2400, 1600), False, 200) == 1  # PNG and the rest: whole
    for side in (200, 290):
        shown = read_rgb(path, max_side=side)
        assert max(shown.shape[:2]) == side
        decoded = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        whole = cv2.resize(decoded, (shown.shape[1], shown.shape[0]), interpolation=cv2.INTER_AREA)
        assert np.abs(shown.astype(int) - whole.astype(int)).mean() < 2.0
        assert sharpness(shown) > 0.85 * sharpness(whole)  # not softened


@pytest.mark.parametrize("shape", [(1, 1), (3, 838), (838, 3)])
def test_a_picture_of_a_few_pixels_decodes_and_check_does_not_call_it_corrupt(tmp_path, shape):
    path = tmp_path / "tiny.png"
    cv2.imwrite(str(path), np.full((*shape, 3), 128, np.uint8))
    assert probe_media(path) is None  # was an OpenCV assertion about a zero-size resize
    assert read_rgb(path, max_side=64).shape[2] == 3


def test_a_phone_photo_stored_sideways_is_shown_upright(tmp_path):
    upright = cv2.cvtColor(photo_like(120, 80), cv2.COLOR_BGR2RGB)
    upright[:20] = (255, 0, 0)  # a red top edge
    stored = np.ascontiguousarray(np.rot90(upright, 1))  # the camera's sensor orientation
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to show"
    path = tmp_path / "phone.jpg"
    Image.fromarray(stored).save(path, exif=exif, quality=95)
    assert image_size(path) == (80, 120)
    shown = read_rgb(path)
    assert shown.shape[:2] == (120, 80)
    assert shown[:10, :, 0].mean() > 200 and shown[:10, :, 1].mean() < 60


def test_a_cut_out_png_shows_white_where_it_is_transparent_not_the_colour_hidden_there(tmp_path):
    """A cut-out exported from an editor keeps some colour under its transparency, most often
    black: read without its alpha, the figure stood in a black box."""
    figure = cv2.cvtColor(photo_like(120, 160), cv2.COLOR_BGR2RGB)
    alpha = np.zeros((120, 160), np.uint8)
    alpha[20:100, 40:120] = 255  # the figure
    alpha[20:100, 120:124] = 128  # its soft edge
    rgba = np.dstack([figure, alpha])
    rgba[alpha == 0, :3] = 0  # what the editor left under the transparency
    path = tmp_path / "cut-out.png"
    Image.fromarray(rgba).save(path)
    shown = read_rgb(path)
    assert shown.shape == (120, 160, 3)
    assert (shown[alpha == 0] == 255).all()  # paper, not black
    assert np.array_equal(shown[alpha == 255], figure[alpha == 255])  # the figure untouched
    edge = shown[20:100, 120:124].astype(int)
    expected = figure[20:100, 120:124].astype(int) * 128 / 255 + 255 * 127 / 255
    assert np.abs(edge - expected).max() <= 1
    assert probe_media(path) is None  # check has nothing against it
    # Made smaller for the screen after the white is laid under, so no dark fringe.
    small = read_rgb(path, max_side=40)
    assert small.shape == (30, 40, 3) and small[:4].min() >= 250


@pytest.mark.parametrize("mode", ["P", "L"])
def test_a_palette_or_grey_picture_with_a_transparent_colour_shows_it_white(tmp_path, mode):
    grey = np.full((40, 60), 90, np.uint8)
    grey[:, :20] = 0  # the colour marked transparent
    picture = Image.fromarray(grey).convert(mode)
    path = tmp_path / "marked.png"
    picture.save(path, transparency=0)
    shown = read_rgb(path)
    assert (shown[:, :20] == 255).all() and (shown[:, 20:] == 90).all()


def test_a_fully_transparent_picture_is_refused_by_the_show_and_by_check(tmp_path):
    path = tmp_path / "invisible.png"
    Image.fromarray(np.zeros((50, 50, 4), np.uint8)).save(path)
    with pytest.raises(MediaError, match="invisible.png: is fully transparent, so there is nothing to show"):
        read_rgb(path)
    assert probe_media(path).startswith("is fully transparent")


def test_a_16_bit_picture_with_alpha_shows_its_colours(tmp_path):
    bgra = np.zeros((30, 40, 4), np.uint16)
    bgra[..., 2] = 200 * 257  # red, 16 bits
    bgra[..., 1] = 100 * 257
    bgra[..., 3] = 65535
    path = tmp_path / "deep.png"
    cv2.imwrite(str(path), bgra)
    shown = read_rgb(path)
    assert np.abs(shown[..., 0].astype(int) - 200).max() <= 1
    assert np.abs(shown[..., 1].astype(int) - 100).max() <= 1 and shown[..., 2].max() <= 1


def photograph_show(tmp_path, width, height, zoom=1.6):
    path = write_show(tmp_path, {"print": f"""
        type = "photograph"
        id = "print"
        image = "print.jpg"

        [[keyframes]]
        at = 0
        zoom = 1.0

        [[keyframes]]
        at = 10
        zoom = {zoom}
        """}, size=(1920, 1080))
    cv2.imwrite(str(tmp_path / "content" / "print.jpg"), photo_like(height, width))
    return path


def test_check_warns_when_the_print_is_too_small_to_show_sharp(tmp_path, capsys):
    path = photograph_show(tmp_path, 320, 240)
    assert main(["check", "--show", str(path)]) == 0  # a warning, not an error
    said = capsys.readouterr().out
    assert "print.toml:3: image: 'print.jpg' is 320x240 px" in said
    assert "1920x1080 display, at its closest zoom (1.6x)" in said
    assert "A scan about 1400 px on its long side shows it sharp" in said  # the grid's mat: 0.44 of 1920


def test_check_is_quiet_about_a_print_large_enough(tmp_path, capsys):
    path = photograph_show(tmp_path, 1200, 900)
    show = load_show(path)
    assert not check_media(show)
    main(["check", "--show", str(path)])
    assert "look soft" not in capsys.readouterr().out


BROKEN_SCENES = {
    "photograph": """
        type = "photograph"
        id = "s"
        image = "broken.jpg"
        """,
    "portrait": """
        type = "portrait"
        id = "s"

        [[portraits]]
        image = "broken.jpg"
        """,
    "loop": """
        type = "loop"
        id = "s"
        folder = "loop/*"
        """,
}


@pytest.mark.parametrize("kind", sorted(BROKEN_SCENES))
def test_a_broken_file_reaches_status_not_only_the_log(tmp_path, kind):
    """A half-copied file kept the show going (a stand-in, the house sitter, the next
    clip), but only the log said so: a technician reading /bayard/status or the overlay
    saw nothing wrong. A missing file was already reported there."""
    from installation.harness import run_test

    path = write_show(tmp_path, {"s": BROKEN_SCENES[kind]})
    content = tmp_path / "content"
    whole = cv2.imencode(".jpg", photo_like(240, 320))[1].tobytes()
    (content / "broken.jpg").write_bytes(whole[: len(whole) // 3])
    (content / "loop").mkdir()
    (content / "loop" / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(3000))
    with run_test(path) as pilot:
        pilot.advance(2.0)
        errors = [e["message"] for e in pilot.engine.status()["errors"]
                  if e["where"] == "s" and e["severity"] == "error"]
    assert len(errors) == 1, errors
    assert "broken" in errors[0] and ("cannot be" in errors[0])


def test_a_picture_format_the_show_cannot_open_is_named_not_called_corrupt(tmp_path):
    """A phone's HEIC was logged at run time as "corrupt, truncated or not an image", which
    sends a technician looking for a broken copy."""
    from installation.imaging import MediaError, read_rgb

    picture = tmp_path / "moulin.heic"
    picture.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(200))
    with pytest.raises(MediaError, match=r"a '\.heic' file, which the show cannot open; export it as JPEG or PNG"):
        read_rgb(picture)


def test_a_missing_portrait_is_told_to_the_technician_once(tmp_path):
    """A portrait file deleted from content/ (or a typo in its name) showed twice under the
    overlay's recent errors ("media file gone.jpg not found ...; did you mean ..." and
    ".../gone.jpg: file not found"), one problem taking two of the few lines a small
    screen has, as if two things were wrong."""
    from installation.harness import run_test

    path = write_show(tmp_path, {"s": """
        type = "portrait"
        id = "s"

        [[portraits]]
        image = "gone.jpg"
        """})
    with run_test(path) as pilot:
        pilot.advance(2.0)
        status = pilot.engine.status()
    # (Once in all: under the show's files now, as check lists it, or under recent errors.)
    errors = [*status["problems"], *(e["message"] for e in status["errors"] if e["where"] == "s")]
    told = [message for message in errors if "gone.jpg" in message]
    assert len(told) == 1, errors
    assert "not found" in told[0]
