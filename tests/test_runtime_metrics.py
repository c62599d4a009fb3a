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


def test_the_endpoint_tells_a_frozen_a_safe_and_a_closed_show_from_a_healthy_one():
    """A technician's alerts read the endpoint, not the screen: the fps gauge kept its last
    figure when frames stopped, memory was the figure of the last status request, safe
    mode and closed hours were not there at all, and the first error of a kind was a series
    born at 1, which increase() never counts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    metrics = Metrics.start(port, "127.0.0.1")
    assert metrics is not None
    tick = Tick()
    state = {"safe": False, "open": True}
    try:
        health = Health(clock=tick)
        health.exporter = metrics
        metrics.watch(health, lambda: state["safe"], lambda: state["open"])

        def scrape() -> dict[str, float]:
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
            return {line.split(" ")[0]: float(line.split(" ")[1]) for line in body.splitlines()
                    if line and not line.startswith("#")}

        before = scrape()
        assert before["bayard_errors_all_total"] == 0.0  # there from the start
        assert before["bayard_resident_memory_bytes"] > 10e6  # read now, with no status asked
        assert 'bayard_build_info{version="' in "".join(before)
        for _ in range(120):
            tick.t += 1 / 30
            health.frame(1 / 30)
        playing = scrape()
        assert 25 < playing["bayard_fps"] < 35 and playing["bayard_seconds_since_frame"] == 0.0
        assert playing["bayard_safe_mode"] == 0.0 and playing["bayard_open"] == 1.0
        tick.t += 20  # frames stop
        state.update(safe=True, open=False)
        health.error("runtime")
        frozen = scrape()
        assert frozen["bayard_fps"] == 0.0 and frozen["bayard_seconds_since_frame"] == 20.0
        assert frozen["bayard_safe_mode"] == 1.0 and frozen["bayard_open"] == 0.0
        assert frozen["bayard_errors_all_total"] == 1.0
    finally:
        metrics.stop()
