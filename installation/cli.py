"""`bayard`: run, check, preview and render a show; rooms add their own subcommands."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .clitypes import MAX_SIZE, frame_rate, seconds
from .config.errors import Problem, ShowError
from .runtime.logs import apply_levels

if TYPE_CHECKING:
    from .config.loader import Show

log = logging.getLogger("bayard")

DEFAULT_SHOW = "install.toml"
REPO_ROOT = Path(__file__).resolve().parents[1]  # the software's own folder (its models/)


def _setup_logging(level: str = "info", libraries: str = "warning") -> None:
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
    apply_levels(level, libraries)


def _load(path: str, keep_good: bool = False) -> Show | None:
    # The loader brings every scene kind, pygame and the fonts with it (about a second):
    # imported here, so the rooms' own commands (`animate`, `detector score`) start at once.
    from .config.loader import load_show

    if Path(path).is_dir():  # a show folder, as `assets` takes it: its install.toml
        path = str(Path(path) / "install.toml")
    try:
        return load_show(path, keep_good=keep_good)
    except ShowError as exc:
        print(f"The show file cannot be used ({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _empty_show(path: Path) -> Show:
    from .config.loader import Show
    from .config.show import ShowConfig

    return Show(path=path.resolve(), config=ShowConfig())


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size; write WIDTHxHEIGHT, e.g. 1920x1080") from None
    if width < 16 or height < 16:
        raise argparse.ArgumentTypeError(f"size {text} is too small")
    if width > MAX_SIZE[0] or height > MAX_SIZE[1]:
        raise argparse.ArgumentTypeError(f"size {text} is larger than {MAX_SIZE[0]}x{MAX_SIZE[1]}")
    return width, height


# -- run -------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from .app import display_available, run
    from .config.lastgood import recall, remember
    from .config.loader import load_show

    _setup_logging()
    # As check and preview find it: from scenes/ the show above, not an empty "Untitled
    # exhibition" with a new var/ folder inside scenes/.
    args.show = args.show or str(_find_show_for(Path.cwd() / "-"))
    if Path(args.show).is_dir():
        args.show = str(Path(args.show) / DEFAULT_SHOW)
    try:
        show = load_show(args.show, keep_good=True)
        broken: list = []
    except ShowError as exc:
        show, broken = None, exc.problems
        print(f"The show file cannot be used ({len(broken)} problem(s)):", file=sys.stderr)
        for problem in broken:
            print(f"  {problem}", file=sys.stderr)
    if show is None:
        # A broken show file must not end in a dark screen or a restart loop: play the
        # last version that loaded, and keep saying what is wrong (log, status, overlay).
        # The service names the state folder setup found in install.toml: with the file
        # unreadable, a last-good copy outside the default var/ was never found.
        show = recall(Path(args.show), os.environ.get("BAYARD_SHOW_STATE") or "var")
        if show is None:
            # Nothing valid to play: the safe card, never an exit into a restart loop
            # that leaves the screen dark. The file watcher reloads once it is fixed.
            show = _empty_show(Path(args.show))
            print("Playing the safe card until the show file is fixed.", file=sys.stderr)
        else:
            show.problems[:0] = broken
            print("Playing the last good version of the show until the errors above are fixed.",
                  file=sys.stderr)
    else:
        remember(show)
    apply_levels(show.config.logging.level, show.config.logging.libraries)
    for problem in show.problems:
        (log.warning if problem.severity == "warning" else log.error)("%s", problem)
    if not args.headless and not display_available():
        print("No display found (DISPLAY and WAYLAND_DISPLAY are unset): run on the kiosk's screen, "
              "or add --headless to play without one.", file=sys.stderr)
        return 3
    fullscreen = show.config.display.fullscreen
    if args.fullscreen:
        fullscreen = True
    if args.windowed:
        fullscreen = False
    from .services import attach_services

    return run(show, fullscreen=fullscreen, headless=args.headless, seconds=args.seconds,
               engine_setup=attach_services)


# -- check -----------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    # The display settings as given, before the checks below start pygame headless (which
    # sets SDL_VIDEODRIVER=dummy in this process).
    screen_env = dict(os.environ)
    # From any folder inside the show, as preview works: the nearest install.toml above.
    show = _load(args.show or str(_find_show_for(Path.cwd() / "-")))
    if show is None:
        return 2
    from .config.check_paths import scene_path_problems, show_path_problems
    from .config.loader import check_media

    problems = list(show.problems) + _left_out(show) + show_path_problems(show) + scene_path_problems(show)
    problems += check_media(show, decode=not args.fast)
    from .runtime.display_check import display_report
    from .runtime.host_check import disk_room, osc_port, state_folder

    # The machine itself: an OSC port the show cannot have, disks without room for its logs,
    # a kiosk service set up for another state folder, a screen SDL cannot open.
    osc_line, osc_problems = osc_port(show)
    state_line, state_problems = state_folder(show)
    display_line, display_problems = display_report(show, screen_env)
    problems += osc_problems + disk_room(show) + state_problems + display_problems
    if not args.fast:
        problems += _check_content(show) + _check_models(show)
    # In reading order, file by file and line by line (they were in the order the checks ran),
    # each naming its file from the show folder printed first.
    problems = sorted((p.within(show.root) for p in problems), key=Problem.reading_place)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    from .services import describe_models

    print(f"Show: {show.config.show.title}  ({show.path})")
    total = 0.0
    open_ended = []
    print(f"Playlist ({len(show.playlist)} scenes):")
    for index, scene_id in enumerate(show.playlist, start=1):
        config = show.scenes[scene_id]
        duration = config.duration
        if duration is None:
            from .scenes import SCENE_KINDS

            natural = _natural_duration(SCENE_KINDS.get(config.type), config, show)
            duration = natural if natural is not None else show.config.attract.default_duration
        total += duration
        label = f"{duration:5.0f} s"
        if config.type in ("portrait", "quiz"):
            open_ended.append(scene_id)
            label += "+"
        print(f"  {index}. {scene_id:<16} {config.type:<11} {label}  {config.title}")
    minutes, secs = divmod(round(total), 60)
    note = " (+ while visitors play)" if open_ended else ""
    print(f"Loop length: {minutes} min {secs:02d} s{note}")
    for line in describe_models(show):
        print(line)
    print(display_line)
    print(osc_line)
    print(state_line)
    if warnings:
        # (Once these were only optional content and scenes left out; now they are also
        # pictures too small for the screen, characters no typeface has, portraits stored
        # turned, a detector at chance: each says what to do, and the show plays.)
        print(f"\nWarnings ({len(warnings)}): the show plays; each says what to do")
        for problem in warnings:
            print(f"  {problem}")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for problem in errors:
            print(f"  {problem}")
        return 1
    print("\nOK: the show is valid." + (f" {len(warnings)} warning(s) above." if warnings else ""))
    return 0


def _left_out(show: Show) -> list:
    """A scene file the playlist does not name never plays: say so (usually a forgotten
    playlist entry after adding a file)."""
    from .config.locate import line_of
    from .runtime.files import read_text

    source = read_text(show.path)
    line = line_of(source, ("show", "playlist"))
    return [Problem(show.path, line, "show.playlist",
                    f"scene '{scene_id}' ({show.scene_files[scene_id].name}) is not in the playlist and never "
                    f"plays; add \"{scene_id}\" to playlist, or remove the file", severity="warning")
            for scene_id in sorted(show.scenes) if scene_id not in show.config.show.playlist]


def _check_content(show: Show) -> list:
    """Scene kinds that can judge their content (a portrait with no face, a quiz item with
    no face) offer `check_content(config, show)`; its problems are listed with the rest."""
    from .config.glyphs import check_glyphs
    from .config.words_fit import check_words_fit
    from .scenes import SCENE_KINDS

    found = check_glyphs(show)  # any scene's visitor text: characters that would be boxes
    found += check_words_fit(show)  # words that cannot fit beside their picture on this screen
    for config in show.scenes.values():
        hook = getattr(SCENE_KINDS.get(config.type), "check_content", None)
        if hook is not None:
            found += hook(config, show)
    return found


def _check_models(show: Show) -> list:
    """Model files that differ from their checksums (a byte flipped on a failing card, a
    copy cut short): `check` said "mesh: ok" over a damaged face model, which only
    `bayard assets status` caught. The show's models manifest, and the software's own."""
    from .runtime import assets

    found, seen = [], set()
    for path in (show.models_dir / assets.MANIFEST_NAME, REPO_ROOT / "models" / assets.MANIFEST_NAME):
        if not path.is_file() or path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            manifest = assets.load_manifest(path)
        except assets.AssetError as error:
            found.append(Problem(path, None, "", str(error)))
            continue
        for status in assets.statuses([manifest], verify=True):
            if status.state in ("corrupt", "partial"):
                found.append(Problem(path, None, status.entry.id,
                                     f"{status.entry.path} is damaged ({status.detail}); restore it: "
                                     f"`git checkout {Path(path.parent.name) / status.entry.path}` in the software's "
                                     "folder, or `bayard assets import FOLDER` from a good copy",
                                     severity="error" if status.entry.required else "warning"))
    return found


def _natural_duration(kind, config, show: Show) -> float | None:
    """A scene's own length without building media (for the check summary)."""
    from .engine import init_pygame
    from .scenes.base import SceneContext

    try:
        init_pygame(headless=True)
        from .clock import FakeClock
        from .typography import Fonts

        context = SceneContext(clock=FakeClock(), size=show.config.display.size, content_root=show.content_root,
                               state_dir=show.state_dir, fonts=Fonts(min(show.config.display.size)))
        return kind(config, context).natural_duration()
    except Exception:  # a summary line is not worth failing the check over
        return None


