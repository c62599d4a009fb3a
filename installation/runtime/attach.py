"""The engine hook of unattended operation: `attach` plugs a `Runtime` (service.py) into a
live engine, with its frame hook, its reload hook (the films copied ahead, the watcher
following the show the reload read, the opening hours) and crash-loop safe mode. Kept apart
from `Runtime` itself, which knows no engine."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..media.staging import cache_folder
from .display import DisplayPower
from .films_ahead import FilmsAhead
from .hours import OpeningHoursConfig
from .hours_control import HoursControl
from .service import Runtime
from .settings import RuntimeConfig
from .show_paths import folder_matches, show_files

log = logging.getLogger("bayard.runtime")


def _model(raw: Any, model: type[BaseModel]) -> Any:
    if isinstance(raw, model):
        return raw
    if isinstance(raw, BaseModel):
        raw = raw.model_dump()
    return model.model_validate(raw or {})


def attach(engine: Any, presenter: Any = None, *, env: Mapping[str, str] | None = None,
           display_power: DisplayPower | None = None, config: RuntimeConfig | None = None) -> Runtime | None:
    """Plug unattended operation into a live engine (called from services.attach_services).

    Registers the `runtime` service (its status joins /bayard/status), a frame hook
    (watchdog, health, opening hours -> engine.dark_reason), the hours overlay, and, when
    the crash guard says so, starts the show in safe mode (only the safe card) until the
    retry is due.
    """
    if "runtime" in engine.services:
        return engine.services["runtime"]
    show = engine.show
    try:
        hours = _model(getattr(show.config, "hours", None), OpeningHoursConfig)
        config = config or _model(getattr(show.config, "runtime", None), RuntimeConfig)
    except Exception as error:  # the loader reports schema errors with lines; never stop the show here
        log.error("install.toml [hours]/[runtime] is invalid, running without them: %s", error)
        engine.record_error("runtime", f"[hours]/[runtime] invalid: {error}")
        hours, config = OpeningHoursConfig(), RuntimeConfig()
    # A last-good copy stands in for a broken show file: watch the real one and its folder.
    show_path = _show_file(show)
    scenes = str(getattr(getattr(show.config, "show", None), "scenes", "scenes"))
    runtime = Runtime(config, show_path.parent, engine.clock, engine.post, hours=hours, env=env,
                      display_power=display_power, console_log=False, state_dir=show.state_dir,
                      show_file=show_path.name, scenes=scenes)
    runtime.read_from = _read_from(show)
    engine.services["runtime"] = runtime
    films_ahead = FilmsAhead(show, cache_folder(runtime.env))
    films_ahead.start(config.film_cache_mb)

    runtime.problems_now = engine.problems_now
    runtime.standing_now = engine.standing_names

    def on_event(event: str, args: tuple[Any, ...]) -> None:
        if event == "scene" and args:
            runtime.health.scene_changed(str(args[0]))
        elif event == "error":
            runtime.health.error(str(args[0]) if args else "unknown")

    engine.listeners.append(on_event)
    if runtime.start():  # (after the listener: safe mode is counted as an error)
        _hold_safe(engine, runtime)
    engine.overlays.insert(0, HoursControl(runtime, engine))

    def watch_words(show: Any) -> None:  # a show's own words live beside its show file
        if runtime.watcher is not None:
            words = str(getattr(getattr(show.config, "show", None), "words", "") or "")
            runtime.watcher.also = (words,) if words else ()
            # Which files go with a drive taken out, and a content folder on a drive of its own.
            runtime.watcher.files = lambda: show_files(show)
            # A film put in a loop's folder while the show runs is copied off its stick ahead,
            # with the rest of the show's films (it was copied when it first played).
            runtime.watcher.matched = lambda: folder_matches(show)
            runtime.watcher.films_added = films_ahead.added
            runtime.watcher.content = Path(show.content_root) if getattr(show, "content_root", None) else None

    watch_words(show)

    def on_reload(old_show: Any, new_show: Any) -> None:
        # (a swapped stick's films, copied before their scenes come, within the film cache's
        # limit as the reloaded [runtime] sets it: a new limit waited for a restart)
        films_ahead.reloaded(new_show, _film_cache_mb(new_show))
        runtime.watch_show(_show_file(new_show), str(new_show.config.show.scenes), _read_from(new_show))
        watch_words(new_show)
        try:
            runtime.replace_hours(_model(getattr(new_show.config, "hours", None), OpeningHoursConfig))
        except Exception as error:  # as at start: the loader reports schema errors with lines
            log.error("install.toml [hours] is invalid, keeping the hours in force: %s", error)

    if hasattr(engine, "reload_hooks"):
        engine.reload_hooks.append(on_reload)

    def per_frame(engine: Any) -> None:
        if runtime.safe_mode and engine.sequencer.show.scenes:
            # Safe mode holds a show with no scenes; scenes again mean a reload brought the
            # full show back, and status saying "safe_mode: true" would be a lie.
            runtime.leave_safe_mode("the show was reloaded")
        window = engine.stats.window
        runtime.frame(window[-1] if window else 0.0)
        state = runtime.tick()
        if state == "closed":
            engine.dark_reason = "closed"
        elif engine.dark_reason == "closed":
            engine.dark_reason = None

    engine.frame_hooks.append(per_frame)
    return runtime


def _show_file(show: Any) -> Path:
    """The show file to watch, as it was named (a `current -> show-v2` link kept: the watcher
    follows its flips); a last-good copy's broken file where that copy stands in for it."""
    return Path(getattr(show, "stands_in_for", None) or getattr(show, "named", None) or show.path)


def _read_from(show: Any) -> Path | None:
    """The folder a loaded show was read from, its links resolved (by the reading, off the
    render thread); None for a last-good copy, read from the state folder."""
    return None if getattr(show, "stands_in_for", None) else Path(show.path).parent


def _film_cache_mb(show: Any) -> float | None:
    """[runtime] film_cache_mb of a reloaded show; None where its [runtime] is invalid."""
    try:
        return _model(getattr(show.config, "runtime", None), RuntimeConfig).film_cache_mb
    except Exception as error:  # the loader reports schema errors with lines
        log.error("install.toml [runtime] is invalid, keeping the film cache's limit: %s", error)
        return None


def _hold_safe(engine: Any, runtime: Runtime) -> None:
    """Crash-loop safe mode: play only the safe card (a show with no scenes cannot fail in
    a scene). The retry posts reload(at once), which loads the real show from disk again."""
    guard = runtime.guard.status() if runtime.guard else {}
    reason = f"{guard.get('recent_starts', '?')} starts within {float(guard.get('window_s', 0)) / 60:.0f} min"
    message = f"safe mode: {reason}; the full show is retried in {runtime.config.safe_retry_min:.0f} min"
    engine.record_error("runtime", message)
    engine.emit("error", "runtime", message)  # counted in the metrics as any error is
    engine.sequencer.hold_safe(f"crash-loop guard: {reason}")
