"""`bayard check` on the machine itself, for what only shows once the show runs for months:
whether it can listen for OSC where install.toml says (a port another program holds, or
one only root may use, left the show without remote control, said only in its log), and
whether the disks its logs and recordings go to have room for what it may write there, and
whether the kiosk's service (deploy/setup-kiosk.sh) lets it write its state folder, and
whether the film cache has room for the show's films on a USB stick."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config.errors import Problem
from ..config.locate import line_of
from ..media.film_room import COPY_NAME
from ..media.staging import KEEP_FREE_BYTES, apart, cache_folder, mb_text, needed_mb
from . import units
from .files import free_bytes, read_text
from .settings import state_dirs
from .show_paths import show_films
from .state_writable import EXAMPLE_STATE, SERVICE_STATE, why_unwritable
from .unit_command import command_run, show_named, working_directory
from .units import SERVICE_UNIT, directives

# Room kept for what has no cap of its own in the state folder: quiz statistics, the
# last-good copy of the show, screenshots (the newest 200 are kept).
SPARE_MB = 200.0
MB = 1_000_000


def osc_port(show: Any) -> tuple[str, list[Problem]]:
    """A line for check's summary, and the problem (with install.toml's line and the fix)
    when the show could not listen for OSC as configured."""
    from ..inputs.osc.probe import probe

    report = probe(show.config.osc, unit=units.SERVICE_UNIT)
    if report.state in ("free", "show", "off"):
        return f"OSC: {report.message}", []
    line = line_of(read_text(show.path), ("osc", "host" if report.state == "unbindable" else "port"))
    # A port held by another program may be let go by the time the show starts, and a low
    # port this check could bind may be the show's too if it runs as this check did: warnings.
    # One the show's process may never use, or an address this machine does not have, is an error.
    severity = "warning" if report.state in ("taken", "privileged-here") else "error"
    problem = Problem(show.path, line, "osc.port" if report.state != "unbindable" else "osc.host",
                      f"{report.message}; the show would play without OSC remote control", severity=severity)
    return "OSC: see the problem below", [problem]


def disk_room(show: Any, env: Mapping[str, str] | None = None) -> list[Problem]:
    """A warning per disk with less free space than the show may write there (its logs,
    recordings when they are on, and a spare for statistics and screenshots); on a full
    disk the show plays on, but logs, recordings and statistics stop."""
    runtime = show.config.runtime
    camera = show.config.camera
    _, logs = state_dirs(show.state_dir, os.environ if env is None else env)
    files = runtime.log_files + 1
    needs: list[tuple[Path, float, str, tuple[str, ...]]] = [
        # Statistics and screenshots go to [show] state, under the service too (only the
        # crash guard's few bytes move to its StateDirectory).
        (show.state_dir, SPARE_MB, "statistics and screenshots", ("show", "state")),
        (logs, runtime.log_max_mb * files, f"logs ({files} files of [runtime] log_max_mb)", ("runtime", "log_max_mb")),
    ]
    if camera.recording:
        needs.append((show.state_dir / "recordings", camera.recording_max_mb,
                      "recordings ([camera] recording_max_mb)", ("camera", "recording_max_mb")))
    by_disk: dict[int, list[tuple[Path, float, str, tuple[str, ...]]]] = {}
    for need in needs:
        device = _device(need[0])
        if device is not None:
            by_disk.setdefault(device, []).append(need)
    source = read_text(show.path)
    problems = []
    for group in by_disk.values():
        space = free_bytes(group[0][0])
        if space is None:
            continue
        free_mb, want_mb = space[0] / MB, sum(need[1] for need in group)
        if free_mb >= want_mb:
            continue
        biggest = max(group, key=lambda need: need[1])
        parts = ", ".join(f"{need[2]} {need[1]:,.0f} MB" for need in group)
        cure = ("lower [camera] recording_max_mb, " if biggest[3][0] == "camera" else "") + \
            "free space there, or point [show] state (or LogsDirectory) at a larger disk"
        problems.append(Problem(show.path, line_of(source, biggest[3]), ".".join(biggest[3]),
                                f"only {free_mb:,.0f} MB free on the disk of {group[0][0]}, where the show may "
                                f"write up to {want_mb:,.0f} MB ({parts}); once it is full, logs, recordings and "
                                f"statistics stop (the show plays on): {cure}", severity="warning"))
    return problems


def _device(path: Path) -> int | None:
    """The disk `path` is on, or would be on once made (its nearest existing folder)."""
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return folder.stat().st_dev
    except OSError:
        return None


def _writable(settings: list[tuple[str, str]]) -> list[Path]:
    """The folders ProtectSystem=strict leaves writable: ReadWritePaths= ("-" and "+" are
    prefixes, not part of the path) and StateDirectory= (under /var/lib, a name or
    "name:link"), each list emptied by an empty assignment as systemd.exec(5) says."""
    lists: dict[str, list[Path]] = {"ReadWritePaths": [], "StateDirectory": []}
    for key, value in settings:
        if key not in lists:
            continue
        if not value:
            lists[key] = []
        elif key == "ReadWritePaths":
            lists[key] += [Path(word.lstrip("-+")) for word in value.split()]
        else:
            lists[key] += [Path("/var/lib") / word.split(":")[0] for word in value.split()]
    return lists["ReadWritePaths"] + lists["StateDirectory"]


def state_folder(show: Any, unit: Path = SERVICE_UNIT) -> tuple[str, list[Problem]]:
    """A line for check's summary naming the state folder, and a warning when the kiosk's
    service plays this show but was set up for another state folder: its sandbox lets the
    show write only there, so statistics, recordings and the last-good copy would fail."""
    folder = show.state_dir
    line = f"State folder: {folder} ([show] state)"
    state_line = line_of(read_text(show.path), ("show", "state"))
    why = why_unwritable(folder)
    if why is not None:  # (whatever the service: no sandbox makes a read-only disk writable)
        return line + " cannot be written", [Problem(
            show.path, state_line, "show.state",
            f"the show cannot write its state folder {folder} ({why}): it would play without the last-good "
            "copy, statistics and recordings (and, unless the kiosk's service moves them, the restart count and "
            "log files). Set state under [show] to a "
            f"folder the show may write (e.g. state = \"{EXAMPLE_STATE}\")", severity="warning")]
    settings = directives(unit)
    command = command_run(settings)
    named = show_named(command, working_directory(settings)) if command else None
    if named is None or named.resolve() != show.path:
        return line, []  # no kiosk service here, or one that plays another show
    writable = _writable(settings)
    if any(folder == path or path in folder.parents for path in writable):
        return line + f"; {unit.name} may write there", []
    allowed = ", ".join(str(path) for path in writable) or "no folder of the show"
    kept = units.environment(unit).get(SERVICE_STATE)  # (where the show it starts keeps its state: run)
    meanwhile = (f"the show it starts keeps its state in {kept}, the folder setup opened, instead" if kept else
                 "statistics, recordings and the last-good copy would fail there")
    problem = Problem(show.path, state_line, "show.state",
                      f"the kiosk's {unit} lets the show write only {allowed}, not its state folder {folder}: "
                      f"{meanwhile}. Run deploy/setup-kiosk.sh again with this show (it takes the folder from "
                      "[show] state), then restart the show",
                      severity="warning")
    return line, [problem]


def service_cache_env(reading: units.Reading) -> dict[str, str]:
    """The variables the film cache's folder is read from (drives.cache_folder) as the service's
    process has them: CACHE_DIRECTORY, which systemd sets from CacheDirectory= (under
    /var/cache, each name of the last list standing, an empty assignment emptying it), HOME from
    User=, then the unit's own Environment= lines, which override both (systemd.exec(5))."""
    names: list[str] = []
    user = ""
    for key, value in reading.settings:
        if key == "CacheDirectory":
            names = [*names, *(word.split(":")[0] for word in _words(value))] if value else []
        elif key == "User":
            user = value.strip('"')
    env: dict[str, str] = {}
    if names:
        env["CACHE_DIRECTORY"] = ":".join(str(Path("/var/cache") / name) for name in names)
    home = service_home(user)
    if home is not None:
        env["HOME"] = home
    return {**env, **reading.environment}


