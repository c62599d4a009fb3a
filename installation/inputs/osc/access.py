"""Tiers: what each sender address may do, and `/bayard/connect <passcode>` to raise it.

With no passcodes every allowed sender has control; with a control passcode only,
everyone may query; with both, a sender must connect first. Tiers are remembered per
IP address, in a table only a right passcode adds to, so a flood of forged sources
cannot push a technician's tier out of it (the old table was cleared at 1,024 sources).
"""

from __future__ import annotations

import hmac
import logging

from .config import Passcodes
from .limits import Bounded, PasscodeGate
from .senders import Peer

log = logging.getLogger("bayard.osc")


class Tiers:
    def __init__(self, passcodes: Passcodes, now: float, sources: int) -> None:
        self.passcodes = passcodes
        self.base = "control" if passcodes.control is None else ("view" if passcodes.view is None else "none")
        self._earned: Bounded[str, str] = Bounded(sources)
        self.gate = PasscodeGate(now, sources)

    def of(self, host: str) -> str:
        return self._earned.get(host, self.base)

    def connect(self, peer: Peer, passcode: str, now: float) -> str:
        """ok:view, ok:control, badpass, or throttled (not checked at all, so a guess
        made then learns nothing)."""
        codes = self.passcodes
        if codes.control is None:
            return "ok:control"
        host = peer.host
        # TCP addresses cannot be forged and a tier holder has proved itself once: they
        # may use the checks held in reserve while a UDP flood uses up the rest.
        trusted = peer.transport != "udp" or host in self._earned
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
            log.warning("OSC: wrong passcode from %s", host)
            return "badpass"
        if self._earned.get(host) == "control":
            # Never lowered: a monitoring script connecting with the view passcode from the
            # technician's machine (or a forged packet with it) took their control away.
            tier = "control"
        self._earned[host] = tier
        log.info("OSC: %s connected with the %s tier", host, tier)
        return f"ok:{tier}"

    def disconnect(self, peer: Peer, passcode: str, now: float) -> str:
        """ok, badpass or throttled: the address gives up the tier it earned (a laptop
        handing its address on, a show's last technician leaving). With that tier's passcode,
        so a forged packet cannot take a technician's control away."""
        codes = self.passcodes
        if codes.control is None:
            return "ok"
        host = peer.host
        if not self.gate.admit(host, now, peer.transport != "udp" or host in self._earned):
            return "throttled"
        # The passcode of the tier given up: the view passcode, known to more people (a
        # monitoring script), must not take a technician's control away.
        holds = self._earned.get(host)
        known = [codes.control] if holds == "control" else [c for c in (codes.control, codes.view) if c is not None]
        if not any(hmac.compare_digest(passcode.encode(), code.encode()) for code in known):
            self.gate.failed(host, now)
            return "badpass"
        self._earned.pop(host, None)
        log.info("OSC: %s disconnected", host)
        return "ok"
