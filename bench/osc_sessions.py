"""What one OSC packet costs the show's threads as the number of passcode sessions grows.

With 1, 100 and 1,024 addresses holding a tier (the most the show keeps), in one run,
no sockets (the dispatcher is fed packet bytes, replies are counted, not sent):

- sent: one event pushed to a subscriber, and the sender thread's look for due bundles
  and ended sessions, which it makes before every packet it sends;
- received: a ping and a `/bayard/next` from a session holder;
- a connect from a new sender once the table is full (a flood of rotating senders that
  know the view passcode: each one ends the least recently used view session).

Each figure is the best of `--repeat` runs of `--ops` packets, in microseconds per packet,
with its ratio to the 1-session figure. A cost proportional to the work stays near 1x;
one that walks every session grows with the table (about 1,000x at 1,024 at worst).

    python bench/osc_sessions.py [--ops 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.clock import FakeClock  # noqa: E402
from installation.inputs.osc import Dispatcher, OscConfig, Peer, wire  # noqa: E402
from installation.inputs.osc import dispatch as dispatch_module  # noqa: E402

CONTROL = "harbour-copper-17"
VIEW = "window-linen-42"
SIZES = (1, 100, 1_024)


def _peer(n: int) -> Peer:
    return Peer(f"127.{1 + n // 62_500}.{n // 250 % 250}.{n % 250 + 1}", 40_000 + n % 20_000)


def _rig(sessions: int) -> tuple[Dispatcher, FakeClock, list[int]]:
    """A dispatcher whose table holds `sessions` addresses and is full (the table's size is
    set to `sessions`, so the newcomer figure is that of a full table at each size): the
    older half control sessions (the first subscribed to events), the newer half view
    sessions, so a view newcomer's search for the view session to end passes every control one."""
    clock = FakeClock()
    sent = [0]

    def send(peer: Peer, data: bytes) -> None:
        sent[0] += 1

    dispatch_module.MAX_SOURCES = sessions
    d = Dispatcher(OscConfig(passcodes={"view": VIEW, "control": CONTROL}), lambda c: None, send, clock)
    for n in range(sessions):
        clock.advance(0.11)  # within the passcode checks' rate (about 10 a second)
        d.feed(wire.encode_message("/bayard/connect", CONTROL if n < max(1, sessions // 2) else VIEW), _peer(n))
    d.feed(wire.encode_message("/bayard/subscribe", 1), _peer(0))
    assert len(d.sessions()) == sessions, "the table did not fill: passcode checks throttled?"
    return d, clock, sent


def _best(repeat: int, ops: int, one: object) -> float:
    """Best of `repeat`, with the garbage collector off as timeit has it: a full collection
    walks every live object, and the larger table's would be charged to whichever packet met it."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            for _ in range(ops):
                one()  # type: ignore[operator]
            best = min(best, time.perf_counter() - t0)
    finally:
        gc.enable()
    return best / ops * 1e6


def measure(sessions: int, ops: int, repeat: int) -> dict[str, float]:
    d, clock, _ = _rig(sessions)
    holder = _peer(0)
    ping = wire.encode_message("/bayard/ping")
    cue = wire.encode_message("/bayard/next")
    figures = {
        "push an event": _best(repeat, ops, lambda: d.push("/bayard/event/scene", "intro")),
        "sender thread, per packet": _best(repeat, ops, d.release_due),
        "receive a ping": _best(repeat, ops, lambda: d.feed(ping, holder)),
        "receive /bayard/next": _best(repeat, ops, lambda: d.feed(cue, holder)),
    }
    newcomers = iter(range(sessions, sessions + ops * repeat + 1))
    connect = wire.encode_message("/bayard/connect", VIEW)

    def newcomer() -> None:
        clock.advance(0.11)
        d.feed(connect, _peer(next(newcomers)))

    before = d.crowded_out()
    figures["connect, table full"] = _best(repeat, ops, newcomer)
    assert d.crowded_out() - before == ops * repeat, "a newcomer was throttled, not measured"
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("bayard.osc").setLevel(logging.ERROR)  # the crowded-out warnings are the test's, not ours
    results = {n: measure(n, args.ops, args.repeat) for n in SIZES}
    names = list(results[SIZES[0]])
    print(f"{'us per packet':28s}" + "".join(f"{n:>10d} sess" for n in SIZES) + "   ratio 1,024/1")
    for name in names:
        row = "".join(f"{results[n][name]:15.2f}" for n in SIZES)
        print(f"{name:28s}{row}   {results[SIZES[-1]][name] / results[SIZES[0]][name]:10.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
