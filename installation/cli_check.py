"""`bayard check`: the show's files, its media and models, and the machine it would play on
(the screen, the OSC port, the disks, the kiosk service), each problem with its line and fix."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_show import REPO_ROOT, find_show_for, load
from .config.errors import Problem
from .counted import counted

if TYPE_CHECKING:
    from .config.loader import Show


def cmd_check(args: argparse.Namespace) -> int:
    # The display settings as given, before the checks below start pygame headless (which
    # sets SDL_VIDEODRIVER=dummy in this process).
    screen_env = dict(os.environ)
    # From any folder inside the show, as preview works: the nearest install.toml above.
    show = load(args.show or str(find_show_for(Path.cwd() / "-")))
    if show is None:
        return 2
    from .config.check_paths import scene_path_problems, show_path_problems
    from .config.media_check import check_media

    problems = list(show.problems) + _left_out(show) + show_path_problems(show) + scene_path_problems(show)
    problems += check_media(show, decode=not args.fast)
    from .runtime.display_check import display_report
    from .runtime.host_check import disk_room, film_room, osc_port, state_folder

    # The machine itself: an OSC port the show cannot have, disks without room for its logs
    # or for copies of its films on a USB stick, a kiosk service set up for another state
    # folder, a screen SDL cannot open.
    osc_line, osc_problems = osc_port(show)
    state_line, state_problems = state_folder(show)
    display_line, display_problems = display_report(show, screen_env)
    films_line, films_problems = film_room(show)
    problems += osc_problems + disk_room(show) + films_problems + state_problems + display_problems
    if not args.fast:
        problems += _check_content(show, full=args.full) + _check_models(show)
    # In reading order, file by file and line by line (they were in the order the checks ran),
    # each naming its file from the show folder printed first.
    problems = sorted((p.within(show.root) for p in problems), key=Problem.reading_place)
    errors = [p for p in problems if p.severity == "error"]
    notes = [p for p in problems if p.severity == "note"]
    warnings = [p for p in problems if p.severity not in ("error", "note")]
    from .services import describe_models

    print(f"Show: {show.config.show.title}  ({show.path})")
    total = 0.0
    open_ended = []
    print(f"Playlist ({counted(len(show.playlist), 'scene')}):")
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
    print(films_line)
    verdicts_line = _kept_verdicts_line(show)
    if verdicts_line:
        print(verdicts_line)
    from .runtime.units import read as read_service

    # Which files make the kiosk's service, and what of it could not be judged from here:
    # the lines above that read the service say nothing of what they could not read.
    print(read_service().summary())
    if notes:
        # What the show reads in its content where that decides how it looks (a portrait read as
        # a drawing or a photograph paints its closed lids differently), before the screen shows it.
        print(f"\nNotes ({len(notes)}): what the show reads in its content")
        for problem in notes:
            print(f"  {problem}")
    if warnings:
        # (Once these were only optional content and scenes left out; now they are also
        # pictures too small for the screen, characters no typeface has, portraits stored
        # turned, a detector at chance: each says what to do, and the show plays.)
        print(f"\nWarnings ({len(warnings)}): the show plays; each says what to do")
        for problem in warnings:
            print(f"  {problem}")
    if errors:
        print(f"\n{counted(len(errors), 'error')}:")
        for problem in errors:
            print(f"  {problem}")
        return 1
    print("\nOK: the show is valid." + (f" {counted(len(warnings), 'warning')} above." if warnings else ""))
    return 0


def _kept_verdicts_line(show: Show) -> str | None:
    """What the quiz's detector keeps on disk (status says what a start read back): a quiz
    slow to start after every restart, or a state folder that grew, shows here first."""
    from .models.detector import DEFAULT_DETECTOR
    from .scenes.quiz_verdicts import MAX_BYTES, MAX_FILES, kept_on_disk, verdicts_folder

    shows_default = show.config.models.detector
    judged = [c for c in show.scenes.values()
              if c.type == "quiz" and (getattr(c, "detector", None) or shows_default or DEFAULT_DETECTOR) != "none"]
    if not judged:
        return None
    folder = verdicts_folder(show.state_dir)
    try:
        count, size = kept_on_disk(folder)
    except OSError as error:
        return (f"Quiz verdicts kept: {folder} cannot be read ({error.strerror or error}): every quiz picture is "
                "judged again at each start")
    if count == 0:
        return (f"Quiz verdicts kept: none yet in {folder}: each quiz picture is judged at the first start and "
                "kept there for the next")
    return (f"Quiz verdicts kept: {count} ({size / 2**20:.1f} MB) in {folder}, read back at each start instead of "
            f"judged again; at most {MAX_FILES} files and {MAX_BYTES // 2**20} MB, the least recently used go first")


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


def _check_content(show: Show, full: bool = False) -> list:
    """Scene kinds that can judge their content (a portrait with no face, a quiz item with
    no face) offer `check_content(config, show, full)`; its problems are listed with the rest.
    `full` (`--full`): a large quiz or loop folder is looked at whole, not in part."""
    from .config.glyphs import check_glyphs
    from .config.words_fit import check_words_fit
    from .scenes import SCENE_KINDS

    found = check_glyphs(show)  # any scene's visitor text: characters that would be boxes
    found += check_words_fit(show)  # words that cannot fit beside their picture on this screen
    for config in show.scenes.values():
        hook = getattr(SCENE_KINDS.get(config.type), "check_content", None)
        if hook is not None:
            found += hook(config, show, full=full)
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
        from .textlog import type_side
        from .typography import Fonts

        context = SceneContext(clock=FakeClock(), size=show.config.display.size, content_root=show.content_root,
                               state_dir=show.state_dir, fonts=Fonts(type_side(show.config.display.size)))
        return kind(config, context).natural_duration()
    except Exception:  # a summary line is not worth failing the check over
        return None
