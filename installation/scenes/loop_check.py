"""`bayard check` for a loop's `folder`: every file the pattern matches is checked as a file
named in a scene is (a kind the show plays, whole, within the size the show decodes, large
enough for the loop's frame on this screen, an animated GIF's first frame only), and said at
the folder's line with the file and the fix. `check` had said nothing of a truncated JPEG, a
40 px picture or a GIF in a folder, while the same files named one by one were checked.

A folder of thousands keeps `check` quick: the first FOLDER_DECODED pictures and FOLDER_FILMS
films (in the loop's order) are decoded; the others are judged by their headers and, for JPEG,
PNG and GIF, by how they end (a copy cut short lacks its end marker), and `check` says so.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from ..config.errors import Problem
from ..config.locate import line_of
from ..config.media_names import printable
from ..runtime.files import read_text
from .layout import GRID_SHARE, SOFT_ENLARGEMENT, picture_and_column

FOLDER_DECODED = 200  # pictures decoded per folder (3-13 ms each for a 2-megapixel JPEG, as busy as the machine is)
FOLDER_FILMS = 12  # films read through ffmpeg per folder (about 0.4 s each)
SAID_ONE_BY_ONE = 10  # files named one by one per folder; the rest are counted in one line
_TAIL_BYTES = 4096  # where a whole JPEG's or PNG's end marker lies
# What check reads of a GIF past the decoded ones to tell whether it moves: its looping marker
# lies before its first frame; Pillow read the whole first frame (megabytes for a large GIF).
_GIF_HEAD_BYTES = 64 * 1024


def check_loop_folder(config: Any, show: Any, full: bool = False) -> list[Problem]:
    """The loop kind's `check_content`: what is wrong with the files its `folder` matches.
    `full` (`check --full`): every picture and film is decoded, not the first FOLDER_DECODED
    and FOLDER_FILMS."""
    decoded_bound, films_bound = (math.inf, math.inf) if full else (FOLDER_DECODED, FOLDER_FILMS)
    if not getattr(config, "folder", None):
        return []
    from ..media.folder_pattern import pattern_files
    from ..media.kinds import FILM_SUFFIXES, PICTURE_SUFFIXES

    file = show.scene_files[config.id]
    line = line_of(read_text(file), ("folder",)) if file.exists() else None
    root = show.content_root
    matched = pattern_files(root, config.folder)
    played = [p for p in matched if p.suffix.lower() in PICTURE_SUFFIXES | FILM_SUFFIXES]
    passed_over = [p for p in matched if p.suffix.lower() not in PICTURE_SUFFIXES | FILM_SUFFIXES]
    folder = printable(config.folder)
    matched_by = f"matched by '{folder}'"

    def said(message: str, severity: str = "warning") -> Problem:
        return Problem(file, line, "folder", message, severity=severity)

    problems = []
    if passed_over:
        names = ", ".join(f"'{printable(_relative(p, root))}'" for p in passed_over[:SAID_ONE_BY_ONE])
        more = f" and {len(passed_over) - SAID_ONE_BY_ONE} more" if len(passed_over) > SAID_ONE_BY_ONE else ""
        problems.append(said(
            f"'{folder}' matches {len(passed_over)} file(s) of kinds the show does not play, which the loop passes "
            f"over: {names}{more}; export pictures as JPEG or PNG and films as MP4, or narrow the pattern "
            "(e.g. '*.jpg')"))
    frame = _loop_frame(config, show)
    findings: list[str] = []
    decoded = films = 0
    for path in played:
        relative = printable(_relative(path, root))
        if path.suffix.lower() in FILM_SUFFIXES:
            films += 1
            wrong = _film_wrong(path) if films <= films_bound else _unreadable(path)
            if wrong:
                findings.append(f"'{relative}' ({matched_by}) {_with_fix(wrong, 'film')}")
            continue
        decoded += 1
        wrong, size = picture_wrong(path, whole=decoded <= decoded_bound)
        if wrong:
            findings.append(f"'{relative}' ({matched_by}) {_with_fix(wrong, 'picture')}")
            continue
        from ..imaging import FIRST_FRAME_ONLY, MOVE_AS_FILM, animated_gif

        if size is not None and (soft := _soft(size, frame, config.fit, tuple(show.config.display.size))):
            findings.append(f"'{relative}' ({matched_by}) {soft}")
        moves = animated_gif if decoded <= decoded_bound else _gif_moves_by_its_head
        if path.suffix.lower() == ".gif" and moves(path):
            findings.append(f"'{relative}' ({matched_by}) {FIRST_FRAME_ONLY}; {MOVE_AS_FILM}")
    for finding in findings[:SAID_ONE_BY_ONE]:
        problems.append(said(finding))
    if len(findings) > SAID_ONE_BY_ONE:
        problems.append(said(f"and {len(findings) - SAID_ONE_BY_ONE} more findings of that kind among the files "
                             f"'{folder}' matches (`bayard check` names the first {SAID_ONE_BY_ONE})"))
    unprobed = 0 if full else max(0, decoded - FOLDER_DECODED) + max(0, films - FOLDER_FILMS)
    if unprobed:
        problems.append(said(
            f"'{folder}' matches {len(played)} pictures and films: `bayard check` decoded the first "
            f"{min(decoded, FOLDER_DECODED)} pictures and {min(films, FOLDER_FILMS)} films, and judged the other "
            f"{unprobed} by their headers and endings, and whether a GIF moves by its first "
            f"{_GIF_HEAD_BYTES // 1024} KiB (its looping marker, or a second frame), to stay quick: {unprobed} not "
            "decoded; `bayard check --full` decodes all; one broken in its middle is skipped by the loop when it "
            "comes round, and named in the log and on the overlay",
            severity="note"))
    return problems


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _with_fix(reason: str, kind: str, remove: str = "take it out of the folder",
              then: str = "the loop plays the others meanwhile") -> str:
    """The reason, with what to do where it does not say it already, and what the loop does."""
    if "export" in reason or "chmod" in reason:
        fix = f", or {remove}"
    elif kind == "film":
        fix = f": copy it again from where it came (or export it as an H.264 MP4), or {remove}"
    else:
        fix = f": copy it again from where it came (or save it again as JPEG or PNG), or {remove}"
    return f"{reason}{fix}; {then}"


def _gif_moves_by_its_head(path: Path) -> bool:
    """Whether a GIF is animated, judged by its first _GIF_HEAD_BYTES: a looping marker (the
    NETSCAPE2.0 or ANIMEXTS1.0 application block animating tools write before the first frame),
    or a second frame begun within them. A GIF with neither that far in is taken as a still."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_GIF_HEAD_BYTES)
    except OSError:
        return False
    if not head.startswith((b"GIF87a", b"GIF89a")) or len(head) < 13:
        return False
    at = 13 + ((3 << ((head[10] & 7) + 1)) if head[10] & 0x80 else 0)  # past the global colour table
    frames = 0
    while at < len(head):
        block = head[at]
        if block == 0x21:  # an extension: its label, then sub-blocks
            if head[at + 3:at + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):  # (after its label and size)
                return True
            at = _past_sub_blocks(head, at + 2)
        elif block == 0x2C:  # a frame: its descriptor, colour table, code size, sub-blocks
            frames += 1
            if frames > 1:
                return True
            flags = head[at + 9] if at + 9 < len(head) else 0
            at += 10 + ((3 << ((flags & 7) + 1)) if flags & 0x80 else 0)
            at = _past_sub_blocks(head, at + 1)
        else:  # the trailer, or bytes that are no GIF block
            return False
    return False


