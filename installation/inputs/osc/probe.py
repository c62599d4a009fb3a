"""Can the show listen where `[osc]` says? For `bayard check`, which must answer in a moment
and change nothing: bind the port briefly as the server would, and when it is taken, ask
whoever holds it for a pong (the show running now answers: not a problem)."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...runtime.units import BIND_LOW_PORTS, may_bind_low_ports
from . import wire
from .binding import bind_error, unprivileged_start
from .config import OscConfig

# How long to wait for a pong from whoever holds the port (a show answers within a frame).
PONG_WAIT_S = 0.5


@dataclass(frozen=True)
class PortReport:
    """`state`: free, show (held by a bayard that answered /bayard/ping), taken, privileged
    (a low port the show's process may not use), privileged-here (a low port this check could
    bind, the show only if it runs as privileged), unbindable or off; `message`: what to tell
    the technician (the fix for a problem)."""

    state: Literal["free", "show", "taken", "privileged", "privileged-here", "unbindable", "off"]
    message: str


def probe(config: OscConfig, wait_s: float = PONG_WAIT_S, unit: Path | None = None) -> PortReport:
    """`unit`: the kiosk's service, whose rights decide a low port (None: this process's)."""
    if not config.enabled:
        return PortReport("off", "off ([osc] enabled = false)")
    port, host = config.port, config.host
    protocols = "udp+tcp" if config.tcp else "udp"
    if port == 0:
        return PortReport("free", "a free port is picked at start (port = 0); the log says which")
    lowest = unprivileged_start()
    low = port < lowest
    # A port below net.ipv4.ip_unprivileged_port_start needs root or CAP_NET_BIND_SERVICE. Once
    # any such port was an error from its number alone, even for a show run as root or given
    # the capability; what counts is whether the show's own process may bind it.
    service = may_bind_low_ports(unit) if low and unit is not None else None
    if low and service is False:
        return PortReport("privileged", f"port {port} is below {lowest} (net.ipv4.ip_unprivileged_port_start), and "
                                        f"the show's service ({unit}) has no {BIND_LOW_PORTS} to listen there; use a "
                                        f"port from {lowest} up, e.g. port = 9000 (or give the service "
                                        f"AmbientCapabilities={BIND_LOW_PORTS})")
    for kind, proto in ((socket.SOCK_DGRAM, "UDP"), *([(socket.SOCK_STREAM, "TCP")] if config.tcp else [])):
        try:
            _bind(host, port, kind)
        except OSError as exc:
            error = str(bind_error(exc, proto, host, port))
            target = _loopback(host)
            if "already in use" in error and not any(ipaddress.ip_address(target) in net
                                                     for net in config.networks()):
                # This show's [osc] allow leaves this machine out: a running show would drop the
                # ping (and log a refused sender), so check cannot ask it who holds the port.
                return PortReport("taken", f"{error}; if that is this show running, it cannot be asked: [osc] "
                                           f"allow leaves out this machine ({target}) (`ss -lunp 'sport = "
                                           f":{port}'` names the program)")
            if proto == "UDP" and _answers_ping(host, port, wait_s):
                return PortReport("show", f"{protocols} {host}:{port} is held by a bayard show running now "
                                          "(it answered /bayard/ping)")
            if "already in use" in error:
                return PortReport("taken", f"{error}; nothing there answered /bayard/ping (`ss -lunp "
                                           f"'sport = :{port}'` names the program)")
            if exc.errno == errno.EACCES and low and service:
                return PortReport("free", f"{protocols} {host}:{port}: below {lowest}, which the show's service "
                                          f"({unit}) may use ({BIND_LOW_PORTS}); this check may not try it")
            if exc.errno == errno.EACCES and low:
                return PortReport("privileged", f"{error}; `bayard run` as this user could not listen there")
            return PortReport("unbindable", error)
    if low and service is None:
        return PortReport("privileged-here", f"{protocols} {host}:{port} is free to this check, which may listen "
                                             f"below {lowest} (root or {BIND_LOW_PORTS}); the show may listen there "
                                             "only if it runs with the same rights: run it so, or use a port from "
                                             f"{lowest} up, e.g. port = 9000")
    return PortReport("free", f"{protocols} {host}:{port} is free" + (
        f" (below {lowest}: the show's service may use it, {BIND_LOW_PORTS})" if low else ""))


def _bind(host: str, port: int, kind: int) -> None:
    """Bind as the server does (same family and options), then let go at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, kind) as sock:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, port))


def _loopback(host: str) -> str:
    """Where check reaches a server listening on `host` from this machine."""
    return {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)


def _answers_ping(host: str, port: int, wait_s: float) -> bool:
    target = _loopback(host)
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    deadline = time.monotonic() + wait_s
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(wire.encode_message("/bayard/ping"), (target, port))
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                with contextlib.suppress(wire.Malformed, ValueError, OverflowError, IndexError):
                    if wire.decode(sock.recv(65_535)).address == "/bayard/pong":
                        return True
        except OSError:  # a timeout, or ICMP "port unreachable" surfacing as a refused recv
            return False
    return False
