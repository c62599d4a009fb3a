"""Which drive a file lies on, and the folder on the show's own disk that films are copied
to: a file on another drive than that folder is on a USB stick (or another removable drive).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

FILMS = "films"


def cache_folder(env: Mapping[str, str]) -> Path | None:
    """Where films are copied: systemd's CacheDirectory (/var/cache/bayard), else the user's
    cache folder; None where the environment names none (a test's empty environment)."""
    if env.get("CACHE_DIRECTORY"):
        return Path(env["CACHE_DIRECTORY"].split(":")[0]) / FILMS
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "bayard" / FILMS
    if env.get("HOME"):
        return Path(env["HOME"]) / ".cache" / "bayard" / FILMS
    return None


def device(path: Path) -> int | None:
    """The filesystem `path` (or its nearest existing folder) lives on."""
    for folder in (path, *path.parents):
        try:
            return os.stat(folder).st_dev
        except OSError:
            continue
    return None


def apart(path: Path, home: Path) -> bool:
    """Whether `path` lies on another drive than `home` (a folder on the show's disk)."""
    here, there = device(Path(home)), device(Path(path))
    return here is not None and there is not None and here != there


def mount_point(path: Path) -> Path:
    """The folder `path`'s drive is mounted at (/media/bayard/STICK): what a technician knows a
    drive by. The topmost folder on `path`'s filesystem; `path` itself where it cannot be told."""
    path = Path(os.path.abspath(path))
    here = device(path)
    top = path
    for folder in path.parents:
        try:
            if os.stat(folder).st_dev != here:
                break
        except OSError:
            break
        top = folder
    return top
