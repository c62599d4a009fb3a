"""Key frames of each scene kind, pinned by snapshots at frozen times."""

from __future__ import annotations

import numpy as np
import pygame

from installation.harness import run_test
from installation.preview import single_scene_show

from .conftest import REPO, load_default_show
from .snapshot import assert_snapshot


def scene_frames(scene_file: str, times: list[float], size=(960, 540)):
    show = single_scene_show(load_default_show(), (REPO / scene_file).resolve())
    frames = []
    with run_test(show, fps=10, size=size) as pilot:
        t = 0.0
        for target in times:
            pilot.advance(target - t)
            t = target
            frames.append(pilot.frame())
    return frames


def test_title_card_snapshot():
    (frame,) = scene_frames("scenes/opening.toml", [4.0])
    assert_snapshot(frame, "title-opening-4s")


def test_photograph_scene_snapshots_front_and_back():
    front, back = scene_frames("scenes/bayard.toml", [12.0, 45.0])
    assert_snapshot(front, "photograph-bayard-12s")
    assert_snapshot(back, "photograph-bayard-45s")


def test_photograph_pans_smoothly():
    a, b = scene_frames("scenes/bayard.toml", [10.0, 10.1])
    diff = np.abs(pygame.surfarray.array3d(a).astype(int) - pygame.surfarray.array3d(b).astype(int))
    assert 0 < diff.mean() < 2.0  # moving, but by a fraction of a pixel per frame


def test_installed_photograph_replaces_the_standin(tmp_path):
    import cv2

    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.png"
        """})
    # A synthetic "print": a bright diagonal gradient the stand-in could never produce.
    ramp = np.linspace(0, 255, 400, dtype=np.uint8)
    image = np.dstack([np.tile(ramp, (300, 1))] * 3)
    image[:, :, 2] = 255
    cv2.imwrite(str(tmp_path / "content" / "print.png"), image)
    with run_test(path, fps=10) as pilot:
        pilot.advance(1)
        scene = pilot.engine.sequencer.current.scene
        assert scene.installed and scene.status()["image_installed"]
        frame = pygame.surfarray.array3d(pilot.frame())
        assert frame[..., 0].max() > 200  # the red channel of the synthetic print shows


def test_corrupt_photograph_shows_standin_not_black(tmp_path):
    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.jpg"
        """})
    (tmp_path / "content" / "print.jpg").write_bytes(b"\xff\xd8 truncated")
    with run_test(path, fps=10) as pilot:
        pilot.advance(1)
        scene = pilot.engine.sequencer.current.scene
        assert not scene.installed and "cannot be decoded" in scene.problem
        frame = pygame.surfarray.array3d(pilot.frame())
        assert frame.mean() > 30


def test_a_missing_picture_hangs_an_empty_mat_not_bayards_drawing(tmp_path):
    """A gallery's typo in a file name put the drawing of Bayard's drowned man under the
    gallery's own title, captioned "The print itself is kept in Paris". Only Bayard's scene
    (`standin_drawing = "bayard"`) hangs his drawing; any other missing picture leaves an
    empty mat, with no stand-in caption and not the print's credit."""
    from installation.words import words

    from .conftest import write_show

    caption = words("photograph.standin")
    for drawing in ("none", "bayard"):
        path = write_show(tmp_path / drawing, {"p": f"""
            type = "photograph"
            id = "p"
            duration = 10
            image = "photos/Moulin.JPG"
            standin_drawing = "{drawing}"

            [[captions]]
            at = 0
            text = "Le moulin, 1899"
            role = "title"

            [[captions]]
            at = 0
            text = "Collection of the family"
            role = "credit"
            """}, size=(960, 540))
        with run_test(path, fps=10, raise_faults=False) as pilot:
            pilot.engine.fonts.log.recording = True
            pilot.advance(4)
            scene = pilot.engine.sequencer.current.scene
            shown = {b.text for b in pilot.engine.fonts.log.boxes if b.alpha > 0.5}
            frame = pygame.surfarray.array3d(pilot.frame()).transpose(1, 0, 2)
        rect = scene._photo_rect()
        picture = frame[rect.top + 4:rect.bottom - 4, rect.left + 4:rect.right - 4].astype(float)
        assert "Le moulin, 1899" in shown and "Collection of the family" not in shown
        if drawing == "none":
            assert caption not in shown
            assert picture.mean() > 120  # a light board: never a dark hole on the wall
            ink = np.abs(np.diff(picture.mean(axis=2), axis=1)) > 40
            assert ink.mean() < 0.002  # nothing drawn on it but the window's hairline
        else:
            assert caption in shown
            assert (np.abs(np.diff(picture.mean(axis=2), axis=1)) > 40).mean() > 0.004  # ink lines


