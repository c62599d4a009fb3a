"""Snapshot comparison for key frames: stored small PNGs, compared within a tolerance.

Run with BAYARD_UPDATE_SNAPSHOTS=1 (or pytest --update-snapshots) to accept new looks
after an intended change; review the PNGs in tests/snapshots/ before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pygame

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = {"value": os.environ.get("BAYARD_UPDATE_SNAPSHOTS") == "1"}


def _small(surface: pygame.Surface, width: int = 480) -> np.ndarray:
    height = round(surface.get_height() * width / surface.get_width())
    small = pygame.transform.smoothscale(surface, (width, height))
    return pygame.surfarray.array3d(small).swapaxes(0, 1).astype(np.int16)


def assert_snapshot(surface: pygame.Surface, name: str, mean_tolerance: float = 3.0,
                    pixel_tolerance: float = 0.02) -> None:
    """Mean absolute difference under `mean_tolerance` levels and at most `pixel_tolerance`
    of pixels off by more than 40 levels (fonts and scalers differ slightly by platform)."""
    SNAPSHOTS.mkdir(exist_ok=True)
    path = SNAPSHOTS / f"{name}.png"
    current = _small(surface)
    if UPDATE["value"] or not path.exists():
        pygame.image.save(pygame.surfarray.make_surface(current.swapaxes(0, 1).astype(np.uint8)), str(path))
        if not UPDATE["value"]:
            raise AssertionError(f"no snapshot {path.name} existed; one was written: review it and run again")
        return
    stored = pygame.surfarray.array3d(pygame.image.load(str(path))).swapaxes(0, 1).astype(np.int16)
    assert stored.shape == current.shape, f"{name}: size changed {stored.shape} -> {current.shape}"
    diff = np.abs(stored - current)
    mean = float(diff.mean())
    far = float((diff.max(axis=2) > 40).mean())
    if mean > mean_tolerance or far > pixel_tolerance:
        failed = SNAPSHOTS / f"{name}.actual.png"
        pygame.image.save(pygame.surfarray.make_surface(current.swapaxes(0, 1).astype(np.uint8)), str(failed))
        raise AssertionError(f"{name}: differs from its snapshot (mean {mean:.2f}, {far:.1%} pixels far off); "
                             f"see {failed.name}")
