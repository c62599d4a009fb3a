"""The kiosk's systemd service as installed (deploy/setup-kiosk.sh): its unit file and its
drop-ins, read as systemd reads them, for what `bayard check` says about the show that
service would run (its state folder, its display, the ports it may use).

As systemd.unit(5) and systemd.exec(5) have it:
- the unit file is the first of that name along the system search path (/etc before /run
  before /usr/lib), and a link to /dev/null or an empty file masks it;
- its drop-ins are every `*.conf` in `bayard.service.d/` (and in `service.d/`, for every
  service, and in the dashed-prefix folders of a dashed name) along the same path, a file
  in /etc hiding one of the same name in /run or /usr/lib, applied in file-name order;
- `%` specifiers are resolved as the system manager resolves them (`%C` is /var/cache, `%h`
  root's home whatever User= says, and a line that uses it so is said); an unknown one makes
  systemd ignore its line, and so it is ignored here;
- EnvironmentFile= files are read after Environment= and override it.

What it cannot judge from here (a file this user may not read, a specifier whose value only
the running system knows, variables the manager passes on) it says, in `doubts`, and
`bayard check` prints them: a reading that silently skipped them once said the wrong thing."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shlex
import socket
from dataclasses import dataclass, field
from pathlib import Path

from .env_file import parse_env_file

# Where deploy/setup-kiosk.sh installs the show's unit (and `systemctl edit` its drop-ins).
SERVICE_UNIT = Path("/etc/systemd/system/bayard.service")
# The system manager's unit search path, highest priority first (systemd.unit(5); /lib for
# systems whose /usr is not merged).
SYSTEM_ROOTS = tuple(Path(p) for p in (
    "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
    "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached", "/run/systemd/system",
    "/run/systemd/system.attached", "/run/systemd/generator", "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system", "/lib/systemd/system", "/run/systemd/generator.late"))
BIND_LOW_PORTS = "CAP_NET_BIND_SERVICE"
_ASSIGNMENT = re.compile(r"^(\w+)\s*=(.*)$", re.DOTALL)
_TRUE = {"1", "yes", "y", "true", "t", "on"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Specifiers only the running system knows (systemd.unit(5)): left as written, and said.
_UNKNOWABLE = {"a": "the architecture", "A": "the OS image version", "b": "the boot ID", "B": "the OS build ID",
               "d": "the credentials folder", "M": "the OS image ID", "o": "the OS ID", "q": "the pretty hostname",
               "w": "the OS version ID", "W": "the OS variant ID"}


def logical_lines(text: str) -> list[str]:
    """The lines of a unit file as systemd.syntax(7) reads them: comment lines ("#", ";")
    dropped, even between a line ending in a backslash and its continuation, and such a line
    joined to the next with the backslash made a space. ("AmbientCapabilities=CAP_CHOWN \\"
    over two lines had lost the second line's capability.)"""
    lines, pending = [], None
    for line in text.splitlines():
        if line.lstrip()[:1] in ("#", ";"):
            continue
        escaped = False  # as systemd counts: two backslashes at the end are one backslash, not a join
        for char in line:
            escaped = not escaped if char == "\\" else False
        if escaped:
            pending = (pending or "") + line[:-1] + " "
            continue
        lines.append((pending or "") + line)
        pending = None
    if pending is not None:
        lines.append(pending)
    return lines


@dataclass
class Reading:
    """The service as systemd would run it, and what could not be judged here."""

    unit: Path | None  # the unit file systemd loads; None where none is installed (or it is masked)
    files: list[Path] = field(default_factory=list)  # it, then its drop-ins in the order applied
    settings: list[tuple[str, str]] = field(default_factory=list)  # [Service], specifiers resolved
    environment: dict[str, str] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)
    masked: bool = False

    def summary(self) -> str:
        """A line for check's summary: which files make the service, and what was not judged."""
        if self.masked:
            how = "a link to /dev/null" if os.path.realpath(self.files[0]) == os.devnull else "an empty file"
            return f"Service: {self.files[0]} is masked ({how}): systemd will not start it"
        if self.unit is None:
            return "Service: none installed (deploy/setup-kiosk.sh installs bayard.service)"
        line = f"Service: {self.unit}"
        if len(self.files) > 1:
            line += ", with " + ", ".join(str(f) for f in self.files[1:])
        if self.doubts:
            line += "; not judged here: " + "; ".join(self.doubts)
        return line


