"""`bayard check` for quiz scenes: every item should show a face. The face detector reads
the face it finds; without one it reads the middle of the picture and says so on the
reveal, and a "which face is real?" quiz with no face in it is a broken question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config.errors import Problem
from ..config.locate import line_of
from .quiz_items import ItemsError, load_folder, load_manifest


def quiz_items_of(config, content_root: Path):
    if getattr(config, "manifest", None) is not None:
        return load_manifest(content_root / config.manifest, content_root)
    return load_folder(config.real, "real", content_root) + load_folder(config.fake, "fake", content_root)


def check_quiz_faces(config: Any, show: Any) -> list[Problem]:
    """`bayard check` (the scene kind's `check_content`): a warning per quiz item in which
    the face stack finds no face (none when the face stack cannot load: that is reported
    elsewhere, and then nothing can be checked)."""
    from ..imaging import MediaError, read_rgb
    from ..models.face import portrait_faces, try_open

    file = show.scene_files[config.id]
    source = file.read_text(encoding="utf-8") if file.exists() else ""
    key = "manifest" if getattr(config, "manifest", None) is not None else "real"
    try:
        items = quiz_items_of(config, show.content_root)
    except ItemsError as error:
        if key == "manifest" and (show.content_root / config.manifest).is_file():
            # A manifest that is there but cannot be read (not TOML, an unknown truth): the
            # quiz would rest with no pictures, and `check` said the show was fine.
            return [Problem(file, line_of(source, (key,)), key,
                            f"{error}; until it is mended the quiz rests with no pictures")]
        return []  # a missing manifest or folder is check_media's to report
    stack, _ = try_open(show.models_dir)
    if stack is None or not items:
        return []
    problems = []
    for item in items:
        try:
            image = read_rgb(item.path)
        except MediaError:
            continue  # unreadable files are check_media's to report
        if not portrait_faces(image, stack):
            problems.append(Problem(
                file, line_of(source, (key,)), key,
                f"quiz item '{item.key}' shows no face the face stack can find; the detector will read the "
                "middle of the picture. Use a portrait, or crop the picture to the face",
                severity="warning"))
    return problems


def describe(show: Any) -> list[str]:
    """Lines for `bayard check`: which machine each quiz plays with, and how many of its
    items have a cross-fitted verdict (`bayard detector fit --quiz`), which the quiz uses
    instead of the detector's own."""
    from ..models.detector import DETECTORS
    from ..models.detector.crossfit import CROSSFIT_FILE, crossfit_figures, crossfit_verdicts, sha256_of

    lines = []
    for scene_id, config in getattr(show, "scenes", {}).items():
        if getattr(config, "type", None) != "quiz":
            continue
        name = config.detector or getattr(getattr(show.config, "models", None), "detector", "spectral")
        if name == "none":
            lines.append(f"  quiz '{scene_id}': no machine (detector = \"none\")")
            continue
        known = name in DETECTORS
        try:
            items = quiz_items_of(config, show.content_root)
        except ItemsError:
            items = []
        folder = Path(show.models_dir) / "detector"
        saved = crossfit_verdicts(folder)
        fitted = sum(1 for item in items if saved and item.path.is_file() and sha256_of(item.path) in saved)
        machine = f"detector '{name}'" + ("" if known else " (unknown name)")
        own = (f"cross-fitted verdicts for {fitted} of {len(items)} items ({CROSSFIT_FILE})" if fitted
               else "the detector's own verdicts (no cross-fit: `bayard detector fit --quiz`)")
        figures = crossfit_figures(folder) if fitted else None
        if figures is not None:
            # What visitors will see of the machine: a technician should know before opening.
            auc, accuracy = figures
            own += f"; out of fold it ranks them at ROC AUC {auc:.2f} and is right {accuracy:.0%} of the time"
            if auc < 0.6:
                own += " (no better than a coin on these items: visitors will see it lose about as often as it wins)"
        if not saved and (folder / CROSSFIT_FILE).exists():
            own = (f"the detector's own verdicts: {folder / CROSSFIT_FILE} cannot be read "
                   "(fit again with `bayard detector fit --quiz`)")
        lines.append(f"  quiz '{scene_id}': {machine}; {own}")
    return lines
