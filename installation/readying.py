"""Getting a built scene ready to show without ever holding a frame.

A scene becomes ready in two steps. `prepare()` decodes media on a worker thread
(numpy only, no pygame). `warm()` then turns those results into surfaces on the main
thread, where pygame must run, a few milliseconds per frame, while the scene on screen
keeps playing. A burst of navigation once froze the show for 36 s because every `next`
waited for its scene's `prepare()` on the main thread; now nothing here waits.

Renders and tests ask for `synchronous` readying: everything happens at once, so a
stepped clock sees the same frames every run.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .slot import Slot

# Main-thread time per frame spent warming scenes: a quarter of a 60 fps frame.
WARM_SLICE_S = 0.004
# Show time a scene's prepare() may take before the scene is skipped this time round. A film's
# prepare copies it off a USB stick for its sound; a stick hung in its reads held the one prepare
# worker until the kernel gave up on the drive, and the show stood on the scene before it. Far
# past a healthy prepare. Counted from the prepare's last sign of work: one whose thread spent
# CPU time in the last PREPARE_DEADLINE_S is slow, not stuck (a quiz judging its pictures, a
# portrait's first mesh, a slow copy, on a Pi-class machine), and runs on; a read hung on a drive
# spends none.
PREPARE_DEADLINE_S = 60.0
# CPU time a prepare's thread must spend in a deadline's span to count as working: a hung read
# spends none; a copy crawling off a slow stick spends more than this on its read calls.
WORKING_CPU_S = 0.001


class PrepareOverdue(TimeoutError):
    """A scene's prepare() ran past PREPARE_DEADLINE_S."""


class _Worker:
    """One daemon thread running prepare() calls in order. Not a ThreadPoolExecutor: the
    interpreter joins those at exit, so a slow prepare (a quiz judging its images) held
    a SIGTERM for as long as it ran. prepare() only reads, so cutting it short is safe."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def submit(self, call: Callable[[], Any]) -> Future:
        future: Future = Future()
        self._jobs.put((future, call))
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(self._jobs,), name="prepare", daemon=True)
            self._thread.start()
        return future

    def set_aside(self) -> None:
        """The thread is stuck in a prepare (its files on a drive that does not answer): the
        prepares queued behind it, and later ones, run on a fresh thread; the stuck one ends
        once its call returns."""
        stuck = self._jobs
        self._jobs, self._thread = queue.SimpleQueue(), None
        waiting = []
        while True:
            try:
                job = stuck.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                waiting.append(job)
        stuck.put(None)
        for future, call in waiting:
            self._jobs.put((future, call))
        if waiting:
            self._thread = threading.Thread(target=self._run, args=(self._jobs,), name="prepare", daemon=True)
            self._thread.start()

    def _run(self, jobs: queue.SimpleQueue) -> None:
        while (job := jobs.get()) is not None:
            future, call = job
            future.ran_on = threading.get_ident()  # (whose CPU time says it still works)
            if not future.set_running_or_notify_cancel():
                continue  # abandoned before it started
            try:
                future.set_result(call())
            except BaseException as exc:  # handed to the main thread's fault boundary
                future.set_exception(exc)

    def shutdown(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
        self._jobs.put(None)


def _cpu_time(future: Future) -> float | None:
    """CPU time of the thread running `future`'s prepare; None where it cannot be asked."""
    ident = getattr(future, "ran_on", None)
    clock_id = getattr(time, "pthread_getcpuclockid", None)  # (POSIX only)
    if ident is None or clock_id is None:
        return None
    try:
        return time.clock_gettime(clock_id(ident))
    except (OSError, ValueError):  # (the thread has ended)
        return None


