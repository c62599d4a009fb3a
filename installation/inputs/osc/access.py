"""Tiers: what each sender address may do, and `/bayard/connect <passcode>` to raise it.

With no passcodes every allowed sender has control; with a control passcode only,
everyone may query; with both, a sender must connect first. Tiers are remembered per
IP address, in a table only a right passcode adds to, so a flood of forged sources
cannot push a technician's tier out of it (the old table was cleared at 1,024 sources).

At most `sources` addresses hold a tier at once; the next to connect ends the least recently
used address's session (a view newcomer a view session, while there is one), and its
subscriptions with it, as a lapse does (it had kept receiving every event, unlogged). The
log says so once a minute, not once per connect: a flood of senders that know the view
passcode could end hundreds of sessions a minute.

A tier lapses after `[osc] session_idle_min` without a message that needed more than the
open tier (a ping proves a program runs, not that someone is there): a laptop left on the
gallery network kept control until the show restarted.
"""

from __future__ import annotations

import hmac
import itertools
import logging
from collections import OrderedDict
from dataclasses import dataclass

from .config import Passcodes
from .limits import Bounded, PasscodeGate
from .senders import LogBudget, Peer

log = logging.getLogger("bayard.osc")


@dataclass
class Session:
    """A tier an address earned with a passcode, and when it was last used (clock.now())."""

    tier: str
    connected: float  # wall time, for status
    heard: float
    used: int = 0  # when last looked up, in look-ups (SessionTable's order of use)


