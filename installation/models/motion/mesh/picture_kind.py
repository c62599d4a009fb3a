"""What kind of picture the lids are painted for, read at rest, in words a curator can check.

The mesh backend paints a closed lid by one of four rules, chosen from the picture itself:
a book's halftone prints it in its screen (plate.py, halftone.py), a two-tone print (ink
masses on paper: a monotype, a woodcut) paints it in its ink and paper (lid_ink.py), a
drawing (bare paper round the eyes, or hatching) in its paper, marks and a drawn lash line
(lid_drawn.py), and anything else as a photograph's or a painting's shaded skin (lid_paint.py).
Which one acts was seen only on screen, at a blink: a pencil drawing on buff paper, taken
for a photograph, closed its eyes into smooth pale lenses, and nothing before the show told
the curator why. `portrait inspect` says which rule the picture gets (`picture_kind`).

The reading cannot tell every picture apart: washes, monotypes and shaded pencil sketches
measure as sepia or over-exposed photographs do (docs/portrait.md; a line drawing on toned paper
is read by its bare paper, drawing_paper.TONED_PAPER_FROM), and no threshold separates them. The
curator knows her picture: the scene's `picture` (PICTURES) settles it (`settled`), "auto"
leaves it to the reading.
"""

from __future__ import annotations

from typing import NamedTuple

from .eye_region import EyeRegion
from .lid_ink import two_tones
from .lids import LIDS

# The four rules, as inspect words them: what the picture is read as, and what its closed lids are.
HALFTONE = "a book's halftone (its closed lids printed in its dots)"
TWO_TONE = "a two-tone print, ink on paper (its closed lids painted in its ink and paper)"
DRAWING = "a drawing (its closed lids painted as its paper and marks, with a drawn lash line)"
PARTLY_DRAWN = "partly a drawing, {share:.0%} (its closed lids blend a drawing's paper with shaded skin)"
PHOTOGRAPH = "a photograph or a painting (its closed lids painted as shaded skin)"
# ...and what the scene's picture = "painting" makes of it: no reading tells a painting from a
# photograph, so this is said only where the curator sets it (cavity.drawn_line).
PAINTING = ("a painting (its closed lids painted as shaded skin, and the dark line between its closed lips "
            "read as the painter's stroke, however small the face)")


class Settled(NamedTuple):
    """How the lids (and what else keys on the same readings) treat the picture."""
    page_screen: object  # the halftone screen the lids are printed in, held on the page; None: none
    screen: object  # the screen an open mouth is printed in (a halftone's dots, a hatching's lines)
    drawn: float  # how far the picture is a drawing (lid_paint.paint_lids)
    two_tone: bool | None  # ink and paper lids: True on every eye, False on none, None: read per eye


def settled(picture: str, screen, dots: bool, drawn: float) -> Settled:
    """What the picture is painted as, where the curator's `picture` says so, else as read:
    `screen` the picture's regular screen read at rest (warp.skin_grain) and `dots` whether it
    is a book's dots; `drawn` the drawing share read (drawing_paper.portrait_drawn_share).
    A halftone set on a picture where no screen is read has no dots to print its lids in:
    it closes them as a photograph's (inspect says so)."""
    if picture == "auto":
        return Settled(screen if dots else None, screen, drawn, None)
    if picture == "halftone" and screen is not None:
        return Settled(screen, screen, 0.0, False)
    if picture == "drawing":  # (a hatching's lines still print into an open mouth)
        return Settled(None, screen, 1.0, False)
    if picture == "print":
        return Settled(None, screen, 0.0, True)
    # a photograph or a painting: no screen of dots or lines, whatever its grain measured (a
    # painting's lip line is read apart: PortraitRig.painted)
    return Settled(None, None, 0.0, False)


