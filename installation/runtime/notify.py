"""Talking to systemd without a dependency: readiness, status text and the watchdog.

systemd's notify protocol is one datagram of "KEY=value" lines sent to the AF_UNIX
socket named in $NOTIFY_SOCKET (a leading '@' means the Linux abstract namespace).
Outside systemd the variable is absent and every call is a silent no-op, so the
engine can call these unconditionally in development and tests.

The watchdog is fed from the render loop, once per produced frame: if the loop stalls
(a model load that hangs, a deadlock), pings stop and systemd restarts the service
after WatchdogSec. A timer thread pinging on its own would hide exactly that failure.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger("bayard.runtime.notify")


def _address(env: Mapping[str, str]) -> str | bytes | None:
    raw = env.get("NOTIFY_SOCKET")
    if not raw:
        return None
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if raw.startswith("/"):
        return raw
    # vsock: or other forms are for VMs and containers; not ours to support.
    return None


class Notifier:
    """Sends sd_notify messages. `enabled` is False when not started by systemd."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._address = _address(os.environ if env is None else env)
        self._sock: socket.socket | None = None
        self.failures = 0
        self.dropped = 0

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def send(self, message: str) -> bool:
        """Send one notify message; True when it was delivered. Never raises: a service
        that cannot reach systemd must still show its frames."""
        if self._address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                # Never block the render loop: if the receiver's queue is full (a busy or stuck
                # systemd), the message is dropped; the next ping goes out half a period later.
                self._sock.setblocking(False)
            self._sock.sendto(message.encode(), self._address)
            return True
        except BlockingIOError:
            self.dropped += 1
            return False
        except OSError as error:
            self.failures += 1
            if self.failures == 1:
                log.warning("cannot reach systemd at NOTIFY_SOCKET (%s); continuing without it", error)
            self.close()
            return False

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def status(self, text: str) -> bool:
        # One line: systemd shows it in `systemctl status`.
        return self.send("STATUS=" + text.replace("\n", " "))

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """The watchdog period systemd asked for, or None if it asked for none (or for another process)."""
    env = os.environ if env is None else env
    usec = env.get("WATCHDOG_USEC")
    if not usec:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid and pid.isdigit() and int(pid) != os.getpid():
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 1e6 if value > 0 else None


class Watchdog:
    """Call `frame()` once per produced frame; it pings systemd at half the watchdog
    period (the margin systemd documents), and only while frames keep coming."""

    def __init__(
        self,
        notifier: Notifier | None = None,
        env: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier or Notifier(env)
        interval = watchdog_interval_s(env)
        self.period_s = interval / 2 if interval and self.notifier.enabled else None
        self._monotonic = monotonic
        self._last: float | None = None
        self.pings = 0

    @property
    def enabled(self) -> bool:
        return self.period_s is not None

    def frame(self) -> None:
        if self.period_s is None:
            return
        now = self._monotonic()
        if self._last is None or now - self._last >= self.period_s:
            self._last = now
            if self.notifier.watchdog():
                self.pings += 1
