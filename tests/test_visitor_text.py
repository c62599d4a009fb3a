"""What visitors meet on every scene of the default show: kiosk-sized, legible, tidy text.

Sampled frames of the whole default loop are rendered at two screen sizes while the
typography layer logs the text boxes it places (installation/textlog.py). Any error in
the log, overlapping text, text off the screen, and visitor text under the minimum cap
height (1/45 of the shorter side, credits too) or contrast (4.5:1) fail.
`bench/typography.py` runs the same checks over every frame at four sizes.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pygame
import pytest

from installation.harness import run_test
from installation.textlog import problems, type_side
from installation.typefaces import has_glyph
from installation.typography import Fonts

from .conftest import load_default_show

SAMPLE_EVERY_S = 2.0


def _loop_seconds(show) -> float:
    return sum(show.scenes[s].duration or 30 for s in show.playlist) + 2 * len(show.playlist)


# 1280x1024: a 5:4 monitor, common in galleries. Type is sized by the shorter side, so
# it is nearly as large as at 1080p while the column beside a half-width picture is 500
# px: the loop's words ran into its credit and the back of Bayard's print off the screen.
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1280, 1024)])
def test_default_show_text_is_kiosk_legible_and_never_collides(size, caplog):
    show = load_default_show()
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    with caplog.at_level(logging.ERROR), run_test(show, size=size, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        t = 0.0
        while t < _loop_seconds(show):
            pilot.advance(SAMPLE_EVERY_S)
            t += SAMPLE_EVERY_S
            boxes = pilot.engine.fonts.log.boxes
            seen.update(b.text for b in boxes if b.tier != "operator")
            for problem in problems(boxes):
                found.setdefault(problem, []).append(f"{pilot.scene_id}@{t:.0f}s")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors
    assert not found, "\n".join(f"{p}  ({', '.join(w[:3])})" for p, w in found.items())
    # The checks saw every scene's words, not an empty screen.
    for words in ("Staged, Synthetic, Real", "Self Portrait as a Drowned Man", "This person doesn\u2019t exist.",
                  "Real or generated?"):
        assert words in seen
    # Operator facts go to the overlay, `bayard check`, status and the log, not the wall.
    shown = " ".join(seen)
    for operator in ("not installed", "install one", "camera unavailable", "CREDITS.md", "content/",
                     "scene file", "Société française"):
        assert operator not in shown
    # While the print is not installed, the drawing says what it is, and the portrait
    # without a camera does not promise that one follows the visitor.
    assert "A drawing of the photograph" in shown
    assert "A camera follows your face" not in shown


def test_type_floors_hold_on_every_screen_shape():
    for size in ((1280, 720), (1080, 1920), (3840, 2160)):
        fonts = Fonts(type_side(size))
        short = type_side(size)
        body = fonts.line("Hello", "serif", 10, (255, 255, 255))
        small = fonts.line("Hello", "sans", 10, (255, 255, 255), tier="small")
        assert fonts._info[id(body)].cap >= short / 45
        assert fonts._info[id(small)].cap >= short / 45  # credits too: read from two metres


def test_greek_and_cyrillic_do_not_fall_back_to_boxes():
    pygame.font.init()
    fonts = Fonts(1080)
    for text in ("Ωραία μέρα", "Добрый день", "Ça déjà vu, Łódź"):
        for role in ("serif", "sans", "sans-italic", "serif-italic"):
            face = fonts._face(role, text)
            assert face is not None
            assert all(has_glyph(face, ch) for ch in text if not ch.isspace()), (role, text)


def test_overlay_lists_problems_in_words_with_local_time_and_count():
    import time

    from installation.overlay_words import describe_errors

    when = time.mktime((2024, 5, 4, 14, 2, 0, 0, 0, -1))
    lines = describe_errors([{"time": when, "where": "portrait", "message": "the camera stopped",
                              "severity": "error"}] * 3)
    assert lines == ["14:02 · portrait · the camera stopped. (3 times)"]
    assert "{" not in " ".join(lines)
    advice = describe_errors([{"time": when, "where": "portrait", "severity": "warning",
                               "message": "set rotation = 180 under [camera] in install.toml"}])
    assert advice == ["14:02 · portrait · warning · set rotation = 180 under [camera] in install.toml."]


def test_check_works_from_a_folder_inside_the_show(monkeypatch, capsys):
    from pathlib import Path

    from installation.cli import main

    monkeypatch.chdir(Path("scenes").resolve())
    code = main(["check", "--fast"])
    out = capsys.readouterr().out
    assert "Show: Bayard" in out
    assert code in (0, 1)  # 1 only for warnings-as-errors elsewhere; it found and read the show


def test_preview_finds_a_scene_by_name_and_names_the_paths_it_tried(monkeypatch, capsys):
    from pathlib import Path

    from installation.cli import _resolve_scene, main

    found, _ = _resolve_scene("bayard", Path("install.toml"))
    assert found == Path("scenes/bayard.toml").resolve()
    monkeypatch.chdir(Path("content").resolve())
    assert main(["preview", "welcome", "--headless", "--seconds", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "no scene 'welcome'" in err
    assert str(Path("../scenes/welcome.toml").resolve()) in err


def test_every_cli_option_says_its_default():
    from installation.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in ("run", "check", "preview", "render"):
        for action in sub.choices[name]._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, (name, action.option_strings)
                assert "default" in action.help or "required" in action.help or action.const is True or \
                    action.__class__.__name__ == "_StoreTrueAction", (name, action.option_strings)


def test_portrait_without_a_camera_tells_the_truth_or_moves_on(tmp_path):
    from .conftest import write_show

    scenes = {
        "p": 'type = "portrait"\nid = "p"\nduration = 600\n{extra}',
        "t": 'type = "title"\nid = "t"\nduration = 600\nheading = "Next"',
    }
    camera = '\n[camera]\nfile = "no-such-camera.mp4"\n'
    for choice, expect in (("explain", "p"), ("skip", "t")):
        files = {k: v.format(extra=f'without_camera = "{choice}"') for k, v in scenes.items()}
        path = write_show(tmp_path / choice, files, extra=camera, size=(640, 360))
        with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
            pilot.engine.fonts.log.recording = True
            pilot.advance(4.0)
            assert pilot.scene_id == expect, choice
            shown = " ".join(b.text for b in pilot.engine.fonts.log.boxes)
            if choice == "explain":
                assert "camera is resting" in shown and "follows your face" not in shown


def test_hebrew_and_arabic_run_right_to_left_from_the_right_edge():
    """A show translated into Hebrew or Arabic (with a font in its fonts/ folder) reads
    from the right: glyphs in right-to-left order, paragraphs set against the right edge."""
    from pathlib import Path

    from installation.typography import rtl_script

    assert rtl_script("שלום") == "Hebr" and rtl_script("مرحبا") == "Arab"
    assert rtl_script("Hello שלום") is None and rtl_script("2026 שלום") == "Hebr"
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("no font with Hebrew glyphs on this machine (Debian's fonts-dejavu-core has one)")
    pygame.font.init()
    fonts = Fonts(1080, extra_faces=[dejavu])
    white = (255, 255, 255)
    block = fonts.block("שלום", "sans", 40, white, 900)
    ink = block.get_bounding_rect(min_alpha=32)
    assert ink.right > 850 and ink.left > 450  # set against the right edge
    # Glyph order: "alef bet" set right to left looks like "bet alef" set left to right.
    pair = pygame.surfarray.array_alpha(fonts.line("אב", "sans", 80, white))
    font = fonts.get("sans", 80, text="אב")
    font.set_direction(pygame.DIRECTION_LTR)
    mirrored = pygame.surfarray.array_alpha(font.render("בא", True, white))
    plain = pygame.surfarray.array_alpha(font.render("אב", True, white))
    assert pair.shape == mirrored.shape
    assert abs(pair.astype(int) - mirrored).mean() < abs(pair.astype(int) - plain).mean()


def test_a_word_wider_than_its_column_is_broken_not_cut_off():
    """A web address in a credit, a German compound in a title: one word wider than the
    column ran past its edge and was cut off there."""
    pygame.font.init()
    fonts = Fonts(720)
    font = fonts.get("serif", 40)
    address = "https://collections.example.org/objects/1840/hippolyte-bayard/self-portrait-as-a-drowned-man"
    for text in (address, "Selbstbildnisalsertrunkenermannvonhippolytebayard 1840"):
        lines = fonts.wrap(text, "serif", 40, 300)
        assert len(lines) > 1 and all(font.size(line)[0] <= 300 for line in lines)
        assert "".join(lines).replace("-", "").replace(" ", "") == text.replace("-", "").replace(" ", "")
    pieces = fonts.wrap(address, "serif", 40, 300)
    assert all(piece[-1] in "/.-" for piece in pieces[:-1])  # an address breaks at its own marks
    compound = fonts.wrap("Selbstbildnisalsertrunkenermannvonhippolytebayard", "serif", 40, 300)
    assert compound[0].endswith("-")  # a word breaks with a hyphen
    block = fonts.block(address, "serif", 40, (255, 255, 255), 300)
    assert block.get_bounding_rect(min_alpha=32).right <= 300
    assert fonts.wrap("Ordinary words wrap as they always did.", "serif", 40, 300) == [
        "Ordinary words wrap as", "they always did."]


def test_check_warns_about_characters_that_would_show_as_boxes(tmp_path, capsys):
    from installation.cli import main

    from .conftest import write_show

    path = write_show(tmp_path, {"t": """
        type = "title"
        id = "t"
        heading = "Ωραία μέρα"
        body = "Bayard 🙂 صورة ذاتية"
        """, "p": """
        type = "photograph"
        id = "p"
        image = "肖像.png"
        """})
    import cv2

    cv2.imencode(".png", np.zeros((1200, 900, 3), np.uint8))[1].tofile(str(tmp_path / "content" / "肖像.png"))
    assert main(["check", "--show", str(path)]) == 0  # a warning: the show still plays
    said = capsys.readouterr().out
    assert "t.toml:4: body: 9 character(s) no typeface here can draw" in said
    assert "ARABIC LETTER" in said and "fonts/" in said
    assert "heading" not in said  # Greek is in the house faces
    assert "p.toml" not in said  # a file name is never on the wall, whatever its script


def test_a_paragraph_never_ends_on_a_lone_word_and_centred_lines_are_even():
    """On a portrait screen the portrait scene's heading read "Move, and the portrait moves
    with / you", and the title card's "Staged, Synthetic, / Real": a lone word under a
    full line, which a typesetter would never leave."""
    pygame.font.init()
    fonts = Fonts(1080)
    font = fonts.get("serif", 44)
    heading = "Move, and the portrait moves with you"
    width = font.size("Move, and the portrait moves with")[0] + 4  # "you" no longer fits
    lines = fonts.wrap(heading, "serif", 44, width)
    assert lines == ["Move, and the portrait moves", "with you"]
    # Centred, the lines are as even as the words allow, in as many lines as before.
    centred = fonts.wrap(heading, "serif", 44, width, balanced=True)
    assert len(centred) == 2
    widths = [font.size(line)[0] for line in centred]
    assert max(widths) < width * 0.75 and min(widths) > 0.6 * max(widths)
    assert " ".join(centred) == heading
    # The block draws what wrap gives: two lines, the second not a lone word.
    block = fonts.block(heading, "serif", 44, (255, 255, 255), width)
    assert block.get_height() < 3 * font.get_linesize()
    # A line above with only two words keeps them (taking one would leave a lone word there).
    two = fonts.wrap("Touch anywhere", "serif", 44, font.size("anywhere")[0] + 2)
    assert two == ["Touch", "anywhere"]


def test_a_centred_title_never_breaks_a_word_that_fits_its_column():
    """Set even, a title took the narrowest width that kept its number of lines, narrower
    than one of its words: on an upright 1080x1920 title card "Staged, Synthetic, Real"
    read "Staged, / Synthe- / tic, Real"."""
    pygame.font.init()
    fonts = Fonts(1080)
    font = fonts.get("serif", 96)
    title = "Staged, Synthetic, Real"
    for width in range(font.size("Synthetic,")[0] + 2, font.size("Synthetic, Real")[0], 23):
        lines = fonts.wrap(title, "serif", 96, width, balanced=True)
        assert " ".join(lines) == title, (width, lines)  # no word broken, no hyphen added


def test_chinese_and_japanese_break_between_characters_without_hyphens():
    """They are written without spaces: a caption was one long "word" broken with a hyphen
    between two characters, and a line could start with a full stop."""
    pygame.font.init()
    fonts = Fonts(1080)
    font = fonts.get("serif", 40)
    for text in ("在这里，一台电脑可以让旧照片里的脸随着你的脸动起来。这是第一张假照片。",
                 "ここでは、コンピューターが古い肖像画の顔を、あなたの顔に合わせて動かします。",
                 "バイヤールは「溺死者に扮したセルフポートレート」（一八四〇年）を撮った。"):
        for width in range(font.size(text[:5])[0], font.size(text[:12])[0], 7):
            lines = fonts.wrap(text, "serif", 40, width)
            assert "".join(lines) == text, lines  # nothing added, nothing lost
            assert len(lines) > 1
            assert not any(line[0] in "、。，！？」）" for line in lines), lines
            assert not any(line[-1] in "「（" for line in lines), lines
            assert all(font.size(line)[0] <= width for line in lines)


def test_a_picture_gives_way_to_words_that_would_not_fit_beside_it():
    """layout.giving_way: the picture keeps its share while the words fit, gives up width
    step by step until they do, and says by how much they overrun when nothing fits."""
    from installation.scenes.layout import giving_way, picture_and_column

    size = (1280, 1024)

    def boxes(share):
        return picture_and_column(size, share=share)

    picture, column, overrun = giving_way(boxes, 0.5, lambda col: 100)
    assert (picture, column, overrun) == (*boxes(0.5), 0)
    # Words that need a column 600 px wide (as many lines fewer as it is wider).
    picture, column, overrun = giving_way(boxes, 0.5, lambda col: 860 if col.width >= 600 else 2000)
    assert overrun == 0 and column.width >= 600 and picture.width < boxes(0.5)[0].width
    assert giving_way(boxes, 0.5, lambda col: 860 if col.width >= 560 else 2000)[0].width > picture.width
    picture, column, overrun = giving_way(boxes, 0.5, lambda col: 5000, least=0.3)
    assert overrun == 5000 - column.height and abs(picture.width - boxes(0.3)[0].width) <= 40


def test_remembered_layouts_do_not_grow_with_every_edit():
    """A scene's layout is remembered by its settings, so every saved edit is a new entry;
    an artist editing all day must not grow the kiosk's memory, and the scene on screen
    keeps its entry."""
    from installation.scenes import layout

    def boxes(share):
        return layout.picture_and_column((1280, 1024), share=share)

    measured = []

    def need(column):
        measured.append(column.width)
        return 100

    layout.giving_way(boxes, 0.5, need, key=("loop", "the scene on screen"))
    for edit in range(500):
        layout.giving_way(boxes, 0.5, lambda col: 100, key=("loop", f"edit {edit}"))
        if edit % 50 == 0:  # the scene on screen comes round again now and then
            layout.giving_way(boxes, 0.5, need, key=("loop", "the scene on screen"))
    assert len(layout._CHOSEN) <= 64
    assert len(measured) == 1  # measured once, remembered since


def test_words_too_long_for_the_screen_are_reported_to_the_technician(tmp_path, capsys):
    """Where even the smallest type beside a smaller picture cannot hold a scene's words
    (a long translation on a 5:4 screen), visitors see the words overlap; the technician
    is told which scene, by how much, and what to do, as a warning in status and the log."""

    from .conftest import write_show

    (tmp_path / "content").mkdir()
    pygame.image.save(pygame.surfarray.make_surface(np.full((64, 64, 3), 128, np.uint8)),
                      str(tmp_path / "content" / "face.png"))
    body = " ".join(["A much longer text than this column can hold at any type size."] * 30)
    path = write_show(tmp_path, {"words": f"""
        type = "loop"
        id = "words"
        caption = "This person doesn't exist."
        body = "{body}"
        items = [{{ file = "face.png" }}]
        """}, size=(1280, 1024))
    with run_test(path, size=(1280, 1024)) as pilot:
        pilot.advance(0.5)
        told = [e for e in pilot.engine.errors if e["where"] == "words"]
        assert told and told[0]["severity"] == "warning", pilot.engine.errors
        assert "1280x1024" in told[0]["message"] and "shorten" in told[0]["message"]
    # `bayard check` says so at the desk, naming the scene file; the show still plays.
    from installation.cli import main

    assert main(["check", "--show", str(path)]) == 0
    said = capsys.readouterr().out
    assert "words.toml:4: body: the caption, body and credit need" in said and "1280x1024 screen" in said


def test_check_finds_no_crowded_words_in_the_default_show_on_common_screens():
    """The shipped scenes' words fit beside their pictures on 16:9, 5:4, 4:3 and upright
    screens, so `bayard check` has nothing to say about them there; with a translation
    three times as long it names the scenes that would crowd."""
    from installation.config.words_fit import check_words_fit

    show = load_default_show()
    for size in ((1920, 1080), (1280, 1024), (1024, 768), (1080, 1920)):
        display = show.config.display.model_copy(update={"size": size})
        show.config = show.config.model_copy(update={"display": display})
        assert check_words_fit(show) == [], size
    loop = show.scenes["faces"]
    show.scenes["faces"] = loop.model_copy(update={"body": " ".join([loop.body] * 3)})
    said = [(p.file.name, p.severity, p.key, p.line) for p in check_words_fit(show)]
    lines = Path("scenes/loop.toml").read_text(encoding="utf-8").splitlines()
    body_line = next(n for n, text in enumerate(lines, 1) if text.startswith("body"))
    assert said == [("loop.toml", "warning", "body", body_line)]  # the words to shorten, and where



@pytest.mark.parametrize("size", [(1280, 1024), (1920, 1080), (1024, 768), (1080, 1920)])
def test_the_back_of_bayards_print_holds_his_whole_letter(size):
    """The print turns over to show what Bayard wrote on its back. Set at one size, the
    letter's last line ran off the paper where the print is small (a 5:4 screen)."""
    from installation.preview import single_scene_show

    show = single_scene_show(load_default_show(), "scenes/bayard.toml")
    with run_test(show, size=size) as pilot:
        scene = pilot.engine.sequencer.current.scene
        letter = scene.config.verso.text
        written: list[pygame.Surface] = []
        block = scene.context.fonts.block

        def watching(text, *args, **kwargs):
            surface = block(text, *args, **kwargs)
            if text == letter:
                written.append(surface)
            return surface

        scene.context.fonts.block = watching
        paper = scene._render_back(scene._photo_rect().size)
        margin = round(paper.get_width() * 0.08)
        assert written, "the letter was not drawn"
        assert written[-1].get_height() <= paper.get_height() - 2 * margin
        assert written[-1].get_width() <= paper.get_width() - 2 * margin