# -- preview ---------------------------------------------------------------------
def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import preview

    show_path = Path(args.show) if args.show else _find_show_for(Path.cwd() / "-")
    scene_file, tried = _resolve_scene(args.scene, show_path)
    if scene_file is None:
        print(f"bayard: no scene '{args.scene}'; tried " + ", ".join(str(t) for t in tried), file=sys.stderr)
        return 2
    if not args.show:
        show_path = _find_show_for(scene_file)
    show = _load(str(show_path))
    if show is None:
        return 2
    _setup_logging(show.config.logging.level, show.config.logging.libraries)
    return preview(show, scene_file, headless=args.headless, seconds=args.seconds)


def _resolve_scene(name: str, show_path: Path) -> tuple[Path | None, list[Path]]:
    """A scene file from what an artist types: a path, or a name found in the show's
    scenes folder ("welcome" finds scenes/welcome.toml). Also the paths tried."""
    given = Path(name)
    folders = [Path.cwd(), show_path.resolve().parent / "scenes"]
    tried: list[Path] = []
    for folder in folders:
        for candidate in (folder / given, folder / given.with_suffix(".toml")):
            candidate = candidate.resolve()
            if candidate not in tried:
                tried.append(candidate)
            if candidate.is_file():
                return candidate, tried
    return None, tried


