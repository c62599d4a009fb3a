"""Health summary and the optional Prometheus endpoint."""

from __future__ import annotations

import logging
import socket
import sys
import urllib.request

from installation.runtime.metrics import Health, Metrics


class Tick:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_health_summary_counts_frames_scenes_errors():
    tick = Tick()
    health = Health(clock=tick)
    for _ in range(300):
        tick.t += 1 / 60
        health.frame(1 / 60)
    tick.t += 0.25
    health.frame(0.25)
    health.scene_changed("intro")
    health.scene_changed("quiz")
    health.error("scene_draw")
    summary = health.summary()
    assert 45 < summary["fps"] < 61
    assert summary["frames"] == 301 and summary["scene"] == "quiz" and summary["scene_changes"] == 2
    assert summary["errors"] == {"scene_draw": 1}
    assert summary["worst_frame_ms"] == 250.0
    assert summary["rss_mb"] > 10 and summary["open_fds"] > 2
    tick.t += 30  # the render loop stalled: status shows how long since the last frame
    assert health.summary()["seconds_since_frame"] == 30.0


def test_prometheus_endpoint_serves_the_figures():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    metrics = Metrics.start(port, "127.0.0.1")
    assert metrics is not None
    try:
        health = Health()
        health.exporter = metrics
        health.frame(0.02)
        health.scene_changed("intro")
        health.error("media")
        health.summary()
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert 'bayard_scene_changes_total{scene="intro"} 1.0' in body
        assert 'bayard_errors_total{kind="media"} 1.0' in body
        assert 'bayard_frame_seconds_bucket{le="0.025"} 1.0' in body
        assert "bayard_resident_memory_bytes" in body and "bayard_fps" in body
    finally:
        metrics.stop()


def test_missing_prometheus_client_is_said_once(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # import now raises ImportError
    monkeypatch.setattr(Metrics, "_warned", False)
    with caplog.at_level(logging.WARNING):
        assert Metrics.start(9) is None
        assert Metrics.create() is None
    warnings = [r for r in caplog.records if "prometheus-client is not installed" in r.getMessage()]
    assert len(warnings) == 1


def test_port_in_use_is_a_clear_error(caplog):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with caplog.at_level(logging.ERROR):
            assert Metrics.start(port, "127.0.0.1") is None
    assert "choose another metrics_port" in caplog.text


def test_metrics_listen_on_this_machine_unless_configured():
    # Issue 12: the endpoint listened on every interface by default.
    from installation.runtime.service import RuntimeConfig

    assert RuntimeConfig(metrics_port=9101).metrics_bind == "127.0.0.1"
    assert RuntimeConfig(metrics_port=9101, metrics_bind="0.0.0.0").metrics_bind == "0.0.0.0"
