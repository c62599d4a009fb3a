"""From one decoded OSC message to what it asks for: the address looked up in the table
(a dictionary hit for a plain address, OSC 1.0 pattern matching otherwise, a spelling
suggestion for an unknown one), the sender's tier checked against the address's, and its
arguments turned into a `Command` for the engine (or answered here by LocalAnswers). The
packet around it (who may send, bundles and their time tags, what one packet may cost,
how replies are budgeted) is dispatch.py's.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from typing import Any

from ...commands import Command, echo
from ...runtime.hours import reads_as_time
from . import wire
from .addresses import ADDRESSES, SCENE_PREFIX, TIER_RANK, TRIGGERS, Address, as_switch, required
from .pattern import PatternError, compile_parts, is_pattern, part_matches
from .senders import PacketState, Peer, reply_port

log = logging.getLogger("bayard.osc")

# Work units (limits.PACKET_WORK per packet): a spelling suggestion runs difflib over
# the whole table; a pattern costs by its length (matched against every address).
SUGGEST_COST = 25
PATTERN_COST_PER = 4  # characters of pattern per extra unit

# The table without the scene route (`/bayard/scene/<id>/<verb>`, matched by its shape), and
# the same by lower-cased path for the plain address's look-up.
_FIXED = tuple(a for a in ADDRESSES if not a.path.startswith(SCENE_PREFIX + "/<"))
_EXACT = {a.path.lower(): a for a in _FIXED}


class Routing:
    """A mixin of Dispatcher (counters, clock, post, tier, _tiers, _command_log, _spend,
    _malformed, _answer, _error, and LocalAnswers' _local)."""

    def _message(self, message: wire.Message, peer: Peer, state: PacketState) -> None:
        address = message.address
        pattern = is_pattern(address)
        if not self._spend(state, 1 + (len(address) // PATTERN_COST_PER if pattern else 0), peer):
            return
        log.debug("OSC: %s %s %s", peer, address, echo(message.args))
        lowered = address.lower()
        segments = address[1:].split("/")
        if not pattern:
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
            port = reply_port(message, 0)
            target = peer if port is None else peer.reply_to(port)
            hint = "; send /bayard/info for the list"
            # One suggestion per packet: difflib over the table for each of 3,000 unknown
            # addresses in one datagram once stalled the receiver for a second.
            if not state.suggested and self._spend(state, SUGGEST_COST, peer):
                state.suggested = True
                known = [a.path for a in ADDRESSES]
                close = difflib.get_close_matches(address.lower(), known, n=1)
                hint = f"; did you mean {close[0]}?" if close else hint
            self._error(target, state, f"unknown address {address}{hint}")
            return
        for entry in hits:
            self._one(entry, message, peer, state)
        if scene_route:
            scene_entry = ADDRESSES[-1]
            verb = "/".join(segments[3:])
            port = reply_port(message, 0)
            target = peer if port is None else peer.reply_to(port)
            args = message.args if port is None else message.args[:-1]
            if not verb or is_pattern(verb):
                self._error(target, state, f"{address}: the verb after the scene id must be a plain word")
                return
            if self._permitted(scene_entry, peer, target, state, address):
                self._post(
                    Command(
                        verb,
                        tuple(args),
                        source="osc",
                        scene=segments[2],
                        reply=self._replier(target, state),
                        extra={"peer": str(peer), "address": address},
                    )
                )

    @staticmethod
    def _hit(parts: list[Any], path: str) -> bool:
        names = path[1:].split("/")
        return len(names) == len(parts) and all(part_matches(p, n) for p, n in zip(parts, names, strict=True))

    def _permitted(self, entry: Address, peer: Peer, target: Peer, state: PacketState, address: str) -> bool:
        have = self.tier(peer.host)
        if TIER_RANK[have] >= TIER_RANK[entry.tier]:
            if entry.tier != "open":
                self._tiers.heard(peer.host, self.clock.now())  # used: its quiet time starts again
            return True
        self.counters["denied"] += 1
        # Short enough to fit the 4x reply allowance of the shortest request (a 20-byte
        # /bayard/next): longer, it was withheld and "too large for this request; use TCP"
        # went back instead, naming neither the tier nor the cure.
        if self._tiers.lapsed(peer.host):
            self._error(target, state, f"{address}: session lapsed; send /bayard/connect again")
        else:
            self._error(target, state, f"{address} needs {entry.tier}: send /bayard/connect")
        return False

    def _replier(self, peer: Peer, state: PacketState) -> Callable[[str, tuple[Any, ...]], None]:
        def reply(address: str, args: tuple[Any, ...] = ()) -> None:
            self._answer(peer, state, address, *args)

        return reply

    def _post(self, command: Command) -> None:
        self.counters["commands"] += 1
        if command.name not in ("status",) and self._command_log.due(self.clock.now()):
            extra = command.extra
            log.info("OSC: %s %s %s", extra.get("peer"), extra.get("address"), echo(list(command.args)))
        self.post(command)

    def _one(self, entry: Address, message: wire.Message, peer: Peer, state: PacketState) -> None:
        args = list(message.args)
        need = required(entry)
        port = reply_port(message, need)
        if port is not None and entry.command == "hours" and len(args) == 2 and reads_as_time(args[1]) \
                and str(args[0]).strip().lower() in ("open", "closed"):
            port = None  # `/bayard/hours open 2230`: until 22:30 (it was taken for a reply port)
        target = peer
        if port is not None:
            target = peer.reply_to(port)
            del args[-1]
        if not self._permitted(entry, peer, target, state, entry.path):
            return
        if len(args) < need:
            self._error(target, state, f"{entry.path} needs {entry.args}")
            return
        name = entry.command
        extra = {"peer": str(peer), "address": message.address}
        if entry.handled_by == "osc":
            self._local(entry, args, peer, target, state)
            return
        reply = self._replier(target, state)
        assert name is not None
        if name in TRIGGERS:
            if args and as_switch(args[0]) == 0 and not isinstance(args[0], str):
                return  # a button release (value 0), not a second press
            self._post(Command(name, (), source="osc", reply=reply, extra=extra))
        elif name == "goto":
            value = args[0]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, str):
                value = value.strip()
            if not isinstance(value, (int, str)) or isinstance(value, bool) or value == "":
                self._error(target, state, f"{entry.path} needs a scene id (string) or a position (integer)")
                return
            self._post(Command("goto", (value,), source="osc", reply=reply, extra=extra))
        elif name == "blackout":
            switch = as_switch(args[0])
            if switch is None:
                self._error(target, state, f"{entry.path} needs 0 or 1, got {echo(args[0])}")
                return
            self._post(Command("blackout", (switch,), source="osc", reply=reply, extra=extra))
        else:  # status, hours; further arguments (padding, see docs/osc.md) are the engine's to ignore
            self._post(Command(name, tuple(args), source="osc", reply=reply, extra=extra))