def _past_sub_blocks(data: bytes, at: int) -> int:
    """Where the sub-blocks starting at `at` end (past their zero-length terminator)."""
    while at < len(data) and data[at]:
        at += data[at] + 1
    return at + 1


def places_in_scene_file(config: Any, scene_file: Path | None, show_root: Path | None,
                         state_dir: Path | None = None, scenes_dir: Path | None = None) -> dict[str, str]:
    """Where the running show says a skipped file is named (skipped_words): by each listed
    item's file, and "" for the folder, the scene file from the show folder with the line and
    key. Read in the scene's prepare(), on the loading thread: a show on a stick that hangs
    would otherwise hold the screen while the scene file is read."""
    from ..config.errors import shown
    from ..config.locate import key_path

    if scene_file is None:
        return {}
    try:
        source = read_text(scene_file)
    except (OSError, UnicodeDecodeError):
        source = ""
    name = shown(scene_file, show_root)
    broken = _stood_in_for(scene_file, state_dir, scenes_dir)

    def place(loc: tuple) -> str:
        line = line_of(source, loc) if source else None
        if broken is not None:
            # The scene file is broken and its last good copy plays: the technician edits the file,
            # not the copy in the state folder (they were sent to var/last-good/scenes/NAME.toml).
            copy = f"{name}:{line}" if line else name
            return (f"{shown(broken, show_root)}: {key_path(loc)} (the scene plays its last good copy, {copy}, "
                    "until this file loads again)")
        return f"{name}:{line}: {key_path(loc)}" if line else f"{name}: {key_path(loc)}"

    places = {item.file: place(("items", index, "file")) for index, item in enumerate(config.items)}
    if config.folder:
        places[""] = place(("folder",))
    return places


