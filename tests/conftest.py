"""Shared test set-up: headless pygame, a tiny-show builder, and ../shared/data access."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """../shared/data beside the checkout (present for developers and CI, not in a fresh clone)."""
    override = os.environ.get("BAYARD_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip("../shared/data is not present")
    return path


def write_show(root: Path, scenes: dict[str, str], playlist: list[str] | None = None,
               extra: str = "", size: tuple[int, int] = (320, 180)) -> Path:
    """Write install.toml and scenes/*.toml into `root`; return the show file's path."""
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    for name, text in scenes.items():
        (root / "scenes" / f"{name}.toml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    order = playlist if playlist is not None else list(scenes)
    show = textwrap.dedent(f"""
        [show]
        title = "Test show"
        playlist = {order!r}

        [display]
        size = [{size[0]}, {size[1]}]
        fullscreen = false

        [transitions]
        default = {{ kind = "crossfade", duration = 1.0 }}
        """).lstrip().replace("'", '"') + textwrap.dedent(extra)
    path = root / "install.toml"
    path.write_text(show, encoding="utf-8")
    return path


# A loop scene that generates faces live where it may, else plays walk.mp4 (tests of where
# live generation runs).
GENERATOR_LOOP = """
    type = "loop"
    id = "faces"
    duration = 600
    [generator]
    checkpoint = "models/g.pt"
    fallback = "walk.mp4"
    """


def title_scene(scene_id: str, duration: float = 5, background: str = "#102030", heading: str = "Hello") -> str:
    return f"""
        type = "title"
        id = "{scene_id}"
        duration = {duration}
        heading = "{heading}"
        background = "{background}"
        transition = {{ kind = "crossfade", duration = 1.0 }}
        """


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    return tmp_path


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", help="rewrite tests/snapshots/*.png")


@pytest.fixture(autouse=True)
def faults_fail_tests(request):
    """Any fault the sequencer's fault boundary catches fails the test, unless the test
    injected it and says so with `@pytest.mark.injects_faults`. The boundary keeps a
    show alive; in a test a swallowed fault is a bug that would otherwise pass."""
    from installation.faults import FaultRecorder

    with FaultRecorder() as recorder:
        yield recorder
    if recorder.faults and request.node.get_closest_marker("injects_faults") is None:
        pytest.fail("the fault boundary caught faults this test did not inject:\n" + recorder.summary(),
                    pytrace=False)


CHECKOUT_STATE = REPO / "var"  # the default show's state folder ([show] state = "var"): a kiosk's, never a test's


def _state_files() -> dict[str, tuple[int, int]]:
    """Each file under the checkout's var/ by its path there: (size, modification time)."""
    files = {}
    for path in CHECKOUT_STATE.rglob("*") if CHECKOUT_STATE.is_dir() else ():
        try:
            st = path.lstat()
        except OSError:
            continue  # (gone between the listing and the look)
        if not path.is_dir():
            files[str(path.relative_to(CHECKOUT_STATE))] = (st.st_size, st.st_mtime_ns)
    return files


_STATE_FOLDERS: list = []  # the running test's tmp_path_factory, for load_default_show


@pytest.fixture(autouse=True)
def checkout_state_untouched(tmp_path_factory):
    """A test that writes into the checkout's var/ fails, naming what it wrote. The default
    show keeps its state there; tests that played it left quiz answers, verdicts and
    last-good copies behind, which the next run of the show (or of the tests) then read as a
    gallery's own ("8 answers" built up by test runs). Load it with load_default_show()."""
    _STATE_FOLDERS[:] = [tmp_path_factory]
    before = _state_files()
    yield
    _STATE_FOLDERS.clear()
    after = _state_files()
    changed = sorted(name for name in after.keys() | before.keys() if after.get(name) != before.get(name))
    if changed:
        pytest.fail(f"this test (or a thread an earlier one left running) wrote into the checkout's state folder "
                    f"{CHECKOUT_STATE}: " + ", ".join(changed[:10])
                    + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
                    + "; load the default show with load_default_show() (its state in a tmp folder)",
                    pytrace=False)


_AT_SESSION_START: dict[str, tuple[int, int]] = {}


def pytest_sessionstart(session):
    _AT_SESSION_START.update(_state_files())


def pytest_sessionfinish(session, exitstatus):
    """The whole run's check, for what a test's check cannot see: a worker thread a test left
    running (a quiz judging its pictures) that wrote into var/ after its test ended."""
    after = _state_files()
    changed = sorted(name for name in after.keys() | _AT_SESSION_START.keys()
                     if after.get(name) != _AT_SESSION_START.get(name))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        said = (f"the tests wrote into the checkout's state folder {CHECKOUT_STATE}: " + ", ".join(changed[:10])
                + (f" and {len(changed) - 10} more" if len(changed) > 10 else ""))
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(said, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def load_default_show(state: Path | None = None):
    """The checkout's own show (install.toml and its scenes), its state (quiz answers,
    verdicts, last good copies) kept in `state`, by default a fresh tmp folder of the running
    test's: never the checkout's var/ (see checkout_state_untouched)."""
    from installation.config.loader import load_show

    if state is None:
        state = _STATE_FOLDERS[0].mktemp("state")
    return load_show(REPO / "install.toml", folders={"state": str(state)})


def pytest_configure(config):
    if config.getoption("--update-snapshots", default=False):
        from . import snapshot

        snapshot.UPDATE["value"] = True


@pytest.fixture(scope="session")
def stack():
    """One face stack (the shipped MediaPipe models) for the face and portrait tests."""
    from installation.models.face import FaceStack

    return FaceStack.open()


@pytest.fixture(scope="session")
def sitter():
    """The shipped sitter at half size, RGB: small enough to be quick, a real face."""
    import cv2

    from installation.scenes.portrait import HOUSE_SITTER

    image = cv2.cvtColor(cv2.imread(str(HOUSE_SITTER)), cv2.COLOR_BGR2RGB)
    return cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)


def overlay_text(pilot) -> list[str]:
    """The lines the operator overlay writes on screen."""
    from installation.overlay import Overlay, _default_font

    written: list[str] = []

    class Recording:
        def __init__(self, font) -> None:
            self.font = font

        def render(self, text, *args):
            written.append(str(text))
            return self.font.render(text, *args)

        def __getattr__(self, name):
            return getattr(self.font, name)

    engine = pilot.engine
    overlay = Overlay(tuple(engine.size), engine.post, engine.status, clock=engine.clock,
                      font=lambda size, bold: Recording(_default_font(size, bold)))
    assert overlay.open()
    overlay.draw(engine.frame)
    return written


def refused_by_inspect_and_check(tmp_path: Path, capsys, name: str, picture) -> tuple[str, str]:
    """What `portrait inspect` and `check` say of a portrait `name` (an RGB picture) that
    cannot be animated: inspect's output (after asserting it failed) and check's, with the
    picture in a portrait scene of a show at `tmp_path`."""
    import cv2

    inspected, checked = inspect_and_check(tmp_path, capsys, name, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR), 1)
    assert "scenes/p.toml" in checked
    return inspected, checked


def default_quiz_show(scene_file: Path, mode: str, seed: int):
    """The default show playing only the default quiz, in `mode` with a fixed `seed`
    (its scene written to `scene_file`)."""
    from installation.preview import single_scene_show

    text = (REPO / "scenes" / "quiz.toml").read_text().replace('mode = "single"', f'mode = "{mode}"')
    scene_file.write_text(text + f"\nseed = {seed}\n", encoding="utf-8")
    return single_scene_show(load_default_show(scene_file.parent / "var"), scene_file)


def quiz_reveals(tmp_path: Path, size: tuple[int, int], before_reveal=lambda: None, mode: str = "single",
                 seed: int = 7):
    """The default quiz played through at `size` (a fixed round: `seed`), answered "real" over
    OSC each time (in `mode` "pair", the first face): yields (pilot, the item the reveal
    explains: the shown one, or the pair's generated one) at each reveal, `before_reveal`
    called just before it is drawn."""
    from installation.harness import run_test

    show = default_quiz_show(tmp_path / "quiz.toml", mode, seed=seed)
    with run_test(show, fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.command("start", scene="quiz")
        scene = pilot.engine.sequencer.current.scene
        for _ in range(len(scene.round)):
            pilot.advance(0.5)
            pilot.command("answer", "real" if mode == "single" else "left", scene="quiz", source="osc")
            before_reveal()
            pilot.advance(1.0)
            question = scene.round[scene.index]
            explained = question[0] if mode == "single" else next(i for i in question if i.truth == "fake")
            yield pilot, scene.items[explained.key]
            pilot.command("answer", "real", scene="quiz", source="osc")


def drawn_reveals(tmp_path: Path, monkeypatch, size: tuple[int, int], mode: str = "single"):
    """Every reveal of the default round at `size` in `mode`, as its last frame drew it: yields
    (pilot, the item it explains, the pictures drawn (a pair's faces, then the map; each once),
    the machine's panel and where its eyes were drawn (None where it drew none), and the visitor
    text boxes)."""
    import pygame

    from installation.scenes import quiz_draw

    pictures: list = []
    panels: list = []
    picture, eyes_panel = quiz_draw.picture, quiz_draw.eyes_panel

    def recording_picture(surface, image, rect, *args, **kwargs):
        pictures.append(rect.copy())
        return picture(surface, image, rect, *args, **kwargs)

    def recording_panel(surface, fonts, rect, *args, **kwargs):
        eyes = eyes_panel(surface, fonts, rect, *args, **kwargs)
        panels.append((rect.copy(), eyes))
        return eyes

    def clear():
        pictures.clear()
        panels.clear()

    monkeypatch.setattr(quiz_draw, "picture", recording_picture)
    monkeypatch.setattr(quiz_draw, "eyes_panel", recording_panel)
    for pilot, shown in quiz_reveals(tmp_path, size, before_reveal=clear, mode=mode):
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
        drawn = [pygame.Rect(r) for r in dict.fromkeys(tuple(r) for r in pictures)]
        panel, eyes = panels[-1] if panels else (None, None)
        yield pilot, shown, drawn, panel, eyes, boxes


def drawn_overlay(size: tuple[int, int], status: dict):
    """The operator overlay opened and drawn once on a screen of `size` over `status`: every text
    it rendered, with its width in pixels, and the overlay."""
    import pygame

    from installation.clock import FakeClock
    from installation.overlay import Overlay, _default_font

    drawn: list[tuple[str, int]] = []

    class Recording:
        def __init__(self, font) -> None:
            self.font = font

        def render(self, text, *args):
            drawn.append((str(text), self.font.size(str(text))[0]))
            return self.font.render(text, *args)

        def __getattr__(self, name):
            return getattr(self.font, name)

    pygame.init()
    overlay = Overlay(size, [].append, lambda: status, clock=FakeClock(),
                      font=lambda points, bold: Recording(_default_font(points, bold)))
    assert overlay.open()
    overlay.draw(pygame.Surface(size))
    return drawn, overlay


def inspect_and_check(tmp_path: Path, capsys, name: str, picture_bgr, inspect_exits: int = 0) -> tuple[str, str]:
    """What `bayard portrait inspect` prints for a picture (after asserting how it exited), and
    what `bayard check` prints for a show whose portrait scene uses it."""
    import cv2

    from installation.cli import main

    cv2.imwrite(str(tmp_path / name), picture_bgr)
    assert main(["portrait", "inspect", str(tmp_path / name), "-o", str(tmp_path / "mesh.png")]) == inspect_exits
    inspected = capsys.readouterr().out
    write_show(tmp_path, {"p": f"""
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "{name}"
        """})
    cv2.imwrite(str(tmp_path / "content" / name), picture_bgr)
    main(["check", "--show", str(tmp_path / "install.toml")])
    return inspected, capsys.readouterr().out


@pytest.fixture
def no_cache():
    """The show's film cache, its home and the kept stick pictures forgotten after the test
    (they are process-wide, as in a running show)."""
    yield
    from installation.media import kept, staging

    staging.use(None)
    staging.use_home(None)
    kept.forget()


def rotated_landmarks(landmarks, degrees: float, axes: tuple[int, int]):
    """The same face mesh rotated about its middle in the plane of `axes`: (0, 2) turns the
    head about the vertical, (1, 2) nods it (chin down for positive degrees)."""
    import math

    import numpy as np

    out = np.asarray(landmarks, np.float64).copy()
    centre = out[:, :3].mean(0)
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    a, b = axes
    u, w = out[:, a] - centre[a], out[:, b] - centre[b]
    out[:, a], out[:, b] = centre[a] + c * u - s * w, centre[b] + s * u + c * w
    return out


def lids_closed(picture, points, size: tuple[int, int], openness=(0.0, 1.0), drawn: float | None = None):
    """`picture` (uint8) with its eyes closed by the lids' map and paint as the warp does, each
    eye as far as `openness` says (0 closed, 1 open; the image-left eye first); `drawn` as
    lid_paint.paint_lids takes it (None: read from the picture)."""
    import cv2
    import numpy as np

    from installation.models.motion.mesh.lid_paint import paint_lids
    from installation.models.motion.mesh.lids import lid_whites, move_lids

    grid = np.mgrid[0:size[0], 0:size[1]].astype(np.float32)
    map_y = grid[0].copy()
    covers = move_lids(map_y, points, openness, np.zeros(2), size, lid_whites(picture, points))
    region = cv2.remap(picture, grid[1], map_y, cv2.INTER_LINEAR)
    paint_lids(region, covers, drawn=drawn)
    return region
