"""The OSC server: sockets and threads around a `Dispatcher`.

- one UDP receive thread whose whole job is recv -> decode -> enqueue (a large
  SO_RCVBUF absorbs bursts while it is busy);
- optionally a TCP listener on the same port, one thread per connection, SLIP frames
  (OSC 1.1) or int32 length prefixes (OSC 1.0, liblo), replies going back on the same
  stream in the same framing (which connections it keeps is tcp_connections.py's);
- one sender thread for replies and pushes, which also releases bundles scheduled for
  a future time tag, so nothing slow ever happens on a receive path.

Nothing here touches pygame or a scene; commands go to the `post` callable (the
engine's `CommandQueue.post`).
"""

from __future__ import annotations

import itertools
import logging
import queue
import socket
import threading
from collections.abc import Callable
from typing import Any

from ...clock import Clock
from ...commands import Command
from . import wire
from .binding import OscStartError, bind_error
from .config import OscConfig
from .dispatch import Dispatcher, Peer
from .tcp_connections import MAX_TCP_CONNECTIONS, TcpConnections, close_socket

log = logging.getLogger("bayard.osc")

MAX_DATAGRAM = 65_535
SEND_QUEUE = 10_000
POLL_S = 0.25  # how often blocked threads look at the stop flag


class OscServer:
    def __init__(
        self, config: OscConfig, post: Callable[[Command], None], clock: Clock | None = None
    ) -> None:
        self.config = config
        self._sendq: queue.Queue[tuple[Peer, bytes]] = queue.Queue(maxsize=SEND_QUEUE)
        self.dispatcher = Dispatcher(config, post, self._enqueue, clock)
        self.clock = self.dispatcher.clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None
        self._connections = TcpConnections(self.clock)
        # Ids of TCP connections and of injected messages alike (an injected reply is found by it).
        self._conn_ids = itertools.count(1)
        self._send_dropped = 0
        # Reply callbacks of injected messages, newest kept (a test harness injects few).
        self._injected: dict[int, Callable[[str, tuple[Any, ...]], None]] = {}
        self._sent = 0
        self.port = config.port
        self.recv_buffer = 0
        self._v6_warned = False

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        if not self.config.enabled:
            log.info("OSC: disabled in install.toml ([osc] enabled = false)")
            return
        family = socket.AF_INET6 if ":" in self.config.host else socket.AF_INET
        udp = socket.socket(family, socket.SOCK_DGRAM)
        try:
            if family == socket.AF_INET6:
                udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            self.recv_buffer = self._grow_buffer(udp)
            udp.bind((self.config.host, self.config.port))
        except OSError as exc:
            udp.close()
            raise self._bind_error(exc, "UDP") from exc
        self.port = udp.getsockname()[1]
        udp.settimeout(POLL_S)
        self._udp = udp
        if self.config.tcp:
            tcp = socket.socket(family, socket.SOCK_STREAM)
            try:
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    tcp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                tcp.bind((self.config.host, self.port))
                tcp.listen(8)
            except OSError as exc:
                tcp.close()
                udp.close()
                self._udp = None
                raise self._bind_error(exc, "TCP") from exc
            tcp.settimeout(POLL_S)
            self._tcp = tcp
        self._stop.clear()
        self._spawn(self._udp_loop, "osc-udp")
        self._spawn(self._send_loop, "osc-send")
        if self._tcp is not None:
            self._spawn(self._accept_loop, "osc-tcp")
        nets = ", ".join(self.config.allow) or "nobody"
        log.info(
            "OSC: listening on udp%s %s:%d (receive buffer %d KiB); accepting %s",
            "+tcp" if self._tcp else "",
            self.config.host,
            self.port,
            self.recv_buffer // 1024,
            nets,
        )
        if all(n.is_loopback for n in self.config.networks()):
            log.info(
                "OSC: only this machine may send; to allow the gallery LAN add its network under [osc] in "
                'install.toml, e.g. allow = ["127.0.0.0/8", "192.168.1.0/24"]'
            )

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2.0)
        self._threads.clear()
        self._connections.close_all()
        for sock in (self._udp, self._tcp):
            if sock is not None:
                close_socket(sock)
        self._udp = self._tcp = None

    def __enter__(self) -> OscServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- for the engine ---------------------------------------------------------------------
    def push(self, address: str, *args: Any) -> int:
        """Send an event (e.g. `/bayard/event/scene <id>`) to subscribers and push targets."""
        return self.dispatcher.push(address, *args)

    def inject(
        self, address: str, *args: Any, reply: Callable[[str, tuple[Any, ...]], None] | None = None
    ) -> None:
        """A message as if it came from this machine, through the real dispatcher (the
        test harness uses it; works without sockets). Replies go to `reply` at once."""
        conn = next(self._conn_ids)
        if reply is not None:
            self._injected[conn] = reply
            while len(self._injected) > 256:
                del self._injected[next(iter(self._injected))]
        self.dispatcher.feed(wire.encode_message(address, *args), Peer("127.0.0.1", 0, "inject", conn))

    def status(self) -> dict[str, Any]:
        """For the engine's status reply (services' status() is gathered there): the counters,
        and who holds a tier they connected for, until when."""
        status = self.stats()
        status["sessions"] = self.dispatcher.sessions()
        return status

    def close(self) -> None:
        self.stop()

    def stats(self) -> dict[str, Any]:
        counters: dict[str, Any] = dict(self.dispatcher.counters)
        counters["dropped"] += self._send_dropped
        counters["sent"] = self._sent
        counters["subscribers"] = len(self.dispatcher.subscribers())
        counters["crowded_out"] = self.dispatcher.crowded_out()
        counters["tcp_connections"] = self._connections.count()
        return counters

    # -- internals --------------------------------------------------------------------------
    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _bind_error(self, exc: OSError, proto: str) -> OscStartError:
        return bind_error(exc, proto, self.config.host, self.config.port)

    def _grow_buffer(self, sock: socket.socket) -> int:
        want = self.config.recv_buffer
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, want)
        got = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) // 2  # Linux reports double
        if got < want and hasattr(socket, "SO_RCVBUFFORCE"):
            try:  # allowed only with CAP_NET_ADMIN (a root service); harmless to try
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, want)
                got = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) // 2
            except OSError:
                pass
        if got < want:
            log.info(
                "OSC: the kernel gave a %d KiB receive buffer (asked %d KiB); for more, "
                "sysctl -w net.core.rmem_max=%d",
                got // 1024,
                want // 1024,
                want,
            )
        return got

    def _udp_loop(self) -> None:
        sock = self._udp
        assert sock is not None
        feed = self.dispatcher.feed
        while not self._stop.is_set():
            try:
                data, addr = sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError as exc:
                if self._stop.is_set():
                    return
                # ICMP port-unreachable from an earlier reply surfaces here on some systems.
                log.debug("OSC: UDP receive error %s (continuing)", exc)
                continue
            feed(data, Peer(addr[0], addr[1]))

    def _accept_loop(self) -> None:
        listener = self._tcp
        assert listener is not None
        while not self._stop.is_set():
            self._connections.close_idle()
            try:
                conn, addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            if not self.dispatcher.allowed(addr[0]):
                with self.dispatcher._lock:
                    self.dispatcher.counters["received"] += 1
                    self.dispatcher._refuse(Peer(addr[0], addr[1], "tcp"))
                close_socket(conn)
                continue
            conn_id = self._connections.admit(conn, addr[0], lambda: next(self._conn_ids))
            if conn_id is None:
                log.warning("OSC: %d TCP connections busy; refusing %s", MAX_TCP_CONNECTIONS, addr[0])
                close_socket(conn)
                continue
            conn.settimeout(POLL_S)
            log.info("OSC: TCP connection from %s:%d", addr[0], addr[1])
            self._spawn(
                self._tcp_loop, f"osc-tcp-{conn_id}", conn, conn_id, Peer(addr[0], addr[1], "tcp", conn_id)
            )

    def _tcp_loop(self, conn: socket.socket, conn_id: int, peer: Peer) -> None:
        stream = wire.StreamDecoder()
        self._connections.framed_by(conn_id, stream)
        try:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65_536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                self._connections.heard(conn_id)
                for frame in stream.feed(chunk):
                    if frame is None:
                        with self.dispatcher._lock:
                            self.dispatcher.counters["received"] += 1
                            self.dispatcher._malformed(peer, "bad TCP frame")
                    else:
                        self.dispatcher.feed(frame, peer)
                if stream.broken:
                    return  # a length prefix we cannot trust: the stream cannot be resynchronised
        finally:
            self._connections.forget(conn_id)
            self.dispatcher.forget_connection(conn_id)
            close_socket(conn)
            log.info("OSC: TCP connection from %s closed", peer)

    def _enqueue(self, peer: Peer, data: bytes) -> None:
        if peer.transport == "inject":
            callback = self._injected.get(peer.conn or 0)
            if callback is not None:
                message = wire.decode_message(data)
                callback(message.address, message.args)
            return
        try:
            self._sendq.put_nowait((peer, data))
        except queue.Full:
            self._send_dropped += 1

    def _send_loop(self) -> None:
        while not self._stop.is_set():
            wait = self.dispatcher.release_due()
            timeout = POLL_S if wait is None else max(0.0005, min(POLL_S, wait))
            try:
                peer, data = self._sendq.get(timeout=timeout)
            except queue.Empty:
                continue
            try:
                self._send(peer, data)
                self._sent += 1
            except Exception as exc:  # a bad target must not stop replies to everyone else
                log.debug("OSC: sending to %s failed: %s", peer, exc)

    def _send(self, peer: Peer, data: bytes) -> None:
        if peer.transport == "tcp" and peer.conn is not None:
            path = self._connections.reply_path(peer.conn)
            if path is None:
                return
            conn, stream = path
            try:
                # The socket keeps its POLL_S timeout: a client that stops reading for that
                # long loses its connection rather than stalling replies to everyone else.
                conn.sendall(stream.frame(data))
            except OSError:
                close_socket(conn)  # its receive thread sees the close and cleans up
            return
        sock = self._udp
        if sock is None:
            return
        host = peer.host
        if sock.family == socket.AF_INET6 and ":" not in host and host[:1].isdigit():
            host = "::ffff:" + host
        elif sock.family == socket.AF_INET and ":" in host:
            if not self._v6_warned:
                self._v6_warned = True
                log.warning('OSC: cannot reach IPv6 %s from an IPv4 socket; set [osc] host = "::"', host)
            return
        sock.sendto(data, (host, peer.port))
