"""Which motion backend a portrait scene runs, and giving one up when it keeps failing.

A mixin of PortraitScene (as its drawing is): the choice is made once per build from the
scene's `backend`, the show's [models] motion and what can run here; a backend that fails
on every frame for FAILOVER_S, or cannot start at all (not for a portrait's own problem),
is passed over until the show restarts and the next one takes its place.
"""

from __future__ import annotations

import threading
from pathlib import Path

# A motion backend failing on every frame this long (a GPU lost mid-show) gives way to the
# next one: long enough not to flee a passing hiccup, short enough that a visitor waits less.
FAILOVER_S = 3.0
# The portrait's frames per second (status, the operator overlay) are counted over this long.
FPS_WINDOW_S = 2.0


class BackendChoice:
    """Needs the scene's config, context, log, worker, backend_name, index, synchronous,
    _settings(), _make_animator(), _switch_to() and the attributes _backend_choice, _ready,
    _no_other_backend and _replacing."""

    def _choice(self):
        """The motion backend and every candidate's reason, chosen once per build: the
        check loads the face models, which the portrait checks and the animator reuse."""
        if self._backend_choice is None:
            from ..models.motion.choose import choose_backend

            _, models = self._settings()
            requested = self.config.backend or (models.motion if models is not None else "auto")
            self._backend_choice = choose_backend(self.context.models_dir or Path("models"), requested)
        return self._backend_choice

    def _count_frames(self) -> None:
        """The portraits the worker made per second over the last FPS_WINDOW_S, for status and
        the operator overlay: the animation's own speed, which the screen's fps does not show
        (the screen redraws the last portrait at its own rate)."""
        now, frames = self.context.clock.now(), self.worker.frames
        mark = self._fps_mark
        if mark is None or frames < mark[1]:  # (a new worker: another portrait, another backend)
            self._fps_mark = (now, frames)
        elif now - mark[0] >= FPS_WINDOW_S:
            self.model_fps = (frames - mark[1]) / (now - mark[0])
            self._fps_mark = (now, frames)

    def _failing_too_long(self) -> bool:
        since = self.worker.failing_since
        return (since is not None and not self._no_other_backend and self._replacing is None
                and self.context.clock.now() - since >= FAILOVER_S)

    def _fail_over(self) -> None:
        """A backend failing on every frame is passed over until the show restarts, and the
        portrait moves with the next one: a still portrait that invites visitors to move is
        worse than a plainer one that moves. The next one is built on a helper thread, as
        prepare() builds the first (the mesh takes up to a second): the render loop goes on
        drawing the still portrait meanwhile, and `_replaced()` swaps it in."""
        failed, why = self.backend_name, self.worker.error or "no reason given"
        if not self._pass_over(failed, why):
            return
        index = self.index
        self._replacing = (failed, why, None)

        def build() -> None:  # numpy/OpenCV work only, like prepare(): no pygame here
            try:
                built = (index, self._make_animator(index))
            except Exception as exc:  # the main thread's _switch_to builds it again and says why
                built = exc
            self._replacing = (failed, why, built)

        if self.synchronous:  # renders and tests: in step with the clock
            build()
        else:
            threading.Thread(target=build, name="portrait-next-backend", daemon=True).start()

    def _replaced(self) -> bool:
        """Swap in the backend built after a failure, once it is ready (main thread)."""
        if self._replacing is None or self._replacing[2] is None:
            return False
        failed, why, built = self._replacing
        self._replacing = None
        if not isinstance(built, Exception):
            self._ready = built
        self._switch_to(self.index)
        self._tell_passed_over(failed, why, f"failed on every frame for {FAILOVER_S:.0f} s")
        return True

    def _pass_over(self, failed: str, why: str) -> bool:
        """Mark a backend failed until the show restarts; whether another can run instead."""
        from ..models.motion.choose import mark_failed

        mark_failed(failed, why)
        self._backend_choice = None
        if self._choice().name == failed:  # nothing else can run here: keep the still portrait
            self._no_other_backend = True
            self.log.error("the %s motion backend fails (%s) and no other can run here", failed, why)
            return False
        return True

    def _tell_passed_over(self, failed: str, why: str, how: str) -> None:
        message = (f"the {failed} motion backend {how} ({why}); the portrait moves with "
                   f"{self._choice().name} until the show restarts")
        self.log.error("%s", message)
        self.context.report(message)

    def _backend_status(self) -> dict | None:
        """The running backend's own report for /bayard/status (FOMM: its device, precision
        and movement scale), or None where it keeps none (the mesh's is its choice reason)."""
        backend = getattr(getattr(self.worker, "animator", None), "backend", None)
        report = getattr(backend, "status", None)
        if not callable(report):
            return None
        try:
            return report()
        except Exception as exc:  # a report must never take status down with it
            return {"error": f"{type(exc).__name__}: {exc}"}
