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

import errno
import json
import logging
import os
import shutil
import time
from pathlib import Path

from .errors import ShowError
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
        log.warning("the show has %d error(s); the last good copy in %s is kept", len(errors), target)
        return None
    staging = show.state_dir / f".{FOLDER}.{os.getpid()}"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "scenes").mkdir(parents=True)
        # Only the show's own user may read the copy: install.toml may hold OSC passcodes,
        # and copies keep their source's mode (0644) whatever the service's UMask says.
        os.chmod(staging, 0o700)
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
        _flush(staging)
        # Swapped by two renames (a folder cannot replace another in one): between them the
        # copy moved aside stands in (loader.last_good_folder), so it goes only once the new one
        # is in, or once `last-good` itself is whole again.
        old = show.state_dir / f".{FOLDER}.old"
        if target.exists():
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
        staging.rename(target)
        _flush_entry(show.state_dir)  # (the new name on the disk before the copy aside goes)
        shutil.rmtree(old, ignore_errors=True)
        return target
    except OSError as exc:
        log.warning("could not keep a last-good copy of the show in %s: %s", target, exc)
        shutil.rmtree(staging, ignore_errors=True)
        return None


def _broken_as_copied(copy: Path, origin: dict) -> str:
    """What keeps the copy in `copy` from loading cleanly as recall() would load it ("" when
    nothing does)."""
    try:
        copied = load_show(copy / "install.toml", folders={k: origin[k] for k in ("content", "state", "models")})
    except ShowError as exc:
        return str(exc.problems[0]) if exc.problems else "install.toml does not load"
    errors = copied.errors
    return str(errors[0]) if errors else ""


def _flush(folder: Path) -> None:
    """Every file and folder of `folder` on the disk, not only in the page cache: copies sit
    there up to half a minute, and a copy named last-good (the whole one before it deleted)
    was a folder of empty files after a power cut soon after an edit."""
    for path in sorted(folder.rglob("*"), reverse=True):  # (files before the folders naming them)
        _flush_entry(path)
    _flush_entry(folder)


def _flush_entry(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot flush a folder this way: the copy is kept as before rather
        # than not at all (a full disk or a failing drive still ends it: EIO, ENOSPC).
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


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
