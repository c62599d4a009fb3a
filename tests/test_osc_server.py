"""The server over real loopback sockets: python-osc and liblo clients, TCP with SLIP,
a port already in use, counters."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time

import pytest
from pythonosc.udp_client import SimpleUDPClient

from installation.commands import CommandQueue
from installation.inputs.osc import OscConfig, OscServer, OscStartError, wire


def wait_for(predicate, timeout: float = 3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    return predicate()


@pytest.fixture
def server():
    queue = CommandQueue()
    srv = OscServer(OscConfig(host="127.0.0.1", port=0, tcp=True), queue.post)
    srv.start()
    srv.queue = queue  # type: ignore[attr-defined]
    yield srv
    srv.stop()


def drain_until(queue: CommandQueue, count: int, timeout: float = 3.0):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        got.extend(queue.drain())
        time.sleep(0.005)
    return got


def udp_listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(3.0)
    return sock


def test_python_osc_client_drives_and_queries(server):
    client = SimpleUDPClient("127.0.0.1", server.port)
    client.send_message("/bayard/goto", "intro")
    client.send_message("/bayard/status", [])
    commands = drain_until(server.queue, 2)
    assert [(c.name, c.args) for c in commands] == [("goto", ("intro",)), ("status", ())]
    # The engine answers from its thread; the reply comes back to the client's socket.
    commands[1].reply("/bayard/status", (json.dumps({"scene": "intro", "paused": False}),))
    client._sock.settimeout(3.0)
    data, addr = client._sock.recvfrom(65_535)
    message = wire.decode(data)
    assert message.address == "/bayard/status"
    assert json.loads(message.args[0])["scene"] == "intro"
    assert addr[1] == server.port  # replies come from the port the technician sends to


def test_ping_and_subscribe_push_over_udp(server):
    listener = udp_listener()
    port = listener.getsockname()[1]
    client = SimpleUDPClient("127.0.0.1", server.port)
    client.send_message("/bayard/ping", [port])
    assert wire.decode(listener.recv(1024)).address == "/bayard/pong"
    client.send_message("/bayard/subscribe", [1, port])
    assert wire.decode(listener.recv(1024)).args == (1,)
    assert server.push("/bayard/event/scene", "quiz") == 1
    pushed = wire.decode(listener.recv(1024))
    assert (pushed.address, pushed.args) == ("/bayard/event/scene", ("quiz",))
    listener.close()


def test_tcp_slip_round_trip(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=3.0) as conn:
        # Two messages in one write, and one split across two writes.
        conn.sendall(
            wire.slip_encode(wire.encode_message("/bayard/next"))
            + wire.slip_encode(wire.encode_message("/bayard/ping"))
        )
        framed = wire.slip_encode(wire.encode_message("/bayard/goto", "\xc0scene"))  # needs escaping
        conn.sendall(framed[:7])
        time.sleep(0.05)
        conn.sendall(framed[7:])
        commands = drain_until(server.queue, 2)
        assert [(c.name, c.args) for c in commands] == [("next", ()), ("goto", ("\xc0scene",))]
        frames = []
        decoder = wire.SlipDecoder()
        while not frames:
            frames = decoder.feed(conn.recv(1024))
        assert wire.decode(frames[0]).address == "/bayard/pong"
        # Garbage on the stream is counted, and the stream keeps working.
        conn.sendall(b"\xc0\xdb\x01\xc0" + wire.slip_encode(b"nonsense"))
        conn.sendall(wire.slip_encode(wire.encode_message("/bayard/prev")))
        assert [c.name for c in drain_until(server.queue, 1)] == ["prev"]
    assert server.stats()["malformed"] == 2


def test_garbage_tcp_stream_is_closed_not_crashed(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=3.0) as conn:
        conn.sendall(b"\x7f\xff\xff\xff" + b"x" * 64)  # a 2 GB length prefix
        assert conn.recv(16) == b""  # the server hung up
    assert wait_for(lambda: server.stats()["malformed"] == 1)


def test_port_in_use_is_a_clear_error(server):
    other = OscServer(OscConfig(host="127.0.0.1", port=server.port), CommandQueue().post)
    with pytest.raises(OscStartError, match=r"already in use.*\[osc\]"):
        other.start()


def test_refused_sender_over_udp_changes_nothing():
    queue = CommandQueue()
    # Only a network that loopback is not in: loopback becomes "a stranger".
    with OscServer(OscConfig(host="127.0.0.1", port=0, allow=["10.9.0.0/16"]), queue.post) as srv:
        client = SimpleUDPClient("127.0.0.1", srv.port)
        for _ in range(20):
            client.send_message("/bayard/next", [])
        assert wait_for(lambda: srv.stats()["refused"] == 20)
        assert queue.drain() == []


def test_stop_is_clean_and_port_reusable():
    cfg = OscConfig(host="127.0.0.1", port=0, tcp=True)
    srv = OscServer(cfg, CommandQueue().post)
    srv.start()
    port = srv.port
    srv.stop()
    again = OscServer(OscConfig(host="127.0.0.1", port=port, tcp=True), CommandQueue().post)
    again.start()
    again.stop()


needs_liblo = pytest.mark.skipif(
    shutil.which("oscsend") is None or shutil.which("oscdump") is None,
    reason="liblo-tools (oscsend, oscdump) not installed",
)


@needs_liblo
def test_liblo_oscsend_and_oscdump(server):
    listener = udp_listener()
    reply_port = listener.getsockname()[1]
    listener.close()  # oscdump takes the port
    dump = subprocess.Popen(["oscdump", "-L", str(reply_port)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        subprocess.run(["oscsend", "127.0.0.1", str(server.port), "/bayard/goto", "s", "quiz"], check=True)
        subprocess.run(["oscsend", "127.0.0.1", str(server.port), "/bayard/blackout", "f", "1"], check=True)
        subprocess.run(
            ["oscsend", "127.0.0.1", str(server.port), "/bayard/ping", "i", str(reply_port)], check=True
        )
        commands = drain_until(server.queue, 2)
        assert [(c.name, c.args) for c in commands] == [("goto", ("quiz",)), ("blackout", (1,))]
        line = dump.stdout.readline()
        assert "/bayard/pong" in line
    finally:
        dump.terminate()
        dump.wait(timeout=3)


@needs_liblo
def test_liblo_oscsend_over_tcp_length_prefixed(server):
    url = f"osc.tcp://127.0.0.1:{server.port}"
    subprocess.run(["oscsend", url, "/bayard/goto", "s", "portrait"], check=True)
    commands = drain_until(server.queue, 1)
    assert [(c.name, c.args) for c in commands] == [("goto", ("portrait",))]


def test_length_prefixed_tcp_replies_in_the_same_framing(server):
    import struct

    with socket.create_connection(("127.0.0.1", server.port), timeout=3.0) as conn:
        ping = wire.encode_message("/bayard/ping")
        conn.sendall(struct.pack(">i", len(ping)) + ping)
        head = conn.recv(4)
        size = struct.unpack(">i", head)[0]
        assert wire.decode(conn.recv(size)).address == "/bayard/pong"


def test_future_bundle_is_held_by_the_server_not_the_receiver(server):
    listener = udp_listener()
    port = listener.getsockname()[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    due = time.time() + 0.4
    sock.sendto(
        wire.encode_bundle(wire.unix_to_timetag(due), wire.encode_message("/bayard/ping", port)),
        ("127.0.0.1", server.port),
    )
    sock.sendto(wire.encode_message("/bayard/next"), ("127.0.0.1", server.port))
    # The later message is not held up behind the scheduled one.
    assert [c.name for c in drain_until(server.queue, 1, timeout=0.3)] == ["next"]
    assert wire.decode(listener.recv(1024)).address == "/bayard/pong"
    assert time.time() >= due - 0.01
    sock.close()
    listener.close()


def test_subscription_over_tcp_pushes_on_the_stream(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=3.0) as conn:
        conn.sendall(wire.slip_encode(wire.encode_message("/bayard/subscribe", 1)))
        decoder = wire.SlipDecoder()
        frames: list = []
        while not frames:
            frames += decoder.feed(conn.recv(1024))
        assert wire.decode(frames.pop(0)).address == "/bayard/subscribe"
        server.push("/bayard/event/scene", "intro")
        while not frames:
            frames += decoder.feed(conn.recv(1024))
        assert wire.decode(frames[0]).args == ("intro",)
    # Once the client hangs up, it is no longer a subscriber.
    assert wait_for(lambda: server.stats()["subscribers"] == 0)


def test_start_up_log_says_how_to_allow_the_gallery_lan(caplog):
    with (
        caplog.at_level("INFO", logger="bayard.osc"),
        OscServer(OscConfig(host="127.0.0.1", port=0), CommandQueue().post),
    ):
        pass
    text = caplog.text
    assert "listening on udp 127.0.0.1:" in text
    assert 'allow = ["127.0.0.0/8", "192.168.1.0/24"]' in text


def test_idle_tcp_connections_cannot_lock_other_clients_out():
    # Issue 12: 32 idle connections locked every other TCP client out.
    from installation.clock import FakeClock
    from installation.inputs.osc import tcp_connections

    clock = FakeClock()
    srv = OscServer(OscConfig(host="127.0.0.1", port=0, tcp=True), CommandQueue().post, clock)
    srv.start()
    sockets: list[socket.socket] = []

    def connect(source: str) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", srv.port))
        sock.settimeout(3.0)
        sockets.append(sock)
        return sock

    def count() -> int:
        return srv.stats()["tcp_connections"]

    try:
        first = connect("127.0.0.1")
        for _ in range(tcp_connections.TCP_PER_ADDRESS):
            connect("127.0.0.1")
        assert wait_for(lambda: count() == tcp_connections.TCP_PER_ADDRESS)
        assert first.recv(16) == b""  # one address's oldest gave way to its newest
        for i in range(tcp_connections.MAX_TCP_CONNECTIONS - tcp_connections.TCP_PER_ADDRESS):
            connect(f"127.0.1.{i + 1}")
        assert wait_for(lambda: count() == tcp_connections.MAX_TCP_CONNECTIONS)
        late = connect("127.0.2.1")  # every slot busy and just heard from: refused
        assert late.recv(16) == b""
        clock.advance(tcp_connections.TCP_IDLE_EVICT_S + 1)  # now they are all quiet
        technician = connect("127.0.2.2")
        technician.sendall(wire.slip_encode(wire.encode_message("/bayard/ping")))
        assert wire.StreamDecoder().feed(technician.recv(4096))  # served: a pong came back
        clock.advance(tcp_connections.TCP_IDLE_CLOSE_S + 1)  # nobody says anything for long
        assert wait_for(lambda: count() == 0)
    finally:
        for sock in sockets:
            sock.close()
        srv.stop()
