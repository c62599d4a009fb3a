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
        found += [(m.group(1), m.group(2).strip()) for m in re.finditer(r"(?m)^\s*(\w+)=(.*)$", text)]
    return found


def may_bind_low_ports(unit: Path) -> bool | None:
    """Whether the service may listen on ports below net.ipv4.ip_unprivileged_port_start: it
    needs CAP_NET_BIND_SERVICE, as root or as an ambient capability, and within its bounding
    set. None where no service is installed."""
    found = directives(unit)
    if not found:
        return None
    user = "root"
    bounding: set[str] | None = None  # None: every capability (systemd's default)
    inverted = False
    ambient: set[str] = set()
    for key, value in found:
        names = set(value.lstrip("~").split())
        if key == "User":
            user = value or "root"
        elif key == "CapabilityBoundingSet":
            if not value:
                bounding, inverted = set(), False  # an empty assignment: none at all
            elif value.startswith("~"):
                bounding, inverted = names, True  # every capability but these
            else:
                bounding = names if bounding is None or inverted else bounding | names
                inverted = False
        elif key == "AmbientCapabilities":
            ambient = set() if not value else ambient | names
    allowed = bounding is None or (BIND_LOW_PORTS not in bounding if inverted else BIND_LOW_PORTS in bounding)
    return allowed and (user in ("root", "0") or BIND_LOW_PORTS in ambient)
