"""`bayard check` for quiz scenes: every item should show a face. The face detector reads
the face it finds; without one it reads the middle of the picture and says so on the
reveal, and a "which face is real?" quiz with no face in it is a broken question.

A quiz of thousands keeps `check` quick, as a loop's folder does: the first QUIZ_DECODED items of
each truth are decoded and looked at for a face; the others are judged by their headers (size)
and endings (a copy cut short), and `check` says how far it looked."""

from __future__ import annotations

import dataclasses
import math
import statistics
import time
from pathlib import Path
from typing import Any

from ..config.errors import Problem, shown
from ..config.locate import line_of
from ..models.detector.preprocess import MIN_SIDE, TILE  # the least of a picture's own pixels a detector reads
from ..runtime.files import read_text
from .layout import SOFT_ENLARGEMENT, picture_room
from .loop_check import picture_wrong
from .quiz_items import ItemsError, left_out, load_folder, too_small, unplayable
from .quiz_kept_items import kept_file, recall
from .quiz_manifest import ItemPlaces, read_manifest

# Items of each truth decoded and looked at for a face (the face stack's look at a 1024 px picture took
# 340 ms on a busy 2-core machine: 2,000 pictures, 11 minutes); the rest by header and ending.
QUIZ_DECODED = 25


def quiz_items_of(config, content_root: Path, wrong: list | None = None, root: Path | None = None):
    """The items the quiz plays; the manifest's wrong items, left out, go to `wrong`. Files
    named from the show folder `root`."""
    if getattr(config, "manifest", None) is not None:
        items, problems = read_manifest(content_root / config.manifest, content_root, root)
        if wrong is not None:
            wrong.extend(problems)
        return items
    return load_folder(config.real, "real", content_root, root) + load_folder(config.fake, "fake", content_root, root)


