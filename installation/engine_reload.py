"""The engine's reload of the show files: validated first, the last good show kept when the
new one is broken, refused while [osc] changes (its rules are set when the show starts),
and what the new show changes applied by whoever owns it (Engine.reload_hooks).

The files are read on a thread of their own (ShowRead). They may lie on a USB stick, and a
stick that hangs in its reads holds each look for the kernel's error handling (minutes at
worst): read on the render thread, a curator's edit froze the screen that long. A live show's
render thread never waits for the reading at all (`begin_reload`, from a command): it lands at
the first frame after it is done (`land_reload`), a whole Show handed over by its thread, never
one half read; the show plays its last good state meanwhile, and a reading still out after
RELOAD_WAIT_S of show time is said, in status and the overlay's errors, to wait on which files.
(Joined on the render thread for RELOAD_WAIT_S, each edit with the show folder on a hanging
stick cost one visible half-second hitch.) `reload()` waits for the reading, RELOAD_WAIT_S at
most: for renders and tests, whose commands must have landed when they return."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import faults
from .config.errors import Problem, ShowError
from .config.field_types import without_default
from .config.lastgood_disk import Trouble
from .config.lastgood_disk import trouble as copy_trouble
from .config.loader import Show, load_show
from .config.reloading import RESTART_HINT, start_only_changes
from .missing_said import MissingSaid
from .models.device import use_show_device
from .runtime.logs import apply_levels
from .runtime.state_writable import kept_by_service, state_moved_words
from .words import use_show_words

log = logging.getLogger("bayard.engine")

# Told how a reload went: applied (True), refused (False) or waiting on its files (None), with
# the reload's own messages (its problems, or what it waits on).
Answer = Callable[[bool | None, list[str]], None]

# Time a reload's reading has before the show says it waits on a slow drive (show time, at a
# frame; `reload()`'s callers wait that long, in real time): far past a healthy reading.
RELOAD_WAIT_S = 0.5
# Real time a stopping show waits for the last good copy under way (LastGoodKeeper, a daemon
# thread the process would cut off): far past a healthy copy of a show's text files, short of
# holding a stop on a stick that hangs (the copy moved aside then stands in: config/lastgood.py).
LAST_GOOD_AT_EXIT_S = 3.0
# Reloads asked while one is read that wait for a result of their own; past this, the oldest is
# let go (told its result is in status): far more than the technicians and tools of one show.
HELD_ANSWERS = 32


class ShowRead:
    """One reading of the show files (load_show) on a daemon thread: files only, never pygame
    or scenes. `show` or `error` once `done` is set."""

    def __init__(self, path: Path, last_words: dict | None, since: float, state: Path | None = None) -> None:
        self.path, self.since, self.state = path, since, state
        self.show: Show | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        threading.Thread(target=self._run, args=(last_words,), name="bayard-reload-read", daemon=True).start()

    def _run(self, last_words: dict | None) -> None:
        try:
            show = load_show(self.path, keep_good=True, last_words=last_words, state=self.state)
            # Its folders resolved here, not at the render thread's first look (Show._folder).
            _ = (show.content_root, show.scenes_dir, show.state_dir, show.models_dir)
            self.show = show
        except BaseException as exc:  # handed to the render thread, which reports it as before
            self.error = (_folder_missing(self.path) if isinstance(exc, (ShowError, OSError)) else None) or exc
        finally:
            self.done.set()


def _folder_missing(path: Path) -> ShowError | None:
    """The show file's whole folder gone: a `current` link removed before it is made again
    (`rm`, then `ln -s`), or its drive taken out. "install.toml: file not found" sent a
    technician looking for a file in a folder that was there a moment later."""
    if path.parent.is_dir():
        return None
    return ShowError([Problem(path, None, "", f"the show folder {path.parent} is missing (its link being replaced, "
                              "or its drive taken out?); the show plays on as it last loaded: reload once it is "
                              "back (the file watcher, where it is on, does); `ln -sfn` replaces a link in one "
                              "step").within(path.parent)])


class LastGoodKeeper:
    """The last-good copy of each reloaded show (config/lastgood.py), made on a thread of its
    own: it reads the show files again and writes the state folder, both on a USB stick where
    the show lies on one, and on the render thread a stick that hangs froze the screen at each
    edit that landed. One copy at a time; shows applied meanwhile, the newest is copied next.
    Files only: never pygame or scenes."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._next: Show | None = None
        self._busy = False
        self.idle = threading.Event()  # (no copy under way or waiting: tests and shutdown wait on it)
        self.idle.set()

    def keep(self, show: Show) -> None:
        with self._guard:
            self._next = show
            self.idle.clear()
            if self._busy:
                return
            self._busy = True
        threading.Thread(target=self._run, name="bayard-last-good", daemon=True).start()

    def _run(self) -> None:
        from .config.lastgood import remember

        while True:
            with self._guard:
                show, self._next = self._next, None
                if show is None:
                    self._busy = False
                    self.idle.set()
                    return
            try:
                remember(show)  # (never raises for the disk's sake: a full disk only means no newer copy)
            except Exception as exc:  # a bug: reported, and the show plays on
                faults.report("reload", "last-good copy", exc)
                log.exception("the last-good copy of the reloaded show failed")