class SessionTable:
    """The sessions, indexed so that what one packet does costs the same with 1 or 1,024
    of them: each packet sent looked at every session for lapses, and each view newcomer
    to a full table walked the control sessions to find a view one to end.

    - by tier, each in order of use: the least recently used session (of a tier, or of
      all, the older of the two tiers' oldest) is at a front;
    - by when last heard from (clock.now() only moves forward): the sessions that may have
      lapsed are at the front, and finding them stops at the first that has not."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._by_tier: dict[str, OrderedDict[str, Session]] = {"view": OrderedDict(), "control": OrderedDict()}
        self._tier_of: dict[str, str] = {}
        self._by_heard: OrderedDict[str, None] = OrderedDict()
        self._uses = itertools.count(1)

    def get(self, host: str, touch: bool = True) -> Session | None:
        """The session of `host`; `touch`: counts as a use (status reading must not reorder)."""
        tier = self._tier_of.get(host)
        if tier is None:
            return None
        session = self._by_tier[tier][host]
        if touch:
            self._by_tier[tier].move_to_end(host)
            session.used = next(self._uses)
        return session

    def put(self, host: str, session: Session) -> None:
        self.pop(host)
        while len(self) >= self.size:  # (Tiers makes room first, choosing whom; this only bounds)
            self.pop(self.oldest())  # type: ignore[arg-type]
        session.used = next(self._uses)
        self._by_tier[session.tier][host] = session
        self._tier_of[host] = session.tier
        self._by_heard[host] = None

    def heard(self, host: str, now: float) -> None:
        session = self.get(host)
        if session is not None:
            session.heard = now
            self._by_heard.move_to_end(host)

    def pop(self, host: str | None) -> Session | None:
        tier = self._tier_of.pop(host, None) if host is not None else None
        if tier is None:
            return None
        del self._by_heard[host]
        return self._by_tier[tier].pop(host)

    def oldest(self, tier: str | None = None) -> str | None:
        """The least recently used address of `tier` (of any tier when None)."""
        fronts = [next(iter(table.items())) for name, table in self._by_tier.items()
                  if table and tier in (None, name)]
        return min(fronts, key=lambda item: item[1].used)[0] if fronts else None

    def quiet_since(self, before: float) -> list[str]:
        """Addresses last heard from at or before `before`, quietest first (only those)."""
        quiet = []
        for host in self._by_heard:
            if self._by_tier[self._tier_of[host]][host].heard > before:
                break
            quiet.append(host)
        return quiet

    def members(self) -> list[str]:
        """Every address, least recently used first (for status: it walks them all)."""
        hosts = [(s.used, h) for table in self._by_tier.values() for h, s in table.items()]
        return [host for _, host in sorted(hosts)]

    def full(self) -> bool:
        return len(self) >= self.size

    def __contains__(self, host: object) -> bool:
        return host in self._tier_of

    def __len__(self) -> int:
        return len(self._tier_of)


class Tiers:
    def __init__(self, passcodes: Passcodes, now: float, sources: int, idle_s: float = 0.0) -> None:
        self.passcodes = passcodes
        self.base = "control" if passcodes.control is None else ("view" if passcodes.view is None else "none")
        self.idle_s = idle_s  # 0: a tier never lapses
        self._earned = SessionTable(sources)
        # Addresses whose tier lapsed, so their next refusal says why (not only "needs control").
        self._lapsed: Bounded[str, float] = Bounded(sources)
        # Addresses whose tier ended (lapsed or given up) since the dispatcher last asked,
        # with why: their subscriptions may have to end too (see `ended`).
        self._ended: dict[str, str] = {}
        self.gate = PasscodeGate(now, sources)
        self.dropped = 0  # sessions ended to make room for another address's
        self._connect_log = LogBudget("OSC: %d more connect(s) in the last %.0f s, not logged one by one",
                                      per_window=20, window_s=60.0)
        # The counts of wrong passcodes and crowded-out sessions are warnings, as their first lines
        # are: a technician reading the warnings saw 20 guesses, not the thousands that followed.
        self._wrong_log = LogBudget("OSC: %d more wrong passcode(s) in the last %.0f s, not logged one by one",
                                    per_window=20, window_s=60.0, level=logging.WARNING)
        self._drop_log = LogBudget(f"OSC: %d more session(s) ended in the last %.0f s to make room (more than "
                                   f"{sources} addresses connected)", per_window=1, window_s=60.0,
                                   level=logging.WARNING)

    def of(self, host: str, now: float) -> str:
        session = self._session(host, now)
        return self.base if session is None else session.tier

    def heard(self, host: str, now: float) -> None:
        """The address used its tier: its quiet time starts again."""
        if self._session(host, now) is not None:
            self._earned.heard(host, now)

    def lapsed(self, host: str) -> bool:
        return host in self._lapsed

    def ended(self, now: float) -> dict[str, str]:
        """Addresses whose tier ended since the last call, with why ("session lapsed",
        "disconnected"). Lapses are otherwise noticed only when the address is next heard
        from; this looks for them too, so a subscriber that only listens is noticed. Called
        before every packet sent: it looks only at the sessions quiet long enough to lapse."""
        if self.idle_s:
            for host in self._earned.quiet_since(now - self.idle_s):
                self._session(host, now, touch=False)
        self._drop_log.flush(now)
        self._connect_log.flush(now)
        self._wrong_log.flush(now)
        ended, self._ended = self._ended, {}
        return ended

    def sessions(self, now: float, wall: float) -> list[dict[str, object]]:
        """Who holds a tier now and when it lapses, for status (wall times, seconds)."""
        out = []
        for host in self._earned.members():
            session = self._session(host, now, touch=False)
            if session is None:
                continue
            left = None if not self.idle_s else round(session.heard + self.idle_s - now, 1)
            out.append({
                "address": host,
                "tier": session.tier,
                "connected": round(session.connected, 3),
                "idle_s": round(now - session.heard, 1),
                "lapses_in_s": left,
                "lapses_at": None if left is None else round(wall + left, 3),
            })
        return out

    def _session(self, host: str, now: float, touch: bool = True) -> Session | None:
        session = self._earned.get(host, touch)
        if session is None or not self.idle_s or now - session.heard < self.idle_s:
            return session
        self._earned.pop(host)
        self._lapsed[host] = now
        self._ended[host] = "session lapsed"
        log.info("OSC: %s's %s tier lapsed after %.0f min without a command; it must send /bayard/connect "
                 "again ([osc] session_idle_min)", host, session.tier, self.idle_s / 60)
        return None

    def connect(self, peer: Peer, passcode: str, now: float, wall: float) -> str:
        """ok:view, ok:control, badpass, or throttled (not checked at all, so a guess
        made then learns nothing)."""
        codes = self.passcodes
        if codes.control is None:
            return "ok:control"
        host = peer.host
        # TCP addresses cannot be forged and a tier holder has proved itself once: they
        # may use the checks held in reserve while a UDP flood uses up the rest.
        trusted = peer.transport != "udp" or self._session(host, now) is not None
        if not self.gate.admit(host, now, trusted):
            return "throttled"
        if hmac.compare_digest(passcode.encode(), codes.control.encode()):
            tier = "control"
        elif codes.view is not None and hmac.compare_digest(passcode.encode(), codes.view.encode()):
            tier = "view"
        else:
            # The address keeps a tier it earned: one mistyped passcode (or a forged
            # packet) must not lock a technician out.
            self.gate.failed(host, now)
            if self._wrong_log.due(now):  # (guesses from rotating senders: ten a second, all day)
                log.warning("OSC: wrong passcode from %s", host)
            return "badpass"
        held = self._session(host, now)
        if held is not None and held.tier == "control":
            # Never lowered: a monitoring script connecting with the view passcode from the
            # technician's machine (or a forged packet with it) took their control away.
            tier = "control"
        if held is None and self._earned.full():
            self._make_room(now, tier)
        self._earned.put(host, Session(tier, held.connected if held is not None else wall, now))
        self._lapsed.pop(host, None)
        if self._connect_log.due(now):
            log.info("OSC: %s connected with the %s tier", host, tier)
        return f"ok:{tier}"

    def _make_room(self, now: float, newcomer: str) -> None:
        """End the least recently used session a `newcomer` of that tier may displace, as if
        it had lapsed: its subscriptions end (see `ended`) and its next message is told to
        connect again. A view newcomer displaces view sessions first: the view passcode is
        known to more people (monitoring scripts), and a flood of senders knowing it ended
        the technician's control session as soon as it was the least recently used."""
        host = (newcomer == "view" and self._earned.oldest("view")) or self._earned.oldest()
        session = self._earned.pop(host)
        assert session is not None  # (the table is full)
        self._lapsed[host] = now
        self._ended[host] = "session ended to make room for another address"
        self.dropped += 1
        if self._drop_log.due(now):
            log.warning("OSC: more than %d addresses connected: %s's %s session, the least recently used, "
                        "ends (and any subscription of its); further ones are counted, not logged, for a minute",
                        self._earned.size, host, session.tier)

    def disconnect(self, peer: Peer, passcode: str, now: float) -> str:
        """ok, badpass or throttled: the address gives up the tier it earned (a laptop
        handing its address on, a show's last technician leaving). With that tier's passcode,
        so a forged packet cannot take a technician's control away."""
        codes = self.passcodes
        if codes.control is None:
            return "ok"
        host = peer.host
        session = self._session(host, now)
        if not self.gate.admit(host, now, peer.transport != "udp" or session is not None):
            return "throttled"
        # The passcode of the tier given up: the view passcode, known to more people (a
        # monitoring script), must not take a technician's control away.
        holds = session.tier if session is not None else None
        known = [codes.control] if holds == "control" else [c for c in (codes.control, codes.view) if c is not None]
        if not any(hmac.compare_digest(passcode.encode(), code.encode()) for code in known):
            self.gate.failed(host, now)
            return "badpass"
        if self._earned.pop(host) is not None:
            self._ended[host] = "disconnected"
        self._lapsed.pop(host, None)
        log.info("OSC: %s disconnected", host)
        return "ok"
