"""The files a loaded show reads, for the watcher (which of them a drive taken out holds, the
films its folder patterns match) and for copying its films off a USB stick ahead. Apart from
watch.py, which watches folders and knows no show."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def show_files(show: Any) -> list[Path]:
    """The files a loaded show reads: its show file, its scene files and every media file its
    scenes name (absolute), for saying which are out of reach when their drive goes."""
    from ..config.media_check import media_references

    files = [Path(show.path), *(Path(f) for f in show.scene_files.values())]
    for config in show.scenes.values():
        files += [Path(show.content_root) / relative for _, relative in media_references(config)]
    return files


def folder_matches(show: Any) -> list[Path]:
    """The files a loaded show's folder patterns match now (a loop's `folder = "films/*.mp4"`),
    absolute, each once."""
    found: dict[Path, None] = {}
    for config in show.scenes.values():
        matched = getattr(config, "folder_files", None)
        for path in matched(Path(show.content_root)) if callable(matched) else []:
            found[Path(path)] = None
    return list(found)


def show_films(show: Any) -> list[Path]:
    """The films a loaded show plays, those of its playlist first, each once."""
    from ..config.media_check import media_references
    from ..media.sources import VIDEO_SUFFIXES

    order = [*show.playlist, *(s for s in show.scenes if s not in show.playlist)]
    films: dict[Path, None] = {}
    for scene_id in order:
        if scene_id not in show.scenes:
            continue
        config = show.scenes[scene_id]
        named = [Path(show.content_root) / relative for _, relative in media_references(config)]
        # A loop's films given by a folder pattern ("films/*.mp4") are the show's films too:
        # left out, each was copied off the stick only when it first played, and stuttered.
        matched = getattr(config, "folder_files", None)
        for path in [*named, *(matched(Path(show.content_root)) if callable(matched) else [])]:
            if path.suffix.lower() in VIDEO_SUFFIXES:
                films[path] = None
    return list(films)