def test_words_are_measured_off_the_constructor_and_once_per_screen(tmp_path):
    """A scene is built while the one before it plays, and built anew each time round the
    playlist, so its constructor must stay cheap: the words' room (layout.giving_way) is
    measured in warm(), a slice on the main thread, and remembered for the next build."""

    from installation.clock import FakeClock
    from installation.scenes.base import SceneContext
    from installation.scenes.loop import LoopConfig, LoopScene

    (tmp_path / "content").mkdir()
    pygame.image.save(pygame.surfarray.make_surface(np.full((64, 64, 3), 128, np.uint8)),
                      str(tmp_path / "content" / "face.png"))
    fonts = Fonts(1024)
    set_in_type: list[str] = []
    block = fonts.block
    fonts.block = lambda text, *args, **kwargs: set_in_type.append(text) or block(text, *args, **kwargs)
    context = SceneContext(clock=FakeClock(), size=(1280, 1024), content_root=tmp_path / "content",
                           state_dir=tmp_path, fonts=fonts, deterministic=True)
    # Words that need more room than a half-width picture leaves at 1280x1024 (at the leading
    # body text is set at, typography.leading_for).
    config = LoopConfig(type="loop", id="faces", items=[{"file": "face.png"}],
                        body=" ".join(["Each face is eight real portraits laid over one another."] * 13))
    first = LoopScene(config, context)
    assert set_in_type == []
    before = first.frame_rect.copy()
    list(first.warm())
    assert set_in_type and first.frame_rect.width < before.width  # the picture gave way
    measured = len(set_in_type)
    again = LoopScene(config, context)
    list(again.warm())
    assert len(set_in_type) == measured and again.frame_rect == first.frame_rect


