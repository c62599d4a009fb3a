"""Can the show listen where `[osc]` says? For `bayard check`, which must answer in a moment
and change nothing: bind the port briefly as the server would, and when it is taken, ask
whoever holds it for a pong (the show running now answers: not a problem)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import wire
from .config import OscConfig
from .server import bind_error

# Below this the kernel lets only privileged processes listen; the service has no
# capabilities at all (deploy/bayard.service: CapabilityBoundingSet= empty).
UNPRIVILEGED_START_FILE = Path("/proc/sys/net/ipv4/ip_unprivileged_port_start")
DEFAULT_UNPRIVILEGED_START = 1024
# How long to wait for a pong from whoever holds the port (a show answers within a frame).
PONG_WAIT_S = 0.5


@dataclass(frozen=True)
class PortReport:
    """`state`: free, show (held by a bayard that answered /bayard/ping), taken, privileged,
    unbindable or off; `message`: what to tell the technician (the fix for a problem)."""

    state: Literal["free", "show", "taken", "privileged", "unbindable", "off"]
    message: str


def unprivileged_start() -> int:
    try:
        return int(UNPRIVILEGED_START_FILE.read_text().strip())
    except (OSError, ValueError):
        return DEFAULT_UNPRIVILEGED_START


def probe(config: OscConfig, wait_s: float = PONG_WAIT_S) -> PortReport:
    if not config.enabled:
        return PortReport("off", "off ([osc] enabled = false)")
    port, host = config.port, config.host
    protocols = "udp+tcp" if config.tcp else "udp"
    if port == 0:
        return PortReport("free", "a free port is picked at start (port = 0); the log says which")
    lowest = unprivileged_start()
    if port < lowest:
        # Decided from the number, not by binding: `check` run with sudo could bind it, the
        # service (an ordinary user, no capabilities) cannot.
        return PortReport("privileged", f"port {port} is below {lowest}: the show's service (an ordinary user with "
                                        "no capabilities) cannot listen there; use a port from 1024 up, e.g. "
                                        "port = 9000")
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
            return PortReport("unbindable", error)
    return PortReport("free", f"{protocols} {host}:{port} is free")


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
