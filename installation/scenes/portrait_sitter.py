"""A sitter the portrait scene draws itself: the last resort when neither the scene's
portraits nor the shipped daguerreotype can be read. Drawn content lives here, apart
from the scene's logic."""

from __future__ import annotations

import numpy as np

from ..imaging import paper_texture


def draw_house_portrait(size: tuple[int, int] = (600, 720)) -> tuple[np.ndarray, tuple[float, float, float]]:
    """A portrait Bayard draws itself (may ship anywhere): a sitter in a dark coat on a
    brown ground, in the manner of a 19th-century study. Returns the image and the face
    box (cx, cy, size), since a drawn face need not satisfy a face detector."""
    import cv2

    w, h = size
    rng = np.random.default_rng(1840)
    img = paper_texture(size, seed=1892, tone=(92, 70, 48)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # A lit ground behind the head, darker towards the edges.
    glow = np.exp(-(((xx - w * 0.55) / (w * 0.5)) ** 2 + ((yy - h * 0.3) / (h * 0.45)) ** 2))
    img *= (0.55 + 0.6 * glow)[..., None]
    layer = np.zeros((h, w), np.float32)

    def shape(draw, colour, blur):
        layer[:] = 0
        draw(layer)
        a = cv2.GaussianBlur(layer, (0, 0), blur)[..., None]
        img[:] = img * (1 - a) + np.array(colour, np.float32) * a

    cx, cy, fw, fh = w * 0.5, h * 0.36, w * 0.16, h * 0.17
    # Coat and shoulders, a white collar.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(h * 0.93)), (int(w * 0.42), int(h * 0.32)), 0, 180, 360, 1, -1
        ),
        (34, 30, 30),
        3,
    )
    # Neck, then the hair mass behind the face.
    shape(
        lambda L: cv2.rectangle(
            L, (int(cx - fw * 0.42), int(cy + fh * 0.6)), (int(cx + fw * 0.42), int(h * 0.6)), 1, -1
        ),
        (190, 146, 118),
        3,
    )
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy + fh * 1.02)), (int(fw * 0.5), int(fh * 0.22)), 0, 0, 360, 1, -1
        ),
        (150, 110, 90),
        4,
    )  # shadow of the jaw on the neck
    shape(
        lambda L: cv2.fillConvexPoly(
            L,
            np.int32(
                [
                    [cx - fw * 0.95, h * 0.58],
                    [cx + fw * 0.95, h * 0.58],
                    [cx + fw * 0.25, h * 0.69],
                    [cx - fw * 0.25, h * 0.69],
                ]
            ),
            1,
        ),
        (226, 218, 200),
        2,
    )
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy - fh * 0.22)), (int(fw * 1.2), int(fh * 1.02)), 0, 0, 360, 1, -1
        ),
        (40, 28, 22),
        3.5,
    )
    # Strands: thin lighter strokes following the hair's curve.
    strands = np.zeros((h, w), np.float32)
    for _ in range(70):
        a0 = rng.uniform(190, 350)
        r = rng.uniform(0.75, 1.15)
        cv2.ellipse(
            strands,
            (int(cx), int(cy - fh * 0.22)),
            (int(fw * 1.15 * r), int(fh * 1.0 * r)),
            0,
            a0,
            a0 + rng.uniform(15, 40),
            float(rng.uniform(0.3, 1.0)),
            1,
            lineType=cv2.LINE_AA,
        )
    hair_zone = (((xx - cx) / (fw * 1.2)) ** 2 + ((yy - cy + fh * 0.22) / (fh * 1.02)) ** 2 < 1).astype(
        np.float32
    )
    img += (cv2.GaussianBlur(strands, (0, 0), 0.8) * hair_zone * 26)[..., None] * np.array(
        [1.0, 0.8, 0.6], np.float32
    )

    # The face: an oval with a soft light from the upper left.
    def face_outline(L):
        # An oval narrowing to the chin, not an egg.
        t = np.linspace(0, 2 * np.pi, 90)
        taper = 1 - 0.22 * np.clip(np.sin(t), 0, 1) ** 2
        pts = np.stack([cx + fw * np.cos(t) * taper, cy + fh * np.sin(t)], 1)
        cv2.fillPoly(L, [np.int32(pts)], 1)

    shape(face_outline, (222, 178, 148), 2)
    light = np.clip(
        1.08 - 0.35 * ((xx - (cx - fw * 0.4)) / (fw * 2.2)) ** 2 - 0.2 * ((yy - cy) / (fh * 2)), 0.7, 1.1
    )
    face_zone = cv2.GaussianBlur(
        (((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2 < 1).astype(np.float32), (0, 0), 4
    )
    img *= (1 + (light - 1) * face_zone)[..., None]
    # Modelling: the oval darkens towards its edge, warm cheeks, a shadow under the chin.
    r = np.sqrt(((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2)
    img *= (1 - 0.22 * np.clip(r - 0.55, 0, 0.45) / 0.45 * face_zone)[..., None]
    for side in (-1, 1):
        blush = np.exp(
            -(((xx - cx - side * fw * 0.5) / (fw * 0.22)) ** 2 + ((yy - cy - fh * 0.25) / (fh * 0.14)) ** 2)
        )
        img += (blush * face_zone)[..., None] * np.array([16, -4, -6], np.float32)
    chin = np.exp(-(((xx - cx) / (fw * 0.6)) ** 2 + ((yy - cy - fh * 1.08) / (fh * 0.12)) ** 2))
    img *= (1 - 0.35 * chin)[..., None]
    # A fringe of hair over the forehead.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy - fh * 0.95)), (int(fw * 1.02), int(fh * 0.38)), 0, 0, 360, 1, -1
        ),
        (44, 31, 24),
        4,
    )
    ey = cy - fh * 0.12
    for side in (-1, 1):
        ex = cx + side * fw * 0.4
        shape(
            lambda L, ex=ex, side=side: cv2.ellipse(
                L, (int(ex), int(ey - fh * 0.2)), (int(fw * 0.24), int(fh * 0.05)), -side * 6, 180, 360, 1, 3
            ),
            (70, 48, 36),
            1.5,
        )  # brow
        shape(
            lambda L, ex=ex: cv2.ellipse(
                L, (int(ex), int(ey)), (int(fw * 0.2), int(fh * 0.075)), 0, 0, 360, 1, -1
            ),
            (236, 228, 214),
            1.2,
        )  # eye white
        shape(
            lambda L, ex=ex: cv2.circle(L, (int(ex), int(ey)), int(fh * 0.068), 1, -1), (78, 58, 42), 1.0
        )  # iris
        shape(
            lambda L, ex=ex: cv2.circle(L, (int(ex), int(ey)), int(fh * 0.03), 1, -1), (18, 14, 12), 0.8
        )  # pupil
        shape(
            lambda L, ex=ex: cv2.ellipse(
                L, (int(ex), int(ey)), (int(fw * 0.21), int(fh * 0.08)), 0, 190, 350, 1, 2
            ),
            (96, 62, 48),
            1.0,
        )  # upper lid line
    # Nose: a shadow on the right, a touch of light on the ridge.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx + fw * 0.09), int(cy + fh * 0.18)), (int(fw * 0.07), int(fh * 0.2)), 0, 0, 360, 1, -1
        ),
        (204, 156, 128),
        5,
    )
    for side in (-1, 1):
        shape(
            lambda L, side=side: cv2.circle(
                L, (int(cx + side * fw * 0.08), int(cy + fh * 0.38)), int(fw * 0.035), 1, -1
            ),
            (140, 92, 76),
            1.5,
        )
    # Lips.
    my = cy + fh * 0.6
    shape(
        lambda L: cv2.ellipse(L, (int(cx), int(my)), (int(fw * 0.32), int(fh * 0.085)), 0, 0, 360, 1, -1),
        (170, 82, 76),
        1.5,
    )
    shape(
        lambda L: cv2.line(L, (int(cx - fw * 0.3), int(my)), (int(cx + fw * 0.3), int(my)), 1, 2),
        (90, 40, 38),
        1.0,
    )
    # Brush texture (noise smeared along one stroke direction), then the painted oval
    # spandrel of a 19th-century portrait, which also says "this is a picture, by design".
    strokes = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), sigmaX=3.0, sigmaY=0.8)
    img += (strokes * 9)[..., None]
    oval = ((xx - w / 2) / (w * 0.47)) ** 2 + ((yy - h * 0.47) / (h * 0.47)) ** 2
    spandrel = cv2.GaussianBlur((oval > 1).astype(np.float32), (0, 0), 2.0)[..., None]
    img = img * (1 - spandrel) + np.array([46, 36, 26], np.float32) * spandrel
    rim = np.exp(-(((np.sqrt(oval) - 1.0) / 0.006) ** 2))[..., None]
    img = img * (1 - rim * 0.6) + np.array([168, 134, 78], np.float32) * rim * 0.6  # a thin gilt line
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    # The face box in the layout every crop uses (geometry): eyes 0.12 box sides above its
    # centre, so the idle blinks land on the painted eyes.
    side = fw * 2.05
    return np.clip(img, 0, 255).astype(np.uint8), (cx, cy - fh * 0.12 + 0.12 * side, side)
