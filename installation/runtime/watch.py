"""Watch the show's files and ask for a reload when the artist saves one.

A thread watches the show folder (install.toml and everything under scenes/) and, once
the saves have settled, posts `Command("reload", source="watch")` with the changed
paths. It never validates or loads anything itself: the engine's reload validates the
new show first and keeps the last good one if it is invalid. Watching the whole show
folder (filtered), rather than scenes/ alone, keeps working when scenes/ is deleted,
renamed or replaced by a copy.

Editors save in many ways (write in place, write a temp file and rename, delete and
recreate); swap and backup files are ignored, and a burst of events becomes one reload.

A folder is watched by what it is, not by its name: a scenes folder kept outside the show
folder that was moved away and replaced by a copy (or that appeared only after the start)
left the watcher on the old one, reloading for edits nobody played and never for the new
folder's. About once a second the watcher looks whether the folders it watches are still
the ones at their paths (watch_identity.py, which holds nothing open: the USB stick that
holds the show can be unmounted while it runs); when not, it watches them again and asks
for a reload.

The show folder is watched as it was named: a `current -> show-v2` link is followed each
beat, and a flip of it reloads the show the link names now (ShowFolderLink). Watching the
folder the link led to at the start, the watcher saw neither a flip with no edit after it nor,
after a flip the reload refused, the fix of the new show's file. A link removed and made
again (`rm`, then `ln -s`) is said as such while it is gone, not as a drive taken out.

A drive taken out (the show folder, or a content folder kept on a stick of its own, gone) is
said once, naming the show's files that are out of reach (those a loop's folder pattern
matched as last seen among them); the show plays on with what it holds, and the folder's
return reloads it.

The files a loop's folder pattern (`folder = "films/*.mp4"`) matches are looked at on the same
beat: a film added to such a folder while the show runs (or replaced there by another) is
handed on (`films_added`) to be copied off its USB stick ahead, not when it first plays, once
its size and time held still from one look to the next: a film still being copied onto the
stick was copied ahead half-written, and never again once whole. A folder of thousands takes
a while to glob (5,000 films: about 0.15 s on a desktop), so such looks are spaced to take
at most FOLDER_LOOK_SHARE of the watcher's time, not a sixth of a core every second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..commands import Command
from ..standing_said import StandingSaid
from .watch_identity import FolderIdentities, ShowFolderLink

log = logging.getLogger("bayard.runtime.watch")

# How often the watcher looks whether its folders were moved or replaced (milliseconds).
REARM_CHECK_MS = 1000
# At most this share of the time goes to globbing a loop's folder patterns (a look that took
# 0.15 s waits 3 s for the next one); small folders are still looked at on every beat.
FOLDER_LOOK_SHARE = 0.05
# A content folder's list of media installed separately, with their credits (media_check.py).
MANIFEST = "manifest.toml"

# Names editors and file managers write next to the real file.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".bak", "~", ".part", ".crdownload")
_IGNORED_PREFIXES = (".#", "~$", "._")


def relevant(path: Path, root: Path, show_file: str = "install.toml", scenes: str | Path = "scenes",
             also: tuple[str, ...] = ()) -> bool:
    """Is a change to `path` one the show should reload for? `show_file` is the show
    file's name in `root`; `scenes` the scenes folder, relative to `root` or absolute
    (both as install.toml and `bayard run --show` name them: a show called museum.toml
    with its scenes in galleries/ was never reloaded when the watcher knew only the
    default names). `also`: other files of the show, relative to `root` (its own words)."""
    path = path if path.is_absolute() else root / path
    name = path.name
    if name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES) or name in {"4913", ".DS_Store"}:
        return False  # 4913: vim's probe file
    root = root.resolve()
    full = path.parent.resolve() / name  # the file itself may be gone (deleted or renamed)
    if full == root / show_file or any(full == (root / other).resolve() for other in also):
        return True
    try:
        parts = full.relative_to((root / scenes).resolve()).parts
    except ValueError:
        return False
    if any(part.startswith(".") for part in parts):
        return False
    # A .toml under the scenes folder, or the folder itself or one in it (deleted or
    # renamed: no suffix).
    return not parts or name.endswith(".toml") or "." not in name


def _stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of `path`, None where there is none (nothing held open)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


class ShowWatcher:
    """Start with `start()`, stop with `stop()`; posts to `post` (CommandQueue.post)."""

    def __init__(
        self,
        show_dir: Path,
        post: Callable[[Command], None],
        settle_ms: int = 400,
        max_group_ms: int = 3000,
        force_polling: bool | None = None,
        show_file: str = "install.toml",
        scenes: str | Path = "scenes",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = Path(show_dir)
        self.clock = clock  # (spaces the looks at a loop's folder patterns)
        self.show_file = show_file
        self.scenes = scenes
        self.also: tuple[str, ...] = ()  # the show's other files (its words), kept current by reloads
        self.post = post
        self.settle_ms = settle_ms
        self.max_group_ms = max_group_ms
        self.force_polling = force_polling
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reloads = 0
        self.rearms = 0  # times a moved or replaced folder was watched again
        self.identities = FolderIdentities()  # what the watched folders are (see watch_identity.py)
        self.link = ShowFolderLink(self.root)  # where the show folder leads (a `current -> show-v2` link)
        self.problem: str | None = None
        # The show's files (its show file, scene files, media), absolute, kept current by
        # reloads: to say which are out of reach when their drive goes (see `_missing`).
        self.files: Callable[[], list[Path]] = list
        # The content folder where it lies outside the show folder (a second stick holding the
        # films): its going and coming back are said too, and its return reloads.
        self.content: Path | None = None
        self._content_gone = False
        # What the show's folder patterns match (folder_matches, set with `files`), looked at
        # each beat while their folder is there: films new among them go to `films_added` (to
        # be copied ahead); those last seen are named among the files lost when a drive goes
        # (a glob then finds nothing, and the line left a loop's films out).
        self.matched: Callable[[], list[Path]] | None = None
        self.films_added: Callable[[list[Path]], str | None] | None = None
        self._matched_seen: dict[Path, tuple[int, int] | None] | None = None  # path: stamp; None: not looked at yet
        self._films_handed: dict[Path, tuple[int, int] | None] = {}  # film: its stamp when handed on (or first seen)
        self._folders_due = float("-inf")  # when the folder patterns may be looked at again
        self._manifest_seen: tuple[int, int] | None | bool = False  # False: not looked at yet
        # The show or content folder out of reach is said again while it stays so (a log read an
        # hour later said it once); its return is said as it comes (the reload), not here.
        self._still_lost = StandingSaid(self.clock, time.time, str, still="still missing")

    def start(self) -> ShowWatcher:
        self._thread = threading.Thread(target=self._run, name="bayard-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            from watchfiles import watch
        except ImportError:
            self.problem = "watchfiles is not installed: scene files are not watched (reload by OSC or key)"
            log.warning("%s", self.problem)
            return
        self.identities.arm(self._identified())
        try:
            self._watch(watch)
        finally:
            self.identities.close()

    def _watch(self, watch: Callable) -> None:
        """Watch until stopped, again whenever a watched folder is moved, replaced or made."""
        failures = 0
        while not self._stop.is_set():
            if not self.root.is_dir():
                self._missing()
                continue
            try:
                for changes in watch(
                    *self._watched(),
                    watch_filter=lambda change, path: relevant(Path(path), self.root, self.show_file,
                                                               self.scenes, self.also),
                    debounce=self.max_group_ms,
                    step=self.settle_ms,
                    stop_event=self._stop,
                    rust_timeout=REARM_CHECK_MS,
                    yield_on_timeout=True,
                    force_polling=self.force_polling,
                    raise_interrupt=False,
                    ignore_permission_denied=True,
                ):
                    failures = 0
                    self.problem = None  # watching works again: status must stop saying it failed
                    if changes:
                        self._changed(changes)
                    self._look_at_content()
                    self._say_still_lost(show_missing=False)
                    self._look_at_folders()
                    replaced = self.identities.replaced()
                    if any(replaced):
                        # A folder gone was a change the watch reported; one new at the path is not.
                        self.identities.arm(self._identified())
                        present = self.identities.present
                        # (Fewer or more folders now, a scenes symlink pointed elsewhere: all new.)
                        appeared = len(present) != len(replaced) or any(
                            flag and there for flag, there in zip(replaced, present, strict=True))
                        if not self._follow_link():
                            self._rearmed(appeared, reload=not changes)
                        break  # watch again, the folders now at those paths
            except Exception as error:  # the watcher thread's boundary: never take the show down
                failures += 1
                self.problem = f"file watching failed ({type(error).__name__}: {error}); retrying"
                if failures == 1:
                    log.warning("%s", self.problem)
                # Back off, then watch again (e.g. the show folder was replaced by a copy); after
                # a few failures fall back to polling, which works where inotify does not.
                if failures >= 3:
                    self.force_polling = True
                self._stop.wait(min(30.0, 2.0 * failures))

    def _missing(self) -> None:
        """The show folder is not there (its drive taken out to be swapped, or a deploy between
        deleting and copying): say so once and look again each second, rather than fail and
        fall back to polling for good; its return is a folder replaced, and reloads."""
        problem = self.link.missing()
        if self.problem != problem and self.link.is_link:
            # (the folder it led to still there: the link alone is being replaced, nothing is lost)
            target = self.link.leads_to
            log.warning("%s; %s", problem, "the show's files are where they were" if target.is_dir()
                        else self._lost(target))
        elif self.problem != problem:
            log.warning("the show folder %s is missing (a drive taken out?); %s", self.root, self._lost(self.root))
        self.problem = problem
        self._say_still_lost(show_missing=True)
        self._stop.wait(REARM_CHECK_MS / 1000)

    def _say_still_lost(self, show_missing: bool) -> None:
        """The show folder (`show_missing`) or the content folder still out of reach: said again
        a minute, ten minutes and an hour after it went, then hourly (standing_said.py)."""
        lost = [("show folder", self.problem)] if show_missing and self.problem else []
        if self._content_gone and self.content is not None:
            lost.append(("content folder", f"the content folder {self.content} is missing (a drive taken out?)"))
        lines, _, _ = self._still_lost.look({"where": where, "message": message} for where, message in lost)
        for level, line in lines:
            if level >= logging.WARNING:  # (its return: the reload's own line says it)
                log.warning("%s", line)

    def _look_at_content(self) -> None:
        """A content folder outside the show folder gone (its stick unmounted or pulled) is
        said once with the files lost; back, it is said and the show reloads, so the scenes
        whose films and pictures were out of reach find them again."""
        content = self.content
        if content is None or content.resolve().is_relative_to(self.root.resolve()):
            return
        gone = not content.is_dir()
        manifest = None if gone else _stamp(content / MANIFEST)
        if gone and not self._content_gone:
            log.warning("the content folder %s is missing (a drive taken out?); %s", content, self._lost(content))
        elif self._content_gone and not gone:
            self.reloads += 1
            log.info("the content folder %s is back: reloading", content)
            self.post(Command("reload", source="watch", extra={"changed": [str(content)]}))
        elif not gone and self._manifest_seen is not False and manifest != self._manifest_seen:
            # Its manifest (the credits and licences shown beside its media) written or changed,
            # as one in the show folder reloads: a stick put back while still being copied had
            # reloaded before its manifest came, and the show played without the credits.
            self.reloads += 1
            log.info("%s changed: reloading", content / MANIFEST)
            self.post(Command("reload", source="watch", extra={"changed": [str(content / MANIFEST)]}))
        self._content_gone = gone
        self._manifest_seen = manifest

    def _look_at_folders(self) -> None:
        """The files the show's folder patterns match now, while their folder is there (a drive
        out keeps those last seen, for `_lost`); films new or changed since they were last handed
        on go to `films_added` once their stamp (time, size) is the one the last look saw: a film
        still being written onto the stick grows between looks, and copied ahead half-written it
        was copied again only when it played. The first look only notes what is there: the
        show's start and each reload copy what they find ahead themselves."""
        from ..media.sources import VIDEO_SUFFIXES

        matched = self.matched

        def there() -> bool:  # (looked at after the glob too: a drive pulled while it ran leaves it empty)
            return self.root.is_dir() and (self.content is None or self.content.is_dir())

        start = self.clock()
        if matched is None or start < self._folders_due or not there():
            return
        try:
            now = {path: _stamp(path) for path in matched()}
        except Exception:  # (a courtesy: never fail the watcher for it; the scene says what it cannot read)
            log.debug("looking at the show's folder patterns failed", exc_info=True)
            return
        finally:
            self._folders_due = start + (self.clock() - start) / FOLDER_LOOK_SHARE
        if not there():
            return
        films = {path: stamp for path, stamp in now.items() if path.suffix.lower() in VIDEO_SUFFIXES}
        last, self._matched_seen = self._matched_seen, now
        if last is None:
            self._films_handed = films
            return
        handed = self._films_handed
        new = sorted(path for path, stamp in films.items()
                     if stamp is not None and stamp != handed.get(path) and stamp == last.get(path))
        # (a film gone is forgotten: put back, it is new again)
        self._films_handed = {path: films[path] if path in new else handed.get(path) for path in films}
        if not new or self.films_added is None:
            return
        named = ", ".join(path.name for path in new[:5]) + (" ..." if len(new) > 5 else "")
        try:
            said = self.films_added(new)  # (what becomes of them: copied ahead, or why not)
        except Exception:  # the watcher thread's boundary: a copy ahead missed is copied when the film plays
            log.exception("copying new films ahead failed")
            said = "not copied ahead (the copy failed: see above); each is copied when it first plays"
        log.info("%d film%s new in the show's folders (%s): %s", len(new), "s" if len(new) != 1 else "", named,
                 said if isinstance(said, str) and said else "handed on to be copied ahead where on another drive")

    def _lost(self, folder: Path) -> str:
        """Which of the show's files lay in `folder`, for the line saying it is gone."""
        try:
            files = [*self.files(), *(self._matched_seen or ())]
            lost = sorted({str(path.relative_to(folder)) for path in files if path.is_relative_to(folder)})
        except Exception:  # (the show's file list is a courtesy here: never fail the watcher for it)
            lost = []
        if not lost:
            return "the show plays on and reloads when the folder is back"
        named = ", ".join(lost[:8]) + (f" and {len(lost) - 8} more" if len(lost) > 8 else "")
        return (f"{len(lost)} of the show's files are out of reach ({named}); the show plays on with what it "
                "holds (a scene whose file is gone shows its stand-in) and reloads when the folder is back")

    def _identified(self) -> list[Path]:
        """The folders watched on their own: the show folder, and the scenes folder where it
        lies outside it (one inside is watched with the show folder, whatever becomes of it)."""
        scenes = (self.root / self.scenes).resolve()
        return [self.root, *([scenes] if not scenes.is_relative_to(self.root.resolve()) else [])]

    def _follow_link(self) -> bool:
        """The show folder's link was flipped (`current -> show-v2`): watch where it leads and
        reload, even where a reload already read that folder (an edit made there before this
        watch moved onto it was never seen). False where no link moved."""
        flipped = self.link.flipped()
        if flipped is None:
            return False
        self.rearms += 1
        self.reloads += 1
        log.info("the show folder %s now leads to %s (was %s): watching it; reloading", self.root, *reversed(flipped))
        self.post(Command("reload", source="watch", extra={"changed": [str(self.root)]}))
        return True

    def _rearmed(self, appeared: bool, reload: bool = True) -> None:
        """A watched folder was moved, replaced or made: watch what is at its path now. What a
        new folder holds is new to the show, so it reloads (files written there before this
        moment were never seen), unless the changes just seen already asked for a reload."""
        self.rearms += 1
        scenes = (self.root / self.scenes).resolve()
        log.info("the folder %s (or the show folder) was moved, replaced or made: watching it again%s", scenes,
                 "; reloading" if appeared else "")
        if appeared and reload:
            self.reloads += 1
            self.post(Command("reload", source="watch", extra={"changed": [self._relative(str(scenes))]}))

    def _watched(self) -> list[Path]:
        """The show folder, and the scenes folder where it lies outside it."""
        scenes = (self.root / self.scenes).resolve()
        inside = scenes.is_relative_to(self.root.resolve())
        return [self.root] if inside or not scenes.is_dir() else [self.root, scenes]

    def _changed(self, changes: set[tuple[object, str]]) -> None:
        paths = sorted({self._relative(path) for _, path in changes})
        self.reloads += 1
        log.info("show files changed (%s); reloading", ", ".join(paths[:5]) + (" ..." if len(paths) > 5 else ""))
        self.post(Command("reload", source="watch", extra={"changed": paths}))

    def _relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path
