"""Health figures for /bayard/status and, optionally, a Prometheus endpoint.

A museum with twenty kiosks watches them with the tools it already runs; Prometheus
(with Grafana or Alertmanager) is the common one. prometheus-client is optional and
imported only when the endpoint is switched on; without it the show says so once and
carries on. `Health` is the plain dictionary side, always available, cheap to call.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .. import __version__

log = logging.getLogger("bayard.runtime.metrics")

# Frame-time buckets in seconds: around 16.7 ms (60 fps) and 33 ms (30 fps), up to hitches.
FRAME_BUCKETS_S = (0.008, 0.0167, 0.025, 0.0334, 0.05, 0.1, 0.25, 1.0)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int | None:
    """Resident memory now (not the peak), from /proc; None where unavailable."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


class Health:
    """Counts what the engine reports and summarises it for status.

    The engine calls `frame(dt)` once per frame, `scene_changed(id)`, `error(kind)`; the
    optional `Metrics` exporter is fed from the same calls.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, fps_window_s: float = 5.0) -> None:
        self._clock = clock
        self.started = clock()
        self.frames = 0
        self.scene_changes = 0
        self.errors: dict[str, int] = {}
        self.current_scene: str | None = None
        self.last_frame_at: float | None = None
        self._recent: deque[float] = deque()
        self._window = fps_window_s
        self.worst_frame_s = 0.0
        self.extra: dict[str, Any] = {}
        self.exporter: Metrics | None = None

    def frame(self, dt: float) -> None:
        now = self._clock()
        self.frames += 1
        self.last_frame_at = now
        self._recent.append(now)
        while self._recent and now - self._recent[0] > self._window:
            self._recent.popleft()
        self.worst_frame_s = max(self.worst_frame_s, dt)
        if self.exporter:
            self.exporter.frame(dt, self.fps())

    def fps(self) -> float:
        """Frames per second over the last few seconds, as of now: a show that froze reads
        0 once the window has passed (its last figure once stood for ever). Safe to call
        from the metrics server's thread (it only reads a copy)."""
        recent = list(self._recent)
        now = self._clock()
        recent = [t for t in recent if now - t <= self._window]
        if len(recent) < 2:
            return 0.0
        span = recent[-1] - recent[0]
        return (len(recent) - 1) / span if span > 0 else 0.0

    def seconds_since_frame(self) -> float:
        """Since the last frame, or since the start while none has been drawn (a show that
        never drew one is as stuck as one that stopped)."""
        return self._clock() - (self.started if self.last_frame_at is None else self.last_frame_at)

    def scene_changed(self, scene_id: str) -> None:
        self.scene_changes += 1
        self.current_scene = scene_id
        if self.exporter:
            self.exporter.scene_changed(scene_id)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if self.exporter:
            self.exporter.error(kind)

    def summary(self) -> dict[str, Any]:
        now = self._clock()
        rss = rss_bytes()
        return {
            "uptime_s": round(now - self.started, 1),
            "frames": self.frames,
            "fps": round(self.fps(), 1),
            "seconds_since_frame": None if self.last_frame_at is None else round(now - self.last_frame_at, 2),
            "version": __version__,
            "worst_frame_ms": round(self.worst_frame_s * 1000, 1),
            "scene": self.current_scene,
            "scene_changes": self.scene_changes,
            "errors": dict(self.errors),
            "rss_mb": None if rss is None else round(rss / 2**20, 1),
            "open_fds": open_fds(),
            "metrics_endpoint": self.exporter.address if self.exporter else None,
            **self.extra,
        }


