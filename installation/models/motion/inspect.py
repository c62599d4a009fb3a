"""`bayard portrait inspect IMAGE -o overlay.png`: what the face models see in a portrait.

A curator checks here, before adding a picture to a scene, that the mesh fits the face:
the overlay draws the 468 points, the face outline, lips, lids and irises, and the tool
says whether the portrait can be animated and why not.

Without -o the overlay is written to the current folder, not beside the picture: a picture
is usually checked where it lies, in the show's content folder, and a `*-mesh.png` left
there sat among the curator's own files (and the show's watched folders) as if it were one.
Tools that make a file from another and are given no name (wget, curl -O, a compiler) write
into the folder they are run from; inspect does so too and prints the overlay's full path.
Run from the picture's own folder, or one it cannot write, it writes to the temporary folder,
and it never replaces a file it did not write (overlay_file.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import PICTURES

BANNER_LINE = 20  # pixels from one line of the overlay's verdict to the next


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels in the banner's font."""
    import cv2

    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        fits = cv2.getTextSize(trial, cv2.FONT_HERSHEY_SIMPLEX, 0.5, 1)[0][0] <= width
        if lines and fits:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines or [""]


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("portrait", help="check a portrait for the animated-portrait scene")
    sub = p.add_subparsers(dest="portrait_command", metavar="ACTION", required=True)
    q = sub.add_parser("inspect", help="draw the face mesh found in a picture and say whether it can animate",
                       description="Find the face in IMAGE with the face models and draw what they see.")
    q.add_argument("image", type=Path, help="the portrait (jpg or png)")
    q.add_argument("-o", "--output", type=Path, default=None,
                   help="where to write the overlay PNG (default: IMAGE-mesh.png in the current folder, "
                        "or the temporary folder when that is the picture's own; never over a file "
                        "inspect did not write; its full path is printed)")
    q.add_argument("--models", type=Path, default=Path("models"),
                   help="folder with model weights (default: models)")
    q.add_argument("--lips-hidden", action="store_true",
                   help="also draw where the scene's lips_hidden would put the lip line (the moustache's "
                        "fringe), in magenta (default: off)")
    q.add_argument("--picture", choices=PICTURES, default="auto",
                   help="what the scene's `picture` says the picture is (default: auto, read from the picture): "
                        "say how its closed lids (and, for a painting, its lip line) are painted for that")
    q.set_defaults(func=run_inspect)


