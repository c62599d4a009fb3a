"""Maintenance keys. A keyboard is for the technician, so every key maps to a show
command; visitors on a touch kiosk never have one."""

from __future__ import annotations

import pygame

from ..commands import Command

# key -> (command name, args); shown by `bayard keys` and in docs/keys.md.
KEYMAP: dict[int, tuple[str, tuple]] = {
    pygame.K_RIGHT: ("next", ()),
    pygame.K_n: ("next", ()),
    pygame.K_LEFT: ("prev", ()),
    pygame.K_p: ("prev", ()),
    pygame.K_SPACE: ("pause_toggle", ()),
    pygame.K_b: ("blackout", ()),
    pygame.K_r: ("reload", ()),
    pygame.K_s: ("screenshot", ()),
    pygame.K_o: ("overlay", (1,)),
    pygame.K_F1: ("overlay", (1,)),
    pygame.K_ESCAPE: ("overlay", (0,)),
}
DIGITS = {getattr(pygame, f"K_{d}"): d for d in range(1, 10)}

KEY_HELP = [
    ("Right / N", "next scene"),
    ("Left / P", "previous scene"),
    ("1 .. 9", "go to scene by playlist position"),
    ("Space", "pause / resume"),
    ("B", "blackout on / off"),
    ("R", "reload the show files now"),
    ("S", "save a screenshot"),
    ("O / F1", "open the operator overlay"),
    ("Escape", "close the operator overlay"),
    ("Ctrl+Q", "quit (the service manager restarts the show)"),
]


def command_for_key(key: int, mods: int, paused: bool) -> Command | None:
    if key == pygame.K_q and mods & pygame.KMOD_CTRL:
        return Command("quit", source="key")
    if key in DIGITS:
        return Command("goto", (DIGITS[key] - 1,), source="key")
    entry = KEYMAP.get(key)
    if entry is None:
        return None
    name, args = entry
    if name == "pause_toggle":
        name = "resume" if paused else "pause"
    return Command(name, args, source="key")
