"""`bayard check` for portrait scenes: will each listed picture animate here?

A curator learns it before opening day, not from a visitor: no face, several faces, a
face too small, an animal. The scene itself skips such a portrait at run time.
"""

from __future__ import annotations

from typing import Any

from ..config.errors import Problem
from ..config.locate import key_path, line_of
from ..config.show_words import words_keys
from ..imaging import MediaError, read_rgb
from ..models.motion import PORTRAIT_SIDE
from ..runtime.files import read_text
from ..words import words
from . import portrait_loading

# Words shown with a camera, their counterparts shown at other times, and when those show.
NO_CAMERA = "shown while no camera works"
CAMERA_PAIRS = (("heading", "heading_no_camera", NO_CAMERA), ("about", "about_no_camera", NO_CAMERA),
                ("disclosure", "disclosure_no_camera", NO_CAMERA),
                ("disclosure", "disclosure_idle", "shown until a visitor's face moves the portrait"))


def _half_translated(config: Any, file, source: str, show: Any = None) -> list[Problem]:
    """A heading written in the gallery's own words beside its no-camera counterpart left
    at the English default: with the camera resting, a French wall turned English. Where
    the heading came from the show's words table, the warning points there: the scene
    file has nothing to mend."""
    fields = type(config).model_fields
    keys = words_keys(type(config))
    show_words = getattr(show, "words", None) or {}
    found = []
    for own, other, when in CAMERA_PAIRS:
        if own not in fields or other not in fields:
            continue
        if getattr(config, own) == fields[own].default or getattr(config, other) != fields[other].default:
            continue
        line = line_of(source, (own,))
        table = show.root / show.config.show.words if show_words else None
        if line is None and table is not None and keys.get(own) in show_words and keys.get(other):
            text = read_text(table) if table.is_file() else ""
            found.append(Problem(table, line_of(text, tuple(keys[own].split("."))), keys[other],
                                 f"'{keys[own]}' is translated here but '{keys[other]}' ({when}) is not; "
                                 "add it here in the same words", severity="warning"))
            continue
        found.append(Problem(file, line, other,
                             f"'{own}' is your own but '{other}' ({when}) is still "
                             f"the default \"{fields[other].default[:40]}...\"; write it in the same words",
                             severity="warning"))
    return found


def _picture_kind(item: Any, image, stack, file, source: str, number: int) -> list[Problem]:
    """What the picture is read as, and what the scene's `picture` makes of it: its closed lids
    are painted by that rule (mesh/picture_kind.py), seen otherwise only at a blink on the wall.
    A setting that goes against a confident reading is a warning, still obeyed."""
    from ..models.motion.mesh import MeshAnimator
    from ..models.motion.mesh.picture_kind import contradicts, what_it_is

    warper = MeshAnimator(image, stack, picture=item.picture).warper
    loc = ("portraits", number, "picture") if item.picture != "auto" else ("portraits", number, "image")
    line = line_of(source, loc)
    found = [Problem(file, line, key_path(loc), f"'{item.image}': {what_it_is(warper)}", severity="note")]
    if (hint := contradicts(warper)) is not None:
        found.append(Problem(file, line, key_path(loc), f"'{item.image}': {hint}", severity="warning"))
    return found


def check_portraits(config: Any, show: Any, full: bool = False) -> list[Problem]:
    from ..models.face import try_open
    from ..models.face.mirrored import fit_doubted
    from ..models.face.orientation import how_it_lies
    from ..models.face.unsure import UNOBSCURED, models_unsure, softened_doubt, softened_note
    from ..models.motion.mesh import PortraitProblem, find_portrait_face
    from ..models.motion.mesh.turned_lips import MOUTH_AT_THE_OUTLINE, mouth_at_the_outline

    stack, reason = try_open(show.models_dir)
    file = show.scene_files[config.id]
    source = read_text(file) if file.exists() else ""
    problems = _half_translated(config, file, source, show)
    if stack is None:
        return [Problem(file, None, "", f"the face models cannot load ({reason}); the portrait falls "
                        "back to the flow backend", severity="warning")]
    usable = 0
    for number, item in enumerate(config.portraits):
        loc = ("portraits", number, "image")
        path = show.content_root / item.image
        if not path.exists():
            continue  # check_media reports missing files
        try:
            image = read_rgb(path, max_side=PORTRAIT_SIDE)
            face = find_portrait_face(image, stack)
            usable += 1
        except (PortraitProblem, MediaError) as error:
            problems.append(Problem(
                file, line_of(source, loc), key_path(loc),
                f"'{item.image}' cannot be animated: {error}. The scene skips it; remove it or "
                "choose another picture (`bayard portrait inspect` shows what the face models see)",
                severity="warning"))
            continue
        if (lying := how_it_lies(face.expression.roll)) is not None:
            problems.append(Problem(
                file, line_of(source, loc), key_path(loc),
                f"'{item.image}': the sitter's face is {lying} in the picture; if the scan is "
                "stored turned, turn it upright in an image editor. It is animated as it stands",
                severity="warning"))
        if (unsure := models_unsure(face)) is not None:
            problems.append(Problem(file, line_of(source, loc), key_path(loc),
                                    f"'{item.image}': {unsure}. If the mesh `bayard portrait inspect` draws is not on "
                                    f"the sitter's face, {UNOBSCURED}; it is animated as it stands",
                                    severity="warning"))
        if (note := softened_note(face)) is not None:
            problems.append(Problem(file, line_of(source, loc), key_path(loc), f"'{item.image}': {note}",
                                    severity="note"))
        if (doubt := softened_doubt(face)) is not None:
            problems.append(Problem(file, line_of(source, loc), key_path(loc),
                                    f"'{item.image}': {doubt}; it is animated as it stands", severity="warning"))
        if (doubt := fit_doubted(image, face, stack)) is not None:
            problems.append(Problem(file, line_of(source, loc), key_path(loc),
                                    f"'{item.image}': {doubt}. If the mesh `bayard portrait inspect` draws misses "
                                    "the eyes, choose a picture facing the viewer more; it is animated as it stands",
                                    severity="warning"))
        problems += _picture_kind(item, image, stack, file, source, number)
        if mouth_at_the_outline(face.landmarks):
            problems.append(Problem(file, line_of(source, loc), key_path(loc),
                                    f"'{item.image}': {MOUTH_AT_THE_OUTLINE}. A picture facing the viewer more "
                                    "opens its whole mouth; it is animated as it stands", severity="warning"))
    if config.portraits and not usable:
        # The artist's portrait swapped for Thoreau, his title and his credit, without a word.
        problems.append(Problem(file, line_of(source, ("portraits",)), "portraits",
                                f"none of the listed portraits can be animated{_stand_in()}; mend or replace them",
                                severity="warning"))
    return problems


def _stand_in() -> str:
    """Whom visitors meet instead, as the scene decides it (portrait_loading._house_sitter):
    with the show's own sitter deleted too (the default show's one portrait), check named
    Thoreau while the scene drew its stand-in sitter."""
    try:
        read_rgb(portrait_loading.HOUSE_SITTER, max_side=PORTRAIT_SIDE)
        return ", so visitors meet the show's own sitter (Thoreau, 1856) with his title and credit"
    except MediaError:
        return (f" and the show's own sitter ({portrait_loading.HOUSE_SITTER}) is missing too, so visitors meet "
                f"a sitter the computer draws, captioned \"{words('portrait.sitter')}\"")