def check_quiz_faces(config: Any, show: Any, full: bool = False) -> list[Problem]:
    """`bayard check` (the scene kind's `check_content`): a warning per quiz item in which
    the face stack finds no face (none when the face stack cannot load: that is reported
    elsewhere, and then nothing can be checked). `full` (`check --full`): every item is
    decoded and looked at, not the first QUIZ_DECODED of each truth."""
    from ..imaging import FIRST_FRAME_ONLY, MediaError, animated_gif, read_rgb
    from ..models.face import portrait_faces, try_open
    from ..models.face.orientation import how_it_lies

    file = show.scene_files[config.id]
    source = read_text(file) if file.exists() else ""
    problems = _machine_problems(config, show, file, source)
    key = "manifest" if getattr(config, "manifest", None) is not None else "real"
    if key == "real":
        problems += _passed_over(config, show, file, source)
    wrong: list = []
    try:
        items = quiz_items_of(config, show.content_root, wrong, Path(show.path).parent)
        mode = getattr(config, "mode", "single")
        short = unplayable(items, mode)
        then = ("the quiz leaves this item out until it is mended" if short is None
                else "with no item left, the quiz rests with no pictures until it is mended" if not items
                else f"then {short}, so the quiz rests with no pictures until it is mended")
        for problem in wrong:  # the quiz plays the rest; with too few left it rests
            problems.append(dataclasses.replace(problem, message=f"{problem.message}; {then}",
                                                severity="warning" if short is None else "error"))
        if short is not None and items and not wrong:
            # (A pair quiz of real pictures alone offered "Touch to play", and a touch did nothing.)
            problems.append(Problem(file, line_of(source, ("mode",)) or line_of(source, (key,)), "mode",
                                    f"{short}, so the quiz rests with no pictures; add items, or play "
                                    'mode = "single"'))
    except ItemsError as error:
        if key == "manifest" and (show.content_root / config.manifest).is_file():
            # A manifest that is there but cannot be read (not TOML, an unknown truth): the
            # quiz would rest with no pictures, and `check` said the show was fine.
            return [*problems, Problem(file, line_of(source, (key,)), key,
                                       f"{error}; until it is mended {_meanwhile(config, show)}")]
        return problems  # a missing manifest or folder is check_media's to report
    if not items:
        return problems
    problems += _short_rounds(config, items, file, source)
    stack, _ = try_open(show.models_dir)
    where = _item_lines(config, show, file, source, key)
    smallest: tuple[int, Any] | None = None  # (side, item)
    listed = key == "manifest"
    unshown: dict[str, Problem] = {}  # by item: pictures the quiz leaves out, playing the others
    looked: dict[str, int] = {}  # items of each truth that are there, in the quiz's order
    took: list[float] = []  # seconds each picture's decoding and look for a face took
    for item in items:
        item_file, item_line, item_key = where(item)
        if not item.path.is_file():
            # (Once skipped here as "reported where the items are listed": it was not, and
            # check said the show was fine while the quiz left the item out.)
            unshown[item.key] = Problem(item_file, item_line, item_key, f"quiz item '{item.key}': "
                                        + left_out("no such file in the content folder", listed), "warning")
            continue
        looked[item.truth] = looked.get(item.truth, 0) + 1
        image = None
        if full or looked[item.truth] <= QUIZ_DECODED:
            try:
                began = time.monotonic()  # (how long a look takes here: check's estimate for --full)
                image = read_rgb(item.path)
            except MediaError as error:
                # check_media probes the scene file's own paths, not the items a manifest lists
                unshown[item.key] = Problem(item_file, item_line, item_key, f"quiz item '{item.key}': "
                                            + left_out(str(error).split(": ", 1)[-1], listed), "warning")
                continue
            height, width = image.shape[:2]
        else:
            wrong, size = picture_wrong(item.path, whole=False)
            if wrong or size is None:
                unshown[item.key] = Problem(item_file, item_line, item_key, f"quiz item '{item.key}': "
                                            + left_out(wrong or "cannot be decoded", listed), "warning")
                continue
            width, height = size
        if min(width, height) < MIN_SIDE:
            unshown[item.key] = Problem(item_file, item_line, item_key,
                                        f"quiz item '{item.key}' {too_small(width, height)}", severity="warning")
            continue
        if animated_gif(item.path):
            problems.append(Problem(item_file, item_line, item_key,
                                    f"quiz item '{item.key}' {FIRST_FRAME_ONLY}: visitors are asked about that frame "
                                    "(save the frame you mean as PNG to ask about another)", severity="warning"))
        if smallest is None or min(width, height) < smallest[0]:
            smallest = (min(width, height), item)
        if min(width, height) < TILE:
            problems.append(Problem(
                item_file, item_line, item_key,
                f"quiz item '{item.key}' is only {width}x{height} px: the machine reads at least "
                f"{TILE}x{TILE} of a picture's own pixels, so it judges this one enlarged (below 16 px "
                f"not at all), and visitors see it enlarged too. Use a picture at least {TILE} px on "
                "each side",
                severity="warning"))
        if image is None:
            continue  # (judged by its header and ending: no face looked for)
        faces = portrait_faces(image, stack) if stack is not None else None
        took.append(time.monotonic() - began)
        if faces == []:
            problems.append(Problem(
                item_file, item_line, item_key,
                f"quiz item '{item.key}' shows no face the face stack can find; the detector will read the "
                "middle of the picture. Use a portrait, or crop the picture to the face",
                severity="warning"))
        elif faces and (lying := how_it_lies(faces[0].expression.roll)) is not None:
            # Visitors would be asked about a face stored turned (the machine reads it
            # upright either way): a content mistake, almost always.
            problems.append(Problem(
                item_file, item_line, item_key,
                f"quiz item '{item.key}': the face is {lying} in the picture; if it is stored turned, "
                "turn it upright in an image editor",
                severity="warning"))
    if smallest is not None:
        problems += _small_on_this_screen(show, *smallest, where)
    unlooked = 0 if full else sum(max(0, n - QUIZ_DECODED) for n in looked.values())
    # (The median: the first look also loads the face models.)
    more = _about(unlooked * (statistics.median(took) if took else 0.0))
    if unlooked:
        problems.append(Problem(file, line_of(source, (key,)), key, (
            f"the quiz has {sum(looked.values())} pictures: `bayard check` decoded the first {QUIZ_DECODED} "
            f"{'of each truth' if len(looked) > 1 else ''} and looked for a face in them, and judged the other "
            f"{unlooked} by their headers and endings (to stay quick): {unlooked} pictures not looked at for a "
            f"face; `bayard check --full` looks at all ({more} more at this check's pace); one broken in its "
            "middle is left out when the quiz comes to it, and named in the log and on the overlay"
        ).replace("  ", " "), severity="note"))
    short = unplayable([i for i in items if i.key not in unshown], mode)
    if short is not None and unplayable(items, mode) is None:  # then these pictures make the quiz rest
        return problems + [dataclasses.replace(p, message=f"{p.message}; but without the pictures that cannot "
                                               f"be shown {short}, so the quiz rests", severity="error")
                           for p in unshown.values()]
    return problems + list(unshown.values())