def roots_for(unit: Path) -> tuple[Path, ...]:
    """The search path a unit at `unit` is found along: the system's for one in it, else its own
    folder alone (a unit handed in by a test or a tool)."""
    return SYSTEM_ROOTS if unit.parent in SYSTEM_ROOTS else (unit.parent,)


def dropin_folders(name: str) -> list[str]:
    """The drop-in folder names of a unit, most specific first: `a-b-c.service.d`, then the
    dashed prefixes `a-b-.service.d`, `a-.service.d`, then the type's `service.d`."""
    stem, _, kind = name.rpartition(".")
    folders = [f"{name}.d"]
    parts = stem.split("-")
    folders += [f"{'-'.join(parts[:n])}-.{kind}.d" for n in range(len(parts) - 1, 0, -1)]
    return [*folders, f"{kind}.d"]


def _unit_files(unit: Path, roots: tuple[Path, ...], doubts: list[str]) -> tuple[Path | None, list[Path], bool]:
    """The unit file systemd loads, its drop-ins in the order applied, and whether it is masked."""
    found = next((root / unit.name for root in roots if os.path.lexists(root / unit.name)), None)
    masked = found is not None and _null_or_empty(found)
    chosen: dict[str, Path] = {}  # a drop-in's file name -> the file of highest priority
    for root in roots:
        for folder in dropin_folders(unit.name):
            try:
                # Hidden files are skipped as systemd skips them (an editor's ".#override.conf").
                names = sorted(n for n in os.listdir(root / folder) if n.endswith(".conf") and not n.startswith("."))
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:  # (a folder this user may not list: its drop-ins are unknown)
                doubts.append(f"the drop-ins in {root / folder} could not be listed ({_why(error)})")
                continue
            for name in names:
                chosen.setdefault(name, root / folder / name)
    dropins = [chosen[name] for name in sorted(chosen) if os.path.realpath(chosen[name]) != os.devnull]
    return found, dropins, masked


def _null_or_empty(path: Path) -> bool:
    """Whether systemd takes the unit file at `path` for a mask (systemd.unit(5)): a link to
    /dev/null, or a file of size 0 (an empty bayard.service in /etc, made to stop it for good,
    hid the packaged one from systemd while check read it as the service, with no settings)."""
    if os.path.realpath(path) == os.devnull:
        return True
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:  # (unreadable: said when it is read)
        return False


def read(unit: Path | None = None) -> Reading:
    """The service of `unit` (the kiosk's, SERVICE_UNIT, when None) as systemd would run it
    (see the module's docstring)."""
    unit = unit or SERVICE_UNIT
    doubts: list[str] = []
    found, dropins, masked = _unit_files(unit, roots_for(unit), doubts)
    if found is None or masked:
        return Reading(None, [found] if found else [], masked=masked)
    reading = Reading(found, [found, *dropins], doubts=doubts)
    resolver = _Specifiers(found)
    for file in reading.files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reading.doubts.append(f"{file} could not be read ({_why(error)})")
            continue
        section = None
        for line in logical_lines(text):
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Service" and (assigned := _ASSIGNMENT.match(line)):
                # systemd strips the blanks around the key and the value: "User = kiosk" is a user.
                key, value = assigned.group(1), assigned.group(2).strip()
                value = resolver.resolve(key, value, reading.doubts)
                if value is not None:
                    reading.settings.append((key, value))
    reading.environment = _environment(reading)
    # systemd.service(5): ExecStart= (and the other Exec lines) expand $NAME and ${NAME} from
    # that environment, an unset one to nothing ("--show ${SHOW}/install.toml" named no show here).
    reading.settings = [(key, _expand(value, reading.environment) if key.startswith("Exec") else value)
                        for key, value in reading.settings]
    user = next((v for k, v in reversed(reading.settings) if k == "User"), "").strip('"')
    if user not in ("", "root", "0"):
        reading.doubts += [_not_users(line, letters, user) for line, letters in resolver.user_lines]
    if any(k == "PassEnvironment" and v for k, v in reading.settings):
        reading.doubts.append("PassEnvironment= variables come from the service manager's own environment")
    return reading