def test_an_ellipsis_and_a_no_break_space_are_set_as_a_typesetter_means_them():
    """The shipped serif's "…" drew its dots over the next characters ("[…]" read "[.]."),
    and a no-break space ("M.\u00a0Daguerre") was a line break like any other."""

    from installation.typography import Fonts

    fonts = Fonts(1080)
    for role in ("serif", "serif-italic", "sans"):
        def width(text, role=role):
            return fonts.line(text, role, 40, (255, 255, 255)).get_bounding_rect().width

        # The brackets hold all three dots between them: nothing is drawn over anything.
        assert width("[\u2026]") >= width("[]") + 0.8 * width("..."), role
    lines = fonts.wrap("donné à M.\u00a0Daguerre, a dit", "serif", 40, fonts.px(40) * 6)
    assert not any(line.endswith("M.") for line in lines), lines


def test_french_guillemets_keep_their_room_and_their_words():
    """In the shipped serif « and » advance less than their own ink: "« guillemets »" read
    "«guillemets »", and a line could end on « or start with »."""
    import pygame

    from installation.typography import Fonts

    fonts = Fonts(1080)
    for role in ("serif", "serif-light", "sans"):
        surface = fonts.line("\u00abH", role, 40, (255, 255, 255))
        columns = pygame.surfarray.array_alpha(surface).max(axis=1) > 32
        inked = columns.nonzero()[0]
        # Between the guillemet's ink and the H's there is at least one clear column.
        assert (~columns[inked[0]:inked[-1]]).any(), role
    text = "Une phrase avec des \u00ab guillemets fran\u00e7ais \u00bb et \u00ab encore \u00bb pour voir"
    for width in range(4, 14):
        for line in fonts.wrap(text, "serif", 40, fonts.px(40) * width):
            assert not line.endswith("\u00ab") and not line.startswith("\u00bb"), (width, line)


