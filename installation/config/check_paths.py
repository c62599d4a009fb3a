"""`bayard check`: paths named in the show that only fail once the show runs.

Each was found passing `check` while the running show said otherwise: a camera path not
there now, a video standing in for the camera that is missing, an OSC passcodes file that
is missing (OSC is then off), a loop folder whose glob matches nothing, and a subtitles
file that cannot be read as SRT.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..media.folder_pattern import pattern_files
from ..runtime.files import read_text
from .errors import Problem, shown
from .locate import line_of
from .media_check import named_media
from .media_names import BACKSLASHED, nearest_media


def show_path_problems(show: Any) -> list[Problem]:
    return _camera(show) + _passcodes(show)


def camera_film_missing(show: Any) -> list[Problem]:
    """A film standing in for the camera (`[camera] file`) that is not in the content folder:
    `check` says it, and the running show lists it with the missing media (its log, status and
    the overlay), in the same words. The portrait shows no visitor until it is there."""
    camera = show.config.camera
    # Read from the content folder, as every media path is (an absolute path, as written).
    if not camera.file or (show.content_root / camera.file).is_file():
        return []
    if Path(camera.file).is_absolute():
        # Not "in the content folder ...; it starts inside the content folder": the film was
        # looked for on the drive or folder the path names (a stick not plugged in, say).
        said = (f"no video at '{camera.file}' (the path names a drive or folder outside the content folder: "
                f"plug in that drive, or copy the film into {shown(show.content_root, show.root)}/ and name it "
                "from there)")
    else:
        # (Its hint offers no film another line names, as a scene's missing media's does.)
        said = (f"no video '{camera.file}' in the content folder {shown(show.content_root, show.root)}/"
                f"{nearest_media(show.content_root, camera.file, named_media(show))}")
    return [Problem(show.path, line_of(read_text(show.path), ("camera", "file")), "camera.file",
                    f"{said}; until then the portrait shows no visitor", missing=camera.file)]


def _camera(show: Any) -> list[Problem]:
    camera = show.config.camera
    if camera.file:
        return camera_film_missing(show)
    source = read_text(show.path)
    device = camera.device
    if not isinstance(device, str) or Path(device).exists():
        return []
    # A camera named by its device path that is not there now: unplugged, or the path
    # mistyped (the show waits for it and says so, but the technician should know now).
    return [Problem(show.path, line_of(source, ("camera", "device")), "camera.device",
                    f"no camera at {device} now (unplugged, or the path mistyped? `ls /dev/v4l/by-id/` "
                    "lists the cameras plugged in); the portrait waits for it", severity="warning")]


def _passcodes(show: Any) -> list[Problem]:
    osc = show.config.osc
    if not osc.enabled or osc.passcodes_file is None:
        return []
    from ..inputs.osc.config import PasscodeFileError

    line = line_of(read_text(show.path), ("osc", "passcodes_file"))
    expanded = os.path.expandvars(osc.passcodes_file)
    if "$" in expanded:  # ${CREDENTIALS_DIRECTORY} exists only inside the service
        return [Problem(show.path, line, "osc.passcodes_file",
                        f"'{osc.passcodes_file}' names a variable that is not set here; it is checked when the "
                        "service starts (systemd sets $CREDENTIALS_DIRECTORY for LoadCredential=)",
                        severity="warning")]
    try:
        _, warning = osc.with_passcodes_file(show.root)
    except PasscodeFileError as error:
        return [Problem(show.path, line, "osc.passcodes_file", f"{error}; OSC stays off until it is fixed")]
    return [Problem(show.path, line, "osc.passcodes_file", warning, severity="warning")] if warning else []


def scene_path_problems(show: Any) -> list[Problem]:
    """Per scene: a loop folder that matches nothing, subtitles that are not SRT."""
    problems = []
    for scene_id, config in show.scenes.items():
        file = show.scene_files[scene_id]
        folder = getattr(config, "folder", None)
        if config.type == "loop" and folder and not pattern_files(show.content_root, folder):
            problems.append(Problem(file, line_of(read_text(file), ("folder",)), "folder",
                                    f"'{folder}' matches no file in the content folder {show.content_root}"
                                    f"{_slashed_folder(show.content_root, folder)}; the loop shows its other "
                                    "items (or a resting card) until files are there", severity="warning"))
        subtitles = getattr(config, "subtitles", None)
        if config.type == "video" and subtitles and (show.content_root / subtitles).is_file():
            from ..scenes.video_subtitles import SubtitleError, parse_srt

            try:
                parse_srt(read_text(show.content_root / subtitles), subtitles)
            except (SubtitleError, UnicodeDecodeError, OSError) as error:
                problems.append(Problem(file, line_of(read_text(file), ("subtitles",)), "subtitles",
                                        f"{error}; the film plays without subtitles until it is mended"))
    return problems


def _slashed_folder(content_root: Path, folder: str) -> str:
    """'; write ...' for a loop's folder typed with backslashes between folders, as Windows writes
    it ('photos\\', 'faces\\*.jpg'): a media path's line says it (media_names.nearest_media), and
    the folder's said only that it matched nothing, beside the files it meant."""
    slashed = "".join(BACKSLASHED.get(c, c) for c in folder)
    if slashed == folder:
        return ""
    if pattern_files(content_root, slashed):
        return f'; folders are separated with /, not \\: write `folder = "{slashed}"`'
    return f"; separate folders with /, not \\ ('{slashed}'), and check that the files are there"