def directives(unit: Path) -> list[tuple[str, str]]:
    """(key, value) of every assignment in the [Service] section of the unit, then of its
    drop-ins in the order systemd applies them, specifiers resolved; empty where no unit is
    installed. Assignments elsewhere ([Unit], [Install], or before any section) do not set the service."""
    return read(unit).settings


def environment(unit: Path) -> dict[str, str]:
    """The variables the service's Environment= and EnvironmentFile= lines set."""
    return read(unit).environment


def _environment(reading: Reading) -> dict[str, str]:
    """As systemd.exec(5) applies them: a later assignment of a name wins, an empty
    Environment= forgets all those before it (a drop-in clearing the unit's DISPLAY=:0 was
    still taken for it), and the EnvironmentFile= files, read in order after, override them
    (an empty EnvironmentFile= forgets the files named before it)."""
    found: dict[str, str] = {}
    files: list[str] = []
    for key, value in reading.settings:
        if key == "EnvironmentFile":
            files = files + [value] if value else []
        if key != "Environment":
            continue
        if not value:
            found = {}
            continue
        try:  # quoted as systemd quotes: Environment="XAUTHORITY=/home/kiosk/my files/.Xauthority"
            words = shlex.split(value)
        except ValueError:  # an unclosed quote: systemd ignores the line
            continue
        for name, equals, setting in (word.partition("=") for word in words):
            if equals and _NAME.fullmatch(name):  # else systemd ignores it
                found[name] = setting
    for named in files:
        optional = named.startswith("-")
        pattern = named[1:] if optional else named
        paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not paths and not optional:
            reading.doubts.append(f"EnvironmentFile={named} matches no file: systemd will not start the service")
        for path in paths:
            try:
                found.update(parse_env_file(Path(path).read_text(encoding="utf-8")))
            except FileNotFoundError:
                if not optional:
                    reading.doubts.append(f"EnvironmentFile={path} is missing: systemd will not start the service "
                                          "(a \"-\" before the path makes it optional)")
            except (OSError, UnicodeDecodeError) as error:
                reading.doubts.append(f"EnvironmentFile={path} could not be read here ({_why(error)}), so the "
                                      "variables it sets are not known (run check with sudo)")
    return found


class _Specifiers:
    """`%` specifiers as the system manager resolves them (systemd.unit(5))."""

    def __init__(self, unit: Path) -> None:
        name = unit.name
        stem = name.rpartition(".")[0]
        prefix, _, instance = stem.partition("@")
        host = socket.gethostname()
        self.user_lines: list[tuple[str, str]] = []  # (key=value, its %h %u ... letters)
        self.known = {
            "%": "%", "n": name, "N": stem, "p": prefix, "P": prefix, "i": instance, "I": instance,
            "j": prefix.rpartition("-")[2], "J": prefix.rpartition("-")[2], "f": "/" + (instance or prefix),
            "y": str(unit), "Y": str(unit.parent), "t": "/run", "S": "/var/lib", "C": "/var/cache",
            "L": "/var/log", "E": "/etc", "T": "/tmp", "V": "/var/tmp", "H": host, "l": host.split(".")[0],
            "v": os.uname().release, "h": "/root", "u": "root", "U": "0", "g": "root", "G": "0", "s": "/bin/sh",
        }
        with contextlib.suppress(OSError):  # (then %m is one only the running system knows)
            self.known["m"] = Path("/etc/machine-id").read_text(encoding="ascii").strip()

    def resolve(self, key: str, value: str, doubts: list[str]) -> str | None:
        """`value` resolved; None where systemd would ignore the line (an unknown specifier)."""
        out, i, letters = [], 0, ""
        while i < len(value):
            char = value[i]
            if char != "%":
                out.append(char)
                i += 1
                continue
            letter = value[i + 1] if i + 1 < len(value) else ""
            i += 2
            if letter in self.known:
                if letter in "huUgGs" and letter not in letters:
                    letters += letter
                out.append(self.known[letter])
            elif letter in _UNKNOWABLE or letter == "m":
                doubts.append(f"{key}={value} names %{letter} ({_UNKNOWABLE.get(letter, 'the machine ID')}), "
                              "which only the running system knows")
                out.append("%" + letter)
            else:
                doubts.append(f"{key}={value} has an unknown specifier %{letter}: systemd ignores the line "
                              "(write %% for a percent sign)")
                return None
        if letters:
            self.user_lines.append((f"{key}={value}", letters))
        return "".join(out)