def _words(value: str) -> list[str]:
    """A list setting's words as systemd splits them, quotes taken off (CacheDirectory="bayard"
    names /var/cache/bayard); none where a quote is left open (systemd ignores the line)."""
    import shlex

    try:
        return shlex.split(value)
    except ValueError:
        return []


def service_home(user: str) -> str | None:
    """HOME as systemd sets it for User= (systemd.exec(5)): /root for root; else the user's
    home from the user database, the user named or given by number (User=1000 was taken for
    a name nobody has); None for no User=, a user this machine lacks (the service would not
    start), or a home that is not an absolute path (systemd leaves HOME unset then)."""
    if not user:
        return None
    if user in ("root", "0"):
        return "/root"
    import pwd

    try:
        entry = pwd.getpwuid(int(user)) if user.isdigit() else pwd.getpwnam(user)
    except (KeyError, OverflowError):
        return None
    return entry.pw_dir if entry.pw_dir.startswith("/") else None


def _homeless(folder: Path, unit: Path | None) -> str:
    """Why the service's user cannot have `folder` made, where it lies in a home that does
    not exist (`adduser --system` gives /nonexistent), else ''. The show makes its cache's
    folders itself, but not its user's home."""
    reading = units.read(unit or units.SERVICE_UNIT)
    user = next((v for k, v in reversed(reading.settings) if k == "User"), "").strip('"')
    home = service_home(user)
    if home is None or user in ("root", "0") or Path(home) not in folder.parents or Path(home).exists():
        return ""
    return (f"User={user}'s home {home} does not exist: the show cannot make its film cache there, and films on "
            "a USB stick play from the stick, which cannot be taken out while one of them plays; add "
            "CacheDirectory=bayard to the service (as deploy/bayard.service has it), or give the user a home")


