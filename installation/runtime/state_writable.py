"""Whether the show may write its state folders, and what a technician sets where it may not.

A show whose state folder cannot be written (install.toml's folder copied onto a read-only
medium, a folder owned by another user) plays on: the last-good copy, the logs and the crash
guard each said they could not write their file, and none said what to set instead. The
show's start (service.py) and `bayard check` (host_check.py) say it once, with the setting,
its file and its line.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config.errors import Problem
from ..config.locate import line_of
from ..config.reloading import RESTART_HINT
from .files import read_text
from .settings import state_dirs

EXAMPLE_STATE = "/var/lib/bayard"  # (where deploy/setup-kiosk.sh puts a kiosk's state)


def why_unwritable(folder: Path) -> str | None:
    """Why the show cannot write into `folder` (made where missing), or None where it can.
    Judged without writing anything (check runs it too), from the nearest folder that exists."""
    existing = Path(os.path.abspath(folder))
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    try:
        is_folder = existing.is_dir()
    except OSError as error:  # (a link into a folder this user may not enter: EACCES is raised, not False)
        return f"{existing} cannot be reached by the user {_user()} ({error.strerror or error})"
    if not is_folder:
        return f"{existing} is a file, not a folder"
    try:
        read_only = bool(os.statvfs(existing).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False  # (a file system that cannot tell: the access test below decides)
    where = "it" if existing == Path(os.path.abspath(folder)) else str(existing)  # (its nearest folder)
    if read_only:
        return f"{where} lies on a read-only file system"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{where} may not be written by the user {_user()}"
    return None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # (a user id with no name in the user database)
        return f"with id {os.getuid()}"


def state_setting(show_path: Path) -> str:
    """Where [show] state is set: install.toml's file and line (of its [show] table where
    the key is not written)."""
    line = line_of(read_text(show_path) or "", ("show", "state"))
    return f"state under [show] in {show_path}" + (f" (line {line})" if line else "")


def state_problem(show_path: Path, show_state: Path, env: Mapping[str, str]) -> str | None:
    """One sentence for each setting whose folder the show cannot write: what the show goes
    without there, and what to set; None where it may write them all (state_problems')."""
    return ". ".join(state_problems(show_path, show_state, env).values()) or None


def state_problems(show_path: Path, show_state: Path, env: Mapping[str, str]) -> dict[str | None, str]:
    """The sentence for each setting whose folder the show cannot write, by the setting's name
    (None: [show] state, a standing condition; the environment's are said apart). `show_state`:
    [show] state as install.toml resolves it; the crash guard's and the logs' folders follow it,
    or STATE_DIRECTORY / LOGS_DIRECTORY where the environment names them (the kiosk's unit),
    which move those two only: the rest stays in [show] state."""
    state, logs = state_dirs(show_state, env)
    state_named = "STATE_DIRECTORY" if env.get("STATE_DIRECTORY") else (
        "BAYARD_STATE_DIR" if env.get("BAYARD_STATE_DIR") else None)
    logs_named = "LOGS_DIRECTORY" if env.get("LOGS_DIRECTORY") else (
        "BAYARD_LOG_DIR" if env.get("BAYARD_LOG_DIR") else state_named)
    # (setting, folder, what the show keeps there), in the order a technician meets them
    kept = [(None, show_state, "the last-good copy of the show, statistics and recordings"),
            (state_named, state, "the restart count (safe mode after repeated crashes)"),
            (logs_named, logs, "log files")]
    lost: dict[str | None, tuple[Path, str, list[str]]] = {}
    for setting, folder, what in kept:
        why = why_unwritable(folder)
        if why is None:
            continue
        if setting in lost:
            lost[setting][2].append(what)
        else:
            lost[setting] = (folder, why, [what])
    sentences = {}
    for setting, (folder, why, whats) in lost.items():
        # (STATE_DIRECTORY moves only the restart count and the logs: not offered for the rest)
        fix = (f"set {state_setting(show_path)} to a folder the show may write (e.g. state = \"{EXAMPLE_STATE}\")"
               if setting is None
               else f"set {setting} in the show's environment (the kiosk's unit) to a folder the show may write")
        sentences[setting] = f"the show cannot write {folder} ({why}): it plays on, but without {_listed(whats)}; {fix}"
    return sentences


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# The state folder setup opened for the kiosk's service (deploy/bayard.service sets it from the
# folder [show] state named when setup ran, resolved through the show's link).
SERVICE_STATE = "BAYARD_SHOW_STATE"
KEPT_BY_SERVICE = "[show] state names"  # (how the start's warning begins: a reload keeps it listed)


def kept_by_service(problem: Problem) -> bool:
    """Whether `problem` is the start's word that the state stays where setup opened it."""
    return problem.key == "show.state" and problem.message.startswith(KEPT_BY_SERVICE)


def keep_service_state(show: Any, env: Mapping[str, str]) -> Problem | None:
    """At the show's start under the kiosk's service: keep the state in the folder setup opened
    for it where [show] state now names another, and say so (a warning at [show] state's line,
    with what to type). After a `current -> show-v2` flip, the default `var` was read in
    show-v2 at the next start (the nightly restart, with no one there to read the flip's
    warning): statistics and recordings started afresh, and in a folder the service's sandbox
    does not let the show write, so nothing was kept at all. Setup run again moves it."""
    given = env.get(SERVICE_STATE)
    if not given:
        return None  # (not under the service: [show] state decides, as it always did)
    folder, named = Path(given).resolve(), show.state_dir
    if folder == named:
        return None
    show.keep_state(folder)
    show_file = show.stands_in_for or show.named or show.path
    line = line_of(read_text(show.path) or "", ("show", "state"))
    return Problem(show_file, line, "show.state",
                   f"{KEPT_BY_SERVICE} {named}, but the kiosk's service was set up to write {folder}: the show "
                   f"keeps its state there, so statistics, recordings and the last good copy carry on. To say so "
                   f"in this file, write state = \"{folder}\" under [show]; to move the state, set the folder "
                   "wanted there and run deploy/setup-kiosk.sh again", severity="warning")


def state_moved_words(kept: Path, wanted: Path, show_file: Path, env: Mapping[str, str]) -> str:
    """What a reload says where [show] state names `wanted` now (a changed line, or show-v2's own
    `var` after a `current -> show-v2` flip) while the running show keeps `kept`: where the next
    start keeps the state, as `bayard run` will decide it (keep_service_state). It said `kept`
    "under the kiosk's service" also where no service named that folder (a developer's run, a
    unit set up before SERVICE_STATE): there the next start takes `wanted`."""
    given = env.get(SERVICE_STATE)
    by_service = bool(given) and Path(given).resolve() == kept
    next_start = kept if by_service else wanted
    why = ", as the kiosk's service was set up to write there" if by_service else ""
    return (f"install.toml: [show] state names {wanted} now; the show keeps its state in {kept} until it starts "
            f"again ({RESTART_HINT}), and from its next start in {next_start}{why}. To keep {kept}, write "
            f"state = \"{kept}\" under [show] in {show_file}; to keep one state folder across versions of the "
            "show swapped by a link, set it to a folder outside them (e.g. \"/srv/bayard/state\") and run setup "
            "again")
