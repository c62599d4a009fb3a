"""The quiz's items manifest read as strictly as the settings files, a running show that
keeps what it last read well, and odd pictures listed as items: each plays as it should
be seen or is left out with a message that names its line; none faults the show."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import installation.scenes.quiz  # noqa: F401 - registers the "quiz" kind
from installation.harness import run_test

from .conftest import REPO, write_show
from .detector_fixtures import natural, upsampled
from .test_quiz import _fresh_caches  # noqa: F401  (autouse: each test loads items afresh)

SIZE = (960, 540)
RED, GREEN, BLUE = (200, 30, 30), (30, 200, 30), (30, 30, 200)


def _item(image: str, truth: str, **more: str) -> str:
    escaped = image.replace("\\", "\\\\").replace('"', '\\"')
    keys = "".join(f"{k} = {v}\n" for k, v in more.items())
    return f'[[item]]\nimage = "{escaped}"\ntruth = "{truth}"\n{keys}\n'


def _quiz(root: Path, lines: str, mode: str = "single", detector: str = "none") -> Path:
    """A show of one quiz whose items are content/quiz/items.toml; four pictures made here
    (quiz/real0.jpg, real1, fake0, fake1) for it to list."""
    folder = root / "content" / "quiz"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    for i in range(2):
        for kind, make in (("real", natural), ("fake", upsampled)):
            cv2.imwrite(str(folder / f"{kind}{i}.jpg"), make(rng)[:, :, ::-1])
    (folder / "items.toml").write_text(lines, encoding="utf-8")
    if detector == "spectral":
        (root / "models" / "detector").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "models" / "detector" / "spectral.npz", root / "models" / "detector" / "spectral.npz")
    scene = f"""
        type = "quiz"
        id = "q"
        manifest = "quiz/items.toml"
        mode = "{mode}"
        questions = 4
        seed = 3
        detector = "{detector}"
        """
    return write_show(root, {"q": scene}, size=SIZE)


FOUR = "".join(_item(f"quiz/{kind}{i}.jpg", kind, match=f'"m{i}"') for i in range(2) for kind in ("real", "fake"))


def _said(pilot) -> list[str]:
    pilot.advance(0.2)  # (reports reach status at the next frame)
    return [e["message"] for e in pilot.engine.status()["errors"]]


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# -- the manifest's values ----------------------------------------------------------


def test_a_value_of_the_wrong_kind_is_said_as_the_settings_files_say_it(tmp_path, capsys):
    """A number where text is asked, a date, a list, a capital in a choice: pydantic's own
    words ("input should be a valid string; found 5", "found datetime.date(1900, 1, 1)")
    named no fix and spoke Python. Now each says what was found and what to write, at its
    line, and the item waits while the others play."""
    from installation.cli import main

    lines = (FOUR + _item("quiz/real0.jpg", "real", credit="5") + _item("quiz/fake0.jpg", "fake", match="3")
             + _item("quiz/real1.jpg", "real", credit="1900-01-01") + _item("quiz/fake1.jpg", "Fake")
             + _item("quiz/real1.jpg", "real", source='["a", "b"]'))
    path = _quiz(tmp_path, lines)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    assert main(["check", "--show", str(path)]) == 0  # warnings: the quiz plays the good items
    out = capsys.readouterr().out
    expected = [
        (_line(manifest, "credit = 5"), 'item #5, credit: credit is the number 5; it takes text in quotes: '
                                        'write credit = "5"'),
        (_line(manifest, "match = 3"), 'item #6, match: match is the number 3; it takes text in quotes: '
                                       'write match = "3"'),
        (_line(manifest, "credit = 1900"), "item #7, credit: credit is the date 1900-01-01; it takes text in quotes"),
        (_line(manifest, '"Fake"'), 'item #8, truth: truth is the text "Fake"; it takes one of "real", "fake", '
                                    '"generated", "altered": write truth = "fake"'),
        (_line(manifest, "source ="), "item #9, source: source is a list; it takes text in quotes"),
    ]
    for line, said in expected:
        assert f"items.toml:{line}: {said}" in out, out
    assert out.count("the quiz leaves this item out until it is mended") == 5
    assert "datetime" not in out and "input should be" not in out
    with run_test(path, size=SIZE) as pilot:
        assert len(pilot.engine.sequencer.current.scene.items) == 4
        assert any(f"items.toml:{expected[0][0]}: {expected[0][1]}" in m for m in _said(pilot))


def test_a_manifest_written_with_one_bracket_is_told_to_use_two(tmp_path):
    from installation.scenes.quiz_items import ItemsError
    from installation.scenes.quiz_manifest import read_manifest

    manifest = tmp_path / "items.toml"
    manifest.write_text('[item]\nimage = "a.jpg"\ntruth = "real"\n')
    with pytest.raises(ItemsError, match=r"items\.toml:1: item: written \[item\], one table; .* written "
                                         r"\[\[item\]\] with two brackets"):
        read_manifest(manifest, tmp_path, tmp_path)


def test_a_picture_listed_twice_is_said_not_played_as_whichever_came_last(tmp_path, capsys):
    """One picture listed as real and, further down, as fake: the second listing replaced
    the first without a word, and the quiz scored visitors against it."""
    from installation.cli import main

    path = _quiz(tmp_path, FOUR + _item("quiz/real0.jpg", "fake"))
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    assert main(["check", "--show", str(path)]) == 0
    out = capsys.readouterr().out
    second = [n for n, line in enumerate(manifest.read_text().splitlines(), 1) if "quiz/real0.jpg" in line][1]
    assert (f"items.toml:{second}: item #5, image: 'quiz/real0.jpg' is listed already, as item #1 (line 2); a "
            "picture is listed once: remove this item, or name another picture") in out, out
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert len(scene.items) == 4 and scene.items["quiz/real0.jpg"].item.truth == "real"


def test_an_accented_name_saved_by_another_system_plays(tmp_path):
    """`café.jpg` typed in the manifest as one letter é, the file copied from a Mac that
    writes it as e and an accent: the names look the same, and the quiz said "file not found"."""
    import unicodedata

    path = _quiz(tmp_path, FOUR + _item("quiz/caf\u00e9.jpg", "real"))
    _plain(tmp_path / "content" / "quiz" / unicodedata.normalize("NFD", "caf\u00e9.jpg"))
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert "quiz/caf\u00e9.jpg" in scene.items and not _said(pilot), _said(pilot)


# -- a running show ------------------------------------------------------------------


def test_a_running_show_keeps_what_it_last_read_well_when_an_edit_breaks_the_manifest(tmp_path):
    """The scene is built anew at every showing and re-reads its manifest. An edit that
    broke one item took it out of a quiz visitors were playing; an edit that left the file
    half-saved emptied the quiz. Now what played before plays on, said as such, and what
    the edit added well plays too."""
    path = _quiz(tmp_path, FOUR)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    with run_test(path, size=SIZE) as pilot:
        assert len(pilot.engine.sequencer.current.scene.items) == 4
    shutil.copy(tmp_path / "content" / "quiz" / "real0.jpg", tmp_path / "content" / "quiz" / "real2.jpg")
    manifest.write_text(FOUR.replace('truth = "fake"', 'truth = "fakee"', 1) + _item("quiz/real2.jpg", "real"))
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert sorted(scene.items) == ["quiz/fake0.jpg", "quiz/fake1.jpg", "quiz/real0.jpg", "quiz/real1.jpg",
                                       "quiz/real2.jpg"]
        assert scene.items["quiz/fake0.jpg"].item.truth == "fake"  # as it was last read well
        said = _said(pilot)
        assert any('item #2, truth: truth is the text "fakee"' in m and "'quiz/fake0.jpg' played before and play "
                   "as last read well until mended" in m for m in said), said
    manifest.write_text('[[item]\nimage = "quiz/real0.jpg"\n')  # saved half-way
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert len(scene.items) == 5 and not scene.problem
        assert any("items.toml:1: not valid TOML" in m and "the quiz plays the 5 items it last read well until the "
                   "manifest is mended" in m for m in _said(pilot)), _said(pilot)
        pilot.command("start", scene="q")
        assert scene.state == "question"


def test_a_pair_quiz_left_without_a_pair_rests_and_says_so(tmp_path, capsys):
    """A pair quiz whose fakes were all mistyped: the start card still offered "Touch to
    play", a touch did nothing, and `check` spoke of rounds of 0 pairs as a warning. With
    what it played before, a running show plays on; without, the quiz rests, said as such."""
    from installation.cli import main

    broken = FOUR.replace('truth = "fake"', 'truth = "fakee"')
    path = _quiz(tmp_path, broken, mode="pair")
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert ("then pair mode needs at least one real and one fake item, and there are 2 real and 0 fake, so the "
            "quiz rests with no pictures until it is mended") in out
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert "pair mode needs at least one real and one fake item" in scene.problem
        assert not scene.can_play()
        before = pilot.frame().copy()
        pilot.tap(SIZE[0] / 2, SIZE[1] * 0.84)
        assert scene.state == "attract"
    # the same, mended, then broken again while the show runs: the pairs play on
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    manifest.write_text(FOUR)
    with run_test(path, size=SIZE) as pilot:
        assert pilot.engine.sequencer.current.scene.can_play()
        playing = pilot.frame().copy()
    manifest.write_text(broken)
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert scene.can_play() and len(scene.items) == 4
        assert any("'quiz/fake0.jpg', 'quiz/fake1.jpg' played before" in m for m in _said(pilot)), _said(pilot)
    manifest.write_text("".join(_item(f"quiz/real{i}.jpg", "real") for i in range(2)))  # the fakes taken out
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert scene.can_play() and len(scene.items) == 4
        assert any("there are 2 real and 0 fake; the quiz plays the 4 items it last read well" in m
                   for m in _said(pilot)), _said(pilot)
    # the resting start card differs from the playing one where its button was
    x, y = round(SIZE[0] / 2), round(SIZE[1] * 0.84)
    assert before.get_at((x, y)) != playing.get_at((x, y))


# -- odd pictures --------------------------------------------------------------------


def _reference() -> np.ndarray:
    """256 px: red above, green below left, blue below right (so a turn or a swap of
    channels shows)."""
    image = np.empty((256, 256, 3), np.uint8)
    image[:128], image[128:, :128], image[128:, 128:] = RED, GREEN, BLUE
    return image


def _cmyk(path: Path) -> None:
    Image.fromarray(_reference()).convert("CMYK").save(path, "JPEG", quality=95)


def _sixteen_bits(path: Path) -> None:
    cv2.imwrite(str(path), _reference()[:, :, ::-1].astype(np.uint16) * 257)


def _exif_turned(path: Path) -> None:
    stored = Image.fromarray(np.ascontiguousarray(np.rot90(_reference())))  # a camera held on its side
    exif = stored.getexif()
    exif[0x0112] = 6  # shown turned a quarter clockwise
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())


def _animated(path: Path) -> None:
    first, second = Image.fromarray(_reference()), Image.fromarray(np.ascontiguousarray(_reference()[::-1]))
    first.save(path, "GIF", save_all=True, append_images=[second], duration=100, loop=0)


def _png_named_jpg(path: Path) -> None:
    path.write_bytes(cv2.imencode(".png", _reference()[:, :, ::-1])[1].tobytes())


def _plain(path: Path) -> None:
    cv2.imwrite(str(path), _reference()[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])


PLAYS = {"cmyk.jpg": _cmyk, "sixteen.png": _sixteen_bits, "turned.jpg": _exif_turned, "animated.gif": _animated,
         "png.jpg": _png_named_jpg, "odd é #[1] 'q\".jpg": _plain}


def _grey_with_alpha(path: Path) -> None:
    grey = np.full((256, 256), 60, np.uint8)
    alpha = np.full((256, 256), 255, np.uint8)
    alpha[128:] = 0
    Image.fromarray(np.dstack([grey, alpha]), "LA").save(path)


def _truncated(path: Path) -> None:
    data = cv2.imencode(".jpg", natural(np.random.default_rng(1), 512)[:, :, ::-1])[1].tobytes()
    path.write_bytes(data[: len(data) * 6 // 10])  # a copy that stopped


def _loop(path: Path) -> None:
    other = path.with_name("loop2.jpg")
    os.symlink(other.name, path)
    os.symlink(path.name, other)


SKIPPED = {
    "truncated.jpg": (_truncated, "cannot be decoded as an image"),
    "text.jpg": (lambda p: p.write_text("a caption saved as .jpg"), "cannot be decoded as an image"),
    "missing.jpg": (lambda p: None, "file not found"),
    "loop.jpg": (_loop, "is a link that leads round in a circle (a symlink loop); put the file itself there"),
    "dot.png": (lambda p: cv2.imwrite(str(p), np.full((1, 1, 3), 90, np.uint8)),
                "is only 1x1 px, too small to ask about"),
}


def test_odd_pictures_play_the_right_way_up_in_their_colours_or_are_left_out_by_name(tmp_path, capsys):
    """Pictures as galleries save them. Each either plays as it is seen in a viewer (turned
    by its EXIF, its colours whatever its colour model or depth, transparency over white,
    an animation's first frame, a PNG behind a .jpg name, a name with odd characters), or
    is left out with a message at its line; none faults the show or `check`. (A symlink
    loop faulted the manifest's reading; a 1x1 picture played, asked about, and drew every
    quiz face as a 64 px thumbnail; an odd name's mistakes were named with no line.)"""
    from installation.cli import main

    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    for name, make in PLAYS.items():
        make(folder / name)
    _grey_with_alpha(folder / "grey.png")
    for name, (make, _) in SKIPPED.items():
        make(folder / name)
    odd_broken = "broken é #[2] 'q\".jpg"
    (folder / odd_broken).write_text("not a picture")
    names = [*PLAYS, "grey.png", *SKIPPED, odd_broken]
    path = _quiz(tmp_path, FOUR + "".join(_item(f"quiz/{name}", "real") for name in names), detector="spectral")
    manifest = folder / "items.toml"
    with run_test(path, size=SIZE) as pilot:  # (a fault fails the test)
        scene = pilot.engine.sequencer.current.scene
        assert sorted(scene.items) == sorted([f"quiz/{n}" for n in (*PLAYS, "grey.png")] + [
            f"quiz/{kind}{i}.jpg" for i in range(2) for kind in ("real", "fake")])
        for name in PLAYS:
            image = scene.items[f"quiz/{name}"].image.astype(int)
            side = image.shape[0]
            for (y, x), colour in (((side // 4, side // 2), RED), ((3 * side // 4, side // 4), GREEN),
                                   ((3 * side // 4, 3 * side // 4), BLUE)):
                assert np.abs(image[y, x] - colour).max() <= 12, (name, (y, x), image[y, x])
        grey = scene.items["quiz/grey.png"].image
        assert (grey[64, 128] == 60).all() and (grey[192, 128] == 255).all()  # transparency over white
        said = _said(pilot)
        for name, (_, why) in SKIPPED.items():
            line = _line(manifest, f"quiz/{name}")
            assert any(f"items.toml:{line}:" in m and f"quiz/{name}" in m and why in m for m in said), (name, said)
        line = _line(manifest, "broken é")
        assert any(f"items.toml:{line}: image: quiz item 'quiz/{odd_broken}'" in m for m in said), said
        assert scene.largest_picture() >= 2 * 256  # no thumbnail for every face
    main(["check", "--show", str(path)])
    out = capsys.readouterr().out
    for name, (_, why) in SKIPPED.items():
        why = "no such file in the content folder" if name == "missing.jpg" else why  # (check's words)
        line = _line(manifest, f"quiz/{name}")
        assert any(f"items.toml:{line}:" in said and why in said for said in out.splitlines()), (name, out)
    assert f"items.toml:{_line(manifest, 'broken é')}: image: quiz item 'quiz/{odd_broken}'" in out, out


def test_a_picture_that_cannot_be_read_is_a_warning_with_its_fix_and_the_others_play(tmp_path, capsys):
    """A half-copied picture, and text saved as .jpg, were said as errors (`check` failed the
    show, the overlay counted errors) where a manifest's slip is a warning: the quiz plays
    the others. Each is a warning at its line, saying what to do; an error only where,
    without them, the quiz would rest."""
    from installation.cli import main

    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    _truncated(folder / "half.jpg")
    (folder / "text.jpg").write_text("a caption saved as .jpg")
    path = _quiz(tmp_path, FOUR + _item("quiz/half.jpg", "fake") + _item("quiz/text.jpg", "real"))
    manifest = folder / "items.toml"
    fix = ("cannot be decoded as an image (corrupt, truncated or not an image): copy the picture again from "
           "where it came (or save it again as JPEG or PNG), or remove its [[item]] from the manifest; the quiz "
           "plays the others meanwhile")
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert len(scene.items) == 4 and not scene.problem
        pilot.advance(0.2)
        for name in ("half.jpg", "text.jpg"):
            told = [e for e in pilot.engine.status()["errors"] if f"quiz/{name}" in e["message"]]
            assert [e["severity"] for e in told] == ["warning"], told
            assert f"items.toml:{_line(manifest, f'quiz/{name}')}: image: quiz item 'quiz/{name}': {fix}" in (
                told[0]["message"]), told
    assert main(["check", "--show", str(path)]) == 0
    out = capsys.readouterr().out
    warnings = out.split("Warnings (")[1]
    for name in ("half.jpg", "text.jpg"):
        assert f"items.toml:{_line(manifest, f'quiz/{name}')}: image: quiz item 'quiz/{name}': {fix}" in warnings
    # a pair quiz whose only fakes cannot be shown rests: then it is an error
    pair = _quiz(tmp_path, "".join(_item(f"quiz/real{i}.jpg", "real") for i in range(2))
                 + _item("quiz/half.jpg", "fake"), mode="pair")
    assert main(["check", "--show", str(pair)]) == 1
    errors = re.split(r"\n\d+ errors?:\n", capsys.readouterr().out)[1]
    assert (f"quiz item 'quiz/half.jpg': {fix}; but without the pictures that cannot be shown pair mode needs "
            "at least one real and one fake item, and there are 2 real and 0 fake, so the quiz rests") in errors


@pytest.mark.slow
def test_a_12000_by_9000_picture_plays_whole(tmp_path):
    """A medium-format scan as a quiz item (108 megapixels, under the show's 150): it plays,
    in its colours, and the others with it (decoded at a quarter size for its screen copy,
    which later showings keep: tests/test_quiz_pictures.py, bench/quiz_picture.py)."""
    folder = tmp_path / "content" / "quiz"
    folder.mkdir(parents=True)
    big = cv2.resize(_reference()[:, :, ::-1], (12000, 9000), interpolation=cv2.INTER_NEAREST)
    cv2.imwrite(str(folder / "big.jpg"), big, [cv2.IMWRITE_JPEG_QUALITY, 90])
    del big
    path = _quiz(tmp_path, FOUR + _item("quiz/big.jpg", "real"))
    with run_test(path, size=SIZE) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert len(scene.items) == 5 and not _said(pilot)
        image = scene.items["quiz/big.jpg"].image.astype(int)
        side = image.shape[0]
        assert side <= 2048  # a display copy, not the scan
        # the square middle of a 4:3 picture: red above the middle, green and blue below
        assert np.abs(image[side // 4, side // 2] - RED).max() <= 12
        assert np.abs(image[7 * side // 8, side // 8] - GREEN).max() <= 12
        assert np.abs(image[7 * side // 8, 7 * side // 8] - BLUE).max() <= 12


def test_a_manifest_of_many_items_each_with_a_slip_is_read_in_seconds(tmp_path):
    """A manifest exported from a spreadsheet, every credit a number (credit = 5): each
    mistake's line was found by walking the whole file again, and 1,000 such items took 40 s
    to read at each showing of the quiz (2,000: over three minutes); `check` as long."""
    import time

    from installation.scenes.quiz_manifest import ItemPlaces, read_manifest

    content = tmp_path / "content"
    content.mkdir()
    Image.new("RGB", (64, 64), RED).save(content / "p0.png")
    count = 1500
    for i in range(1, count):
        shutil.copy(content / "p0.png", content / f"p{i}.png")
    manifest = tmp_path / "items.toml"
    manifest.write_text("".join(_item(f"p{i}.png", "real", credit=str(i)) for i in range(count)))
    started = time.perf_counter()
    items, problems = read_manifest(manifest, content, tmp_path)
    places = ItemPlaces(manifest, tmp_path)
    lines = [places.line(f"p{i}.png") for i in range(count)]
    took = time.perf_counter() - started
    assert items == [] and len(problems) == count
    last = problems[-1]
    assert (last.line, last.key) == (_line(manifest, f"credit = {count - 1}"), f"item #{count}, credit"), last
    assert lines[-1] == _line(manifest, f'image = "p{count - 1}.png"')
    assert took < 20, f"{took:.1f} s"  # (66 s before; 2 s now, on a busy machine)


def test_a_manifest_replaced_by_a_link_round_in_a_circle_plays_what_it_last_read_well(tmp_path):
    """A manifest that became a link leading round in a circle while the show ran (a copy
    tool's slip) faulted the quiz at its next showing ("Symlink loop from ..."), where a
    manifest made a folder, or unreadable, played the items last read well."""
    path = _quiz(tmp_path, FOUR)
    manifest = tmp_path / "content" / "quiz" / "items.toml"
    with run_test(path, size=SIZE) as pilot:
        first = pilot.engine.sequencer.current.scene
        assert len(first.items) == 4
        manifest.unlink()
        manifest.symlink_to(manifest)
        pilot.command("next")  # the quiz's next showing, built anew
        pilot.advance(0.5)
        scene = pilot.engine.sequencer.current.scene
        assert scene is not first and len(scene.items) == 4 and not scene.problem
        assert any("items.toml: cannot be read" in m and "the quiz plays the 4 items it last read well" in m
                   for m in _said(pilot)), _said(pilot)


def test_a_quiz_on_a_stick_taken_out_plays_its_pictures_on(tmp_path):
    """Films and photographs from a stick go on while it is out; the quiz's next showing met
    its pictures out of reach and rested, saying "no quiz items could be loaded; put images
    in the quiz folders". It plays the pictures last read from the stick, judged as before."""
    from installation.media import kept, staging
    from installation.media.staging import FilmCache

    stick = tmp_path / "stick"
    path = _quiz(stick, FOUR, detector="spectral")
    staging.use(FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0,
                          elsewhere=lambda path: stick in Path(path).parents))
    try:
        with run_test(path, size=SIZE) as pilot:
            first = pilot.engine.sequencer.current.scene
            assert len(first.items) == 4 and first.detector is not None
            (stick / "content" / "quiz").rename(tmp_path / "pulled")  # the stick taken out
            pilot.command("next")  # the quiz's next showing
            pilot.advance(0.5)
            scene = pilot.engine.sequencer.current.scene
            assert scene is not first and len(scene.items) == 4 and not scene.problem, scene.problem
            for key, prepared in scene.items.items():
                assert prepared.verdict == first.items[key].verdict  # judged as before
            pilot.command("start", scene="q")
            assert scene.state == "question"
    finally:
        staging.use(None)
        kept.forget()
