"""From packet bytes to Commands, with no socket: the seam every unit test feeds.

`Dispatcher.feed(data, peer)` checks the sender against the allow-list, decodes the
packet, matches each message's address (OSC 1.0 patterns) against the address table,
checks the sender's tier and posts `Command`s. Ping, info, subscribe and connect are
answered here; status and screenshot go to the engine with a `reply` that enqueues the
answer on the sender thread. `feed` never raises: a bad packet is counted and ignored.
"""

from __future__ import annotations

import difflib
import heapq
import hmac
import ipaddress
import json
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...clock import Clock, SystemClock
from ...commands import Command
from . import wire
from .addresses import ADDRESSES, EVENTS, SCENE_PREFIX, TIER_RANK, TRIGGERS, Address, info_table
from .config import OscConfig
from .pattern import PatternError, compile_parts, is_pattern, matches, part_matches

log = logging.getLogger("bayard.osc")

# Bundles due further ahead than this are run at once: the sender's clock is wrong, and
# a show command parked for hours would surprise everyone.
MAX_SCHEDULE_AHEAD_S = 60.0
MAX_SCHEDULED = 1_000
MAX_SUBSCRIBERS = 64
# Per-source memory (refusal log times, tiers, passcode failures) is bounded so spoofed
# sources cannot grow it; when full it is forgotten, which only means a log line repeats.
MAX_SOURCES = 1_024
REFUSED_LOG_EVERY_S = 60.0
BADPASS_LIMIT = 10  # wrong passcodes per source per minute before connects are ignored


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

_FIXED = tuple(a for a in ADDRESSES if not a.path.startswith(SCENE_PREFIX + "/<"))
_EXACT = {a.path.lower(): a for a in _FIXED}

