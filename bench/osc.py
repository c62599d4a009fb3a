"""OSC throughput over loopback: how many of 1,000 messages reach the command queue when
sent 1 ms apart and back-to-back, with the receiving process idle and with its main
thread busy (a stand-in for a render loop holding the GIL).

Then the latency from an OSC packet leaving a sender process to the end of the first
frame that shows its effect (`/bayard/blackout` toggled, frame presented), p50/p99,
with the real engine loop (system clock, frame pacing as `bayard run --headless`).

    python bench/osc.py [--count 1000] [--recv-buffer BYTES] [--show install.toml]
                        [--samples 300] [--skip-burst] [--skip-latency]

Targets (issue 3): all messages at 1 ms spacing; at least 99% back-to-back; latency p99
at or under one frame interval plus 2 ms.
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


def _latency_sender(port: int, conn, samples: int) -> None:
    import random

    rng = random.Random(1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(samples):
        if not conn.poll(10.0):  # the engine acknowledges each effect before the next send
            return
        conn.recv()
        time.sleep(rng.uniform(0.0, 0.05))  # land anywhere within the frame cycle
        sent = time.monotonic()
        sock.sendto(wire.encode_message("/bayard/blackout", (i + 1) % 2), ("127.0.0.1", port))
        conn.send(sent)
    sock.close()


def latency(show_path: Path, samples: int) -> None:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from installation.app import Presenter
    from installation.clock import SystemClock
    from installation.config.loader import load_show
    from installation.engine import Engine, init_pygame

    init_pygame(headless=True)
    show = load_show(show_path)
    engine = Engine(show, SystemClock())
    presenter = Presenter(show, fullscreen=False, headless=True)
    arrivals: list[float] = []

    def post(command) -> None:
        arrivals.append(time.monotonic())  # when the receive thread queued it
        engine.post(command)

    server = OscServer(OscConfig(host="127.0.0.1", port=0), post)
    server.start()
    fps = show.config.display.fps
    budget = 1.0 / fps
    parent, child = mp.Pipe()
    proc = mp.Process(target=_latency_sender, args=(server.port, child, samples))
    proc.start()
    results: list[float] = []
    step_times: list[float] = []
    receive_times: list[float] = []
    pending: float | None = None
    state = engine.blackout
    for _ in range(60):  # warm up: first scene prepared, caches filled
        engine.step()
        presenter.present(engine.frame)
    parent.send("go")
    deadline = time.monotonic() + samples * 0.2 + 30
    while len(results) < samples and time.monotonic() < deadline:
        tick = time.monotonic()
        engine.step()
        presenter.present(engine.frame)
        done = time.monotonic()
        step_times.append(done - tick)
        if engine.blackout != state:
            state = engine.blackout
            if pending is None and parent.poll(1.0):
                pending = parent.recv()
            if pending is not None:
                results.append(done - pending)
                if arrivals:
                    receive_times.append(arrivals[-1] - pending)
                pending = None
            parent.send("go")
        spare = budget - (time.monotonic() - tick)
        if spare > 0.001:
            time.sleep(spare)
    proc.join(timeout=5)
    server.stop()
    engine.shutdown()
    if not results:
        print("  latency: no samples (is the show loading?)")
        return
    results.sort()
    step_times.sort()

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    size = show.config.display.size
    print(
        f"OSC packet -> first frame showing it ({show_path.name}, {size[0]}x{size[1]} at {fps} fps, "
        f"frame interval {budget * 1000:.1f} ms, {len(results)} samples)"
    )
    print(
        f"  p50 {pct(results, 0.5):.1f} ms, p99 {pct(results, 0.99):.1f} ms, "
        f"max {results[-1] * 1000:.1f} ms; "
        f"target p99 <= {budget * 1000 + 2:.1f} ms"
    )
    receive_times.sort()
    if receive_times:
        print(
            f"  of which packet -> command queued (OSC layer): p50 {pct(receive_times, 0.5):.2f} ms, "
            f"p99 {pct(receive_times, 0.99):.2f} ms; the rest is waiting for the next frame"
        )
    print(f"  frame step+present: p50 {pct(step_times, 0.5):.1f} ms, p99 {pct(step_times, 0.99):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--recv-buffer", type=int, default=OscConfig().recv_buffer)
    parser.add_argument("--show", type=Path, default=Path(__file__).resolve().parents[1] / "install.toml")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=None,
        help="sys.setswitchinterval for this run (seconds; Python's default is 0.005)",
    )
    args = parser.parse_args()
    if args.switch_interval:
        # A receive thread waiting for the GIL behind a busy render loop waits up to
        # one switch interval per packet; a shorter one trades a little throughput.
        sys.setswitchinterval(args.switch_interval)
    if not args.skip_latency:
        latency(args.show, args.samples)
    if args.skip_burst:
        return 0
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