def _not_users(line: str, letters: str, user: str) -> str:
    """systemd.unit(5) (249 and later) reads %h, %u, %U, %g, %G and %s as root's, "not influenced
    by the User= setting": --show=%h/show/install.toml is looked for in /root, not the kiosk's home."""
    import pwd

    named = ", ".join(f"%{letter}" for letter in letters)
    theirs = f"User={user}'s"
    with contextlib.suppress(KeyError):
        theirs += f" ({pwd.getpwnam(user).pw_dir})" if "h" in letters else ""
    return (f"{line}: systemd reads {named} as root's (/root, root), not as {theirs}; write the "
            "path or name out (systemd before 249 read them as User='s)")


def _expand(command: str, env: dict[str, str]) -> str:
    """$NAME and ${NAME} replaced from `env` ("$$" is a dollar sign), as systemd does on Exec lines."""
    def value(found: re.Match[str]) -> str:
        if found.group(0) == "$$":
            return "$"
        return env.get(found.group(1) or found.group(2), "")

    return re.sub(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", value, command)


def _why(error: Exception) -> str:
    return error.strerror.lower() if isinstance(error, OSError) and error.strerror else type(error).__name__


class _CapabilitySet:
    """A capability set as systemd's config_parse_capability_set builds it from repeated
    assignments: the first (or an empty one) replaces the initial set, later ones add their
    names, or with "~" take them away. Held as names in or, complemented, names out."""

    def __init__(self, everything: bool) -> None:
        self.initial = (everything, frozenset())
        self.complement, self.names = self.initial

    def assign(self, value: str) -> None:
        invert = value.startswith("~")
        names = frozenset(name.upper() for name in value.lstrip("~").split())
        if not names or (self.complement, self.names) == self.initial:
            self.complement, self.names = invert, names
        elif invert:  # &= ~names
            self.names = self.names | names if self.complement else self.names - names
        else:  # |= names
            self.names = self.names - names if self.complement else self.names | names

    def __contains__(self, name: str) -> bool:
        return (name not in self.names) if self.complement else (name in self.names)


def may_bind_low_ports(unit: Path) -> bool | None:
    """Whether the service may listen on ports below net.ipv4.ip_unprivileged_port_start: it
    needs CAP_NET_BIND_SERVICE, as root or as an ambient capability, and within its bounding
    set. None where no service is installed."""
    found = directives(unit)
    if not found:
        return None
    user = "root"
    dynamic = False  # DynamicUser=yes runs it as a user made for it, never root
    bounding = _CapabilitySet(everything=True)  # systemd's default: every capability
    ambient = _CapabilitySet(everything=False)
    for key, value in found:
        if key == "User":
            user = value.strip('"') or "root"
        elif key == "DynamicUser":
            dynamic = value.lower() in _TRUE
        elif key == "CapabilityBoundingSet":
            bounding.assign(value)
        elif key == "AmbientCapabilities":
            ambient.assign(value)
    root = user in ("root", "0") and not dynamic
    return BIND_LOW_PORTS in bounding and (root or BIND_LOW_PORTS in ambient)
