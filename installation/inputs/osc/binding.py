"""Why the show cannot listen where `[osc]` says, and what to change: the server's start-up
error and `bayard check`'s probe say the same words."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

# Below this port the kernel lets only root or a process with CAP_NET_BIND_SERVICE listen.
UNPRIVILEGED_START_FILE = Path("/proc/sys/net/ipv4/ip_unprivileged_port_start")
DEFAULT_UNPRIVILEGED_START = 1024


def unprivileged_start() -> int:
    try:
        return int(UNPRIVILEGED_START_FILE.read_text().strip())
    except (OSError, ValueError):
        return DEFAULT_UNPRIVILEGED_START


class OscStartError(RuntimeError):
    """The server could not start; the message says what to change."""


def bind_error(exc: OSError, proto: str, host: str, port: int) -> OscStartError:
    """Why the show cannot listen on host:port, and what to change (the show's log at start
    and `bayard check` say the same)."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return OscStartError(
            f"OSC {proto} port {where} is already in use (another bayard, QLab or an OSC tool?); "
            "stop it or set another port under [osc] in install.toml"
        )
    if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
        return OscStartError(
            f"OSC cannot bind {where}: {exc.strerror or exc}; set [osc] host in install.toml "
            "to an address "
            'of this machine, or "0.0.0.0" for all'
        )
    if exc.errno == errno.EACCES:
        lowest = unprivileged_start()
        if port < lowest:
            return OscStartError(
                f"OSC port {where}: permission denied: below {lowest} (net.ipv4.ip_unprivileged_port_start) only "
                "root or a process with CAP_NET_BIND_SERVICE may listen; set [osc] port to "
                f"{lowest} or above, e.g. 9000, or give the show that capability"
            )
        return OscStartError(f"OSC port {where}: permission denied (a security policy?); set another [osc] port")
    return OscStartError(f"OSC cannot listen on {where}: {exc}")
