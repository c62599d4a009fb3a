"""A large quiz picture made ready at each showing: it was decoded whole every time (a
12000x9000 JPEG: 2.5-4 s and 640 MB at every showing, bench/quiz_picture.py). Now it is
decoded reduced where its format allows, its screen copy kept for later showings, and
decoded whole only for the machine to judge it; what visitors see is the same to the eye."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest
from PIL import Image

from installation.harness import run_test
from installation.imaging import read_rgb
from installation.scenes import quiz_draw, quiz_machine

from .detector_fixtures import natural
from .test_quiz import _fresh_caches  # noqa: F401  (autouse: each test loads items afresh)
from .test_quiz_manifest import FOUR, SIZE, _item, _quiz

BIG = (5200, 3900)  # (width, height): a JPEG this size decodes at half size for a 640 px copy


def _photograph(path, size=BIG, seed=5) -> None:
    """A photograph-like JPEG: 1/f noise enlarged, with sensor noise (fine detail to lose)."""
    picture = cv2.resize(natural(np.random.default_rng(seed), 1024), size, interpolation=cv2.INTER_CUBIC)
    picture += np.random.default_rng(seed + 1).integers(0, 6, picture.shape, dtype=np.uint8)
    cv2.imwrite(str(path), picture[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])


@pytest.fixture
def decoded(monkeypatch) -> list[tuple[int, int]]:
    """(height, width) of every picture decoded of 1000 px or more (the test's four small
    items are 256 px), by any path: OpenCV's decoder itself is watched."""
    shapes: list[tuple[int, int]] = []
    original = cv2.imdecode

    def watched(*args, **kwargs):
        image = original(*args, **kwargs)
        if image is not None and max(image.shape[:2]) >= 1000:
            shapes.append(image.shape[:2])
        return image

    monkeypatch.setattr(cv2, "imdecode", watched)
    return shapes


def _laplacian(image: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32), cv2.CV_32F).var())


