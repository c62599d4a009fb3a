"""Who receives the show's events (`/bayard/event/...`): `/bayard/subscribe`, the push to
every subscriber and push target, and the end of a subscription with the tier that allowed it."""

from __future__ import annotations

import logging
from typing import Any

from ...commands import echo
from . import wire
from .addresses import as_switch
from .senders import PacketState, Peer

log = logging.getLogger("bayard.osc")

MAX_SUBSCRIBERS = 64
SUBSCRIBE = "/bayard/subscribe"


class Subscribing:
    """A mixin of Dispatcher (_lock, _subscribers, _subscribers_log, _subscribing_log, _targets,
    _tiers, counters, clock, send, tier, _answer, _error)."""

    def _subscribe(self, args: list[Any], peer: Peer, target: Peer, state: PacketState) -> None:
        switch = as_switch(args[0])
        if switch is None:
            self._error(target, state, f"{SUBSCRIBE} needs 0 or 1, got {echo(args[0])}")
            return
        if switch and not self._may_subscribe(peer.host, target.transport):
            self._error(target, state, f"{SUBSCRIBE} over UDP needs the control tier; use TCP")
            return
        key = target.key()
        if switch:
            if key not in self._subscribers and len(self._subscribers) >= MAX_SUBSCRIBERS:
                # The oldest gives way, and is told so (it went on waiting for events); the log
                # says it once a minute, not once per subscribe of a flood of senders.
                dropped = self._subscribers.pop(next(iter(self._subscribers)))
                self.counters["unsubscribed"] += 1
                if self._subscribers_log.due(self.clock.now()):
                    log.warning("OSC: more than %d subscribers; the oldest, %s, no longer receives events "
                                "(further ones are counted, not logged, for a minute)", MAX_SUBSCRIBERS, dropped)
                self.send(dropped, wire.encode_message(SUBSCRIBE, 0))
                self.send(dropped, wire.encode_message(
                    "/bayard/error", f"subscription ended: more than {MAX_SUBSCRIBERS} subscribers; "
                    "send /bayard/subscribe 1 again"))
            new = key not in self._subscribers
            self._subscribers[key] = target
            # Said when it starts, not at each repeat (a desk re-sending its subscribe every
            # second as a keep-alive wrote 86,400 lines a day), and at most 20 a minute.
            if new and self._subscribing_log.due(self.clock.now()):
                log.info("OSC: %s subscribed to events", target)
        elif self._subscribers.pop(key, None) is not None and self._subscribing_log.due(self.clock.now()):
            log.info("OSC: %s unsubscribed", target)
        self._answer(target, state, SUBSCRIBE, switch)

    def push(self, address: str, *args: Any) -> int:
        """Send an event to every subscriber and configured push target; how many."""
        try:
            data = wire.encode_message(address, *args)
        except (ValueError, TypeError, OverflowError) as exc:
            log.error("OSC: cannot encode push %s %s: %s", address, echo(args), exc)
            return 0
        self.end_lapsed_subscriptions()
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
        self.end_lapsed_subscriptions()
        with self._lock:
            return list(self._subscribers.values())

    def end_lapsed_subscriptions(self) -> None:
        """End the subscriptions whose sender's tier lapsed (or was given up) and no longer
        allows them, and tell each subscriber so: a laptop whose control lapsed went on
        receiving every event until the show restarted."""
        ended: list[tuple[Peer, str]] = []
        self._subscribers_log.flush(self.clock.now())
        self._subscribing_log.flush(self.clock.now())
        with self._lock:
            why_by_host = self._tiers.ended(self.clock.now())
            if not why_by_host:
                return
            for key, peer in list(self._subscribers.items()):
                why = why_by_host.get(peer.host)
                if why is None or self._may_subscribe(peer.host, peer.transport):
                    continue
                del self._subscribers[key]
                self.counters["unsubscribed"] += 1
                log.info("OSC: %s no longer receives events: its %s", peer, why)
                ended.append((peer, why))
        for peer, why in ended:
            self.send(peer, wire.encode_message("/bayard/subscribe", 0))
            text = f"subscription ended: {why}; send /bayard/connect, then /bayard/subscribe 1"
            self.send(peer, wire.encode_message("/bayard/error", text))

    def _may_subscribe(self, host: str, transport: str) -> bool:
        # Pushes are replies without end to one small datagram whose source may be forged:
        # over UDP only for control; view-tier monitors subscribe over TCP.
        tier = self.tier(host)
        return tier == "control" or (tier == "view" and transport != "udp")
