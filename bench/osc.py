"""OSC throughput over loopback: how many of 1,000 messages reach the command queue when
sent 1 ms apart and back-to-back, with the receiving process idle and with its main
thread busy (a stand-in for a render loop holding the GIL).

    python bench/osc.py [--count 1000] [--recv-buffer BYTES]

Targets (issue 3): all messages at 1 ms spacing; at least 99% back-to-back.
Latency from packet to the first frame showing its effect needs the engine harness:
`--latency` runs it when installation.harness exists.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.inputs.osc import OscConfig, OscServer, wire  # noqa: E402


def _sender(port: int, count: int, spacing_s: float, start: mp.Event) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    packets = [wire.encode_message("/bayard/goto", i) for i in range(count)]
    start.wait()
    t0 = time.perf_counter()
    for i, packet in enumerate(packets):
        if spacing_s:
            due = t0 + i * spacing_s
            while time.perf_counter() < due:  # sleep() is too coarse for 1 ms
                pass
        sock.sendto(packet, ("127.0.0.1", port))
    sock.close()


def _busy(stop: threading.Event) -> None:
    # Pure-Python work holds the GIL the way scene update code does between blits.
    x = 0
    while not stop.is_set():
        for i in range(20_000):
            x += i * i


def run(count: int, spacing_s: float, recv_buffer: int, busy: bool) -> tuple[int, float, float]:
    received = 0

    def post(command) -> None:
        nonlocal received
        received += 1

    server = OscServer(OscConfig(host="127.0.0.1", port=0, recv_buffer=recv_buffer), post)
    server.start()
    stop = threading.Event()
    worker = threading.Thread(target=_busy, args=(stop,), daemon=True) if busy else None
    if worker:
        worker.start()
    start = mp.Event()
    proc = mp.Process(target=_sender, args=(server.port, count, spacing_s, start))
    proc.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    start.set()
    proc.join()
    sent_s = time.perf_counter() - t0
    # Wait until everything arrived or nothing more has come for a second: a receiver
    # starved of the GIL is late, not lossy, and the figure should say which.
    t_sent = time.perf_counter()
    last, last_change = received, time.monotonic()
    while received < count and time.monotonic() - last_change < 1.0:
        time.sleep(0.01)
        if received != last:
            last, last_change = received, time.monotonic()
    drain_s = time.perf_counter() - t_sent
    stop.set()
    server.stop()
    return received, sent_s, drain_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--recv-buffer", type=int, default=OscConfig().recv_buffer)
    args = parser.parse_args()
    print(
        f"OSC over loopback, {args.count} messages each, "
        f"receive buffer asked {args.recv_buffer // 1024} KiB, "
        f"{os.cpu_count()} CPUs"
    )
    for busy in (False, True):
        for label, spacing in (("1 ms apart", 0.001), ("back-to-back", 0.0)):
            got, took, drain = run(args.count, spacing, args.recv_buffer, busy)
            print(
                f"  {label:13s} receiver {'busy' if busy else 'idle'}: {got}/{args.count} arrived "
                f"({100 * got / args.count:.1f}%), sent in {took * 1000:.0f} ms, "
                f"last one queued {drain * 1000:.0f} ms after the last send"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
