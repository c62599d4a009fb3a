"""Plugging OSC into a running engine: one call from `services.attach_services`.

`attach(engine)` builds the server from `[osc]` in install.toml, registers it as the
`osc` service (the harness's `pilot.osc()` and the status reply use it), turns engine
events into pushes (`/bayard/event/<event> args...`) and starts the sockets. A port in
use is reported in the log and in status errors; the show plays on without OSC.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from .binding import OscStartError
from .config import OscConfig, PasscodeFileError
from .server import OscServer

log = logging.getLogger("bayard.osc")

# /bayard/ping goes unanswered once no frame has been drawn for this long (the watchdog
# restarts a stalled show after 30 s; a monitor should see the stall long before).
PING_STALL_S = 3.0


def config_of(show: Any) -> OscConfig:
    """`[osc]` as an OscConfig, whether the show schema already nests it or keeps a dict."""
    raw = getattr(getattr(show, "config", None), "osc", None)
    if isinstance(raw, OscConfig):
        return raw
    return OscConfig.model_validate(raw or {})


def attach(engine: Any, presenter: Any = None, *, start: bool = True) -> OscServer | None:
    if "osc" in engine.services:
        return engine.services["osc"]  # already attached (idempotent)
    try:
        config = config_of(engine.show)
    except ValidationError as exc:
        # The lead's loader reports schema problems with file and line; this is the
        # fallback while [osc] is still a free-form table.
        log.error("install.toml [osc] is invalid, OSC is off: %s", exc)
        _record(engine, f"[osc] is invalid, OSC is off: {exc.errors()[0]['msg']}")
        return None
    try:
        config, warning = config.with_passcodes_file(engine.show.root)
    except PasscodeFileError as exc:
        # Never fall back to no passcodes: that would hand control to every sender.
        log.error("%s; OSC is off until it is fixed", exc)
        _record(engine, f"OSC is off: {exc}")
        return None
    for line in ([warning] if warning else []) + (config.passcodes.weaknesses() if config.enabled else []):
        log.warning("OSC: %s", line)
        _record(engine, line, severity="warning")
    # The engine's clock: sessions lapse and TCP connections idle on the show's time (a
    # stepped clock in tests).
    server = OscServer(config, engine.post, engine.clock)
    server.dispatcher.drawing = lambda: engine.seconds_since_frame() < PING_STALL_S
    server.dispatcher.summary = lambda: pong_state(engine)
    engine.services["osc"] = server

    def push(event: str, args: tuple[Any, ...]) -> None:
        server.push(f"/bayard/event/{event}", *args)

    engine.listeners.append(push)
    if start and config.enabled:
        try:
            server.start()
        except OscStartError as exc:
            log.error("%s", exc)
            _record(engine, str(exc))
    return server


def pong_state(engine: Any) -> tuple[str, str, int, str]:
    """What /bayard/pong carries, for a monitoring script at a glance: the opening-hours state,
    the scene showing, problems now and the version (read from the OSC thread: plain reads)."""
    from ... import __version__

    current = engine.sequencer.current
    return ("closed" if engine.dark_reason == "closed" else "open",
            current.scene_id if current is not None else "", engine.problems_now(), __version__)


def _record(engine: Any, message: str, severity: str = "error") -> None:
    record = getattr(engine, "record_error", None)
    if callable(record):
        record("osc", message, severity=severity)
