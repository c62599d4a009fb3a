"""Who sent an OSC packet, where its answers go, and what it may still cost."""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import wire
from .limits import PACKET_WORK, ReplyBudget

log = logging.getLogger("bayard.osc")

REPLY_PORTS = range(1024, 65536)
# Log-time tables per source are forgotten when full: only a log line repeats.
MAX_LOGGED_SOURCES = 1_024
LOG_EVERY_S = 60.0


@dataclass(frozen=True)
class Peer:
    """Where a packet came from and where its answers go."""

    host: str
    port: int
    transport: str = "udp"  # "udp" or "tcp"
    conn: int | None = None  # the TCP connection, for replies on the same stream

    def reply_to(self, port: int) -> Peer:
        return Peer(self.host, port, "udp")

    def key(self) -> tuple[Any, ...]:
        return (self.transport, self.host, self.port, self.conn)

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" + ("/tcp" if self.transport == "tcp" else "")


Send = Callable[[Peer, bytes], None]


def reply_port(message: wire.Message, need: int) -> int | None:
    """The reply port a message carries: an integer 1024-65535 as its last argument,
    beyond the arguments its address needs. Every address accepts one."""
    args, tags = message.args, message.tags
    if len(args) <= need or len(tags) != len(args) or tags[-1] not in ("i", "h"):
        return None
    return args[-1] if args[-1] in REPLY_PORTS else None


@dataclass
class PacketState:
    """What one received packet may still cost (shared with the engine's later replies)."""

    budget: ReplyBudget
    work: int = PACKET_WORK
    suggested: bool = False
    truncated: bool = False


def normal_host(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def lan_of(host: str) -> str:
    ip = normal_host(host)
    if ip is None:
        return host
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 64}", strict=False))




class OncePerMinute:
    """Per-source log throttling: `due(host, now)` is True at most once a minute each."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}

    def due(self, host: str, now: float) -> bool:
        last = self._last.get(host)
        if last is not None and now - last < LOG_EVERY_S:
            return False
        if len(self._last) >= MAX_LOGGED_SOURCES and host not in self._last:
            self._last.clear()
        self._last[host] = now
        return True


class LogBudget:
    """At most `per_window` log lines each `window_s` (all senders together: rotating
    senders defeat a per-sender limit), and then one line with how many were not logged.
    80,000 valid commands in 2 s once wrote one INFO line each and rotated every log file,
    with the start-up lines, away in seconds."""

    def __init__(self, summary: str, per_window: int = 20, window_s: float = 1.0, level: int = logging.INFO) -> None:
        self.summary = summary
        self.level = level  # the count's level: that of the lines it stands for
        self.per_window = per_window
        self.window_s = window_s
        self._start = float("-inf")
        self._logged = 0
        self._skipped = 0
        self._lock = threading.Lock()

    def due(self, now: float) -> bool:
        """May this line be logged? (Counts it when not.)"""
        self.flush(now)
        with self._lock:
            if self._logged < self.per_window:
                self._logged += 1
                return True
            self._skipped += 1
            return False

    def flush(self, now: float) -> None:
        """Close a window that has ended, logging how many lines it held back."""
        with self._lock:
            if now - self._start < self.window_s:
                return
            skipped, elapsed = self._skipped, now - self._start
            self._start, self._logged, self._skipped = now, 0, 0
        if skipped:
            log.log(self.level, self.summary, skipped, min(elapsed, 60.0))
