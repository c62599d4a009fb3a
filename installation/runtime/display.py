"""The monitor's power outside opening hours: DPMS through `xset`, where X provides it."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable, Mapping

log = logging.getLogger("bayard.runtime")


class DisplayPower:
    """Switch the monitor off and on with DPMS through `xset` where X provides it."""

    def __init__(self, env: Mapping[str, str], run: Callable[[list[str]], int] | None = None) -> None:
        self.available = bool(env.get("DISPLAY")) and shutil.which("xset") is not None
        self._run = run or self._xset
        if run is not None:
            self.available = True
        self.is_off = False

    @staticmethod
    def _xset(argv: list[str]) -> int:
        try:
            return subprocess.run(argv, timeout=5, capture_output=True).returncode
        except (OSError, subprocess.TimeoutExpired):
            return 1

    def off(self) -> bool:
        if not self.available:
            return False
        ok = self._run(["xset", "dpms", "force", "off"]) == 0
        self.is_off = ok
        if not ok:
            self.available = False
            log.warning("cannot switch the display off with DPMS; showing a dark screen instead")
        return ok

    def on(self) -> None:
        if self.is_off:
            self._run(["xset", "dpms", "force", "on"])
            # Back to "never blank": DPMS was switched on by 'force off'.
            self._run(["xset", "-dpms"])
            self.is_off = False