def _two_tone(warper) -> bool:
    """Whether the skin round both eyes at rest is ink and paper (lid_ink.two_tones), as the
    lids' paint reads it: where it is round one eye only, that eye alone closes so."""
    x0, y0, x1, y1 = warper.rig.region
    region = warper.rig.image[y0:y1, x0:x1]
    read = []
    for k, lid in enumerate(LIDS):
        if warper.lid_belows[k] is None:  # no lid is painted on this eye
            continue
        eye = EyeRegion(warper.src, lid, warper.origin, region.shape[:2], warper.lid_whites[k], warper.lid_belows[k])
        if not eye.empty:
            read.append(two_tones(region, eye.x0, eye.y0, (eye.y1 - eye.y0, eye.x1 - eye.x0)) is not None)
    return bool(read) and all(read)


def picture_kind(warper, as_read: bool = False) -> str:
    """What the picture of `warper` (warp.MeshWarper) is painted as, with what its closed lids
    are: one of HALFTONE, TWO_TONE, DRAWING, PARTLY_DRAWN, PHOTOGRAPH (PAINTING where the scene
    says so), in the order lid_paint.paint_lids chooses between them. `as_read`: what the
    picture itself is read as, whatever the scene's `picture` says."""
    way = warper.read if as_read else warper.settled
    if way.page_screen is not None:
        return HALFTONE
    if way.two_tone or (way.two_tone is None and _two_tone(warper)):
        return TWO_TONE
    if way.drawn >= 1.0:
        return DRAWING
    if way.drawn > 0.0:
        return PARTLY_DRAWN.format(share=way.drawn)
    return PAINTING if warper.rig.painted and not as_read else PHOTOGRAPH


def contradicts(warper) -> str | None:
    """A hint where the scene's `picture` goes against a confident reading of the picture (it
    is still obeyed). Confident are the readings that find something: a book's dots, ink and
    paper round both eyes, a drawing's paper round both; and "painting" on a picture whose
    closed lip line is not read (the setting then changes nothing of its mouth). "A photograph
    or a painting" is what is left when nothing is found, and washes, monotypes and shaded
    pencil sketches are left there too (docs/portrait.md): a drawing or a print set on one is
    no contradiction.
    (Nor is a drawing on a picture read as a two-tone print: pen and ink is both.)"""
    picture, read = warper.rig.picture, warper.read
    if picture == "halftone" and warper.settled.page_screen is None:
        return ("picture = \"halftone\", but no printed screen is read in it, so its closed lids are painted "
                "as a photograph's; if the dots are there, use a larger scan")
    dots = read.page_screen is not None
    if picture in ("drawing", "print") and dots:
        said = "a drawing's paper" if picture == "drawing" else "ink and paper"
        return (f"picture = \"{picture}\", but it reads clearly as {HALFTONE}: its closed lids are painted as "
                f"{said} all the same, not in its dots; check them at a blink")
    if picture in ("photograph", "painting") and (dots or read.drawn >= 1.0 or _two_tone(warper)):
        return (f"picture = \"{picture}\", but it reads clearly as {picture_kind(warper, as_read=True)}: its "
                "closed lids are painted as shaded skin all the same; check them at a blink")
    if warper.rig.painted and _lip_line_unread(warper):
        return ("picture = \"painting\", but no dark line between closed lips is read in it (the face mesh finds "
                "the lips parted, or no line darker than the lips): its open mouth is painted as a photograph's; "
                "check it in a yawn")
    return None


def _lip_line_unread(warper) -> bool:
    """Whether no closed lip line is read (line_width.py): then a painting's lip line rule
    (cavity.drawn_line) has nothing to read, and a curator who set "painting" for a pale
    miniature's yawn would see it as dark as before, with no word why."""
    shadows = warper.rig.palette.shadows
    return shadows is None or shadows.line_width is None or shadows.beside_line is None


def what_it_is(warper) -> str:
    """What `portrait inspect` and `bayard check` say of the picture: what it is read as and,
    where the scene's `picture` sets it, what it is painted as for that."""
    read = picture_kind(warper, as_read=True)
    if warper.rig.picture == "auto":
        return f"read as {read}"
    painted = picture_kind(warper)
    if painted == read:
        return f"the scene sets picture = \"{warper.rig.picture}\": painted as {painted}, as it reads by itself"
    return (f"the scene sets picture = \"{warper.rig.picture}\", so it is painted as {painted}; "
            f"by itself it reads as {read}")
