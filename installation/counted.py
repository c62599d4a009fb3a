"""Counts in the technician's words: "1 scene", "2 scenes", never "1 scenes" or "1 error(s)"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural (by default with an s) unless the count is one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
