"""One object the engine holds for unattended operation.

`Runtime` bundles the pieces of this package so the engine wires a handful of calls:

    runtime = Runtime(RuntimeConfig(...), show_dir, clock, queue.post)
    safe = runtime.start()              # logging, crash guard, metrics, file watcher
    ... each frame:  runtime.frame(dt)  # watchdog ping + health (READY=1 after the first)
                     state = runtime.tick()   # "open" / "closed" (cheap; real work once a second)
    ... status:      runtime.status()   # merged into /bayard/status
    ... quitting:    runtime.stop(clean=True)

When `tick()` returns "closed" the engine stops drawing the show (and unloads models);
if `runtime.display_off` is False it shows `ClosedScene` instead (no DPMS here).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..clock import Clock
from ..commands import Command
from ..config.lastgood_disk import say_unwritable
from ..media import staging
from .crashguard import CrashGuard
from .display import DisplayPower
from .files import free_bytes
from .hours import OpeningHoursConfig, Schedule
from .logs import LogSetup, setup_logging
from .metrics import Health, Metrics
from .notify import Notifier, Watchdog
from .settings import RuntimeConfig, state_dirs
from .state_writable import state_problems
from .watch import ShowWatcher

# Health.summary's figures that the engine's status already carries at its top level.
IN_ENGINE_STATUS = ("fps", "uptime_s", "frames", "version", "scene")

log = logging.getLogger("bayard.runtime")

STATUS_EVERY_S = 10.0  # how often the one-line status goes to systemd


class Runtime:
    def __init__(
        self,
        config: RuntimeConfig,
        show_dir: Path,
        clock: Clock,
        post: Callable[[Command], None],
        hours: OpeningHoursConfig | None = None,
        env: Mapping[str, str] | None = None,
        display_power: DisplayPower | None = None,
        console_log: bool = True,
        state_dir: Path | None = None,
        show_file: str = "install.toml",
        scenes: str = "scenes",
    ) -> None:
        self.config = config
        self.show_dir = Path(show_dir)
        self.show_file, self.scenes = show_file, scenes  # what the watcher watches in show_dir
        self.clock = clock
        self.post = post
        self.env = dict(os.environ if env is None else env)
        # The show's own state folder ([show] state: statistics, recordings, the last-good
        # copy) stays what install.toml says; under systemd only the crash guard's state and
        # the logs move to /var/lib/bayard and /var/log/bayard.
        self.show_state_dir = Path(state_dir or self.show_dir / "state")
        self.state_dir, self.log_dir = state_dirs(self.show_state_dir, self.env)
        self.schedule = Schedule(hours or OpeningHoursConfig())
        self.notifier = Notifier(self.env)
        self.watchdog = Watchdog(self.notifier, self.env, monotonic=clock.now)
        self.health = Health(clock=clock.now)
        self.display = display_power or (DisplayPower(self.env) if config.closed_display != "screen" else None)
        self._console_log = console_log
        self.logs: LogSetup | None = None
        self.guard: CrashGuard | None = None
        self.metrics: Metrics | None = None
        self.watcher: ShowWatcher | None = None
        # The folder the show playing was read from, its links resolved (`current` -> show-v2).
        self.read_from: Path | None = None
        self.safe_mode = False
        self._ready = False
        self._next_tick = float("-inf")
        self._next_status = float("-inf")
        self._state = "open"
        self._stopped = False
        self.problems_now: Callable[[], int] = lambda: 0  # set by attach(): the engine's count
        self.standing_now: Callable[[], list[str]] = list  # ... and the names of its standing conditions
        # A folder of the environment's (STATE_DIRECTORY, LOGS_DIRECTORY) the show cannot write,
        # and the fix; one of [show] state's is a standing condition (say_unwritable).
        self.state_problem: str | None = None

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> bool:
        """Set everything up; returns True when this start must be in safe mode."""
        # The level stays whatever the CLI set from [logging] level.
        level = logging.getLogger().level or logging.INFO
        self.logs = setup_logging(self.log_dir, level=level, console=self._console_log,
                                  max_bytes=int(self.config.log_max_mb * 1_000_000), backups=self.config.log_files,
                                  filter_existing=not self._console_log)
        self.guard = CrashGuard(self.state_dir, self.config.restart_budget, self.config.restart_window_min * 60,
                                self.config.safe_retry_min * 60)
        self.safe_mode = self.guard.record_start()
        # Each part that failed to write said so; this says once what to set instead.
        problems = state_problems(self.show_dir / self.show_file, self.show_state_dir, self.env)
        own = problems.pop(None, None)
        # [show] state itself: a standing condition (status's `standing`, the overlay) until a
        # copy is made there. Where the show's first copy failed there already, its words (the
        # folder, the cause, the fix) were said: the log and status said it twice.
        if own is not None and say_unwritable(self.show_state_dir, own):
            log.warning("%s", own)
        # The crash guard's or the logs' folder, named by the environment: said apart, as no copy
        # says it (dropped with [show] state's sentence where the first copy had said that one).
        self.state_problem = ". ".join(problems.values()) or None
        if self.state_problem:
            log.warning("%s", self.state_problem)
        if self.config.metrics_port:
            self.metrics = Metrics.start(self.config.metrics_port, self.config.metrics_bind)
            self.health.exporter = self.metrics
            if self.metrics is not None:
                self.metrics.watch(self.health, lambda: self.safe_mode, lambda: self._state == "open")
        if self.config.watch:
            self.watcher = self._watch()
        return self.safe_mode

    def stop(self, clean: bool = True) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.notifier.stopping()
        if clean and self.guard is not None:
            self.guard.record_clean_exit()
        if self.watcher is not None:
            self.watcher.stop()
        if self.metrics is not None:
            self.metrics.stop()
        if self.display is not None:
            self.display.on()
        if self.logs is not None:
            self.logs.close()
        self.notifier.close()

    def close(self) -> None:
        """Engine.shutdown() calls this on a deliberate exit (quit, SIGTERM from systemd or
        the nightly timer): a clean stop, not counted toward the crash budget."""
        self.stop(clean=True)
        staging.use(None)  # the show's film cache goes with it
        staging.use_home(None)

    # -- per frame ----------------------------------------------------------------------
    def frame(self, dt: float) -> None:
        """Call once per produced frame (the watchdog is fed only while frames come)."""
        self.health.frame(dt)
        if not self._ready:
            self._ready = True
            self.notifier.ready(self.status_line())
        self.watchdog.frame()

    def tick(self) -> str:
        """Call every frame; returns "open" or "closed". Real work happens once a second."""
        now = self.clock.now()
        if now < self._next_tick:
            return self._state
        self._next_tick = now + 1.0
        state = self.schedule.state(self.clock.wall())
        if state != self._state:
            self._changed(state)
        if self.logs is not None:
            self.logs.repeat_filter.flush()
        if self.safe_mode and self.guard is not None and self.guard.retry_due():
            self.guard.begin_retry()
            self.safe_mode = False
            # args (1,): take effect at once, not at the next scene boundary (the safe card has none).
            self.post(Command("reload", (1,), source="schedule", extra={"reason": "safe-mode retry"}))
        if now >= self._next_status:
            self._next_status = now + STATUS_EVERY_S
            self.notifier.status(self.status_line())
        return self._state

    def _watch(self) -> ShowWatcher:
        return ShowWatcher(self.show_dir, self.post, show_file=self.show_file, scenes=self.scenes).start()

    def watch_show(self, show_path: Path, scenes: str, read_from: Path | None = None) -> None:
        """A reload read the show from another show file or moved its scenes folder: watch
        those. `show_path` as named: a `current` link is watched as such, and the watcher follows
        its flips itself (they reload); `read_from`, the folder the reload read, links resolved.
        On the render thread (a reload hook); an old thread is told to stop, not waited for."""
        folder, name = Path(show_path).parent, Path(show_path).name
        elsewhere = read_from is not None and read_from != self.read_from
        moved = folder != self.show_dir or (elsewhere and self.read_from is not None)
        self.read_from = read_from
        if moved:
            log.info("the reload read the show from another folder: watching %s now", read_from or folder)
        if (folder, name, scenes) == (self.show_dir, self.show_file, self.scenes):
            return
        self.show_dir, self.show_file, self.scenes = folder, name, scenes
        if self.watcher is not None:
            self.watcher.stop(timeout_s=0.0)
            self.watcher = self._watch()

    def replace_hours(self, hours: OpeningHoursConfig) -> None:
        """A reloaded install.toml with other opening hours: in force from the next tick,
        not from the next start (an edit for a holiday closing once waited for a reboot)."""
        if hours == self.schedule.hours.config:
            return
        dropped = self.schedule.status(self.clock.wall())["override"]
        self.schedule.replace_config(hours)
        self._next_tick = float("-inf")
        log.info("opening hours changed by a reload: %s%s", self.schedule.hours.describe(self.clock.wall()),
                 f"; the technician's '{dropped}' override ends with the old hours" if dropped else "")

    def leave_safe_mode(self, why: str) -> None:
        """The full show plays again before the retry was due (a technician's reload):
        status must stop saying safe mode, and the restart budget starts afresh."""
        if not self.safe_mode:
            return
        self.safe_mode = False
        if self.guard is not None:
            self.guard.begin_retry()
        log.warning("safe mode ended: %s", why)

    def _changed(self, state: str) -> None:
        self._state = state
        log.info("opening hours: now %s (%s)", state, self.schedule.hours.describe(self.clock.wall()))
        if self.display is None:
            return
        if state == "closed":
            self.display.off()
        else:
            self.display.on()

    @property
    def display_off(self) -> bool:
        """True while the monitor is really off (the engine may then skip drawing)."""
        return self.display is not None and self.display.is_off

    def override_hours(self, mode: str, until: str | None = None) -> str:
        """OSC/operator: 'open', 'closed' or 'auto', optionally until 'HH:MM'. At once."""
        state = self.schedule.override(mode, self.clock.wall(), until)
        self._next_tick = float("-inf")
        self.tick()
        return state

    # -- reporting --------------------------------------------------------------------------
    def status_line(self) -> str:
        parts = ["SAFE MODE" if self.safe_mode else self._state, f"{self.health.fps():.0f} fps"]
        if self.health.current_scene:
            parts.append(f"scene {self.health.current_scene}")
        # What is wrong now (the show's files, faulted scenes, conditions standing until they are
        # mended, named: "1 problem" over a state folder that cannot be written sent the technician
        # to search), not every error since start: a count that only grew told nothing after a fix.
        problems = self.problems_now()
        if problems:
            standing = self.standing_now()
            named = f", {len(standing)} standing: {', '.join(standing)}" if standing else ""
            parts.append(f"{problems} problem{'s' if problems != 1 else ''}{named} (see /bayard/status)")
        return ", ".join(parts)

    def status(self) -> dict[str, Any]:
        # Less the figures the engine's status gives at its top level: fps, uptime, frames, the
        # version and the scene were each there twice (301 frames above, 300 here), and a
        # technician could not tell which to read.
        status = {k: v for k, v in self.health.summary().items() if k not in IN_ENGINE_STATUS}
        status["hours"] = self.schedule.status(self.clock.wall())
        status["safe_mode"] = self.safe_mode
        # The folder `bayard check` names and setup-kiosk.sh opened for writing; under the
        # service, disk_free_mb was that of /var/lib/bayard, whatever disk the state was on.
        status["state_folder"] = str(self.show_state_dir)
        # The show folder a `current` link led to when the show playing was read (which version).
        status["show_folder"] = str(self.read_from or self.show_dir)
        if self.state_problem:
            status["state_problem"] = self.state_problem
        status["disk_free_mb"] = _free_mb(self.show_state_dir)  # statistics, recordings, last-good copies
        status["logs_disk_free_mb"] = _free_mb(self.log_dir)
        status["systemd"] = {"notify": self.notifier.enabled, "watchdog_pings": self.watchdog.pings}
        if self.guard is not None:
            status["restarts"] = self.guard.status()
        if self.logs is not None:
            status["logs"] = self.logs.status()
        # Films copied off a USB stick before they play, or why not: said with copying off too
        # (check says it; status was silent, and a technician could not tell a film would hold the stick).
        films = staging.current()
        status["film_cache"] = films.status() if films is not None else {"off": self._no_film_cache()}
        if self.watcher is not None:
            status["watch"] = {"alive": self.watcher.alive, "reloads": self.watcher.reloads,
                               "rearms": self.watcher.rearms, "problem": self.watcher.problem}
        return status

    def _no_film_cache(self) -> str:
        """Why no film is copied off a USB stick (as check says it)."""
        if self.config.film_cache_mb <= 0:
            return "[runtime] film_cache_mb = 0: films on a USB stick play from it"
        return "no CACHE_DIRECTORY, XDG_CACHE_HOME or HOME to put it in: films on a USB stick play from it"


def _free_mb(folder: Path) -> float | None:
    """Free space where `folder` lives (or would), in MB; None where it cannot be read."""
    space = free_bytes(folder)
    return None if space is None else round(space[0] / 1e6, 1)