def _stood_in_for(scene_file: Path, state_dir: Path | None, scenes_dir: Path | None) -> Path | None:
    """The show's own scene file where `scene_file` is its last good copy in the state folder, else None."""
    from ..config.loader import last_good_folders

    if state_dir is None or scenes_dir is None:
        return None
    folders = {os.path.abspath(folder / "scenes") for folder in last_good_folders(state_dir)}
    return scenes_dir / scene_file.name if os.path.abspath(scene_file.parent) in folders else None


def skipped_words(file: str, reason: str, places: dict[str, str], content_root: Path,
                  show_root: Path | None, others_left: bool = True) -> str:
    """What the running show says of a file its loop skips, as `check` says it: where the scene
    file names it, the file from the show folder ('content/img/truncated.jpg', not the bare
    'truncated.jpg' a technician had to search the content folder for), why, and the fix."""
    from ..config.errors import shown
    from ..media.kinds import FILM_SUFFIXES

    listed = file in places
    where = places.get(file) if listed else places.get("")
    remove = "remove its [[items]] entry from the scene file" if listed else "take it out of the folder"
    kind = "film" if Path(file).suffix.lower() in FILM_SUFFIXES else "picture"
    then = ("the loop plays the others meanwhile" if others_left
            else "with nothing else to play, the loop shows its resting card meanwhile")
    said = f"'{printable(shown(content_root / file, show_root))}' {_with_fix(reason, kind, remove, then)}"
    return f"{where}: {said}" if where else said


def folder_hung_words(folder: str, places: dict[str, str], content_root: Path, show_root: Path | None,
                      playing: int, waited_s: float) -> str:
    """What the running show says, once, when a loop's folder has not answered its look: where the
    scene file names the folder, what the loop does meanwhile, and the fix."""
    from ..config.errors import shown

    where = places.get("")
    whole = printable(shown(content_root / folder, show_root))
    meanwhile = (f"the loop plays the {playing} file(s) it has meanwhile" if playing
                 else "with nothing to play, the loop shows its resting card meanwhile")
    said = (f"the drive holding '{whole}' has not answered a look at its files for {waited_s:g} s (a USB stick "
            f"failing or asleep?); {meanwhile}, and files copied in join when the drive answers: check the "
            "drive, or copy the folder to the show's disk")
    return f"{where}: {said}" if where else said


