"""What the engine reports about itself: the status a technician asks for over OSC, the
overlay and the systemd line read, and the count of what is wrong now."""

from __future__ import annotations

import logging
from typing import Any

from . import __version__
from .config.lastgood_disk import LAST_GOOD_WHERE, STATE_FOLDER_WHERE
from .models.device import device_status
from .models.motion.choose import failed_backends
from .standing_said import StandingSaid

log = logging.getLogger("bayard.engine")

# The systemd status line's words for each standing condition (a camera's: by its scene).
STANDING_NAMES = {LAST_GOOD_WHERE: "last good copy", STATE_FOLDER_WHERE: "state folder"}


class Reporting:
    """A mixin of Engine (show, sequencer, services, stats, clock, errors, queue)."""

    # The conditions that hold now (standing()), as the last frame found them: read by the OSC
    # thread (the pong's count) and the systemd status line, which may not ask a scene.
    _standing_now: tuple[dict[str, Any], ...] = ()
    _camera_failing: dict[str, tuple[str, float, Any]] | None = None  # (_cameras_failing's)
    # A failing camera's tries, by scene: (the camera object's id, its count at the last look, the
    # total since it began failing). A portrait gets a camera of its own at each showing.
    _camera_tries: dict[str, tuple[int, int, int]] | None = None
    _standing_said: StandingSaid | None = None  # (the log's reminders of what stands)
    # Cameras' entries let go since the last look without being mended, by scene: why (its scene
    # left the show in a reload). Said so in the log, not "mended".
    _let_go: dict[str, str] | None = None

    def problems_now(self) -> int:
        """What is wrong now: errors in the show's files, scenes that faulted, and the conditions
        that hold until a technician mends them (a state folder or a last good copy that cannot
        be written, a camera the showing portrait cannot use). The pong and `systemctl status`
        said 0 problems while the overlay said "Until it is mended:". Not the history: a count
        that only grew told a technician nothing after a fix. Plain reads, safe from the OSC thread."""
        wrong = [*self.show.problems, *self.show.missing_media]
        return (sum(1 for p in wrong if p.severity == "error") + len(self.sequencer.faults)
                + len(self._standing_now))

    def standing_names(self) -> list[str]:
        """Short names of the conditions that hold now, for the systemd status line (any thread)."""
        return [STANDING_NAMES.get(s["where"], f"scene {s['where']}'s camera") for s in self._standing_now]

    def note_standing(self) -> None:
        """Each frame (render thread): the conditions that hold now, for problems_now()."""
        self._standing_now = tuple(self.standing())
        self._remind_standing()

    def _remind_standing(self) -> None:
        """What stands is said again in the log at a slow, growing interval, and once when it
        clears (standing_said.py). Cleared, its report in the history is marked `mended` (when):
        a report already in the history is not said again (engine._collect_reports), and a camera
        that failed again in the same words after it came back went unsaid."""
        if self._standing_said is None:
            self._standing_said = StandingSaid(self.clock.now, self.clock.wall, _standing_name)
        let_go, self._let_go = self._let_go or {}, None
        lines, mended, dropped = self._standing_said.look(self._standing_now, let_go)
        for level, line in lines:
            log.log(level, "%s", line)
        # Let go unmended, its report is marked `let_go`, not `mended`: it is no longer what keeps
        # the same words from being said again (a portrait put back under the same unplugged
        # camera says so anew), and the history does not tell of a fix that never happened.
        for mark, cleared in (("mended", mended), ("let_go", dropped)):
            for where, said in cleared:
                marked = [{**e, mark: round(self.clock.wall(), 3)}
                          if e["where"] == where and e["message"] in said and not closed_report(e) else e
                          for e in self.errors]
                # (Entries replaced, never changed in place: status may be reading one on the OSC thread.)
                self.errors.clear()
                self.errors.extend(marked)

    def standing(self) -> list[dict[str, Any]]:
        """Conditions that hold now, listed until they clear, apart from the rolling list of past
        errors: a state folder the show cannot write (or a last good copy failing on its drive)
        and a camera the portrait cannot use (its device gone, or still held by a read that
        hangs) were said once as errors, and ten newer ones (a burst of refused reloads, a flaky
        scene) pushed them out of status and off the overlay while they still held. (What is
        wrong in the show's files, missing media with it, is `problems`.) Render thread."""
        found = []
        trouble = self._copy_trouble_said
        if trouble is not None:
            found.append({"where": trouble.where, "message": trouble.message, "severity": "warning"})
        settings = getattr(self.show.config, "camera", None)
        for scene_id, (message, seen, under) in self._cameras_failing().items():
            if under != settings:
                # A reload changed [camera]: the entry stands (the portrait on screen still has no
                # camera) but in the new settings' words, with no time it was seen failing (it has
                # not been looked at); the old device's name stood until a portrait built under
                # them looked, up to one showing, as if the edit had not landed.
                found.append({"where": scene_id, "message": _camera_not_looked_at(settings), "severity": "warning"})
                continue
            tries = (self._camera_tries or {}).get(scene_id)
            found.append({"where": scene_id, "message": message, "severity": "warning",
                          "last_seen": round(seen, 3), **({"tries": tries[2]} if tries else {})})
        return found

    def _cameras_failing(self) -> dict[str, tuple[str, float, Any]]:
        """The portraits' cameras the show cannot use, by scene: what was said, when (wall time)
        it was last seen failing, and the [camera] settings it was found under. A fact about the
        installation, not about the scene on screen: listed from when it is found until its
        portrait finds the camera working again, whichever scene shows meanwhile (it counted only
        while the portrait showed, and the pong's count and systemd's line went 1 -> 0 -> 1 each
        time round the playlist). A reload that changes [camera] to a film the show's files list
        missing lets go of what was said under the old settings at once: a device switched to a
        missing film stayed listed as the unplugged device until a camera went live, beside the
        film in `problems`. Otherwise an entry stands until a portrait built under the new
        settings looks (one still showing under the old ones is not heard meanwhile): let go at
        once, a device switched to another one unplugged left status saying nothing wrong while
        the portrait on screen stirred by itself. Render thread."""
        if self._camera_failing is None:
            self._camera_failing = {}  # (an engine's own: a class's dict would be every engine's)
            self._camera_tries = {}
        failing, tries = self._camera_failing, self._camera_tries
        assert tries is not None
        settings = getattr(self.show.config, "camera", None)
        current = self.sequencer.current
        if current is not None and _camera_settings(current.scene) == settings:
            said = getattr(current.scene, "camera_said", "")
            if said:
                failing[current.scene_id] = (said, self.clock.wall(), settings)
                tries[current.scene_id] = _tried(tries.get(current.scene_id), getattr(current.scene, "camera", None))
            elif getattr(current.scene, "camera_ok", False) or getattr(current.scene, "camera", None) is None:
                # Back, or no camera to wait for (its setting gone by a reload; a scene of another
                # kind under the id). Not while the portrait's new camera still starts: the camera's
                # thread may fail it between the scene's look and this one, and the count dipped.
                if current.scene_id in failing and not getattr(current.scene, "camera_ok", False):
                    self._note_let_go(current.scene_id, "the scene no longer uses a camera")
                failing.pop(current.scene_id, None)
                tries.pop(current.scene_id, None)
        film = getattr(settings, "file", "") or ""
        film_said = bool(film) and any(p.missing == film for p in self.show.missing_media)
        for gone in [scene_id for scene_id, (_, _, under) in failing.items()
                     if scene_id not in self.show.scenes or (under != settings and film_said)]:
            self._note_let_go(gone, "the scene left the show in a reload" if gone not in self.show.scenes
                              else f"install.toml's [camera] changed to the film '{film}', listed missing")
            del failing[gone]  # (its scene left the show, or a reload's camera is said missing in `problems`)
            tries.pop(gone, None)
        return failing

    def _note_let_go(self, where: str, why: str) -> None:
        """A camera's entry let go unmended: why, for the log's next look (_remind_standing)."""
        self._let_go = {**(self._let_go or {}), where: why}

    def status(self) -> dict[str, Any]:
        info = self.sequencer.status()
        wrong = [*self.show.problems, *self.show.missing_media]
        now_wrong = [str(p) for p in wrong]
        standing = self.standing()
        # A scene tells of a missing file in check's words (context.media): the file's line
        # above says it already; a standing condition is said in its own list.
        said = {*now_wrong, *(p.message for p in wrong), *(s["message"] for s in standing)}
        info.update({
            "show": self.show.config.show.title,
            "version": __version__,
            "paused": self.paused,
            "blackout": self.blackout,
            "dark": self.dark_reason,
            "fps": round(self.stats.fps, 1),
            "uptime": round(self.clock.now() - self.started, 1),
            "frames": self.frames,
            # What is wrong now, in the files as they are (a fixed file drops out at the next
            # reload); "errors" is the history, which never clears by itself.
            "problems": now_wrong[:10],
            "problem_count": len(wrong),
            "standing": standing,
            "last_reload": self.last_reload,
            # (Less what `problems` already says: the reply must fit what a padded UDP
            # request may get, docs/osc.md.)
            "errors": [e for e in self.errors if e["message"] not in said][-10:],
            "commands_dropped": self.queue.dropped,
            # Not only the log: a technician must see that the show file on disk is not what plays.
            "last_good": ({"show_file": str(self.show.stands_in_for), "saved": self.show.saved}
                          if self.show.stands_in_for else None),
            # Where the torch models run, and any motion backend lost mid-show (a kiosk that
            # lost its GPU moves its portrait on the CPU until it restarts).
            "models": {"device": device_status(), "failed_backends": failed_backends()},
        })
        for name, service in self.services.items():
            describe = getattr(service, "status", None)
            if callable(describe):
                try:
                    info.setdefault("services", {})[name] = describe()
                except Exception as exc:  # a broken service is reported, not fatal
                    info.setdefault("services", {})[name] = {"error": str(exc)}
        return info