def _about(seconds: float) -> str:
    """About how long: 'about 20 s', 'about 11 min'."""
    return f"about {max(1, round(seconds))} s" if seconds < 90 else f"about {round(seconds / 60)} min"


def _passed_over(config: Any, show: Any, file: Path, source: str) -> list[Problem]:
    """Files in a quiz's folders of kinds the show does not play (a phone's HEIC, a PDF): the
    quiz passes them over, and nothing said so (a GIF was one of them until it played)."""
    from ..media.kinds import PICTURE_SUFFIXES
    from .loop_check import SAID_ONE_BY_ONE, printable

    problems = []
    for key in ("real", "fake"):
        folder = show.content_root / getattr(config, key)
        try:
            other = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() not in PICTURE_SUFFIXES)
        except OSError:
            continue  # (a folder that cannot be listed: check_media and the items' listing say it)
        if other:
            names = ", ".join(f"'{printable(p.relative_to(show.content_root).as_posix())}'"
                              for p in other[:SAID_ONE_BY_ONE])
            more = f" and {len(other) - SAID_ONE_BY_ONE} more" if len(other) > SAID_ONE_BY_ONE else ""
            problems.append(Problem(file, line_of(source, (key,)), key,
                                    f"{len(other)} file(s) in the {key} folder are of kinds the show does not play, "
                                    f"and the quiz passes them over: {names}{more}; export pictures as JPEG or PNG, "
                                    "or move the other files out of the folder", severity="warning"))
    return problems


def _meanwhile(config: Any, show: Any) -> str:
    """What the quiz plays while its manifest cannot be read: the items it last read well,
    as kept in the state folder (quiz_kept_items), else nothing."""
    kept = kept_file(show.state_dir, config.id)
    manifest = shown(show.content_root / config.manifest, show.content_root)
    items, since, _ = recall(kept, manifest, show.content_root, Path(show.path).parent)
    if not items:
        return "the quiz rests with no pictures"
    return (f"the quiz plays the {len(items)} items it last read well (kept in "
            f"{shown(kept, Path(show.path).parent)} on {since})")


def _kept_items(config: Any, show: Any) -> list:
    """The items a quiz whose manifest cannot be read plays: those it last read well, as kept
    in the state folder (quiz_kept_items); none for a quiz without a manifest."""
    if getattr(config, "manifest", None) is None:
        return []
    manifest = shown(show.content_root / config.manifest, show.content_root)
    items, _, _ = recall(kept_file(show.state_dir, config.id), manifest, show.content_root, Path(show.path).parent)
    return items


# Quiz faces held this far below their place on the screen read as a small picture in a
# large empty box.
ROOM_FILLED = 0.75


def _small_on_this_screen(show: Any, side: int, item: Any, where) -> list[Problem]:
    """Every quiz picture is drawn at one size, at most SOFT_ENLARGEMENT times the smallest
    one's pixels (larger is only softer, and sizes that differ could hint at the answer):
    on a large screen one small picture keeps every face small. Said here, with the size
    that fills this screen's place."""
    w, h = tuple(show.config.display.size)
    room = picture_room((w, h))
    drawn = round(SOFT_ENLARGEMENT * side)
    if drawn >= ROOM_FILLED * room:
        return []
    item_file, item_line, item_key = where(item)
    needed = math.ceil(room / SOFT_ENLARGEMENT)
    return [Problem(
        item_file, item_line, item_key,
        f"quiz item '{item.key}' is the smallest quiz picture ({side} px), and every quiz face is drawn "
        f"at most twice that, {drawn} px, on this {w}x{h} display where there is room for about {room}: "
        f"the faces look small. Use quiz pictures at least {needed} px on each side",
        severity="warning")]


def _short_rounds(config: Any, items: list, file: Path, source: str) -> list[Problem]:
    """A warning when there are fewer pictures than a round asks for (`questions = 10` over
    six items quietly played rounds of six)."""
    asked = getattr(config, "questions", None)
    if not isinstance(asked, int):
        return []
    real = sum(1 for i in items if i.truth == "real")
    if getattr(config, "mode", "single") == "pair":
        can, unit = min(real, len(items) - real), "real-and-fake pairs"
    else:
        can, unit = len(items), "pictures"
    if can >= asked or can == 0:  # (none at all: the quiz rests, said at 'mode')
        return []
    return [Problem(file, line_of(source, ("questions",)), "questions",
                    f"a round asks {asked} questions but there are only {can} {unit}, so each round asks "
                    f"{can}; add pictures, or lower 'questions'", severity="warning")]


