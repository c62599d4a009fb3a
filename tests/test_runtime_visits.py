"""A short run of bench/visits.py: the portrait scene meeting eight visitors in a row, one
of each kind (a whole visit, a walk-by, leaving during the card, the framing or the
countdown, stepping out and back, the next one stepping straight in, an unplugged
camera), with recording on. The second visit of a scene's stay once went "live" on an
idling portrait while every test and the soak passed: the soak has no camera."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "visits.py"


@pytest.mark.slow
@pytest.mark.shared_data
def test_eight_visitors_in_a_row_are_each_animated_and_let_go(shared_data):
    spec = importlib.util.spec_from_file_location("bayard_visits", BENCH)
    visits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(visits)
    r = visits.run(len(visits.BEHAVIOURS), seed=3, progress=False, recording=True)
    assert r["failures"] == [] and r["faults"] == 0, (r["failures"], r["fault_summary"])
    assert set(r["behaviours"]) == set(visits.BEHAVIOURS)
    assert r["live_visits"] == r["calibrated"] == r["moved"] == 4  # whole, back, next, unplugged
    assert r["let_go"] == r["departures"] == 8
    assert r["newcomers"] == r["newcomers_afresh"] == 1
    assert 1 <= len(r["clips"]) <= 4
