"""`bayard`: run, check, preview and render a show; rooms add their own subcommands."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path

from .cli_check import cmd_check
from .cli_show import (
    DEFAULT_SHOW,
    STATE_HELP,
    empty_show,
    find_show_for,
    keep_preview_state,
    load,
    setup_logging,
    state_refused,
)
from .clitypes import MAX_SIZE, frame_rate, seconds
from .config.errors import ShowError
from .counted import counted
from .runtime.logs import apply_levels

log = logging.getLogger("bayard")


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
    from .runtime.state_writable import SERVICE_STATE, keep_service_state

    setup_logging()
    # As check and preview find it: from scenes/ the show above, not an empty "Untitled
    # exhibition" with a new var/ folder inside scenes/.
    args.show = args.show or str(find_show_for(Path.cwd() / "-"))
    if Path(args.show).is_dir():
        args.show = str(Path(args.show) / DEFAULT_SHOW)
    try:
        show = load_show(args.show, keep_good=True)
        broken: list = []
    except ShowError as exc:
        show, broken = None, exc.problems
        print(f"The show file cannot be used ({counted(len(broken), 'problem')}):", file=sys.stderr)
        for problem in broken:
            print(f"  {problem}", file=sys.stderr)
    loaded = show is not None
    if show is None:
        # A broken show file must not end in a dark screen or a restart loop: play the
        # last version that loaded, and keep saying what is wrong (log, status, overlay).
        # The service names the state folder setup found in install.toml: with the file
        # unreadable, a last-good copy outside the default var/ was never found.
        show = recall(Path(args.show), os.environ.get(SERVICE_STATE) or "var")
        if show is None:
            # Nothing valid to play: the safe card, never an exit into a restart loop
            # that leaves the screen dark. The file watcher reloads once it is fixed.
            show = empty_show(Path(args.show))
            print("Playing the safe card until the show file is fixed.", file=sys.stderr)
        else:
            show.problems[:0] = broken
            print("Playing the last good version of the show until the errors above are fixed.",
                  file=sys.stderr)
    # Under the kiosk's service, the state stays in the folder setup opened for it (said with
    # the show's problems below, and so in status); before the copy below is made there.
    kept = keep_service_state(show, os.environ)
    if kept is not None:
        show.problems.append(kept)
    if loaded:
        remember(show)
    apply_levels(show.config.logging.level, show.config.logging.libraries)
    for problem in show.problems:
        (log.warning if problem.severity == "warning" else log.error)("%s", problem)
    for problem in show.missing_media:  # (kept apart from the show's own problems: the overlay lists both)
        log.error("%s", problem)
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


# -- preview ---------------------------------------------------------------------
def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import preview

    if state_refused(args.state, "preview"):
        return 2
    show_path = Path(args.show) if args.show else find_show_for(Path.cwd() / "-")
    scene_file, tried = _resolve_scene(args.scene, show_path)
    if scene_file is None:
        print(f"bayard: no scene '{args.scene}'; tried " + ", ".join(str(t) for t in tried), file=sys.stderr)
        return 2
    if not args.show:
        show_path = find_show_for(scene_file)
    show = load(str(show_path))
    if show is None:
        return 2
    setup_logging(show.config.logging.level, show.config.logging.libraries)
    with contextlib.ExitStack() as held:
        state = keep_preview_state(show, args.state, held, "preview")
        log.info("preview: what the scene keeps (the quiz's verdicts, its pictures) goes to %s%s", state,
                 "" if args.state else ", removed after (--state DIR keeps it)")
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


# -- render ----------------------------------------------------------------------
def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_video

    if state_refused(args.state, "render"):
        return 2
    if args.scene:
        scene_file = Path(args.scene).resolve()
        show = load(str(Path(args.show) if args.show else find_show_for(scene_file)))
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
        show = load(args.show or str(find_show_for(Path.cwd() / "-")))
        if show is None:
            return 2
    # The show plays on without a scene whose file has a mistake (and `run` logs it), so
    # the film looked fine with that scene missing and `--strict` passed it: said here.
    # (With --scene, the other scenes' mistakes are not this film's.)
    # The scene's missing media is said with --scene too (only its own: single_scene_show).
    errors = ([] if args.scene else [p for p in show.problems if p.severity != "warning"]) + list(show.missing_media)
    if errors:
        print(f"The {'scene' if args.scene else 'show'} has {counted(len(errors), 'error')}; the video plays it as "
              "the show does, without what they name (`bayard check` says more):", file=sys.stderr)
        for problem in errors:
            print(f"  {problem}", file=sys.stderr)
    setup_logging("warning")
    from .faults import FaultRecorder

    with contextlib.ExitStack() as held, FaultRecorder() as recorder:
        keep_preview_state(show, args.state, held, "render")
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
        print(f"{counted(len(recorder.faults), 'fault')} caught while rendering; the video shows what the show "
              f"does then (a stand-in, or the next scene):", file=sys.stderr)
        for line in recorder.summary().splitlines():
            print(f"  {line}", file=sys.stderr)
        return 1 if args.strict else 0
    return 1 if errors and args.strict else 0


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
                   help="the show file or folder (default: install.toml in this folder or the nearest one above it)")
    depth = p.add_mutually_exclusive_group()
    depth.add_argument("--fast", action="store_true",
                       help="quicker, for a first look: media is checked to be there, by name, without decoding it, "
                            "and the faces in portraits and quiz pictures, the words' fit and the model files are "
                            "not checked")
    depth.add_argument("--full", action="store_true",
                       help="look at every picture of a large quiz for a face, and decode every file a loop's "
                            "folder matches (by default the first 25 quiz pictures of each truth and the first "
                            "200 pictures and 12 films of a folder; the rest by their headers and endings)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("preview", help="play one scene and reload it whenever the file is saved")
    p.add_argument("scene", help="a scene file or a scene's name, e.g. scenes/bayard.toml or bayard")
    p.add_argument("--show", default=None, help="the show file (default: the nearest install.toml)")
    p.add_argument("--headless", action="store_true", help="play without a window (default: a window)")
    p.add_argument("--seconds", type=seconds, default=None, help="stop after this many seconds (default: never)")
    p.add_argument("--state", default=None, help=STATE_HELP.format(doing="previewing", command="preview"))
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
                   help="exit 1 when any scene faulted while rendering, or the show has errors (a "
                        "scene it skips, a media file it cannot open); for checks and CI: both are "
                        "listed either way")
    p.add_argument("--state", default=None, help=STATE_HELP.format(doing="rendering", command="render"))
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
