"""What the dispatcher answers itself, at once on the receive thread: ping, info,
subscribe, connect and disconnect (everything else becomes a Command for the engine)."""

from __future__ import annotations

import logging
from typing import Any

from . import wire
from .addresses import TIER_RANK, Address, info_json
from .senders import PacketState, Peer

log = logging.getLogger("bayard.osc")


class LocalAnswers:
    """A mixin of Dispatcher (summary, drawing, tier, _tiers, counters, clock, _answer, _error,
    and Subscribing's _subscribe)."""

    def _pong(self, peer: Peer, target: Peer, state: PacketState) -> None:
        """The heartbeat, with the show's state at a glance for senders that may query it (an
        open-tier sender gets the bare pong: its tier allows no query). Bare too when the state
        would not fit what this datagram may cause: the sign of life must always come back."""
        args: tuple[Any, ...] = ()
        tier = self.tier(peer.host)
        if tier == "view":
            # A monitor connects with the view passcode and then only pings: its pings keep
            # its view (its pong went bare an hour on, with no word why). Pings never keep
            # control: that is what lapses on a laptop left on the gallery network.
            self._tiers.heard(peer.host, self.clock.now())
        if self.summary is not None and TIER_RANK[tier] >= TIER_RANK["view"]:
            args = self.summary()
            if not state.budget.fits(len(wire.encode_message("/bayard/pong", *args))):
                args = ()
        self._answer(target, state, "/bayard/pong", *args)

    def _local(self, entry: Address, args: list[Any], peer: Peer, target: Peer, state: PacketState) -> None:
        if entry.path == "/bayard/ping":
            if self.drawing():
                self._pong(peer, target, state)
        elif entry.path == "/bayard/info":
            self._answer(target, state, "/bayard/info", info_json())
        elif entry.path == "/bayard/subscribe":
            self._subscribe(args, peer, target, state)
        elif entry.path == "/bayard/connect":
            answer = self._tiers.connect(peer, str(args[0]), self.clock.now(), self.clock.wall())
            self.counters["throttled"] += answer == "throttled"
            self._answer(target, state, "/bayard/connect", answer)
        elif entry.path == "/bayard/disconnect":
            answer = self._tiers.disconnect(peer, str(args[0]), self.clock.now())
            self.counters["throttled"] += answer == "throttled"
            self._answer(target, state, "/bayard/disconnect", answer)

