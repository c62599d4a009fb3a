"""`bayard check`'s look at the screen: the SDL video driver the show would use, the screen's
size and how the show would fill it, found without opening a window.

`check` said nothing of the display: a kiosk whose X session had not come up, or an SDL with
no driver for its screen, passed the check and then showed nothing. Opening a window to find
out is not an option: `check` may run while the show plays, and a second full-screen window
takes the screen from it (or fails where the show holds it). SDL's video subsystem is started
in a child process instead, which asks for the driver and the screens' sizes and stops: no
window, and a display server that hangs cannot hang the check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config.errors import Problem
from ..config.locate import line_of
from . import units
from .files import read_text

PROBE_TIMEOUT_S = 10.0
# What the child runs: SDL's video init and two questions, never set_mode (a window).
PROBE = """
import json, os
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
import pygame
try:
    pygame.display.init()
    print(json.dumps({"driver": pygame.display.get_driver(),
                      "screens": [list(size) for size in pygame.display.get_desktop_sizes()]}))
except pygame.error as error:
    print(json.dumps({"error": str(error)}))
"""
DISPLAY_KEYS = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
# Drivers that draw without showing anything (tests, CI, `run --headless`).
NO_SCREEN = ("dummy", "offscreen")


def viewport(window: tuple[int, int], show: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where a show of size `show` lands in a window: as large as fits at its own shape,
    centred (x, y, width, height); the Presenter shows it there."""
    scale = min(window[0] / show[0], window[1] / show[1])
    width, height = min(window[0], round(show[0] * scale)), min(window[1], round(show[1] * scale))
    return (window[0] - width) // 2, (window[1] - height) // 2, width, height


def window_size(screen: tuple[int, int], show: tuple[int, int]) -> tuple[int, int]:
    """A window for a show that is not full-screen: its own size, shrunk to 90% of the screen."""
    scale = min(1.0, 0.9 * screen[0] / show[0], 0.9 * screen[1] / show[1])
    return round(show[0] * scale), round(show[1] * scale)


def service_display(unit: Path) -> dict[str, str]:
    """The display settings the kiosk's service gives the show (its Environment= lines)."""
    return {name: setting for name, setting in units.environment(unit).items()
            if name in (*DISPLAY_KEYS, "XAUTHORITY")}


def probe_screen(env: Mapping[str, str]) -> dict[str, Any]:
    """SDL's driver and screen sizes as the show would see them with `env`, or its error."""
    try:
        done = subprocess.run([sys.executable, "-c", PROBE], env=dict(env), capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer from the display within {PROBE_TIMEOUT_S:.0f} s"}
    except OSError as error:
        return {"error": str(error)}
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"error": (done.stderr.strip().splitlines() or ["SDL did not start"])[-1]}


def _named(env: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={env[key]}" for key in DISPLAY_KEYS if env.get(key))


def _fit(show: Any, screen: tuple[int, int]) -> str:
    display = show.config.display
    width, height = display.size
    turned = display.rotation in (90, 270)
    shape = (height, width) if turned else (width, height)
    how = f"the {width}x{height} show" + (f", turned {display.rotation} degrees," if display.rotation else "")
    if not display.fullscreen:
        window = window_size(screen, shape)
        return (f"{how} in a {window[0]}x{window[1]} window ([display] fullscreen = false; "
                "`bayard run --fullscreen` fills the screen)")
    _, _, shown_w, shown_h = viewport(screen, shape)
    if (shown_w, shown_h) == tuple(screen) == shape:
        return f"{how} fills it full-screen"
    bars = "" if (shown_w, shown_h) == tuple(screen) else (
        ", with black bars left and right" if shown_w < screen[0] else ", with black bars above and below")
    return f"{how} is scaled to {shown_w}x{shown_h} full-screen{bars}"


def display_report(show: Any, env: Mapping[str, str] | None = None, unit: Path | None = None,
                   probe=probe_screen) -> tuple[str, list[Problem]]:
    """A line for check's summary, and a warning when the screen the show would use cannot
    be opened. From a shell with no display (SSH) it looks at the one the kiosk's service sets."""
    unit = unit or units.SERVICE_UNIT
    env = dict(os.environ if env is None else env)
    whose = ""
    if not any(env.get(key) for key in DISPLAY_KEYS):
        service = service_display(unit)
        if not any(service.get(key) for key in DISPLAY_KEYS):
            return ("Display: none found (no DISPLAY, WAYLAND_DISPLAY or SDL_VIDEODRIVER here): `bayard run` "
                    "stops here; run it on the kiosk's screen (its service sets DISPLAY=:0), or with --headless"), []
        env.update(service)
        whose = f"the service's ({unit}) "
    named = _named(env)
    if env.get("SDL_VIDEODRIVER") in NO_SCREEN:
        return f"Display: {whose}SDL {env['SDL_VIDEODRIVER']} ({named}): no screen; frames are drawn, not shown", []
    found = probe(env)
    if "error" in found or not found.get("screens"):
        why = found.get("error") or "no screen"
        hint = ("is the kiosk's X session running, and may this user use it (XAUTHORITY)?" if env.get("DISPLAY")
                else "is the display server running, and is SDL built with a driver for it?")
        line = line_of(read_text(show.path), ("display",))
        problem = Problem(show.path, line, "display",
                          f"SDL cannot open {whose}display ({named}): {why}; the show would not start there; "
                          f"{hint}", severity="warning")
        return "Display: see the problem below", [problem]
    driver = found.get("driver", "?")
    if driver in NO_SCREEN:  # SDL fell back on drawing nowhere: `bayard run` refuses it
        return (f"Display: none found ({named}: SDL found no screen and would draw {driver}): `bayard run` "
                "stops here; run it on the kiosk's screen, or with --headless"), []
    screens = [tuple(size) for size in found["screens"]]
    first = screens[0]
    more = f" (and {len(screens) - 1} more; the show uses the first)" if len(screens) > 1 else ""
    return f"Display: {whose}SDL {driver} ({named}), screen {first[0]}x{first[1]}{more}; {_fit(show, first)}", []
