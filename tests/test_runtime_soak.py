"""A short soak through bench/soak.py: half an hour of show time with touches, commands and edits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "soak.py"


@pytest.mark.slow
def test_short_soak_never_crashes_nor_goes_black(tmp_path):
    spec = importlib.util.spec_from_file_location("bayard_soak", BENCH)
    soak = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(soak)
    result = soak.soak(hours=0.75, fps=4, edits=10, seed=7, folder=tmp_path)
    assert result["crashes"] == 0, result["crash_examples"]
    assert result["black_frames"] == 0, result["black_examples"]
    assert result["frames"] == 0.75 * 3600 * 4
    assert result["edits_valid"] == 5 and result["edits_invalid"] == 5
    # Invalid saves are reported, not swallowed (a rename to .bak while missing.toml is already
    # deleted changes nothing on disk, so it may legitimately report nothing new).
    assert result["invalid_edits_reported"] >= result["edits_invalid"] - 1
    assert result["dark_frames"] < result["frames"]  # the show really played (opens at 08:00)
    assert result["touches"] > 50
