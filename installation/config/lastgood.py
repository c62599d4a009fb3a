"""The last show that loaded cleanly, kept so a broken edit never ends in a dark screen.

Each time the show loads with no errors (warnings allowed; at start or on reload) its
install.toml and scene files are copied to `<state>/last-good/`. A show with errors never
replaces the copy: an emptied install.toml once did, and took the last good show with it.
A scene file that breaks later is played from its copy here (load_show(keep_good=True)).
If install.toml is broken when the engine starts (a half-saved file, a bad edit made
while the kiosk was off), the engine plays that copy against the live content folder and
reports the error, instead of exiting into a restart loop.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

from ..counted import counted
from .errors import ShowError
from .lastgood_disk import ASIDE, CopyUnderWay, flush, flush_entry, say_failed, say_made, swap_lock
from .loader import LAST_GOOD, Show, last_good_folder, load_show

log = logging.getLogger("bayard.lastgood")

FOLDER = LAST_GOOD


def remember(show: Show) -> Path | None:
    """Copy the show's files to the state folder atomically, unless the show has errors;
    never raises (a full disk only means there is no newer copy)."""
    target = show.state_dir / FOLDER
    # A broken scene file playing its remembered version is copied from that version.
    errors = [p for p in show.errors if p.file not in show.kept]
    if errors:
        if (target / "install.toml").is_file():
            log.warning("the show has %s; the last good copy in %s is kept", counted(len(errors), "error"), target)
        else:  # (a first start with errors: there is none to keep, and saying so sent a technician looking)
            log.warning("the show has %s, so no last good copy is made (there is none yet in %s)",
                        counted(len(errors), "error"), target)
        return None
    under_way: CopyUnderWay | None = None
    try:
        show.state_dir.mkdir(parents=True, exist_ok=True)
        # A folder of its own, mode 0700: only the show's own user may read the copy (install.toml
        # may hold OSC passcodes, and copies keep their source's mode whatever the UMask says).
        under_way = CopyUnderWay(show.state_dir)
        staging = under_way.folder
        for left in under_way.cleared:
            log.info("removed %s, a last good copy cut short (a power cut, or a process killed)", left)
        (staging / "scenes").mkdir()
        shutil.copy2(show.path, staging / "install.toml")
        for file in show.scene_files.values():
            shutil.copy2(file, staging / "scenes" / file.name)
        words = show.config.show.words
        if words and (show.root / words).is_file() and show.words:
            # The show's own words go with it: played from this copy, the show spoke English.
            (staging / words).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(show.root / words, staging / words)
        origin = {"content": str(show.content_root), "state": str(show.state_dir), "models": str(show.models_dir),
                  "source": str(show.path), "saved": time.time()}
        (staging / "origin.json").write_text(json.dumps(origin, indent=1), encoding="utf-8")
        # The files are read again here, after the reading that found them good (on a thread of
        # its own: seconds later on a slow stick); a curator's next save caught half written
        # went into last-good, and the scene it broke had no good copy to play.
        broken = _broken_as_copied(staging, origin)
        if broken:
            log.warning("the show's files changed while their last good copy was made (%s); the copy before it "
                        "is kept", broken)
            shutil.rmtree(staging, ignore_errors=True)
            return None
        flush(staging)
        with swap_lock(show.state_dir):  # (another process on this state folder swaps before or after)
            _swap(show.state_dir, staging, target)
    except OSError as exc:
        said = say_failed(show.state_dir, target, exc, _state_setting(show))
        # Once for each cause, in words with the fix (each reload that fails the same way, and a
        # state folder the start said it cannot write, would say it again), the error in detail below.
        if said:
            log.warning("%s", said)
        log.debug("could not keep a last-good copy of the show in %s: %s", target, exc)
        if under_way is not None:
            shutil.rmtree(under_way.folder, ignore_errors=True)
        return None
    finally:
        if under_way is not None:
            under_way.close()
    if say_made(show.state_dir):
        log.info("the last good copy of the show is kept again in %s", target)
    return target


def _state_setting(show: Show) -> str:
    """Where [show] state is set, for a fix that moves the state folder: the show file the
    technician edits (not the last good copy standing in for it) and its line."""
    from ..runtime.state_writable import state_setting  # (runtime reads config: named here, when a copy fails)

    return state_setting(show.stands_in_for or show.path)


def _swap(state_dir: Path, staging: Path, target: Path) -> None:
    """Swapped by two renames (a folder cannot replace another in one): between them the copy
    moved aside stands in (loader.last_good_folder), so it goes only once the new one is in, or
    once `last-good` itself is whole again. Two processes swapping at once each removed or
    replaced the other's copy aside, and one found last-good taken (ENOTEMPTY): swap_lock."""
    old = state_dir / ASIDE
    if target.exists():
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    staging.rename(target)
    flush_entry(state_dir)  # (the new name on the disk before the copy aside goes)
    shutil.rmtree(old, ignore_errors=True)


def _broken_as_copied(copy: Path, origin: dict) -> str:
    """What keeps the copy in `copy` from loading cleanly as recall() would load it ("" when
    nothing does)."""
    try:
        copied = load_show(copy / "install.toml", folders={k: origin[k] for k in ("content", "state", "models")})
    except ShowError as exc:
        return str(exc.problems[0]) if exc.problems else "install.toml does not load"
    errors = copied.errors
    return str(errors[0]) if errors else ""


def recall(show_path: Path, state: str = "var") -> Show | None:
    """The remembered show for a show file whose own text is broken, or None."""
    folder = last_good_folder(Path(show_path).resolve().parent / state)
    origin_file = folder / "origin.json"
    try:
        origin = json.loads(origin_file.read_text(encoding="utf-8"))
        show = load_show(folder / "install.toml", folders={k: origin[k] for k in ("content", "state", "models")})
    except (OSError, ValueError, KeyError, ShowError) as exc:
        log.debug("no usable last-good show in %s: %s", folder, exc)
        return None
    saved = time.strftime("%Y-%m-%d %H:%M", time.localtime(origin.get("saved", 0)))
    log.warning("playing the last good version of the show, saved %s", saved)
    # As named, links kept: a reload reads it there, and a `current -> show-v2` flip is followed.
    show.stands_in_for = Path(os.path.abspath(show_path))
    show.saved = saved
    return show