def _standing_name(where: str) -> str:
    """A standing condition's name in the log: the state folder's, or its scene's."""
    return STANDING_NAMES.get(where, f"scene '{where}'")


def closed_report(entry: dict[str, Any]) -> bool:
    """A report in the history whose condition was mended, or let go unmended (a reload took its
    scene out): the same words found again are said again."""
    return "mended" in entry or "let_go" in entry


def _tried(before: tuple[int, int, int] | None, camera: Any) -> tuple[int, int, int]:
    """The tries of a failing camera counted on: its reconnects since the last look, or all of a
    new camera's (the portrait's next showing opened its own)."""
    count = int(getattr(camera, "reconnects", 0) or 0)
    if before is None:
        return (id(camera), count, count)
    known, seen, total = before
    return (id(camera), count, total + (count - seen if known == id(camera) and count >= seen else count))


def _camera_settings(scene: Any) -> Any:
    """The [camera] settings a scene was built under (its show's when it was readied)."""
    return getattr(getattr(getattr(scene, "context", None), "show_config", None), "camera", None)


def _camera_not_looked_at(settings: Any) -> str:
    """What stands for a portrait's camera after a reload changed [camera], until a portrait
    built under the new settings has looked at it."""
    film = getattr(settings, "file", "") or ""
    device = getattr(settings, "device", None)
    named = f"camera film '{film}'" if film else (f"camera {device}" if device is not None else "camera")
    return (f"{named}: install.toml's [camera] changed; looking for it when the portrait next shows "
            "(until then the portrait stirs by itself)")
