"""What kind of picture the lids are painted for, read at rest, in words a curator can check.

The mesh backend paints a closed lid by one of four rules, chosen from the picture itself:
a book's halftone prints it in its screen (plate.py, halftone.py), a two-tone print (ink
masses on paper: a monotype, a woodcut) paints it in its ink and paper (lid_ink.py), a
drawing (bare paper round the eyes, or hatching) in its paper, marks and a drawn lash line
(lid_drawn.py), and anything else as a photograph's or a painting's shaded skin (lid_paint.py).
Which one acts was seen only on screen, at a blink: a pencil drawing on buff paper, taken
for a photograph, closed its eyes into smooth pale lenses, and nothing before the show told
the curator why. `portrait inspect` says which rule the picture gets (`picture_kind`).
"""

from __future__ import annotations

from .lid_ink import two_tones
from .lids import LIDS, _Eye

# The four rules, as inspect words them: what the picture is read as, and what its closed lids are.
HALFTONE = "a book's halftone (its closed lids printed in its dots)"
TWO_TONE = "a two-tone print, ink on paper (its closed lids painted in its ink and paper)"
DRAWING = "a drawing (its closed lids painted as its paper and marks, with a drawn lash line)"
PARTLY_DRAWN = "partly a drawing, {share:.0%} (its closed lids blend a drawing's paper with shaded skin)"
PHOTOGRAPH = "a photograph or a painting (its closed lids painted as shaded skin)"


def _two_tone(warper) -> bool:
    """Whether the skin round both eyes at rest is ink and paper (lid_ink.two_tones), as the
    lids' paint reads it: where it is round one eye only, that eye alone closes so."""
    x0, y0, x1, y1 = warper.rig.region
    region = warper.rig.image[y0:y1, x0:x1]
    read = []
    for k, lid in enumerate(LIDS):
        if warper.lid_belows[k] is None:  # no lid is painted on this eye
            continue
        eye = _Eye(warper.src, lid, warper.origin, region.shape[:2], warper.lid_whites[k], warper.lid_belows[k])
        if not eye.empty:
            read.append(two_tones(region, eye.x0, eye.y0, (eye.y1 - eye.y0, eye.x1 - eye.x0)) is not None)
    return bool(read) and all(read)


def picture_kind(warper) -> str:
    """What the picture of `warper` (warp.MeshWarper) is read as, with what its closed lids
    are painted as: one of HALFTONE, TWO_TONE, DRAWING, PARTLY_DRAWN, PHOTOGRAPH, in the
    order lid_paint.paint_lids chooses between them."""
    if warper.page_screen is not None:
        return HALFTONE
    if _two_tone(warper):
        return TWO_TONE
    if warper.drawn >= 1.0:
        return DRAWING
    if warper.drawn > 0.0:
        return PARTLY_DRAWN.format(share=warper.drawn)
    return PHOTOGRAPH
