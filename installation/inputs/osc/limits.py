"""What a sender can make the OSC layer spend, bounded: passcode checks, reply bytes,
scheduled bundles and the work one packet may cause.

UDP source addresses can be forged, so no limit here trusts a UDP address alone:
- passcode checks share one budget of about `CHECKS_PER_S` across every sender, with a
  small reserve that only TCP connections (whose address cannot be forged) and
  addresses already holding a tier may use, so a flood cannot lock a technician out;
- one UDP datagram from a sender without the control tier causes at most
  `AMPLIFICATION` times its own size in replies (QUIC's anti-amplification rule), so
  the show cannot be used to flood a forged victim;
- each sender may park at most `SCHEDULE_PER_SENDER` bundle messages for later, and
  when the schedule is full the sender holding most of it gives way.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

# Passcode checks: about ten a second across all senders. A 10-character passcode of
# letters and digits then takes longer than the age of the universe to find by guessing.
CHECKS_PER_S = 10.0
CHECK_BURST = 10.0
# Checks kept back for TCP senders and tier holders during a UDP flood.
CHECK_RESERVE = 3.0
# Wrong passcodes per address per minute before that address is throttled on its own.
FAILS_PER_ADDRESS = 10
FAIL_WINDOW_S = 60.0

AMPLIFICATION = 4
# A control-tier sender (earned with the control passcode, or everyone when there are no
# passcodes) may get the address table in one reply even to a small request.
CONTROL_REPLY_FLOOR = 64 * 1024

MAX_SCHEDULED = 1_000
SCHEDULE_PER_SENDER = 64

# Work units one packet may cost (see Dispatcher: a plain message costs 1, a pattern
# more by its length, a spelling suggestion 25). Measured: a 64 KB packet of unknown
# addresses stalled the receiver 1.1 s before; within this budget it takes about 10 ms.
PACKET_WORK = 1_000

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A dictionary that forgets its least recently used entry when full, one at a time
    (clearing it all at once let a flood of sources wipe technicians' tiers)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, default: Any = None) -> Any:
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)

    def peek(self, key: K, default: Any = None) -> Any:
        """Like get, without counting as a use (status reading the table must not reorder it)."""
        return self._data.get(key, default)

    def oldest(self) -> K | None:
        """The least recently used key: the one that gives way to the next new key when full."""
        return next(iter(self._data), None)

    def full(self) -> bool:
        return len(self._data) >= self.size

    def members(self) -> list[K]:
        """The keys, as a list (safe to pop entries while going through it)."""
        return list(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def pop(self, key: K, default: Any = None) -> Any:
        return self._data.pop(key, default)


class TokenBucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.at = now

    def take(self, now: float, keep: float = 0.0) -> bool:
        """Spend one token unless fewer than `keep` would remain: a sender told to keep
        a reserve may not dip into it."""
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate)
        self.at = now
        if self.tokens - 1.0 < keep:
            return False
        self.tokens -= 1.0
        return True


class PasscodeGate:
    """Decides whether a `/bayard/connect` is checked at all. `admit` says "check" or
    "throttled"; `failed` counts a wrong passcode against its address."""

    def __init__(self, now: float, sources: int) -> None:
        self.bucket = TokenBucket(CHECKS_PER_S, CHECK_BURST, now)
        self.fails: Bounded[str, tuple[float, int]] = Bounded(sources)
        self.checked = 0
        self.throttled = 0

    def admit(self, host: str, now: float, trusted: bool) -> bool:
        since, count = self.fails.get(host, (now, 0))
        if now - since < FAIL_WINDOW_S and count >= FAILS_PER_ADDRESS:
            self.throttled += 1
            return False
        if not self.bucket.take(now, keep=0.0 if trusted else CHECK_RESERVE):
            self.throttled += 1
            return False
        self.checked += 1
        return True

    def failed(self, host: str, now: float) -> None:
        since, count = self.fails.get(host, (now, 0))
        if now - since >= FAIL_WINDOW_S:
            since, count = now, 0
        self.fails[host] = (since, count + 1)


class ReplyBudget:
    """Bytes of replies one received datagram may still cause; None: no bound (TCP,
    injected test messages). Shared by the engine's later answers to that datagram."""

    def __init__(self, limit: int | None) -> None:
        self.left = limit
        self.withheld = False  # a reply was withheld (the sender is told once)

    @classmethod
    def for_datagram(cls, size: int, transport: str, control: bool) -> ReplyBudget:
        if transport != "udp":
            return cls(None)
        limit = AMPLIFICATION * size
        return cls(max(limit, CONTROL_REPLY_FLOOR) if control else limit)

    def fits(self, size: int) -> bool:
        return self.left is None or size <= self.left

    def spend(self, size: int) -> bool:
        if self.left is None:
            return True
        if size > self.left:
            return False
        self.left -= size
        return True


class Schedule:
    """Bundle messages due later, in time order, with a quota per sender."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, str, Any]] = []
        self._per_sender: dict[str, int] = {}
        self._seq = 0
        self.evicted = 0

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, due: float, sender: str, item: Any) -> bool:
        """False when `sender` is over its quota. When the whole schedule is full, the
        sender with the most entries loses its latest one, so one sender's flood cannot
        push out another's cue."""
        if self._per_sender.get(sender, 0) >= SCHEDULE_PER_SENDER:
            return False
        if len(self._heap) >= MAX_SCHEDULED:
            hog = max(self._per_sender, key=self._per_sender.__getitem__)
            latest = max((e for e in self._heap if e[2] == hog), key=lambda e: (e[0], e[1]))
            self._heap.remove(latest)
            heapq.heapify(self._heap)
            self._count(hog, -1)
            self.evicted += 1
        self._seq += 1
        heapq.heappush(self._heap, (due, self._seq, sender, item))
        self._count(sender, +1)
        return True

    def due(self, now: float) -> Iterator[Any]:
        while self._heap and self._heap[0][0] <= now:
            _, _, sender, item = heapq.heappop(self._heap)
            self._count(sender, -1)
            yield item

    def next_in(self, now: float) -> float | None:
        return (self._heap[0][0] - now) if self._heap else None

    def _count(self, sender: str, delta: int) -> None:
        count = self._per_sender.get(sender, 0) + delta
        if count > 0:
            self._per_sender[sender] = count
        else:
            self._per_sender.pop(sender, None)
