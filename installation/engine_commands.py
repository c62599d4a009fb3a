"""What the engine does with a command: a scene's verb reaches that scene alone, an overlay
takes what it handles, and the show's own commands (next, goto, pause, blackout, reload,
status, screenshot...) are carried out here; the rest goes to the scene on screen. Whoever
sent a command that failed or went nowhere is told why."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from .commands import Command, echo, reply_to
from .inputs.osc.pattern import scene_matches

log = logging.getLogger("bayard.engine")


class Commanding:
    """A mixin of Engine (sequencer, overlays, dark_reason, paused, blackout, running, errors,
    show, emit, reload, status, screenshot)."""


    def dispatch(self, command: Command) -> None:
        if command.source in ("touch", "mouse", "key"):
            self.sequencer.note_input()
        if command.scene is not None:
            self._scene_command(command)
            return
        for overlay in reversed(self.overlays):
            if overlay.handle(command):
                return
        if self.dark_reason == "closed" and command.name in ("next", "prev", "goto"):
            # Closed, no scene is playing: said to the sender (it was dropped in silence). Read
            # from the hours as they are now: `hours open` and a goto in one frame both work.
            reply_to(command, "error", f"the show is closed by its opening hours; {command.name} works once it "
                                       "is open: /bayard/hours open, or wait for opening time")
            return
        handler = getattr(self, f"_cmd_{command.name}", None)
        if handler is not None:
            try:
                handler(command)
            except Exception as exc:  # a bad argument from the network must not stop the show
                log.warning("command %s%s failed: %s", command.name, echo(command.args), exc)
                reply_to(command, "error", str(exc))
            return
        self.sequencer.handle(command)

    def _scene_command(self, command: Command) -> None:
        """/bayard/scene/<id>/<verb> reaches the named scene and nothing else: not an overlay
        (`/bayard/scene/x/overlay 1` once opened the operator overlay) nor a show command
        (`.../hours closed` once darkened the show), and only as a verb its kind lists
        (Scene.verbs, which docs/osc.md shows)."""
        current = self.sequencer.current
        scene = current.scene if current is not None else None
        named = scene is not None and scene_matches(command.scene or "", current.scene_id)
        takes = [verb.name for verb in type(scene).verbs] if scene is not None else []
        if named and command.name not in takes:
            why = (f"scene {echo(current.scene_id)} does not take {echo(command.name)}; "
                   + (f"it takes {', '.join(takes)}" if takes else "it takes no commands") + " (docs/osc.md)")
        elif self.sequencer.handle(command):
            # A visitor answering over OSC (a button desk beside the screen) is using the
            # scene as much as one touching it: the quiz holds its round for them.
            self.sequencer.note_input()
            return
        elif named:
            why = f"scene {echo(current.scene_id)} has nothing to do for {echo(command.name)} now"
        else:
            why = f"no scene {echo(command.scene)} is showing (now: {current.scene_id if current else 'none'})"
        # Said to the sender (it was only a debug line): a desk wired to the wrong scene, or a
        # verb the scene does not know, is otherwise a silent button.
        log.debug("%s; ignored", why)
        reply_to(command, "error", why)

    def _cmd_next(self, command: Command) -> None:
        self.sequencer.next()

    def _cmd_prev(self, command: Command) -> None:
        self.sequencer.prev()

    def _cmd_goto(self, command: Command) -> None:
        if not command.args:
            raise ValueError("goto needs a scene id or playlist index")
        faulted = self.sequencer.faults.get(str(command.args[0]))
        if not self.sequencer.goto(command.args[0]):
            raise ValueError(_no_scene_there(command.args[0], self.sequencer.show.playlist))
        if faulted is not None:  # the goto retries it at once; if it fails again the show moves on
            reply_to(command, "ok", f"retrying scene {echo(command.args[0])}, which failed: {faulted.last_message}")

    def _cmd_pause(self, command: Command) -> None:
        self.paused = True
        self._announce(command, "pause", 1)

    def _cmd_resume(self, command: Command) -> None:
        self.paused = False
        self._announce(command, "pause", 0)

    def _cmd_blackout(self, command: Command) -> None:
        value = command.args[0] if command.args else (not self.blackout)
        self.blackout = bool(int(value)) if not isinstance(value, bool) else value
        self._announce(command, "blackout", int(self.blackout))

    def _announce(self, command: Command, what: str, value: Any) -> None:
        """Tell every subscriber who changed the show's state: two technicians once undid
        each other's blackout and neither learned of it (/bayard/event/control)."""
        who = command.extra.get("peer") or command.source
        self.emit("control", what, value, str(who))

    def _cmd_quit(self, command: Command) -> None:
        self.running = False

    def _cmd_reload(self, command: Command) -> None:
        # Answered either way: a refused reload (a broken file) once sent nothing back.
        at_once = bool(command.args and command.args[0])
        answer = partial(_answer_reload, command, self)
        if self.deterministic:
            self.reload(at_once, answer)  # (renders and tests: landed when the command returns)
        else:
            # A live show never waits on the files here (a show folder on a hanging stick cost a
            # visible hitch per edit): the reload lands, and is answered, at a later frame.
            self.begin_reload(at_once, answer)

    def _cmd_status(self, command: Command) -> None:
        if command.reply is not None:
            command.reply("/bayard/status", (json.dumps(self.status()),))

    def _cmd_screenshot(self, command: Command) -> None:
        path = self.screenshot()
        if command.reply is not None:
            command.reply("/bayard/screenshot", (str(path),))


def _answer_reload(command: Command, engine: Any, applied: bool | None, said: list[str]) -> None:
    if applied is None:  # its files are slow to answer (a failing stick): it lands when they do
        reply_to(command, "waiting", said[0] if said else "the reload waits on the drive")
    elif applied:
        # Applied, but a scene that did not load is not an "ok": the technician who
        # reloaded after an edit learns here that the edit broke a scene.
        errors = [str(p) for p in engine.show.problems if p.severity == "error"]
        if errors:
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            reply_to(command, "warning", {"show": engine.show.config.show.title,
                                          "problems": "; ".join(errors[:3]) + more})
        else:
            reply_to(command, "ok", {"show": engine.show.config.show.title})
    else:
        reply_to(command, "error", "; ".join(said[:3]) or "the reload was refused (see the log)")


def _no_scene_there(target: Any, playlist: list[str]) -> str:
    """Why a goto went nowhere. A position counts from 0 (key 4 asks for position 3): "no scene
    3 in the playlist ['a', 'b', 'c']" read as wrong to a technician counting from 1."""
    text = str(target).strip()
    if not isinstance(target, bool) and text.lstrip("-").isdigit():
        if not playlist:
            return f"no scene at position {text}: the playlist is empty"
        return (f"no scene at position {text}: positions count from 0 (-1 is the last), so this playlist's "
                f"{len(playlist)} are at 0 to {len(playlist) - 1}: {', '.join(playlist)}")
    return f"no scene {echo(target)} in the playlist {playlist}"
