"""The engine's reload of the show files: validated first, the last good show kept when the
new one is broken, refused while [osc] changes (its rules are set when the show starts),
and what the new show changes applied by whoever owns it (Engine.reload_hooks)."""

from __future__ import annotations

import logging
from dataclasses import replace

from . import faults
from .config.errors import ShowError
from .config.field_types import without_default
from .config.loader import Show, load_show
from .config.reloading import RESTART_HINT, start_only_changes
from .models.device import use_show_device
from .runtime.logs import apply_levels
from .words import use_show_words

log = logging.getLogger("bayard.engine")


class Reloading:
    """A mixin of Engine (show, sequencer, services, reload_hooks, record_error, emit)."""

    def reload(self, at_once: bool = False) -> bool:
        """Re-read the show. An invalid show keeps the last good one running."""
        try:
            new_show = load_show(self.show.stands_in_for or self.show.path, keep_good=True,
                                 last_words=self.show.words)
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
        waiting = start_only_changes(self.show.config, new_show.config)
        if waiting:
            message = (f"install.toml: {', '.join(waiting)} changed; "
                       f"{'this takes' if len(waiting) == 1 else 'these take'} effect only when the show "
                       f"starts again ({RESTART_HINT}); the rest of the reload is applied")
            self.record_error("reload", message, severity="warning")
            log.warning("%s", message)
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

    def _osc_changes(self, new_show: Show) -> list[str]:
        """[osc] keys that differ from those the running OSC server started with."""
        if "osc" not in self.services:
            return []
        before, after = self.show.config.osc.model_dump(), new_show.config.osc.model_dump()
        return [key for key in after if before.get(key) != after[key]]