def test_a_large_picture_is_decoded_reduced_once_and_looks_as_the_whole_one_shrunk(tmp_path, decoded):
    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    _photograph(folder / "big.jpg")
    path = _quiz(tmp_path, FOUR + _item("quiz/big.jpg", "real"))
    with run_test(path, size=SIZE) as pilot:
        shown = pilot.engine.sequencer.current.scene.items["quiz/big.jpg"].image
    assert decoded and all(max(shape) <= BIG[0] // 2 for shape in decoded), decoded  # never whole
    decoded.clear()
    whole = read_rgb(folder / "big.jpg")
    decoded.clear()
    expected = quiz_draw.square_crop(whole, shown.shape[0])
    assert shown.shape == expected.shape
    assert np.abs(shown.astype(int) - expected).mean() < 1.0  # grey levels of 255
    assert _laplacian(shown) > 0.85 * _laplacian(expected)  # as sharp
    with run_test(path, size=SIZE) as pilot:  # the next showing: the kept copy, no pixels read
        again = pilot.engine.sequencer.current.scene.items["quiz/big.jpg"].image
    assert decoded == [] and np.array_equal(again, shown)
    _photograph(folder / "big.jpg", seed=9)  # the picture replaced: read again
    with run_test(path, size=SIZE) as pilot:
        replaced = pilot.engine.sequencer.current.scene.items["quiz/big.jpg"].image
    assert len(decoded) == 1 and np.abs(replaced.astype(int) - shown).mean() > 10


def test_the_machine_judges_a_large_picture_whole_once(tmp_path, decoded, monkeypatch):
    """The detector reads a picture's own pixels (shrinking washes out its traces): the
    first showing decodes it whole for it; later showings read no pixels at all, and the
    machine says the same of it."""
    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    _photograph(folder / "big.jpg")
    path = _quiz(tmp_path, FOUR + _item("quiz/big.jpg", "real"), detector="spectral")
    with run_test(path, size=SIZE) as pilot:
        first = pilot.engine.sequencer.current.scene.items["quiz/big.jpg"]
        assert first.verdict is not None
    assert decoded == [(BIG[1], BIG[0])]
    with run_test(path, size=SIZE) as pilot:
        again = pilot.engine.sequencer.current.scene.items["quiz/big.jpg"]
        assert again.verdict == first.verdict
    assert decoded == [(BIG[1], BIG[0])]


def _turned_in_place(path, orientation: int) -> None:
    """Set the JPEG's EXIF orientation in place, as `exiftool -P -Orientation#=6` does: the
    same bytes but one, the same size, and the modification time kept."""
    before = path.stat()
    data = path.read_bytes()
    tag = b"\x01\x12\x00\x03\x00\x00\x00\x01\x00"  # Orientation, SHORT, one value (Pillow: big-endian)
    at = data.index(tag) + len(tag)
    path.write_bytes(data[:at] + bytes([orientation]) + data[at + 1:])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_picture_turned_in_place_keeping_its_size_and_time_is_shown_turned(tmp_path):
    """A technician turns a sideways picture upright by its EXIF tag (exiftool -P keeps the
    file's time, and the size does not change): the quiz kept showing it sideways, and the
    machine judged the old pixels, until a restart."""
    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    picture = np.zeros((400, 600, 3), np.uint8)
    picture[:, :300] = (220, 40, 40)  # red on the left half, blue on the right
    picture[:, 300:] = (40, 40, 220)
    exif = Image.Exif()
    exif[0x0112] = 1
    Image.fromarray(picture).save(folder / "turn.jpg", exif=exif.tobytes(), quality=95)
    path = _quiz(tmp_path, FOUR + _item("quiz/turn.jpg", "real"), detector="spectral")
    with run_test(path, size=SIZE) as pilot:
        upright = pilot.engine.sequencer.current.scene.items["quiz/turn.jpg"].image.copy()
    _turned_in_place(folder / "turn.jpg", 6)  # turned a quarter: red now on top
    with run_test(path, size=SIZE) as pilot:
        turned = pilot.engine.sequencer.current.scene.items["quiz/turn.jpg"].image
    half = upright.shape[0] // 2
    assert upright[:, :half, 0].mean() > 150 > upright[:, half:, 0].mean()  # left red before
    assert turned[:half, :, 0].mean() > 150 > turned[half:, :, 0].mean(), "still shown as before the turn"
    judged = [key for key in quiz_machine._JUDGED if key[0].endswith("turn.jpg")]
    assert len(judged) == 2, "the machine's reveal still shows the picture as it was"


def test_a_quiz_with_more_pictures_than_memory_keeps_those_that_fit(tmp_path, decoded, monkeypatch):
    """The screen copies are kept within a memory budget, the least recently shown going
    first. But every showing makes the items ready in the same order: with one picture more
    than the budget holds, each copy made pushed out the very one the next showing needed
    first, and every picture was decoded again at every showing, as before copies were kept
    (on a 4K screen 96 MB hold 16 faces; a museum's quiz of 20 photographs kept none)."""
    from installation.scenes import quiz_pictures

    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    names = [f"quiz/photo{i}.jpg" for i in range(6)]
    for i, name in enumerate(names):
        _photograph(tmp_path / "content" / name, size=(1200, 1000), seed=20 + i)
    copy_bytes = 640 * 640 * 3  # (each photograph's screen copy here)
    monkeypatch.setattr(quiz_pictures, "COPIES_MAX_BYTES", 4 * copy_bytes + 4 * 256 * 256 * 3)  # 4 of the 6
    path = _quiz(tmp_path, FOUR + "".join(_item(name, "real") for name in names))
    with run_test(path, size=SIZE):
        pass
    assert len(decoded) == 6  # the first showing decodes each once
    for _ in range(2):  # the next showings: the four kept are not read again
        decoded.clear()
        with run_test(path, size=SIZE) as pilot:
            assert len(pilot.engine.sequencer.current.scene.items) == 10
        assert len(decoded) <= 2, f"{len(decoded)} of 6 photographs decoded again"


def test_a_quiz_without_a_machine_on_a_stick_unmounted_plays_its_pictures_on(tmp_path, monkeypatch):
    """Unmounted (`sudo umount`, or the desktop's eject), a stick's pictures lie on no drive at
    all: their path's nearest folder is the empty mount point, on the show's own disk. The
    screen copies were shown on only where the path still looked as if on another drive, so a
    quiz with no machine (whose pictures are never decoded whole, so media.kept holds none)
    rested at its next showing with every item "file not found"."""
    from installation.media import drives, kept, staging
    from installation.media.staging import FilmCache

    stick = tmp_path / "stick"
    mounted = [True]

    def device(path):  # as drives.device reads a stick: the nearest folder that exists, the mount point's
        for folder in (path, *path.parents):
            if folder.exists():
                return 2 if mounted[0] and stick in (folder, *folder.parents) else 1
        return None

    monkeypatch.setattr(drives, "device", device)
    path = _quiz(stick, FOUR)
    staging.use(FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0))
    try:
        with run_test(path, size=SIZE) as pilot:
            first = pilot.engine.sequencer.current.scene
            assert len(first.items) == 4
            (stick / "content").rename(tmp_path / "pulled")  # unmounted: an empty mount point is left
            mounted[0] = False
            pilot.command("next")  # the quiz's next showing
            pilot.advance(0.5)
            scene = pilot.engine.sequencer.current.scene
            assert scene is not first and len(scene.items) == 4 and not scene.problem, scene.problem
            for key, prepared in scene.items.items():
                assert np.array_equal(prepared.image, first.items[key].image)
    finally:
        staging.use(None)
        kept.forget()
