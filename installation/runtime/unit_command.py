"""The show the kiosk's service plays: its command (ExecStart=, as a drop-in may replace it)
and the `--show` on that command, for `bayard check` to know whether the service it reads
plays the show being checked."""

from __future__ import annotations

import shlex
from pathlib import Path


def command_run(settings: list[tuple[str, str]]) -> str | None:
    """The command the service runs: ExecStart= lines in the order systemd applies them, an
    empty one resetting the list (a drop-in replacing the unit's command writes `ExecStart=`
    then its own), the last standing (a service of the default Type= runs one)."""
    commands: list[str] = []
    for key, value in settings:
        if key == "ExecStart":
            commands = [*commands, value] if value.strip() else []
    return commands[-1] if commands else None


def working_directory(settings: list[tuple[str, str]]) -> Path:
    """The folder the service runs in (WorkingDirectory=, the last standing; "-" marks it
    optional; "~" is its User='s home), "/" where none is set, as systemd.exec(5) says."""
    folder, user = "", ""
    for key, value in settings:
        if key == "WorkingDirectory":
            folder = value.strip().removeprefix("-")
        elif key == "User":
            user = value.strip()
    if folder == "~":
        import pwd

        try:
            return Path(pwd.getpwnam(user).pw_dir) if user else Path("/root")
        except KeyError:  # (a user this machine does not have: the service would not start)
            return Path("/")
    return Path(folder) if folder.startswith("/") else Path("/")


def show_named(command: str, working_directory: Path = Path("/")) -> Path | None:
    """The show `bayard run` is given on a command line, `--show FILE` or `--show=FILE` (a show
    folder means its install.toml), with systemd's quoting, a relative one read in the
    service's `working_directory` (not in the folder `bayard check` runs in, which took the
    show checked from the show's folder for another); None where it names none."""
    try:
        words = shlex.split(command)
    except ValueError:  # an unclosed quote: systemd refuses the line; read it word by word
        words = command.split()
    named = None
    for i, word in enumerate(words):
        if word == "--show" and i + 1 < len(words):
            named = words[i + 1]
        elif word.startswith("--show="):
            named = word.removeprefix("--show=")
    if not named:
        return None
    path = Path(working_directory) / named
    return path / "install.toml" if path.is_dir() else path
