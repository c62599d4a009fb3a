"""From packet bytes to Commands, with no socket: the seam every unit test feeds.

`Dispatcher.feed(data, peer)` checks the sender against the allow-list, decodes the
packet, runs its bundles now or at their time tag, and hands each message to `routing`,
which matches its address (OSC 1.0 patterns) against the address table, checks the
sender's tier and posts `Command`s. Ping, info, subscribe and connect are answered here;
status and screenshot go to the engine with a `reply` that enqueues the answer on the
sender thread. `feed` never raises: a bad packet is counted and ignored. What one packet
may cost (work, reply bytes, passcode checks, schedule) is bounded in `limits`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from ... import faults
from ...clock import Clock, SystemClock
from ...commands import Command, echo
from . import wire
from .access import Tiers
from .addresses import TIER_RANK
from .answers import LocalAnswers
from .config import OscConfig
from .limits import PACKET_WORK, ReplyBudget, Schedule
from .pattern import matches
from .routing import Routing
from .senders import LogBudget, OncePerMinute, PacketState, Peer, Send, lan_of, normal_host
from .subscriptions import Subscribing

log = logging.getLogger("bayard.osc")

# Bundles due further ahead than this are run at once: the sender's clock is wrong, and
# a show command parked for hours would surprise everyone.
MAX_SCHEDULE_AHEAD_S = 60.0
# Per-source memory is bounded so spoofed sources cannot grow it: tiers and passcode
# failures lose their least recently used entry when full.
MAX_SOURCES = 1_024


class Dispatcher(Routing, LocalAnswers, Subscribing):
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
        # Whether the show is still drawing frames; the engine's service sets it. A ping is
        # answered here at once, but only while frames come: a pong during a frozen screen
        # was a false sign of life.
        self.drawing: Callable[[], bool] = lambda: True
        # What the pong carries (hours state, scene, problems, version); the engine's service
        # sets it. None: a bare pong (a server with no show behind it).
        self.summary: Callable[[], tuple[Any, ...]] | None = None
        self._networks = config.networks()
        self._lock = threading.RLock()
        # What status shows under services.osc; docs/osc.md explains each counter.
        names = "received refused malformed unknown denied scheduled dropped commands replies"
        names += " throttled withheld truncated unsubscribed"
        self.counters: dict[str, int] = dict.fromkeys(names.split(), 0)
        self._refused_logged = OncePerMinute()
        self._malformed_logged = OncePerMinute()
        self._truncated_logged = OncePerMinute()
        self._command_log = LogBudget("OSC: %d more command(s) in the last %.0f s, not logged one by one")
        self._tiers = Tiers(config.passcodes, self.clock.now(), MAX_SOURCES, config.session_idle_min * 60)
        self._subscribers: dict[tuple[Any, ...], Peer] = {}
        self._subscribers_log = LogBudget("OSC: %d more subscriber(s) gave way in the last %.0f s to newer ones",
                                          per_window=1, window_s=60.0, level=logging.WARNING)
        self._subscribing_log = LogBudget("OSC: %d more subscribe(s) or unsubscribe(s) in the last %.0f s, "
                                          "not logged one by one", per_window=20, window_s=60.0)
        self._schedule = Schedule()
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
                control = self.tier(peer.host) == "control"
                state = PacketState(ReplyBudget.for_datagram(len(data), peer.transport, control))
                self._run(packet, peer, None, state)
        except Exception as exc:  # a bug here must not take the receive thread down
            log.exception("OSC: error handling a packet from %s (ignored)", peer)
            self.counters["malformed"] += 1
            faults.report("osc", "packet", exc)  # malformed packets are caught above: this is a bug

    def release_due(self) -> float | None:
        """Dispatch scheduled bundle messages that are due; seconds until the next one."""
        self._command_log.flush(self.clock.now())
        self.end_lapsed_subscriptions()
        with self._lock:
            now = self.clock.now()  # (scheduled on the monotonic clock: see _later)
            for message, peer, budget in list(self._schedule.due(now)):
                self._message(message, peer, PacketState(budget))
            return self._schedule.next_in(now)

    def allowed(self, host: str) -> bool:
        ip = normal_host(host)
        return ip is not None and any(ip in net for net in self._networks if ip.version == net.version)

    def tier(self, host: str) -> str:
        with self._lock:
            return self._tiers.of(host, self.clock.now())

    def sessions(self) -> list[dict[str, object]]:
        """Addresses holding a tier they connected for, and when each lapses (for status)."""
        self.end_lapsed_subscriptions()
        with self._lock:
            sessions = self._tiers.sessions(self.clock.now(), self.clock.wall())
            # What ends with each session when it lapses (counted once, not once per session).
            held = Counter(p.host for p in self._subscribers.values())
            for session in sessions:
                session["subscriptions"] = held[session["address"]]
            return sessions

    def crowded_out(self) -> int:
        """Sessions ended to make room when more than MAX_SOURCES addresses connected."""
        with self._lock:
            return self._tiers.dropped

    def passcode_checks(self) -> dict[str, int]:
        """Passcodes checked and refused unchecked since start (for the bench and status)."""
        with self._lock:
            gate = self._tiers.gate
            return {"checked": gate.checked, "throttled": gate.throttled}

    # -- internals ------------------------------------------------------------------------
    def _refuse(self, peer: Peer) -> None:
        self.counters["refused"] += 1
        if self._refused_logged.due(peer.host, self.clock.now()):
            # The list as it is, with the sender's network added (the hint once offered
            # "127.0.0.0/8" whatever the show's own list held).
            allow = [str(network) for network in self.config.allow] + [lan_of(peer.host)]
            log.warning(
                "OSC: refused packets from %s (not in [osc] allow); to let it in add its network: "
                "allow = [%s]; logged once a minute per sender",
                peer.host,
                ", ".join(f'"{network}"' for network in dict.fromkeys(allow)),
            )

    def _malformed(self, peer: Peer, why: str) -> None:
        self.counters["malformed"] += 1
        if self._malformed_logged.due(peer.host, self.clock.now()):
            log.warning(
                "OSC: malformed packet from %s ignored (%s); logged once a minute per sender", peer, why
            )

    def _run(
        self, packet: wire.Message | wire.Bundle, peer: Peer, due: float | None, state: PacketState
    ) -> None:
        if isinstance(packet, wire.Message):
            if due is None:
                self._message(packet, peer, state)
            else:
                self._later(due, packet, peer, state)
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
            self._run(element, peer, due, state)

    def _later(self, due: float, message: wire.Message, peer: Peer, state: PacketState) -> None:
        # Only control can be worth scheduling (every show change needs it), and each
        # sender has a quota: 2,700 future bundles once filled the schedule and a real
        # cue was dropped.
        evicted = self._schedule.evicted
        # Kept on the monotonic clock: a bundle due in 30 s waited an hour when NTP stepped
        # the wall clock back by one (the time tag is wall time; the wait is not).
        due_monotonic = self.clock.now() + (due - self.clock.wall())
        if TIER_RANK[self.tier(peer.host)] < TIER_RANK["control"] or not self._schedule.add(
            due_monotonic, peer.host, (message, peer, state.budget)
        ):
            self.counters["dropped"] += 1
            return
        self.counters["scheduled"] += 1
        self.counters["dropped"] += self._schedule.evicted - evicted

    def _answer(self, peer: Peer, state: PacketState | None, address: str, *args: Any) -> None:
        try:
            data = wire.encode_message(address, *args)
        except (ValueError, TypeError, OverflowError) as exc:
            log.error("OSC: cannot encode reply %s %s: %s", address, echo(args), exc)
            return
        with self._lock:
            if state is not None and not state.budget.spend(len(data)):
                self.counters["withheld"] += 1
                if state.budget.withheld:
                    return
                state.budget.withheld = True
                # Said once per datagram, and only if the notice itself fits.
                data = wire.encode_message("/bayard/error", f"{address}: too large for this request; use TCP")
                if not state.budget.spend(len(data)):
                    return
            self.counters["replies"] += 1
        self.send(peer, data)

    def _error(self, peer: Peer, state: PacketState | None, text: str) -> None:
        self._answer(peer, state, "/bayard/error", text)

    def _spend(self, state: PacketState, cost: int, peer: Peer) -> bool:
        if state.work >= cost:
            state.work -= cost
            return True
        if not state.truncated:
            state.truncated = True
            self.counters["truncated"] += 1
            if self._truncated_logged.due(peer.host, self.clock.now()):
                log.warning(
                    "OSC: packet from %s asked for more work than one packet may (%d units); the rest "
                    "of it was ignored; logged once a minute per sender",
                    peer,
                    PACKET_WORK,
                )
        return False


__all__ = ["Dispatcher", "Peer", "matches"]
