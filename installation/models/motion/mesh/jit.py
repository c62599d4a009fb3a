"""numba for the mesh's few hot loops, where it is installed and works.

A kiosk must animate without numba (it may be missing, or fail to compile on an odd CPU),
so each compiled loop has a numpy twin giving the same numbers, and is only used after it
has drawn a small known case right. Compiled code is kept in numba's on-disk cache where
the install can be written, else compiled afresh at each start (seconds, once)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

Built = TypeVar("Built")


def compile_checked(what: str, fallback: str, build: Callable[[object, bool], Built],
                    check: Callable[[Built], None]) -> Built | None:
    """`build(numba, cache)` compiled and passed through `check` (which raises on a wrong
    answer), first with numba's disk cache and then without; None where numba is missing or
    every try fails, after one log line naming `what` and the `fallback` used instead."""
    try:
        import numba
    except ImportError:
        log.info("numba is not installed: %s", fallback)
        return None
    for cache in (True, False):  # a read-only install cannot keep the compiled code
        try:
            built = build(numba, cache)
            check(built)
        except Exception as error:  # any failure to compile leaves the numpy path
            log.warning("numba could not compile %s (cache=%s): %s", what, cache, error)
            continue
        return built
    return None
