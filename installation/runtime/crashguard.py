"""A boot-scoped restart budget: after too many starts in a short time, start in safe mode.

systemd restarts the show whenever it dies (Restart=always). If something makes it die
at every start (a corrupt file, a broken driver), that becomes an endless crash loop
that shows nothing. Like SpinetiX and Anthias, we count starts: after `max_starts`
starts within `window_s`, the next start is in safe mode (a minimal show that cannot
fail, saying so in status), and after `retry_after_s` in safe mode the full show is
tried again. Fail toward a recovery, never toward a permanently dark screen.

The count lives in a small JSON file in the state directory, written atomically. It is
scoped to the boot (the kernel's boot id) and timed with CLOCK_BOOTTIME, which neither
NTP nor DST can move; a reboot therefore starts a fresh budget. A corrupt or missing
file counts as "no history" and a full disk only means the count is not kept; neither
may stop the show from starting.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_write_text, remove_leftover_temps

log = logging.getLogger("bayard.runtime.crashguard")

STATE_FILE = "crashguard.json"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


def _boot_clock() -> float:
    # Seconds since boot, counting suspend; survives process restarts, immune to wall jumps.
    try:
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    except (AttributeError, OSError):
        return time.monotonic()


@dataclass
class GuardState:
    boot_id: str = ""
    starts: list[float] | None = None  # boot-clock seconds of recent starts
    safe_since: float | None = None  # boot-clock seconds when safe mode began

    def to_json(self) -> str:
        return json.dumps({"boot_id": self.boot_id, "starts": self.starts or [], "safe_since": self.safe_since})

    @classmethod
    def from_json(cls, text: str) -> GuardState:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        starts = [float(s) for s in data.get("starts", [])]
        safe = data.get("safe_since")
        return cls(str(data.get("boot_id", "")), starts, None if safe is None else float(safe))


class CrashGuard:
    """Call `record_start()` once at process start, then ask `should_start_safe_mode()`.

    In safe mode, poll `retry_due()`; when it says so, call `begin_retry()` and load the
    full show (or exit and let systemd start us fresh). Call `record_clean_exit()` on a
    deliberate stop (nightly restart, `quit`) so it does not count as a crash.
    """

    def __init__(
        self,
        state_dir: Path,
        max_starts: int = 3,
        window_s: float = 30 * 60,
        retry_after_s: float = 60 * 60,
        boot_id: Callable[[], str] = _boot_id,
        clock: Callable[[], float] = _boot_clock,
    ) -> None:
        if max_starts < 1:
            raise ValueError("max_starts must be at least 1")
        self.path = Path(state_dir) / STATE_FILE
        self.max_starts = max_starts
        self.window_s = window_s
        self.retry_after_s = retry_after_s
        self._clock = clock
        self._boot = boot_id()
        self.write_failures = 0
        self.problem: str | None = None  # a one-line note for status when the file could not be used
        # (a crash loop is when a start is killed mid-write: each run's temporary file is its own)
        remove_leftover_temps(self.path)
        self.state = self._load()

    # -- persistence ----------------------------------------------------------
    def _load(self) -> GuardState:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return GuardState(self._boot, [], None)
        except OSError as error:
            self.problem = f"cannot read {self.path}: {error}"
            log.warning("%s; starting with an empty restart history", self.problem)
            return GuardState(self._boot, [], None)
        try:
            state = GuardState.from_json(raw.decode("utf-8"))
        except (ValueError, TypeError) as error:
            self.problem = f"{self.path} was corrupt ({error}); it will be rewritten"
            log.warning("%s", self.problem)
            return GuardState(self._boot, [], None)
        if state.boot_id != self._boot:
            # A new boot: a reboot is itself a recovery step, so the budget starts afresh.
            return GuardState(self._boot, [], None)
        return state

    def _save(self) -> None:
        try:
            atomic_write_text(self.path, self.state.to_json())
        except OSError as error:
            self.write_failures += 1
            if self.write_failures == 1:
                self.problem = f"cannot write {self.path} ({error}); restarts are counted in memory only"
                log.warning("%s", self.problem)

    # -- decisions --------------------------------------------------------------
    def _recent(self, now: float) -> list[float]:
        # A start "in the future" means the boot clock went backwards (a restored file): drop it.
        return [s for s in (self.state.starts or []) if 0 <= now - s <= self.window_s]

    def record_start(self) -> bool:
        """Count this start; returns True when this start should be in safe mode."""
        now = self._clock()
        starts = self._recent(now) + [now]
        self.state.starts = starts[-(self.max_starts * 4):]
        if self.state.safe_since is not None and now - self.state.safe_since >= self.retry_after_s:
            # Safe mode has served its time (we were restarted after the retry was due).
            self.state.safe_since = None
            self.state.starts = [now]
        safe = self.should_start_safe_mode()
        if safe and self.state.safe_since is None:
            self.state.safe_since = now
            log.error(
                "%d starts within %d min: starting in safe mode; the full show is retried in %d min",
                len(self._recent(now)), self.window_s // 60, self.retry_after_s // 60,
            )
        self._save()
        return safe

    def should_start_safe_mode(self) -> bool:
        now = self._clock()
        if self.state.safe_since is not None and now - self.state.safe_since < self.retry_after_s:
            return True
        return len(self._recent(now)) > self.max_starts

    def retry_due(self) -> bool:
        """True once safe mode has lasted `retry_after_s`."""
        return self.state.safe_since is not None and self._clock() - self.state.safe_since >= self.retry_after_s

    def begin_retry(self) -> None:
        """Forget the history and try the full show again; if it still fails, the budget refills
        and safe mode returns after another `max_starts` starts."""
        self.state.starts = []
        self.state.safe_since = None
        self._save()
        log.warning("retrying the full show after safe mode")

    def record_clean_exit(self) -> None:
        """A deliberate stop is not a crash: take back this run's start. A deliberate stop
        in safe mode also ends it: `systemctl restart` after fixing the cause is the way
        out docs/deploy.md gives, and it used to start straight back in safe mode."""
        if self.state.safe_since is not None:
            self.state.safe_since = None
            self.state.starts = []
            log.warning("stopped on purpose in safe mode: the next start plays the full show")
            self._save()
        elif self.state.starts:
            self.state.starts = self.state.starts[:-1]
            self._save()

    def status(self) -> dict[str, object]:
        now = self._clock()
        safe_left = None
        if self.state.safe_since is not None:
            safe_left = max(0.0, self.retry_after_s - (now - self.state.safe_since))
        return {
            "safe_mode": self.should_start_safe_mode(),
            "recent_starts": len(self._recent(now)),
            "budget": self.max_starts,
            "window_s": self.window_s,
            "retry_in_s": safe_left,
            "problem": self.problem,
        }
