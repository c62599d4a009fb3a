"""One vocabulary for everything that can tell the show what to do.

Keys, touch and OSC all become ``Command`` objects posted to the engine's queue and
drained once per frame on the main thread. Input threads never touch pygame or a
scene: they only build commands and post them.
"""

from __future__ import annotations

import json
import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Show-level commands handled by the engine itself. Anything else is offered to the
# current scene (touch gestures, quiz answers, scene-specific OSC addresses).
SHOW_COMMANDS = frozenset(
    {
        "next",        # advance to the next scene in the playlist
        "prev",        # go back one scene
        "goto",        # args: (scene id or playlist index,)
        "pause",       # freeze the sequencer clock (scenes keep drawing their frozen state)
        "resume",
        "blackout",    # args: (0|1,)
        "reload",      # re-read install.toml and scenes/ now (validated first)
        "status",      # reply with the status dictionary
        "screenshot",  # save a PNG of the current frame, reply with its path
        "overlay",     # args: (0|1,) open or close the operator overlay
        "quit",
    }
)

# Visitor gestures produced by the touch recogniser (and the mouse in development).
GESTURES = frozenset({"tap", "long_press", "swipe"})

Reply = Callable[[str, tuple[Any, ...]], None]


@dataclass(frozen=True)
class Command:
    """Something the show was asked to do.

    name:   what to do (see SHOW_COMMANDS, GESTURES, or a scene's own verbs such as "answer").
    args:   positional arguments, already decoded (OSC arguments, a goto target, ...).
    pos:    screen position in show pixels for touch gestures, else None.
    source: "key", "touch", "mouse", "osc", "overlay", "test", "schedule" - for logs and access rules.
    scene:  for scene-addressed commands (/bayard/scene/<id>/...), the scene id it is meant for.
    reply:  where an answer goes (an OSC reply to the sender); called on the main thread
            with (address, args) and must itself only enqueue work.
    """

    name: str
    args: tuple[Any, ...] = ()
    pos: tuple[float, float] | None = None
    source: str = "test"
    scene: str | None = None
    reply: Reply | None = field(default=None, compare=False, repr=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


class CommandQueue:
    """A thread-safe queue the engine drains once per frame."""

    def __init__(self, maxsize: int = 10_000) -> None:
        # Bounded so a flood from the network cannot grow memory without limit; when
        # full, the oldest command loses (the newest intent of the technician wins).
        self._queue: queue.Queue[Command] = queue.Queue(maxsize=maxsize)
        self.dropped = 0

    def post(self, command: Command) -> None:
        while True:
            try:
                self._queue.put_nowait(command)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def drain(self) -> list[Command]:
        drained: list[Command] = []
        while True:
            try:
                drained.append(self._queue.get_nowait())
            except queue.Empty:
                return drained


def echo(value: object, limit: int = 60) -> str:
    """A value that came from a visitor or the network, as logs and replies repeat it: its
    repr, cut to `limit` characters with its length said. An oversized OSC argument (up to
    64 KB a packet) was repeated whole, twice, in one log line and again in the reply."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def reply_to(command: Command, status: str, data: Any = None) -> None:
    """Answer the sender of `command` (OSC: /bayard/reply/<name> <json>), best-effort: a
    sender that cannot be answered never fails the command, the scene or the show."""
    if command.reply is None:
        return
    payload = json.dumps({"address": command.name, "status": status, "data": data})
    try:
        command.reply(f"/bayard/reply/{command.name}", (payload,))
    except Exception:  # replying is best-effort
        logging.getLogger("bayard.commands").exception("reply to %s failed", command.name)