class Metrics:
    """A Prometheus exporter on its own registry (so several engines in one test process
    do not collide). Build it with `Metrics.start(port)`; returns None when unavailable."""

    def __init__(self, registry: Any, prometheus: Any) -> None:
        self.registry = registry
        self.address: str | None = None
        self._server: Any = None
        self.fps_gauge = prometheus.Gauge("bayard_fps", "Frames per second over the last seconds", registry=registry)
        self.frame_time = prometheus.Histogram(
            "bayard_frame_seconds", "Time between produced frames", buckets=FRAME_BUCKETS_S, registry=registry
        )
        self.scene_changes = prometheus.Counter(
            "bayard_scene_changes", "Scene changes", ["scene"], registry=registry
        )
        self.errors = prometheus.Counter("bayard_errors", "Errors by kind", ["kind"], registry=registry)
        # One series from 0 at start: a labelled series is born at 1 with its first error,
        # which increase() over a window never counts (the first error of a kind went unseen).
        self.errors_all = prometheus.Counter("bayard_errors_all", "Errors of any kind", registry=registry)
        # Read when scraped, not when someone asked for /bayard/status (memory was the
        # figure of the last status request, fps the last frame's even when frames stopped).
        self.rss = prometheus.Gauge("bayard_resident_memory_bytes", "Resident memory", registry=registry)
        self.rss.set_function(lambda: rss_bytes() or 0)
        self.up = prometheus.Gauge("bayard_up_since_seconds", "Start time of the show process", registry=registry)
        self.up.set(time.time())
        self.since_frame = prometheus.Gauge(
            "bayard_seconds_since_frame", "Seconds since the last frame was drawn (a frozen show grows)",
            registry=registry)
        self.safe_mode = prometheus.Gauge(
            "bayard_safe_mode", "1 while the crash-loop guard holds the show on its safe card", registry=registry)
        self.open = prometheus.Gauge(
            "bayard_open", "1 while the show is open, 0 while opening hours close it", registry=registry)
        info = prometheus.Gauge("bayard_build_info", "The software's version", ["version"], registry=registry)
        info.labels(version=__version__).set(1)

    def watch(self, health: Health, safe_mode: Callable[[], bool], is_open: Callable[[], bool]) -> None:
        """Figures read live at each scrape (from the server's thread: plain reads only)."""
        self.fps_gauge.set_function(health.fps)
        self.since_frame.set_function(health.seconds_since_frame)
        self.safe_mode.set_function(lambda: 1.0 if safe_mode() else 0.0)
        self.open.set_function(lambda: 1.0 if is_open() else 0.0)

    _warned = False

    @classmethod
    def create(cls) -> Metrics | None:
        try:
            import prometheus_client  # lazy: optional dependency
        except ImportError:
            if not cls._warned:
                cls._warned = True
                log.warning(
                    "metrics are switched on but prometheus-client is not installed; "
                    "install it with `pip install prometheus-client` (or the 'metrics' extra). Continuing without."
                )
            return None
        return cls(prometheus_client.CollectorRegistry(), prometheus_client)

    @classmethod
    def start(cls, port: int, address: str = "0.0.0.0") -> Metrics | None:
        metrics = cls.create()
        if metrics is None:
            return None
        import prometheus_client

        try:
            result = prometheus_client.start_http_server(port, addr=address, registry=metrics.registry)
        except OSError as error:
            fix = ("another program uses that port: choose another metrics_port" if error.errno == errno.EADDRINUSE
                   else "check [runtime] metrics_bind (an address of this machine) and metrics_port")
            log.error("cannot serve metrics on %s:%d (%s); %s in install.toml", address, port, error, fix)
            return None
        # Newer clients return (server, thread); keep the server so tests can shut it down.
        if isinstance(result, tuple):
            metrics._server = result[0]
        metrics.address = f"http://{address}:{port}/metrics"
        return metrics

    def frame(self, dt: float, fps: float) -> None:
        self.frame_time.observe(dt)

    def scene_changed(self, scene_id: str) -> None:
        self.scene_changes.labels(scene=scene_id).inc()

    def error(self, kind: str) -> None:
        self.errors.labels(kind=kind).inc()
        self.errors_all.inc()

    def text(self) -> str:
        import prometheus_client

        return prometheus_client.generate_latest(self.registry).decode()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
