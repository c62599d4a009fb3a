"""Which camera thread has each camera device open, so that a new Camera on a device waits
for the last reader to let go (camera.py's _capture_session) and can tell a device still
shown by another scene from one a stopped camera's hung thread never gave back."""

from __future__ import annotations

import os
import threading
from pathlib import Path

# One lock for each device, held by the thread that has it open, and that thread's camera's
# stop signal (set once the camera was stopped: its thread is only ending, maybe hung).
_HOLDS: dict[str, threading.Lock] = {}
_USERS: dict[str, threading.Event] = {}
_LOCK = threading.Lock()


def device_name(source: int | str | Path) -> str:
    """index 0 and /dev/video0, or a by-id link and the node it points to, are one device."""
    return f"/dev/video{source}" if isinstance(source, int) else os.path.realpath(source)


def device_hold(name: str) -> threading.Lock:
    """The lock of the device called `name` (see device_name)."""
    with _LOCK:
        return _HOLDS.setdefault(name, threading.Lock())


def device_used(name: str, stopped: threading.Event | None) -> None:
    """The device is open now for a camera with this stop signal (None: let go)."""
    with _LOCK:
        if stopped is None:
            _USERS.pop(name, None)
        else:
            _USERS[name] = stopped


def device_in_use(name: str) -> bool:
    """Held for a camera not stopped: a scene still showing it (a crossfade's outgoing scene),
    not a thread left hung after its stop."""
    with _LOCK:
        stopped = _USERS.get(name)
    return stopped is not None and not stopped.is_set()