def test_an_initial_stays_with_the_name_it_belongs_to():
    """Thoreau's credit broke after "Benjamin D.", leaving "Maxham." alone on the next
    line; "J. M. W. Turner" must not lose its initials at a line end either."""
    from installation.typography import Fonts

    fonts = Fonts(1080)
    for text in ("Daguerreotype by Benjamin D. Maxham. Public domain.",
                 "A painting by J. M. W. Turner, shown in London",
                 "Un portrait d'\u00c9. Zola par \u00c9. Manet, peint en 1868"):
        for width in range(8, 20):  # (narrower, a bound name is itself cut to fit)
            for line in fonts.wrap(text, "sans", 24, fonts.px(24) * width):
                assert not (line.endswith(".") and line[-2:-1].isupper() and line[-3:-2] in ("", " ", "\u00a0")), \
                    (width, line)


def test_a_one_letter_word_never_ends_a_line():
    """On a 5:4 or a 800x480 screen the photograph's title read "Self Portrait as a /
    Drowned Man", and an upright portrait text "the way a / faked video": an article left
    hanging at a line's end, which a typesetter ties to its word (as Czech and Polish
    setting does with its one-letter words, and French with "à")."""
    from installation.typography import Fonts

    fonts = Fonts(1080)
    texts = ("Self Portrait as a Drowned Man",
             "and the way a faked video can make anyone seem to move or speak",
             "le Gouvernement a dit ne rien pouvoir faire pour M. Bayard, qui avait donné à M. Daguerre",
             "Obraz w muzeum i fotografia z roku 1840 a w nim człowiek")
    font = fonts.get("serif", 40)
    seen_line_starting_with_one_letter = False
    for text in texts:
        words = text.split(" ")
        widest = max(font.size(word)[0] for word in words)  # (narrower, a word is itself broken)
        for width in range(widest + 1, font.size(text)[0], 17):
            lines = fonts.wrap(text, "serif", 40, width)
            assert " ".join(lines).replace("\u00a0", " ") == text, (width, lines)  # nothing lost or cut
            for line, below in zip(lines, lines[1:], strict=False):
                last, following = line.split(" ")[-1], below.replace("\u00a0", " ").split(" ")[0]
                if len(last) == 1 and last.isalpha():  # only where the two would not fit together
                    assert font.size(f"{last} {following}")[0] > width, (width, lines)
            seen_line_starting_with_one_letter |= any(line[:2].rstrip("\u00a0").isalpha() and line[1:2] == "\u00a0"
                                                      for line in lines[1:])
    assert seen_line_starting_with_one_letter  # the article goes down to its word
    # A column too narrow for the article and its word together still breaks between them.
    narrow = font.size("Drowned")[0] + 2
    assert fonts.wrap("a Drowned", "serif", 40, narrow) == ["a", "Drowned"]


def test_an_elision_mark_stays_with_the_words_it_follows():
    """On 800x480 Bayard's letter read "...or are about to / see. […]": one word and the
    mark of what was left out, alone on the paragraph's last line; nor may a line start
    with "[…]"."""
    from installation.typography import Fonts

    fonts = Fonts(1080)
    text = ("The corpse of the gentleman you see on the other side is that of Monsieur Bayard, "
            "inventor of the process whose marvellous results you have just seen, or are about to see. [\u2026] "
            "The poor wretch drowned himself. [\u2026]\u201d")
    for width in range(8, 40):
        lines = fonts.wrap(text, "serif-italic", 40, fonts.px(40) * width)
        assert " ".join(lines).replace("\u00a0", " ") == text, (width, lines)
        assert not any(line.startswith("[\u2026]") for line in lines), (width, lines)
        last = lines[-1].replace("\u00a0", " ").split(" ")
        if len(lines) > 1 and len(lines[-2].split(" ")) >= 3:
            assert len([word for word in last if not word.startswith("[\u2026]")]) >= 2, (width, lines)
