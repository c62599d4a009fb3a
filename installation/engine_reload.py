"""The engine's reload of the show files: validated first, the last good show kept when the
new one is broken, refused while [osc] changes (its rules are set when the show starts),
and what the new show changes applied by whoever owns it (Engine.reload_hooks).

The files are read on a thread of their own (ShowRead). They may lie on a USB stick, and a
stick that hangs in its reads holds each look for the kernel's error handling (minutes at
worst): read on the render thread, a curator's edit froze the screen that long. The render
thread gives the reading RELOAD_WAIT_S; one that takes longer lands at a later frame
(`land_reload`), the show playing its last good state meanwhile and saying, in status and
the overlay's errors, which files it waits on."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

from . import faults
from .config.errors import Problem, ShowError
from .config.field_types import without_default
from .config.loader import Show, load_show
from .config.reloading import RESTART_HINT, start_only_changes
from .models.device import use_show_device
from .runtime.logs import apply_levels
from .words import use_show_words

log = logging.getLogger("bayard.engine")

# Real time the render thread gives a reload's reading of the files before the show goes on
# drawing without it: far past a healthy reading (milliseconds), one frame's hitch at worst.
RELOAD_WAIT_S = 0.5


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


class Reloading:
    """A mixin of Engine (show, sequencer, services, reload_hooks, record_error, emit)."""

    reload_wait_s = RELOAD_WAIT_S
    _reading: ShowRead | None = None  # a reading still waiting on its drive
    _reading_at_once = False
    _read_again: bool | None = None  # a reload asked for while one waits (its at_once)

    def reload(self, at_once: bool = False) -> bool | None:
        """Re-read the show. An invalid show keeps the last good one running. None: its files
        have not answered in `reload_wait_s`; it lands when they do (land_reload)."""
        if self._reading is not None:
            # One reading at a time (a hung stick must not gather a thread per edit): this edit
            # is read again once the waiting reading lands, and it is the one that stands.
            self._read_again = bool(self._read_again) or at_once
            return None
        reading = ShowRead(Path(self.show.stands_in_for or self.show.named or self.show.path), self.show.words,
                           self.clock.now(), self.show.state_dir)
        if not reading.done.wait(self.reload_wait_s):
            self._reading, self._reading_at_once = reading, at_once
            message = self._waiting_message(reading)
            self.record_error("reload", message, severity="warning")
            log.warning("%s", message)
            self.last_reload = {"time": round(self.clock.wall(), 3), "result": "waiting", "problems": 0,
                                "waiting_on": message}
            return None
        return self._apply_read(reading, at_once)

    def land_reload(self) -> None:
        """Each frame: apply a reading that waited on its drive once it is done."""
        reading = self._reading
        if reading is None or not reading.done.is_set():
            return
        self._reading = None
        waited = self.clock.now() - reading.since
        log.info("the show files answered after %.0f s: the reload lands", waited)
        self._apply_read(reading, self._reading_at_once)
        again, self._read_again = self._read_again, None
        if again is not None:
            self.reload(at_once=again)

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
        from .config.lastgood import remember

        remember(new_show)
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
        if wanted is None or wanted == self.show.state_named:
            return  # (said at the reload that first asked for it)
        message = (f"install.toml: [show] state names {wanted} now; the show keeps its state in {kept} until "
                   f"it starts again ({RESTART_HINT}). To keep one state folder across versions of the show "
                   "swapped by a link, set state under [show] to a folder outside them (e.g. "
                   "\"/srv/bayard/state\") and run setup again")
        self.record_error("reload", message, severity="warning")
        log.warning("%s", message)

    def _osc_changes(self, new_show: Show) -> list[str]:
        """[osc] keys that differ from those the running OSC server started with."""
        if "osc" not in self.services:
            return []
        before, after = self.show.config.osc.model_dump(), new_show.config.osc.model_dump()
        return [key for key in after if before.get(key) != after[key]]
