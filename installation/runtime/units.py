"""The kiosk's systemd service as installed (deploy/setup-kiosk.sh): its unit file and the
drop-ins `systemctl edit` writes, read as systemd reads them, for what `bayard check` says
about the show that service would run (its state folder, its display, the ports it may use)."""

from __future__ import annotations

import re
from pathlib import Path

# Where deploy/setup-kiosk.sh installs the show's unit (and `systemctl edit` its drop-ins).
SERVICE_UNIT = Path("/etc/systemd/system/bayard.service")
BIND_LOW_PORTS = "CAP_NET_BIND_SERVICE"


def directives(unit: Path) -> list[tuple[str, str]]:
    """(key, value) of every `Key=value` line of the unit, then of its drop-ins in name order
    (as systemd applies them); empty where no unit is installed."""
    files = [unit, *sorted(Path(f"{unit}.d").glob("*.conf"))]
    found = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        # systemd strips the blanks around the key and the value: "User = kiosk" is a user.
        found += [(m.group(1), m.group(2).strip()) for m in re.finditer(r"(?m)^[ \t]*(\w+)[ \t]*=(.*)$", text)]
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
    bounding = _CapabilitySet(everything=True)  # systemd's default: every capability
    ambient = _CapabilitySet(everything=False)
    for key, value in found:
        if key == "User":
            user = value.strip('"') or "root"
        elif key == "CapabilityBoundingSet":
            bounding.assign(value)
        elif key == "AmbientCapabilities":
            ambient.assign(value)
    return BIND_LOW_PORTS in bounding and (user in ("root", "0") or BIND_LOW_PORTS in ambient)