def film_cache_place(env: Mapping[str, str] | None = None, unit: Path | None = None) -> tuple[Path | None, str]:
    """The folder the show copies films into, and whose reading that is: a CACHE_DIRECTORY
    given to check itself, else the kiosk service's (/var/cache/bayard/films as deploy/ sets
    it up), else this shell's (~/.cache/bayard/films). check judged the cache from its own
    shell's environment alone, though the service the show runs under uses another folder,
    maybe on another disk."""
    own = os.environ if env is None else env
    if own.get("CACHE_DIRECTORY"):
        return cache_folder(own), "as CACHE_DIRECTORY given to check says"
    reading = units.read(unit or units.SERVICE_UNIT)
    if reading.unit is not None:
        folder = cache_folder(service_cache_env(reading))
        if folder is not None:
            return folder, f"as {reading.unit.name} runs the show"
        # (systemd sets HOME only for a unit with User=: this shell's folder, named in its
        # stead, was one the show never copies to, for it makes no film cache at all)
        return None, (f"as {reading.unit.name} runs the show, with no CacheDirectory=, no User= (systemd sets "
                      "HOME only with one) and no XDG_CACHE_HOME")
    how = "from this shell's environment"
    if reading.unit is None:  # (a kiosk set up by deploy/setup-kiosk.sh copies to /var/cache/bayard/films)
        how += (", no kiosk service being installed; under deploy/bayard.service it is /var/cache/bayard/films "
                "(`CACHE_DIRECTORY=/var/cache/bayard bayard check` judges that one)")
    return cache_folder(own), how


def film_room(show: Any, env: Mapping[str, str] | None = None,
              unit: Path | None = None) -> tuple[str, list[Problem]]:
    """A line for check's summary naming the film cache's folder (the one the show will use:
    see film_cache_place) and the room on its disk, and a warning where the show's films on
    another drive (a USB stick) need more room than [runtime] film_cache_mb gives, or than
    that disk has: the films that do not fit play from the stick, which cannot be taken out
    while one of them plays."""
    limit_mb = show.config.runtime.film_cache_mb
    if limit_mb <= 0:  # (the show's docs say the films then hold the stick)
        return "Film cache: off ([runtime] film_cache_mb = 0): films on a USB stick play from it", []
    home, how = film_cache_place(env, unit)
    if home is None and how.startswith("as "):
        said = (f"the show makes no film cache ({how.removeprefix('as ')}): films on a USB stick play from it, "
                "which cannot be taken out while one of them plays; add CacheDirectory=bayard to the service (as "
                "deploy/bayard.service has it)")
        where = line_of(read_text(show.path), ("runtime", "film_cache_mb"))
        return (f"Film cache: none, {how}: films on a USB stick play from it",
                [Problem(show.path, where, "runtime.film_cache_mb", said, severity="warning")])
    if home is None:
        return ("Film cache: none (no CACHE_DIRECTORY, XDG_CACHE_HOME or HOME to put it in): films on a USB "
                "stick play from it"), []
    total = 0
    for film in show_films(show):
        try:
            size = film.stat().st_size
        except OSError:
            continue  # (a missing film is check_media's to say)
        if apart(film, home):
            total += size
    space = free_bytes(home)
    free = space[0] if space is not None else None
    line = (f"Film cache: {home}, {how}; " + (f"{mb_text(free)} MB free on its disk" if free is not None else
                                             "its disk's free space could not be read")
            + f"; the show's films on another drive come to {mb_text(total)} MB of its {mb_text(limit_mb * MB)} MB "
            "([runtime] film_cache_mb)")
    where = line_of(read_text(show.path), ("runtime", "film_cache_mb"))
    problems = []
    if total > limit_mb * MB:
        problems.append(Problem(
            show.path, where, "runtime.film_cache_mb",
            f"the show's films on another drive (a USB stick) come to {mb_text(total)} MB, more than the film "
            f"cache's {mb_text(limit_mb * MB)} MB: the first that fit together are copied to the show's disk and "
            "the rest play from the stick, which cannot be taken out while one of them plays; set [runtime] "
            f"film_cache_mb = {needed_mb(total)} to copy them all", severity="warning"))
    homeless = _homeless(home, unit) if how.startswith("as ") and "CACHE_DIRECTORY" not in how else ""
    if homeless:
        problems.append(Problem(show.path, where, "runtime.film_cache_mb", homeless, severity="warning"))
    wanted = min(total, limit_mb * MB)
    room = None if free is None else free + _copies_bytes(home) - KEEP_FREE_BYTES  # (copies there may go)
    if room is not None and wanted > room:
        problems.append(Problem(
            show.path, where, "runtime.film_cache_mb",
            f"the film cache {home} has {mb_text(max(room, 0))} MB to use on its disk ({mb_text(free)} MB free, "
            f"{mb_text(KEEP_FREE_BYTES)} MB of it kept for logs and statistics), and the show's films on another "
            f"drive would take {mb_text(wanted)} MB: those that do not fit play from the stick, which cannot be "
            "taken out while one of them plays; free space on that disk", severity="warning"))
    return line, problems


def _copies_bytes(folder: Path) -> int:
    """What the copies already in the film cache's folder take (room the cache may reuse)."""
    total = 0
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if COPY_NAME.fullmatch(path.name) and path.is_file():
                total += path.stat().st_size
    return total
