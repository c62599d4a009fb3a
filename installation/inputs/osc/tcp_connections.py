"""The OSC server's open TCP connections, and which of them give way to a new one.

A table of connections (socket, sender's address, when it was last heard from, its
framing) behind one lock, shared by the accept thread, each connection's receive thread
and the sender thread. What it decides is policy, not transport: how many connections one
address and the whole server may hold, and which connection closes when a new one needs
its slot or when it falls quiet. The sockets' threads stay in server.py.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable

from ...clock import Clock
from . import wire

log = logging.getLogger("bayard.osc")

MAX_TCP_CONNECTIONS = 32
# 32 idle connections from one address once locked every other TCP client out. Now one
# address holds at most this many (a new one closes its own oldest: a client that
# reconnects after a network glitch is never refused because of its stale sockets)...
TCP_PER_ADDRESS = 4
# ...a connection that sends nothing for this long is closed (QLab sends a heartbeat
# every 5 s; send /bayard/ping at least every few minutes to keep a quiet one open)...
TCP_IDLE_CLOSE_S = 300.0
# ...and when all slots are taken, the one quiet longest gives way if quiet this long.
TCP_IDLE_EVICT_S = 10.0


class TcpConnections:
    """The open connections by id; every method takes the table's lock itself."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._sockets: dict[int, socket.socket] = {}
        self._host: dict[int, str] = {}
        self._heard: dict[int, float] = {}  # clock.now() of the last bytes received
        self._framing: dict[int, wire.StreamDecoder] = {}

    def admit(self, conn: socket.socket, host: str, new_id: Callable[[], int]) -> int | None:
        """Take a new connection from `host` in, closing what must give way for it; its id
        (drawn from `new_id` only once it is let in), or None when every slot is busy and
        recently heard from."""
        with self._lock:
            if not self._make_room(host):
                return None
            conn_id = new_id()
            self._sockets[conn_id] = conn
            self._host[conn_id] = host
            self._heard[conn_id] = self.clock.now()
            return conn_id

    def framed_by(self, conn_id: int, stream: wire.StreamDecoder) -> None:
        """The framing a connection's receive thread found; replies go back in it."""
        with self._lock:
            self._framing[conn_id] = stream

    def heard(self, conn_id: int) -> None:
        """Bytes came in: the connection's quiet time starts again."""
        with self._lock:
            self._heard[conn_id] = self.clock.now()

    def forget(self, conn_id: int) -> None:
        """A connection's receive thread ended: nothing of it stays in the table."""
        with self._lock:
            self._sockets.pop(conn_id, None)
            self._framing.pop(conn_id, None)
            self._host.pop(conn_id, None)
            self._heard.pop(conn_id, None)

    def reply_path(self, conn_id: int) -> tuple[socket.socket, wire.StreamDecoder] | None:
        """Where a reply on this connection goes, and in which framing; None once it closed
        (or before its receive thread has started)."""
        with self._lock:
            conn = self._sockets.get(conn_id)
            stream = self._framing.get(conn_id)
        if conn is None or stream is None:
            return None
        return conn, stream

    def count(self) -> int:
        with self._lock:
            return len(self._sockets)

    def close_all(self) -> None:
        # Each connection's thread sees its socket close and forgets the rest of its entry.
        with self._lock:
            for conn in self._sockets.values():
                close_socket(conn)
            self._sockets.clear()

    def close_idle(self) -> None:
        now = self.clock.now()
        with self._lock:
            for conn_id in [i for i, t in self._heard.items() if now - t >= TCP_IDLE_CLOSE_S]:
                self._drop(conn_id, f"nothing was heard on it for {TCP_IDLE_CLOSE_S:.0f} s")

    def _make_room(self, host: str) -> bool:
        """Under the lock: close what must give way for a new connection from `host`; False
        when nothing may (every slot busy and recently heard from)."""
        own = sorted((i for i, h in self._host.items() if h == host), key=self._heard.__getitem__)
        if len(own) >= TCP_PER_ADDRESS:
            self._drop(own[0], "it is that address's oldest")
        if len(self._sockets) < MAX_TCP_CONNECTIONS:
            return True
        quietest = min(self._heard, key=self._heard.__getitem__)
        if self.clock.now() - self._heard[quietest] < TCP_IDLE_EVICT_S:
            return False
        self._drop(quietest, "it was the quietest when every slot was taken")
        return True

    def _drop(self, conn_id: int, why: str) -> None:
        # The socket is shut down here; its own thread sees the close and cleans up.
        conn = self._sockets.pop(conn_id, None)
        host = self._host.pop(conn_id, "?")
        self._heard.pop(conn_id, None)
        if conn is not None:
            log.info("OSC: closing a TCP connection from %s: %s", host, why)
            close_socket(conn)


def close_socket(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected, already closed: both fine here
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