def _find_show_for(scene_file: Path) -> Path:
    for folder in [scene_file.parent, *scene_file.parents]:
        candidate = folder / DEFAULT_SHOW
        if candidate.exists():
            return candidate
    return Path(DEFAULT_SHOW)


# -- render ----------------------------------------------------------------------
def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_video

    if args.scene:
        scene_file = Path(args.scene).resolve()
        show = _load(str(Path(args.show) if args.show else _find_show_for(scene_file)))
        if show is None:
            return 2
        from .preview import single_scene_show

        try:
            single_scene_show(show, scene_file)
        except ShowError as exc:
            for problem in exc.within(show.root).problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
    else:
        show = _load(args.show or str(_find_show_for(Path.cwd() / "-")))
        if show is None:
            return 2
    _setup_logging("warning")
    from .faults import FaultRecorder

    with FaultRecorder() as recorder:
        if Path(args.output).suffix.lower() == ".png":
            from .render import render_still

            shown = render_still(show, Path(args.output), args.seconds, args.fps, args.size)
            print(f"wrote {args.output}: the frame at {shown:g} s")
        else:
            count = render_video(show, Path(args.output), args.seconds, args.fps, args.size)
            print(f"wrote {args.output}: {count} frames, {args.seconds:g} s at {args.fps:g} fps")
    if recorder.faults:
        # The show went on, so the video shows each failing scene's stand-in or the next
        # scene: a preview that looks fine may hide a scene that fails every time.
        print(f"{len(recorder.faults)} fault(s) caught while rendering; the video shows what the show "
              f"does then (a stand-in, or the next scene):", file=sys.stderr)
        for line in recorder.summary().splitlines():
            print(f"  {line}", file=sys.stderr)
        return 1 if args.strict else 0
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from .inputs.keys import KEY_HELP

    for key, what in KEY_HELP:
        print(f"  {key:<12} {what}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bayard", description="Bayard exhibition engine")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"bayard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="play the show")
    p.add_argument("--show", default=None,
                   help="the show file or folder (default: install.toml in this folder or the nearest one above it)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--fullscreen", action="store_true", help="fill the screen")
    mode.add_argument("--windowed", action="store_true", help="play in a window")
    p.add_argument("--headless", action="store_true", help="play without a screen (servers, tests)")
    p.add_argument("--seconds", type=seconds, default=None,
                   help="stop after this many seconds (default: play until stopped)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="validate the show, its scenes, media and models")
    p.add_argument("--show", default=None,
                   help="the show file (default: install.toml in this folder or the nearest one above it)")
    p.add_argument("--fast", action="store_true", help="check that media exists without decoding it")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("preview", help="play one scene and reload it whenever the file is saved")
    p.add_argument("scene", help="a scene file or a scene's name, e.g. scenes/bayard.toml or bayard")
    p.add_argument("--show", default=None, help="the show file (default: the nearest install.toml)")
    p.add_argument("--headless", action="store_true", help="play without a window (default: a window)")
    p.add_argument("--seconds", type=seconds, default=None, help="stop after this many seconds (default: never)")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("render", help="render the show or one scene to a video file, or one frame to a PNG")
    p.add_argument("--show", default=None,
                   help="the show file; with --scene, the show the scene belongs to "
                        "(default: the nearest install.toml)")
    p.add_argument("--scene", default=None, help="render only this scene file (default: the whole show)")
    p.add_argument("--seconds", type=seconds, required=True, help="seconds of show time to render (required)")
    p.add_argument("--size", type=_size, default=None, help="WIDTHxHEIGHT (default: the show's display size)")
    p.add_argument("--fps", type=frame_rate, default=30.0, help="frames per second (default: 30)")
    p.add_argument("-o", "--output", required=True,
                   help="output video, e.g. out.mp4, or a .png for the frame at --seconds (required)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when any scene faulted while rendering (for checks and CI; the faults "
                        "are listed either way)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("keys", help="list the maintenance keys")
    p.set_defaults(func=cmd_keys)

    from .services import add_room_commands

    add_room_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):  # no command: the usage, and a failure to scripts
        parser.print_help(sys.stderr)
        return 2
    from .video import VideoWriteError

    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except VideoWriteError as exc:  # a full disk while rendering: the message names the file and fix
        print(f"bayard: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