def run_inspect(args: argparse.Namespace) -> int:
    import cv2
    import numpy as np

    from ...imaging import MediaError, image_size, read_rgb
    from ..face import FaceStackUnavailable, try_open
    from ..face.mirrored import fit_doubted
    from ..face.orientation import how_it_lies
    from ..face.unsure import UNOBSCURED, models_unsure, softened_doubt, softened_note
    from . import PORTRAIT_SIDE
    from .mesh import PortraitProblem, find_portrait_face
    from .mesh.animator import MeshAnimator, turn_share
    from .mesh.named_points import FACE_OVAL, INNER_LIPS, LEFT_EYE_OPENING, OUTER_LIPS, RIGHT_EYE_OPENING
    from .mesh.own_teeth import biting_line
    from .mesh.picture_kind import contradicts, what_it_is
    from .mesh.portrait_face import _portrait_analysis
    from .mesh.turned_lips import MOUTH_AT_THE_OUTLINE, mouth_at_the_outline
    from .overlay_file import default_overlay_path, write_overlay

    try:
        image = read_rgb(args.image, max_side=PORTRAIT_SIDE)
    except MediaError as error:
        print(f"bayard portrait inspect: {error}", file=sys.stderr)
        return 2
    stack, reason = try_open(args.models)
    if stack is None:
        print(f"bayard portrait inspect: {reason}", file=sys.stderr)
        raise SystemExit(2) from FaceStackUnavailable(reason)
    verdict, face = "", None
    try:
        face = find_portrait_face(image, stack)
        turned = abs(face.pose.yaw)
        share = turn_share(turned)
        pose = ("facing the viewer" if share >= 1.0 else
                f"turned {turned:.0f} degrees, so it takes {share:.0%} of a visitor's head turn")
        # In the picture's own pixels: measured on the 900 px working copy, a 4000 px scan's
        # 730 px face was reported as 165 px.
        size = image_size(Path(args.image))
        enlarge = max(size) / max(image.shape[:2]) if size else 1.0
        verdict = f"OK: one face, {face.height * enlarge:.0f} px tall in the picture (forehead to chin), {pose}"
        if (lying := how_it_lies(face.expression.roll)) is not None:
            verdict += (f"; but the face is {lying} in the picture: if the scan is stored turned, "
                        "turn it upright in an image editor")
        if (unsure := models_unsure(face)) is not None:
            verdict += f"; but {unsure}: if the green mesh in the overlay is not on the sitter's face, {UNOBSCURED}"
        if (note := softened_note(face)) is not None:
            verdict += f"; {note}"
        if (doubt := softened_doubt(face)) is not None:
            verdict += f"; but {doubt}"
        if (doubt := fit_doubted(image, face, stack)) is not None:
            verdict += (f"; but {doubt}: if the green mesh in the overlay misses the eyes, choose a picture "
                        "facing the viewer more")
        if mouth_at_the_outline(face.landmarks):
            verdict += f"; {MOUTH_AT_THE_OUTLINE}"
        if biting_line(image, face.landmarks) is not None:
            verdict += ("; the mouth is open in the picture, showing teeth: it opens from its own opening, "
                        "each row of teeth staying with its lip")
        # Which of the lids' rules the picture gets was seen only at a blink (mesh/picture_kind.py).
        warper = MeshAnimator(image, stack, picture=args.picture).warper
        verdict += f"; {what_it_is(warper)}"
        if (hint := contradicts(warper)) is not None:
            verdict += f"; {hint}"  # each hint says its own "but" (picture_kind.contradicts)
    except PortraitProblem as error:
        verdict = f"cannot be animated: {error}"
    fringe = None
    if args.lips_hidden and face is not None:
        from .mesh.hidden_lips import fringe_depth, lips_at_fringe

        depth = fringe_depth(image, face.landmarks)
        if depth > 0:
            fringe = lips_at_fringe(image, face.landmarks, depth)
            verdict += (f"; with lips_hidden the lip line moves {depth:.0f} px down, to the moustache's "
                        "fringe (magenta): check that it lies along the fringe")
        else:
            verdict += "; no clear fringe below the lip line, so lips_hidden would change nothing"
    # (Found once: find_portrait_face's analysis is kept by picture; the drawn look and the top
    # edge's black look made a second search cost as much again.)
    faces = _portrait_analysis(image, stack)[0]
    out = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    scale = 2 if max(image.shape[:2]) < 700 else 1
    out = cv2.resize(out, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    for other in faces:
        chosen = face is not None and np.allclose(other.landmarks, face.landmarks)
        colour = (90, 200, 90) if chosen else (60, 60, 220)
        lm = other.landmarks[:, :2] * scale
        for x, y in lm:
            cv2.circle(out, (int(x), int(y)), 1, colour, -1, cv2.LINE_AA)
        for ids in (FACE_OVAL, OUTER_LIPS, INNER_LIPS, LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
            pts = np.round(lm[list(ids)]).astype(np.int32)
            cv2.polylines(out, [pts], True, colour, 1, cv2.LINE_AA)
        if chosen and fringe is not None:
            pts = np.round(fringe[list(INNER_LIPS), :2] * scale).astype(np.int32)
            cv2.polylines(out, [pts], True, (200, 60, 220), 1, cv2.LINE_AA)
        if chosen:
            for eye in stack.eyes(image, other.landmarks):
                c = np.round(eye.iris_centre * scale).astype(int)
                cv2.circle(out, (int(c[0]), int(c[1])), max(1, round(eye.iris_radius * scale)), (40, 200, 240),
                           1, cv2.LINE_AA)
    # The verdict in full, wrapped to the picture's width: cut at a fixed length, a
    # refusal lost the sentence that says what to do.
    # It stands above the picture, not over its top (the hair, a hat, where the mesh ends).
    lines = _wrapped(verdict, out.shape[1] - 16)
    banner = np.full((10 + BANNER_LINE * len(lines), out.shape[1], 3), 20, np.uint8)
    out = np.vstack([banner, out])
    for k, line in enumerate(lines):
        cv2.putText(out, line, (8, 18 + BANNER_LINE * k), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (240, 240, 240), 1,
                    cv2.LINE_AA)
    if args.output is None:
        output = default_overlay_path(args.image)
        if not write_overlay(output, out):
            print(f"bayard portrait inspect: cannot write {output} (disk full?); give -o with a file in a "
                  "folder you can write to", file=sys.stderr)
            return 2
    else:
        output = args.output
        if output.resolve() == args.image.resolve() or output.is_dir() or not output.suffix:
            print(f"bayard portrait inspect: -o {output}: give a new image file, e.g. {args.image.stem}-mesh.png "
                  "(not the portrait itself, nor a folder)", file=sys.stderr)
            return 2
        if not cv2.imwrite(str(output), out):
            print(f"bayard portrait inspect: cannot write {output} (folder missing, or disk full?)", file=sys.stderr)
            return 2
    print(f"{args.image}: {verdict}")
    print(f"overlay: {output.resolve()}")
    return 0 if face is not None else 1