def test_installed_media_shows_the_credit_its_manifest_requires(tmp_path):
    import cv2

    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.png"
        """}, size=(960, 540))
    (tmp_path / "content" / "manifest.toml").write_text(
        '[[asset]]\nid = "print"\npath = "print.png"\nsha256 = ""\n'
        'licence = "CC BY 4.0"\ncredit = "A. Photographer, 1901"\n')
    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((300, 400, 3), 128, np.uint8))
    with run_test(path, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(4)
        scene = pilot.engine.sequencer.current.scene
        assert scene.context.credit_for("print.png") == "A. Photographer, 1901. CC BY 4.0"
        # The credit is set beside the print, in the text column's credit slot, readable.
        credit = [b for b in pilot.engine.fonts.log.boxes if b.text == "A. Photographer, 1901. CC BY 4.0"]
        assert credit and credit[0].alpha > 0.98 and credit[0].contrast >= 4.5
        assert credit[0].rect.left >= scene._photo_rect().right


def test_the_prints_credit_reads_as_a_museum_labels_credit_line(tmp_path):
    """The Bayard print's label closed with "... Paris. (Public domain (photograph made in
    1840; author died in 1887))": the licence, with the staff's note on why, in brackets
    within brackets, and the credit naming again the work its title and date had just
    named. Now the credit line names the collection, then the licence's name."""
    import tomllib

    import cv2

    from .conftest import write_show

    shipped = tomllib.loads((REPO / "content" / "manifest.toml").read_text())
    entry = next(a for a in shipped["asset"] if a["id"] == "bayard-drowned-man")
    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 10
        image = "print.png"
        [[captions]]
        at = 1
        role = "title"
        text = "Self Portrait as a Drowned Man"
        """}, size=(1280, 1024))
    (tmp_path / "content" / "manifest.toml").write_text(
        f'[[asset]]\nid = "print"\npath = "print.png"\nsha256 = ""\n'
        f'licence = "{entry["licence"]}"\ncredit = "{entry["credit"]}"\n')
    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((300, 400, 3), 128, np.uint8))
    with run_test(path, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(4)
        shown = [b.text for b in pilot.engine.fonts.log.boxes if b.alpha > 0.98]
    assert "Société française de photographie, Paris. Public domain" in shown, shown
    assert not any("(" in text or "Drowned Man," in text for text in shown), shown


def _shown(pilot, at: float, clock: list[float]) -> dict[str, float]:
    """The texts on screen at scene time `at`, with their opacity."""
    pilot.advance(at - clock[0])
    clock[0] = at
    return {b.text: b.alpha for b in pilot.engine.fonts.log.boxes if b.alpha > 0.02}


def test_a_credit_caption_keeps_its_own_times_and_an_attribution_shows_without_a_translation(tmp_path):
    """A credit timed for 30-40 s showed from 2 s on and never left; a [verso] attribution
    without a translation was never shown."""
    import cv2

    from .conftest import write_show

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        duration = 60
        image = "print.png"

        [[captions]]
        at = 0
        role = "credit"
        text = "Lent by the museum"

        [[captions]]
        at = 30
        until = 40
        role = "credit"
        text = "Restored in 1998"

        [verso]
        at = 12
        until = 20
        text = "Le cadavre du Monsieur"
        attribution = "Hippolyte Bayard, 1840"
        """}, size=(960, 540))
    cv2.imwrite(str(tmp_path / "content" / "print.png"), np.full((300, 400, 3), 128, np.uint8))
    with run_test(path, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        clock = [0.0]
        early = _shown(pilot, 5, clock)
        assert "Lent by the museum" in early and "Restored in 1998" not in early
        back = _shown(pilot, 16, clock)  # the back is shown: its attribution speaks for the print
        assert back.get("Hippolyte Bayard, 1840", 0) > 0.98 and "Lent by the museum" not in back
        assert "Restored in 1998" in _shown(pilot, 35, clock)
        late = _shown(pilot, 45, clock)
        assert "Restored in 1998" not in late and "Lent by the museum" in late
        assert "Hippolyte Bayard, 1840" not in late


def test_a_verso_that_turns_back_before_it_turns_is_named(tmp_path):
    from installation.config.loader import load_show as load

    from .conftest import write_show

    path = write_show(tmp_path, {"p": 'type = "photograph"\nid = "p"\nimage = "x.png"\n'
                                      '[verso]\nat = 20\nuntil = 10\ntext = "x"\n'})
    said = "\n".join(str(p) for p in load(path).problems)
    assert "p.toml:" in said and "'until' (10.0) must be later than 'at' (20.0)" in said


def test_a_missing_picture_is_logged_once_not_at_every_showing(tmp_path, caplog):
    """The scene is built anew each loop: an optional print not yet installed was logged at
    every showing, some 350 warnings a day, which teaches a technician to skip warnings."""
    import logging

    from .conftest import title_scene, write_show

    path = write_show(tmp_path, {"a": title_scene("a", duration=2), "p": """
        type = "photograph"
        id = "p"
        duration = 2
        image = "absent.png"
        """}, playlist=["a", "p"])
    with caplog.at_level(logging.WARNING), run_test(path, fps=10, raise_faults=False) as pilot:
        pilot.advance(20)  # five showings
    said = [r for r in caplog.records if "absent.png" in r.getMessage() and r.name.startswith("bayard.scene")]
    assert len(said) == 1, [r.getMessage() for r in said]