def _unreadable(path: Path) -> str | None:
    """Why a file cannot be read at all, else None. Root reads any file whatever its
    permissions: `check` run as root says of a file others may not read that the show's own
    user may not either (the service runs as the kiosk's user, deploy/bayard.service)."""
    try:
        stat = os.stat(path)
        if stat.st_size == 0:
            return "is empty (0 bytes)"
        with open(path, "rb") as handle:
            handle.read(1)
    except PermissionError:
        return "cannot be read (permission denied): give everyone read access (chmod a+r)"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if os.geteuid() == 0 and not stat.st_mode & 0o004 and stat.st_uid == 0:
        return ("may be read by root only (check runs as root, the show does not): give everyone read "
                "access (chmod a+r)")
    return None


def picture_wrong(path: Path, whole: bool) -> tuple[str | None, tuple[int, int] | None]:
    """(why the loop cannot show this picture or None, its size where its header gives it).
    `whole`: decode it; else its header and its ending only."""
    from ..config.media_check import probe_media
    from ..imaging import MediaError, image_size, refuse_oversize

    wrong = _unreadable(path)
    if wrong:
        return wrong, None
    size = image_size(path)
    if size is not None:
        try:
            refuse_oversize(size)  # (a 30000 px square PNG: its header is enough, nothing decoded)
        except MediaError as error:
            return str(error), size
    if whole or size is None:  # (a header Pillow cannot read: the decoder decides)
        return probe_media(path), size
    # Only a file that looks cut short is decoded: a phone's motion photo carries a film after
    # its JPEG's end, so a missing marker in the last bytes is a doubt, not a verdict.
    return (probe_media(path) if _cut_short(path) else None), size


def _cut_short(path: Path) -> str | None:
    """Why a JPEG, PNG or GIF may be a copy that stopped (no end marker in its last bytes), else None."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - _TAIL_BYTES))
            tail = handle.read()
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    from ..imaging import GIF_MAGIC, UNDECODABLE

    if start[:3] == b"\xff\xd8\xff" and b"\xff\xd9" not in tail:
        return UNDECODABLE
    if start == b"\x89PNG\r\n\x1a\n" and b"IEND" not in tail:
        return UNDECODABLE
    # A GIF ends with its trailer byte, ';' (its pixel data holds that byte anywhere, so only the
    # last one tells); a copy that stopped is then decoded, and named only where the frame the
    # show draws, the first, is cut: one cut in a later frame plays.
    if start[:6] in GIF_MAGIC and not tail.endswith(b";"):
        return UNDECODABLE
    return None


def _film_wrong(path: Path) -> str | None:
    from ..config.media_check import probe_media

    return _unreadable(path) or probe_media(path)


def _loop_frame(config: Any, show: Any) -> tuple[int, int]:
    """The loop's frame on this display, as loop_draw lays it out before its words are
    measured (they may make it smaller still): the whole screen, or a square beside them."""
    display = tuple(show.config.display.size)
    if config.layout == "full":
        return display
    picture, _ = picture_and_column(display, share=GRID_SHARE)
    side = min(picture.size)
    return side, side


def _soft(size: tuple[int, int], frame: tuple[int, int], fit: str, display: tuple[int, int]) -> str | None:
    """What is said of a picture the loop enlarges past SOFT_ENLARGEMENT, else None."""
    width, height = size
    scales = (frame[0] / width, frame[1] / height)
    enlargement = max(scales) if fit == "cover" else min(scales)
    if enlargement <= SOFT_ENLARGEMENT:
        return None
    sharp = math.ceil(max(width, height) * enlargement / SOFT_ENLARGEMENT / 100) * 100
    return (f"is {width}x{height} px; the loop draws it {enlargement:.1f} times enlarged in its {frame[0]}x{frame[1]} "
            f"frame on this {display[0]}x{display[1]} display, so it will look soft. Use a picture at least {sharp} px "
            "on its long side")