def _machine_problems(config: Any, show: Any, file: Path, source: str) -> list[Problem]:
    """A warning where the quiz's detector cannot load (its weights are neither in the
    show's models folder nor shipped): visitors would meet a quiz without a machine while
    `check` said all was well."""
    from ..models.detector import DEFAULT_DETECTOR, DETECTORS, detector_folder

    models = getattr(show.config, "models", None)
    name = config.detector or getattr(models, "detector", DEFAULT_DETECTOR)
    if name == "none" or name not in DETECTORS:  # switched off, or refused by the schema
        return []
    availability = DETECTORS.get(name).availability(detector_folder(name, show.models_dir))
    if availability.ok:
        return []
    if config.detector:
        at, line, key = file, line_of(source, ("detector",)), "detector"
    else:
        at, line, key = show.path, line_of(read_text(show.path), ("models", "detector")), "models.detector"
    return [Problem(at, line, key,
                    f"the quiz's machine ('{name}') cannot play here: {availability.reason}; visitors get "
                    "the quiz without a machine until it can", severity="warning")]


def _item_lines(config: Any, show: Any, file: Path, source: str, key: str):
    """Where a curator mends each item, as (file, line, key): its `image = ...` line in the
    manifest, or the scene file's `real` or `fake` key when the items are a folder's pictures
    (each named at its own folder's key: a fake's was said under `real`, sending the curator
    to the wrong folder)."""
    manifest = show.content_root / config.manifest if getattr(config, "manifest", None) is not None else None
    places = ItemPlaces(manifest, None)

    def where(item) -> tuple[Path, int | None, str]:
        if manifest is None:
            folder = "fake" if item.truth == "fake" else "real"
            return file, line_of(source, (folder,)), folder
        return manifest, places.line(item.key), "image"

    return where


def describe(show: Any) -> list[str]:
    """Lines for `bayard check`: which machine each quiz plays with, and how many of its
    items have a cross-fitted verdict (`bayard detector fit --quiz`), which the quiz uses
    instead of the detector's own."""
    from ..models.detector import DEFAULT_DETECTOR, DETECTORS
    from ..models.detector.crossfit import (
        COIN_AUC,
        CROSSFIT_FILE,
        crossfit_figures,
        crossfit_verdicts,
        sha256_of,
    )

    lines = []
    for scene_id, config in getattr(show, "scenes", {}).items():
        if getattr(config, "type", None) != "quiz":
            continue
        name = config.detector or getattr(getattr(show.config, "models", None), "detector", DEFAULT_DETECTOR)
        if name == "none":
            lines.append(f"  quiz '{scene_id}': no machine (detector = \"none\")")
            continue
        known = name in DETECTORS
        unread = False
        try:
            items = quiz_items_of(config, show.content_root)
        except ItemsError:
            # While its manifest cannot be read the quiz plays the items it last read well, each
            # judged by its cross-fitted verdict as before: counted as nothing, they had check
            # send the technician to refit a cross-fit that was there all along.
            unread = True
            items = _kept_items(config, show)
        folder = Path(show.models_dir) / "detector"
        saved = crossfit_verdicts(folder)
        fitted = sum(1 for item in items if saved and item.path.is_file() and sha256_of(item.path) in saved)
        machine = f"detector '{name}'" + ("" if known else " (unknown name)")
        played = f"{len(items)} items" + (" it last read well" if unread else "")
        own = (f"cross-fitted verdicts for {fitted} of {played} ({CROSSFIT_FILE})" if fitted
               else "no pictures to judge until its manifest is mended" if unread and not items
               else "the detector's own verdicts (no cross-fit: `bayard detector fit --quiz`)")
        figures = crossfit_figures(folder) if fitted else None
        if figures is not None:
            # What visitors will see of the machine: a technician should know before opening.
            auc, accuracy = figures
            own += f"; out of fold it ranks them at ROC AUC {auc:.2f} and is right {accuracy:.0%} of the time"
            if auc < COIN_AUC:
                own += " (no better than a coin on these items: visitors will see it lose about as often as it wins)"
        if not saved and (folder / CROSSFIT_FILE).exists():
            own = (f"the detector's own verdicts: {folder / CROSSFIT_FILE} cannot be read "
                   "(fit again with `bayard detector fit --quiz`)")
        lines.append(f"  quiz '{scene_id}': {machine}; {own}")
    return lines
