"""The kiosk's systemd service as installed (deploy/setup-kiosk.sh): its unit file and the
drop-ins `systemctl edit` writes, read as systemd reads them, for what `bayard check` says
about the show that service would run (its state folder, its display, the ports it may use)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

# Where deploy/setup-kiosk.sh installs the show's unit (and `systemctl edit` its drop-ins).
SERVICE_UNIT = Path("/etc/systemd/system/bayard.service")
BIND_LOW_PORTS = "CAP_NET_BIND_SERVICE"
_ASSIGNMENT = re.compile(r"^(\w+)\s*=(.*)$", re.DOTALL)
_TRUE = {"1", "yes", "y", "true", "t", "on"}


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


def directives(unit: Path) -> list[tuple[str, str]]:
    """(key, value) of every assignment in the [Service] section of the unit, then of its
    drop-ins in name order (as systemd applies them); empty where no unit is installed.
    Assignments elsewhere ([Unit], [Install], or before any section) do not set the service."""
    files = [unit, *sorted(Path(f"{unit}.d").glob("*.conf"))]
    found = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        section = None
        for line in logical_lines(text):
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Service" and (assigned := _ASSIGNMENT.match(line)):
                # systemd strips the blanks around the key and the value: "User = kiosk" is a user.
                found.append((assigned.group(1), assigned.group(2).strip()))
    return found


def environment(unit: Path) -> dict[str, str]:
    """The variables the service's Environment= lines set, as systemd.exec(5) applies them: a
    later assignment of a name wins, and an empty Environment= forgets all those before it (a
    drop-in clearing the unit's DISPLAY=:0 was still taken for it)."""
    found: dict[str, str] = {}
    for key, value in directives(unit):
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
            if equals and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):  # else systemd ignores it
                found[name] = setting
    return found


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