class Readying:
    def __init__(
        self,
        fault: Callable[[str, str, BaseException, Slot], None],
        synchronous: bool,
        work_clock: Callable[[], float] = time.perf_counter,
        now: Callable[[], float] | None = None,
    ) -> None:
        self._fault = fault
        self._now = now or work_clock  # the show's clock, for PREPARE_DEADLINE_S
        self.synchronous = synchronous
        # Measures main-thread work, not show time: the show's clock may be stepped.
        self._work_clock = work_clock
        self._worker = _Worker()
        self._abandoned: list[Slot] = []

    def begin(self, slot: Slot) -> bool:
        """Start preparing; False when a synchronous prepare failed (already reported)."""
        if not self.synchronous:
            slot.prepared = self._worker.submit(slot.scene.prepare)
            return True
        try:
            slot.scene.prepare()
        except Exception as exc:  # the fault boundary: reported, the caller tries another scene
            self._fault(slot.scene_id, "prepare", exc, slot)
            return False
        return True

    def deadline(self) -> float | None:
        return None if self.synchronous else self._work_clock() + WARM_SLICE_S

    def ready(self, slot: Slot, deadline: float | None) -> bool:
        """Advance the slot towards showing within `deadline` (None: finish now). True
        when it can be switched to, or when it failed (its scene is then None)."""
        if slot.scene is None:
            return True
        if slot.prepared is not None:
            if not slot.prepared.done():
                # Timed from when it began running, seen here: one queued behind a stuck
                # prepare is not overdue itself, and goes on once that one is set aside.
                if not slot.prepared.running():
                    return False
                if slot.prepare_started is None:
                    slot.prepare_started, slot.prepare_cpu = self._now(), _cpu_time(slot.prepared)
                # Looked at each frame (one clock read), not only at the deadline: a prepare that
                # worked a moment, then hung on its drive, counted that moment as a sign of work at
                # the deadline and was given a whole new span: skipped up to twice the deadline
                # after it hung.
                cpu = _cpu_time(slot.prepared)
                if cpu is not None and slot.prepare_cpu is not None and cpu - slot.prepare_cpu >= WORKING_CPU_S:
                    slot.prepare_started, slot.prepare_cpu = self._now(), cpu  # working: its last sign of work
                if self._now() - slot.prepare_started < PREPARE_DEADLINE_S:
                    return False
                self._overdue(slot)
                return True
            error = slot.prepared.exception()
            slot.prepared = None
            if error is not None:
                self._fault(slot.scene_id, "prepare", error, slot)
                return True
        if slot.warming is None:
            try:
                slot.warming = iter(slot.scene.warm())
            except Exception as exc:  # the fault boundary
                self._fault(slot.scene_id, "warm", exc, slot)
                return True
        while not slot.warmed:
            if deadline is not None and self._work_clock() >= deadline:
                return False
            try:
                next(slot.warming)
            except StopIteration:
                slot.warmed = True
            except Exception as exc:  # the fault boundary
                self._fault(slot.scene_id, "warm", exc, slot)
                return True
        return True

    def _overdue(self, slot: Slot) -> None:
        """Skip a scene whose prepare ran past its deadline (reported as its fault, so it is
        tried again later); its scene is released once the prepare returns (it may hold a
        decoder by then), and the prepares behind it go on without it."""
        self._abandoned.append(Slot(slot.scene_id, slot.scene, slot.index, prepared=slot.prepared, overdue=True))
        # Handed over whole: the fault boundary releases a failed slot's scene at once, and this
        # one's prepare still runs (its exit waits for it).
        slot.scene, slot.prepared = None, None
        self._worker.set_aside()
        self._fault(slot.scene_id, "prepare", PrepareOverdue(
            f"its prepare did not finish within {PREPARE_DEADLINE_S:g} s of its last work (its media on a drive "
            "that does not answer? a USB stick failing?); the show goes on without it and tries it again later"), slot)

    def abandon(self, slot: Slot, release: Callable[[Slot], None]) -> None:
        """A slot nobody will show: release it now, or once its prepare() has finished
        (a running prepare cannot be stopped, and may still be opening files)."""
        future = slot.prepared
        if future is not None and not future.done():
            if future.cancel():
                slot.scene = None  # prepare never ran: nothing was opened
            else:
                self._abandoned.append(slot)
            return
        release(slot)

    def reap(self, release: Callable[[Slot], None]) -> None:
        """Release abandoned slots whose prepare() has finished (once per frame)."""
        if not self._abandoned:
            return
        keep: list[Slot] = []
        done: list[Slot] = []
        for slot in self._abandoned:
            (done if slot.prepared is None or slot.prepared.done() else keep).append(slot)
        self._abandoned = keep
        for slot in done:
            slot.prepared = None
            release(slot)

    def stuck(self, scene_id: str, config: Any) -> bool:
        """A prepare of this scene, as `config` sets it, ran past its deadline and has not returned.
        Preparing it again would start one more prepare on the same drive that does not answer:
        each retry of a film on a dead stick left another thread and scene stuck there until the
        kernel gave up. A scene a reload changed (its film copied to the show's disk) goes ahead."""
        return any(slot.overdue and slot.scene_id == scene_id and slot.prepared is not None
                   and not slot.prepared.done() and getattr(slot.scene, "config", None) == config
                   for slot in self._abandoned)

    @property
    def busy(self) -> int:
        """Slots still preparing that nobody will show (for status)."""
        return len(self._abandoned)

    def shutdown(self, release: Callable[[Slot], None]) -> None:
        self._worker.shutdown()
        self.reap(release)