class Reloading:
    """A mixin of Engine (show, sequencer, services, reload_hooks, record_error, emit, clock,
    deterministic)."""

    reload_wait_s = RELOAD_WAIT_S
    _last_good: LastGoodKeeper | None = None  # (an engine's own, made at its first reload)
    _reading: ShowRead | None = None  # the reading under way (one at a time)
    _reading_at_once = False
    _reading_said = False  # its wait on a slow drive has been said
    _answers: tuple[Answer, ...] = ()  # who waits for the reading under way to land
    _read_again: bool | None = None  # a reload asked for while one is under way (its at_once)
    _again_answers: tuple[Answer, ...] = ()
    _copy_trouble_said: Trouble | None = None  # why the last good copy fails, as status says it now
    missing_said: MissingSaid  # the missing media the log has told (the engine's, from its start)

    def reload(self, at_once: bool = False, answer: Answer | None = None) -> bool | None:
        """Re-read the show, waiting up to `reload_wait_s` for its files. An invalid show keeps
        the last good one running (False). None: a reading was under way (this one is read
        after it lands), or its files have not answered; it lands at a frame when they do."""
        told: list[bool | None] = []
        if not self.begin_reload(at_once, answer):
            return None
        self._answers += (lambda applied, said: told.append(applied),)
        reading = self._reading
        assert reading is not None
        if reading.done.wait(self.reload_wait_s):
            self._land()
        else:
            self._say_waiting()
        return told[0] if told else None

    def begin_reload(self, at_once: bool = False, answer: Answer | None = None) -> bool:
        """Start reading the show files, not waiting for them (a live show's render thread): the
        reading lands at a frame once it is done, and `answer(applied, said)` is called then
        (and with None when it is said to wait on a slow drive). False where a reading is under
        way: one at a time (a hung stick must not gather a thread per edit), and this edit is
        read again once that one lands, the one that stands."""
        if self._reading is not None:
            self._read_again = bool(self._read_again) or at_once
            if answer is not None:
                self._hold_answer(answer)
            return False
        self._reading = ShowRead(Path(self.show.stands_in_for or self.show.named or self.show.path), self.show.words,
                                 self.clock.now(), self.show.state_dir)
        self._reading_at_once, self._reading_said = at_once, False
        self._answers = (answer,) if answer is not None else ()
        return True

    def _hold_answer(self, answer: Answer) -> None:
        """Keep `answer` for the result of the reading after the one under way. Its sender is
        told at once where that one already waits on a slow drive (it heard nothing until the
        stick answered, minutes at worst); and a burst while the drive hangs holds at most
        HELD_ANSWERS (one per request, an OSC burst grew them for as long as the hang lasted):
        the oldest is let go, told that its result is in status."""
        reading = self._reading
        assert reading is not None
        if self._reading_said:
            answer(None, [self._waiting_message(reading)])
        self._again_answers += (answer,)
        if len(self._again_answers) > HELD_ANSWERS:
            oldest, self._again_answers = self._again_answers[0], self._again_answers[1:]
            oldest(None, [f"{self._waiting_message(reading)}; more than {HELD_ANSWERS} reloads were asked meanwhile, "
                          "so this one is read with the latest and its result is said only in /bayard/status "
                          "(last_reload)"])

    def last_good_kept(self, timeout: float) -> bool:
        """Wait (real time) until the last-good copies of the shows applied so far are made."""
        return self._last_good is None or self._last_good.idle.wait(timeout)

    def keep_last_good_at_exit(self) -> None:
        """At shutdown: the copy of the last edit that landed finished, not cut off half made
        (the next start played the show from before it), within LAST_GOOD_AT_EXIT_S."""
        if not self.last_good_kept(LAST_GOOD_AT_EXIT_S):
            log.warning("the last good copy of the show was not finished within %g s of the stop (its drive slow "
                        "or failing?); the copy before it stays", LAST_GOOD_AT_EXIT_S)

    def say_last_good_trouble(self) -> None:
        """Each frame (and at the start): a last good copy that fails (a full or read-only disk,
        a folder the show's user cannot write) is a standing condition in status and on the
        overlay (engine_status.py) until a copy is made again, and an OSC warning once until its
        cause changes. It was only in the log, and the show looked protected against a broken
        edit when it was not; then it was one of the recent errors, which newer ones pushed
        out of status's last ten while the copies still failed."""
        now = copy_trouble(self.show.state_dir)  # (a dict read under a lock: cheap each frame)
        if now == self._copy_trouble_said:
            return
        self._copy_trouble_said = now
        if now is not None:
            self.emit("warning", now.where, now.message)

    def land_reload(self) -> None:
        """Each frame: land the reading under way once it is done; say once that it waits on a
        slow drive where `reload_wait_s` of show time passed without it."""
        reading = self._reading
        if reading is None:
            return
        if reading.done.is_set():
            self._land()
        elif not self._reading_said and self.clock.now() - reading.since >= self.reload_wait_s:
            self._say_waiting()

    def _say_waiting(self) -> None:
        reading = self._reading
        assert reading is not None
        self._reading_said = True
        message = self._waiting_message(reading)
        self.record_error("reload", message, severity="warning")
        log.warning("%s", message)
        self.last_reload = {"time": round(self.clock.wall(), 3), "result": "waiting", "problems": 0,
                            "waiting_on": message}
        for answer in (*self._answers, *self._again_answers):  # (both wait on this reading)
            answer(None, [message])

    def _land(self) -> bool:
        reading, answers = self._reading, self._answers
        assert reading is not None
        self._reading, self._answers = None, ()
        if self._reading_said:
            log.info("the show files answered after %.0f s: the reload lands", self.clock.now() - reading.since)
        before = {id(e) for e in self.errors}
        applied = self._apply_read(reading, self._reading_at_once)
        said = [e["message"] for e in self.errors if id(e) not in before and e["where"] == "reload"]
        for answer in answers:
            answer(applied, said)
        again, self._read_again = self._read_again, None
        again_answers, self._again_answers = self._again_answers, ()
        if again is not None:
            self.begin_reload(at_once=again)
            self._answers = again_answers
        return applied

    def _waiting_message(self, reading: ShowRead) -> str:
        content = getattr(self.show, "content_root", None)
        where = f"{reading.path}" + (f" and the content in {content}" if content else "")
        return (f"the reload waits on a slow drive: {where} did not answer within {self.reload_wait_s:g} s "
                "(a USB stick failing?); the show plays on as it was, and the reload lands when the files "
                "answer (check the drive, or put the stick back in)")

    def _apply_read(self, reading: ShowRead, at_once: bool) -> bool:
        try:
            if reading.error is not None:
                raise reading.error
            new_show = reading.show
            assert new_show is not None
            if new_show.defaulted:
                # A running show keeps its last good state: a value of the wrong kind typed into
                # install.toml leaves the show as it was, not at that setting's default.
                raise ShowError([replace(p, message=f"{without_default(p.message)}; the show plays on as it was "
                                         "until this is fixed") for p in new_show.defaulted])
        except ShowError as exc:
            self.last_reload = {"time": round(self.clock.wall(), 3), "result": "refused",
                                "problems": len(exc.problems)}
            for problem in exc.problems:
                self.record_error("reload", str(problem))
                self.emit("error", "reload", str(problem))
            log.error("reload refused, the show keeps playing the last good version:\n%s", exc)
            return False
        changed = self._osc_changes(new_show)
        if changed:
            # The OSC server's rules (passcodes, allow-list) are set when it starts; a reload
            # that said "show reloaded" while the old rules stayed in force was a lie.
            message = (f"[osc] {', '.join(changed)} changed: OSC settings take effect only when the show "
                       "starts, so this reload is refused; restart it (sudo systemctl restart bayard) "
                       "to apply them, or undo the [osc] change to reload the rest")
            self.record_error("reload", message)
            self.emit("error", "reload", message)
            log.error("reload refused: %s", message)
            self.last_reload = {"time": round(self.clock.wall(), 3), "result": "refused", "problems": 1}
            return False
        for problem in new_show.problems:
            self.record_error("reload", str(problem), severity=problem.severity)
            # In the log too: an artist editing while the show runs reads the log (or the
            # journal), and saw only "reloaded" over a scene that had stopped playing.
            (log.error if problem.severity == "error" else log.warning)("reload: %s", problem)
            if problem.severity == "error":
                self.emit("error", "reload", str(problem))
        # Listed on the overlay from status all along; said in the log once while it stays missing.
        for problem in self.missing_said.to_say(new_show.missing_media):
            log.error("reload: %s", problem)
        # (the state folder is said on its own below, with both folders)
        waiting = [key for key in start_only_changes(self.show.config, new_show.config) if key != "show.state"]
        if waiting:
            message = (f"install.toml: {', '.join(waiting)} changed; "
                       f"{'this takes' if len(waiting) == 1 else 'these take'} effect only when the show "
                       f"starts again ({RESTART_HINT}); the rest of the reload is applied")
            self.record_error("reload", message, severity="warning")
            log.warning("%s", message)
        self._state_kept(new_show)
        old_show = self.show
        self.sequencer.pending_show = new_show
        self.show = new_show
        use_show_words(new_show.words)
        use_show_device(new_show.config.models.device)
        if new_show.config.logging != old_show.config.logging:
            apply_levels(new_show.config.logging.level, new_show.config.logging.libraries)
        for hook in list(self.reload_hooks):
            try:
                hook(old_show, new_show)
            except Exception as exc:  # one owner's failure must not undo the reload
                faults.report("reload", "apply", exc)
                self.record_error("reload", f"{getattr(hook, '__qualname__', hook)}: {exc}")
                log.exception("applying the reloaded show failed in %r", hook)
        if self.deterministic:  # (renders and tests: the copy is there when the reload returns)
            from .config.lastgood import remember

            remember(new_show)
        else:
            if self._last_good is None:
                self._last_good = LastGoodKeeper()
            self._last_good.keep(new_show)
        errors = sum(1 for p in new_show.problems if p.severity == "error")
        self.last_reload = {"time": round(self.clock.wall(), 3), "result": "warning" if errors else "ok",
                            "problems": len(new_show.problems)}
        log.info("show '%s' reloaded from %s; takes effect %s%s", new_show.config.show.title, new_show.path,
                 "now" if at_once else "at the next scene",
                 f" (with {errors} error{'s' if errors != 1 else ''}, above)" if errors else "")
        if at_once:
            current = self.sequencer.current
            index = current.index if current and current.index >= 0 else 0
            self.sequencer.goto_index(index)
        return True

    def _state_kept(self, new_show: Show) -> None:
        """The state folder is the install's while the show runs: the one it started with, which
        setup opened for writing and status names (the reading kept it: ShowRead). A reload that
        moved it ([show] state changed, or `var/` of another show folder after a `current ->
        show-v2` flip) left status, the logs and the crash guard there and moved the scenes'
        state and the last good copy; it says once which folder the next start would use."""
        kept, wanted = new_show.state_kept, new_show.state_named
        if wanted is not None and wanted == self.show.state_named:
            # (said at the reload that first asked for it, or at the start, whose word that the
            # service keeps the state where setup opened it stays listed in status while it holds)
            new_show.problems += [p for p in self.show.problems if kept_by_service(p)]
            return
        if wanted is None:
            return
        message = state_moved_words(kept, wanted, new_show.named or new_show.path, os.environ)
        self.record_error("reload", message, severity="warning")
        log.warning("%s", message)

    def _osc_changes(self, new_show: Show) -> list[str]:
        """[osc] keys that differ from those the running OSC server started with."""
        if "osc" not in self.services:
            return []
        before, after = self.show.config.osc.model_dump(), new_show.config.osc.model_dump()
        return [key for key in after if before.get(key) != after[key]]