_BOOL_WORDS = {"1": 1, "0": 0, "on": 1, "off": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def _as_switch(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return 1 if value else 0
    if isinstance(value, str):
        return _BOOL_WORDS.get(value.strip().lower())
    return None


def _required(address: Address) -> int:
    return address.args.count("<")


def _normal_host(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _lan_of(host: str) -> str:
    ip = _normal_host(host)
    if ip is None:
        return host
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 64}", strict=False))


class Dispatcher:
    def __init__(
        self,
        config: OscConfig,
        post: Callable[[Command], None],
        send: Send,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self.post = post
        self.send = send
        self.clock = clock or SystemClock()
        self._networks = config.networks()
        self._lock = threading.RLock()
        self.counters: dict[str, int] = dict.fromkeys(
            (
                "received",
                "refused",
                "malformed",
                "unknown",
                "denied",
                "scheduled",
                "dropped",
                "commands",
                "replies",
            ),
            0,
        )
        self._refused_logged: dict[str, float] = {}
        self._malformed_logged: dict[str, float] = {}
        self._tiers: dict[str, str] = {}
        self._badpass: dict[str, tuple[float, int]] = {}
        self._subscribers: dict[tuple[Any, ...], Peer] = {}
        self._scheduled: list[tuple[float, int, wire.Message, Peer]] = []
        self._seq = 0
        codes = config.passcodes
        self._base_tier = "control" if codes.control is None else ("view" if codes.view is None else "none")
        self._targets = [Peer(h, p) for h, p in config.push_targets()]

    # -- entry points ---------------------------------------------------------------------
    def feed(self, data: bytes, peer: Peer) -> None:
        """One packet from one sender. Never raises."""
        try:
            with self._lock:
                self.counters["received"] += 1
                if not self.allowed(peer.host):
                    self._refuse(peer)
                    return
                try:
                    packet = wire.decode(bytes(data))
                except (wire.Malformed, ValueError, OverflowError, IndexError) as exc:
                    self._malformed(peer, str(exc))
                    return
                self._run(packet, peer, due=None)
        except Exception:  # a bug here must not take the receive thread down
            log.exception("OSC: error handling a packet from %s (ignored)", peer)
            self.counters["malformed"] += 1

    def release_due(self) -> float | None:
        """Dispatch scheduled bundle messages that are due; seconds until the next one."""
        with self._lock:
            now = self.clock.wall()
            while self._scheduled and self._scheduled[0][0] <= now:
                _, _, message, peer = heapq.heappop(self._scheduled)
                self._message(message, peer)
            return (self._scheduled[0][0] - now) if self._scheduled else None

    def push(self, address: str, *args: Any) -> int:
        """Send an event to every subscriber and configured push target; how many."""
        try:
            data = wire.encode_message(address, *args)
        except (ValueError, TypeError, OverflowError) as exc:
            log.error("OSC: cannot encode push %s %r: %s", address, args, exc)
            return 0
        with self._lock:
            peers = list(self._subscribers.values())
        for peer in [*peers, *self._targets]:
            self.send(peer, data)
        return len(peers) + len(self._targets)

    def forget_connection(self, conn: int) -> None:
        """A TCP connection closed: stop pushing to it."""
        with self._lock:
            for key in [k for k, p in self._subscribers.items() if p.conn == conn]:
                del self._subscribers[key]

    def subscribers(self) -> list[Peer]:
        with self._lock:
            return list(self._subscribers.values())

    def allowed(self, host: str) -> bool:
        ip = _normal_host(host)
        return ip is not None and any(ip in net for net in self._networks if ip.version == net.version)

    def tier(self, host: str) -> str:
        with self._lock:
            return self._tiers.get(host, self._base_tier)

    # -- internals ------------------------------------------------------------------------
    def _remember(self, table: dict[str, Any], key: str, value: Any) -> None:
        if len(table) >= MAX_SOURCES and key not in table:
            table.clear()
        table[key] = value

    def _refuse(self, peer: Peer) -> None:
        self.counters["refused"] += 1
        now = self.clock.now()
        last = self._refused_logged.get(peer.host)
        if last is None or now - last >= REFUSED_LOG_EVERY_S:
            self._remember(self._refused_logged, peer.host, now)
            log.warning(
                "OSC: refused packets from %s (not in [osc] allow); to let it in add its network, "
                'e.g. allow = ["127.0.0.0/8", "%s"]; logged once a minute per sender',
                peer.host,
                _lan_of(peer.host),
            )

    def _malformed(self, peer: Peer, why: str) -> None:
        self.counters["malformed"] += 1
        now = self.clock.now()
        last = self._malformed_logged.get(peer.host)
        if last is None or now - last >= REFUSED_LOG_EVERY_S:
            self._remember(self._malformed_logged, peer.host, now)
            log.warning(
                "OSC: malformed packet from %s ignored (%s); logged once a minute per sender", peer, why
            )

    def _run(self, packet: wire.Message | wire.Bundle, peer: Peer, due: float | None) -> None:
        if isinstance(packet, wire.Message):
            if due is None:
                self._message(packet, peer)
            else:
                self._schedule(due, packet, peer)
            return
        own = packet.due_unix()
        if own is not None:
            ahead = own - self.clock.wall()
            if ahead > MAX_SCHEDULE_AHEAD_S:
                log.warning(
                    "OSC: bundle from %s is due %.0f s ahead (sender's clock wrong?); run now", peer, ahead
                )
                own = None
            elif ahead <= 0:
                own = None
        if own is not None:
            due = own if due is None else max(due, own)
        for element in packet.elements:
            self._run(element, peer, due)

    def _schedule(self, due: float, message: wire.Message, peer: Peer) -> None:
        if len(self._scheduled) >= MAX_SCHEDULED:
            self.counters["dropped"] += 1
            return
        self._seq += 1
        self.counters["scheduled"] += 1
        heapq.heappush(self._scheduled, (due, self._seq, message, peer))

    def _answer(self, peer: Peer, address: str, *args: Any) -> None:
        try:
            data = wire.encode_message(address, *args)
        except (ValueError, TypeError, OverflowError) as exc:
            log.error("OSC: cannot encode reply %s %r: %s", address, args, exc)
            return
        self.counters["replies"] += 1
        self.send(peer, data)

    def _error(self, peer: Peer, text: str) -> None:
        self._answer(peer, "/bayard/error", text)

    def _message(self, message: wire.Message, peer: Peer) -> None:
        address = message.address
        log.debug("OSC: %s %s %r", peer, address, message.args)
        lowered = address.lower()
        segments = address[1:].split("/")
        if not is_pattern(address):
            # The common case, a plain address: a dictionary look-up, no matching.
            exact = _EXACT.get(lowered)
            hits = [exact] if exact is not None else []
            scene_route = len(segments) >= 4 and lowered.startswith(SCENE_PREFIX + "/")
        else:
            try:
                parts = compile_parts(lowered)
            except PatternError as exc:
                self._malformed(peer, f"bad address pattern {address!r}: {exc}")
                return
            hits = [a for a in _FIXED if self._hit(parts, a.path)]
            scene_route = (
                len(segments) >= 4 and part_matches(parts[0], "bayard") and part_matches(parts[1], "scene")
            )
        if not hits and not scene_route:
            self.counters["unknown"] += 1
            known = [a.path for a in ADDRESSES]
            close = difflib.get_close_matches(address.lower(), known, n=1)
            hint = f"; did you mean {close[0]}?" if close else "; send /bayard/info for the list"
            self._error(peer, f"unknown address {address}{hint}")
            return
        for entry in hits:
            self._one(entry, message, peer)
        if scene_route:
            scene_entry = ADDRESSES[-1]
            verb = "/".join(segments[3:])
            if not verb or is_pattern(verb):
                self._error(peer, f"{address}: the verb after the scene id must be a plain word")
                return
            if self._permitted(scene_entry, peer, address):
                self._post(
                    Command(
                        verb,
                        tuple(message.args),
                        source="osc",
                        scene=segments[2],
                        reply=self._replier(peer),
                        extra={"peer": str(peer), "address": address},
                    )
                )

    @staticmethod
    def _hit(parts: list[Any], path: str) -> bool:
        names = path[1:].split("/")
        return len(names) == len(parts) and all(part_matches(p, n) for p, n in zip(parts, names, strict=True))

    def _permitted(self, entry: Address, peer: Peer, address: str) -> bool:
        have = self.tier(peer.host)
        if TIER_RANK[have] >= TIER_RANK[entry.tier]:
            return True
        self.counters["denied"] += 1
        self._error(peer, f"{address} needs the {entry.tier} tier; send /bayard/connect <passcode>")
        return False

    def _replier(self, peer: Peer) -> Callable[[str, tuple[Any, ...]], None]:
        def reply(address: str, args: tuple[Any, ...] = ()) -> None:
            self._answer(peer, address, *args)

        return reply

    def _post(self, command: Command) -> None:
        self.counters["commands"] += 1
        if command.name not in ("status",):
            log.info(
                "OSC: %s %s %s", command.extra.get("peer"), command.extra.get("address"), list(command.args)
            )
        self.post(command)

    def _one(self, entry: Address, message: wire.Message, peer: Peer) -> None:
        if not self._permitted(entry, peer, entry.path):
            return
        args, tags = list(message.args), message.tags
        need = _required(entry)
        target = peer
        if "[reply port]" in entry.args and len(args) > need:
            value = args[need]
            tag = tags[need] if len(tags) > need else ""
            if tag in ("i", "h") and 1024 <= value <= 65535:
                target = peer.reply_to(value)
                del args[need]
        if len(args) < need:
            self._error(target, f"{entry.path} needs {entry.args}")
            return
        name = entry.command
        extra = {"peer": str(peer), "address": message.address}
        if entry.handled_by == "osc":
            self._local(entry, args, peer, target)
            return
        assert name is not None
        if name in TRIGGERS:
            if args and _as_switch(args[0]) == 0 and not isinstance(args[0], str):
                return  # a button release (value 0), not a second press
            self._post(Command(name, (), source="osc", reply=self._replier(target), extra=extra))
        elif name == "goto":
            value = args[0]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, str):
                value = value.strip()
            if not isinstance(value, (int, str)) or isinstance(value, bool) or value == "":
                self._error(target, f"{entry.path} needs a scene id (string) or a position (integer)")
                return
            self._post(Command("goto", (value,), source="osc", reply=self._replier(target), extra=extra))
        elif name == "blackout":
            switch = _as_switch(args[0])
            if switch is None:
                self._error(target, f"{entry.path} needs 0 or 1, got {args[0]!r}")
                return
            self._post(Command("blackout", (switch,), source="osc", reply=self._replier(target), extra=extra))
        else:  # status
            self._post(Command(name, tuple(args), source="osc", reply=self._replier(target), extra=extra))

    def _local(self, entry: Address, args: list[Any], peer: Peer, target: Peer) -> None:
        if entry.path == "/bayard/ping":
            self._answer(target, "/bayard/pong")
        elif entry.path == "/bayard/info":
            info = {"addresses": info_table(), "events": [{"address": a, "when": w} for a, w in EVENTS]}
            self._answer(target, "/bayard/info", json.dumps(info, separators=(",", ":")))
        elif entry.path == "/bayard/subscribe":
            switch = _as_switch(args[0])
            if switch is None:
                self._error(target, f"{entry.path} needs 0 or 1, got {args[0]!r}")
                return
            key = target.key()
            if switch:
                if key not in self._subscribers and len(self._subscribers) >= MAX_SUBSCRIBERS:
                    oldest = next(iter(self._subscribers))
                    log.warning(
                        "OSC: more than %d subscribers; dropping the oldest, %s",
                        MAX_SUBSCRIBERS,
                        self._subscribers[oldest],
                    )
                    del self._subscribers[oldest]
                self._subscribers[key] = target
                log.info("OSC: %s subscribed to events", target)
            else:
                self._subscribers.pop(key, None)
                log.info("OSC: %s unsubscribed", target)
            self._answer(target, "/bayard/subscribe", switch)
        elif entry.path == "/bayard/connect":
            self._answer(target, "/bayard/connect", self._connect(peer.host, str(args[0])))

    def _connect(self, host: str, passcode: str) -> str:
        codes = self.config.passcodes
        if codes.control is None:
            return "ok:control"
        now = self.clock.now()
        since, fails = self._badpass.get(host, (now, 0))
        if now - since >= 60.0:
            since, fails = now, 0
        if fails >= BADPASS_LIMIT:
            return "badpass"  # too many guesses this minute: refuse even the right one
        if hmac.compare_digest(passcode.encode(), codes.control.encode()):
            tier = "control"
        elif codes.view is not None and hmac.compare_digest(passcode.encode(), codes.view.encode()):
            tier = "view"
        else:
            self._remember(self._badpass, host, (since, fails + 1))
            self._tiers.pop(host, None)
            log.warning("OSC: wrong passcode from %s", host)
            return "badpass"
        self._remember(self._tiers, host, tier)
        log.info("OSC: %s connected with the %s tier", host, tier)
        return f"ok:{tier}"


__all__ = ["Dispatcher", "Peer", "matches"]
