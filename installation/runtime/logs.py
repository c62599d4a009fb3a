"""Logging for a show that runs for months: rotating files, no floods, no crash on a full disk.

- `setup_logging()` sends records to the console (journald when under systemd) and to a
  size-capped rotating file in the log directory.
- `RepeatFilter` lets the first occurrence of an error through and swallows identical
  repeats for the rest of the episode, then reports how many there were ("... repeated
  57 times in 60 s"): a scene that fails at 60 fps writes two lines, not 216,000 an hour.
- The file handler never raises and never prints a traceback to stderr when the disk is
  full or the file system turns read-only: it counts the failures (shown in status) and
  keeps trying, so logging resumes when space comes back.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LOG_FILE = "bayard.log"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Libraries whose own lines follow [logging] libraries, not [logging] level. watchfiles, at
# debug, logs each change it filters out, and the show's log file lies in the folder it
# watches: its every line was a change for its next one, a line a second for ever.
CHATTY_LIBRARIES = ("watchfiles",)


def apply_levels(level: str, libraries: str = "warning") -> None:
    """[logging] level for the show's own lines, [logging] libraries for CHATTY_LIBRARIES'."""
    logging.getLogger().setLevel(getattr(logging, level.upper()))
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(getattr(logging, libraries.upper()))


class SafeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose failures are counted instead of printed or raised."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Not `errors`: FileHandler already uses that name for the encoding error policy.
        self.failures = 0
        self.last_error: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        # Closed after each record and opened again by the next (delay=True): a log file held
        # open on the USB stick holding the show (its state folder inside the show folder, as in
        # development) kept the stick from being unmounted while the show ran. Lines are few
        # (repeats are folded, floods counted), so opening the file for each costs nothing.
        with self.lock:
            stream, self.stream = self.stream, None  # type: ignore[assignment]
            if stream:
                try:
                    stream.close()
                except OSError:  # (a stick pulled mid-write: counted, as a failed write is)
                    self.failures += 1

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self.failures += 1
        self.last_error = repr(sys.exc_info()[1])
        # Drop the stream: after ENOSPC it may hold a partial buffer. The next emit reopens it.
        try:
            if self.stream:
                self.stream.close()
        except OSError:
            pass
        self.stream = None  # type: ignore[assignment]


@dataclass
class _Episode:
    first: float
    last: float
    suppressed: int = 0
    level: int = logging.ERROR
    logger: str = ""
    text: str = ""
    last_wall: float = 0.0  # when the last repeat happened (the record's own time)


class RepeatFilter(logging.Filter):
    """Log a repeated record once per episode, then once more with the count.

    Records are the same when they come from the same logger and level, with the same
    template and the same arguments but for numbers (a port, a count, a time) - or share
    an explicit `extra={"episode": key}`. (Keyed by the template alone, a failed
    screenshot was hidden as a repeat of a failed goto, and the summary named the goto.)
    An episode lasts while repeats keep arriving within `quiet_s` of each other, up to
    `window_s`; after `window_s` the next repeat is logged with "repeated N times in T s"
    and a new episode starts. `flush()` (call it about once a second) closes episodes that
    went quiet and logs their counts.
    """

    def __init__(
        self,
        window_s: float = 60.0,
        quiet_s: float = 10.0,
        min_level: int = logging.WARNING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.window_s = window_s
        self.quiet_s = quiet_s
        self.min_level = min_level
        self._clock = clock
        self._episodes: dict[tuple, _Episode] = {}
        self._lock = threading.Lock()
        self.suppressed_total = 0

    def _key(self, record: logging.LogRecord) -> tuple:
        explicit = getattr(record, "episode", None)
        if explicit is not None:
            return ("episode", explicit)
        args = record.args
        if isinstance(args, dict):
            args = tuple(args[k] for k in sorted(args))
        # A number passed to the template (a port, a count, a time) does not make a new
        # problem; any other argument (a scene id, "room-1" or "room-2") does.
        shown = tuple("#" if isinstance(a, (int, float)) and not isinstance(a, bool) else repr(a)[:200]
                      for a in (args if isinstance(args, tuple) else (args,) if args is not None else ()))
        return (record.name, record.levelno, str(record.msg), shown)

    def filter(self, record: logging.LogRecord) -> bool:
        # The same filter sits on several handlers; decide once per record.
        decided = getattr(record, "_repeat_decision", None)
        if decided is not None:
            return decided
        decision = self._decide(record)
        record._repeat_decision = decision
        return decision

    def _decide(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.min_level or getattr(record, "_repeat_summary", False):
            return True
        now = self._clock()
        key = self._key(record)
        # The message as the code wrote it, taken before a count is appended below: the
        # next episode's summary must not carry this episode's "[repeated ...]" as well.
        text = record.getMessage()
        with self._lock:
            episode = self._episodes.get(key)
            if episode is None or now - episode.last > self.quiet_s:
                self._episodes[key] = _Episode(now, now, 0, record.levelno, record.name, text)
                return True
            if now - episode.first >= self.window_s:
                self._episodes[key] = _Episode(now, now, 0, record.levelno, record.name, text)
                if episode.suppressed:
                    record.msg = f"{text} [repeated {episode.suppressed} times in {now - episode.first:.0f} s]"
                    record.args = None
                return True
            episode.last = now
            episode.last_wall = record.created
            episode.suppressed += 1
            self.suppressed_total += 1
            return False

    def flush(self) -> list[str]:
        """Close episodes quiet for `quiet_s`; log and return their summary lines."""
        now = self._clock()
        lines: list[tuple[_Episode, str]] = []
        with self._lock:
            for key, episode in list(self._episodes.items()):
                if now - episode.last > self.quiet_s:
                    del self._episodes[key]
                    if episode.suppressed:
                        # Logged after the fact: the time of the last repeat says so (a
                        # refused reload's count, logged after the fix, read as a new refusal).
                        span = max(1.0, episode.last - episode.first)
                        last = time.strftime("%H:%M:%S", time.localtime(episode.last_wall))
                        lines.append((episode, f"{episode.text} [repeated {episode.suppressed} more times in "
                                               f"{span:.0f} s, the last at {last}]"))
        for episode, line in lines:
            logging.getLogger(episode.logger).log(episode.level, line, extra={"_repeat_summary": True})
        return [line for _, line in lines]


@dataclass
class LogSetup:
    """What `setup_logging` installed, for status and for tests."""

    file_handler: SafeRotatingFileHandler | None
    repeat_filter: RepeatFilter
    problems: list[str] = field(default_factory=list)
    handlers: list[logging.Handler] = field(default_factory=list)
    filtered: list[logging.Handler] = field(default_factory=list)  # others' handlers we filtered

    @property
    def write_errors(self) -> int:
        return self.file_handler.failures if self.file_handler else 0

    def status(self) -> dict[str, object]:
        return {
            "log_file": str(self.file_handler.baseFilename) if self.file_handler else None,
            "log_write_errors": self.write_errors,
            "log_last_error": self.file_handler.last_error if self.file_handler else None,
            "repeats_suppressed": self.repeat_filter.suppressed_total,
            "problems": list(self.problems),
        }

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        for handler in self.filtered:
            handler.removeFilter(self.repeat_filter)


def setup_logging(
    log_dir: Path | None,
    level: int | str = logging.INFO,
    console: bool = True,
    max_bytes: int = 1_000_000,
    backups: int = 5,
    repeat_window_s: float = 60.0,
    filter_existing: bool = False,
) -> LogSetup:
    """Install handlers on the root logger. A log directory that cannot be created or
    written means console only, with the reason kept in `problems`; never an exception."""
    root = logging.getLogger()
    root.setLevel(level)
    formatter = logging.Formatter(FORMAT)
    repeat = RepeatFilter(window_s=repeat_window_s)
    setup = LogSetup(None, repeat)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream.addFilter(repeat)
        setup.handlers.append(stream)
    if log_dir is not None:
        try:
            Path(log_dir).mkdir(parents=True, exist_ok=True)
            handler = SafeRotatingFileHandler(
                Path(log_dir) / LOG_FILE, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True
            )
            handler.setFormatter(formatter)
            handler.addFilter(repeat)
            setup.file_handler = handler
            setup.handlers.append(handler)
        except OSError as error:
            setup.problems.append(f"cannot log to {log_dir} ({error}); logging to the console only")
    if filter_existing:
        # Handlers someone else installed (the CLI's console handler) get the same
        # once-per-episode treatment, so a failing scene cannot flood the journal either.
        for handler in root.handlers:
            if repeat not in handler.filters:
                handler.addFilter(repeat)
                setup.filtered.append(handler)
    for handler in setup.handlers:
        root.addHandler(handler)
    for problem in setup.problems:
        logging.getLogger("bayard.runtime.logs").warning("%s", problem)
    return setup
