"""Cartoon animal faces drawn with OpenCV, made here for the tests: a curator's picture of
a pet or a mascot, which the face models may take for a person's face."""

from __future__ import annotations

import cv2
import numpy as np

KINDS = ("dog", "cat", "bear", "rabbit", "pig", "mouse")


def _ellipse(image, centre, axes, colour, angle=0.0):
    cv2.ellipse(image, (int(centre[0]), int(centre[1])), (int(axes[0]), int(axes[1])), angle, 0, 360, colour, -1,
                cv2.LINE_AA)


def _mouth(image, cx, y, width, colour, thick):
    """A cartoon 'w' mouth under the nose: two arcs meeting at the middle."""
    for side in (-1, 1):
        cv2.ellipse(image, (int(cx + side * width / 2), int(y)), (int(width / 2), int(width / 3)), 0, 0, 180,
                    colour, thick, cv2.LINE_AA)


def animal_face(kind: str, mouth: bool = False, size: int = 800, fur=None, background=(201, 190, 170),
                highlights: bool = True) -> np.ndarray:
    """An RGB picture (size wide, 1.25 times as tall) of a front-facing cartoon animal's head,
    flat colours only; `highlights` puts a white glint in each eye."""
    w, h = size, int(size * 1.25)
    s = size / 800
    image = np.zeros((h, w, 3), np.uint8)
    image[:] = background
    cx, cy = w / 2, h * 0.45
    dark = (20, 20, 20)
    mouth_drop = 30
    if kind == "dog":
        # The audit's dog (a flat brown oval head, two ear ovals, dot eyes, an oval nose).
        fur = fur or (119, 80, 39)
        _ellipse(image, (cx, cy + 25 * s), (200 * s, 225 * s), fur)
        for side in (-1, 1):
            _ellipse(image, (cx + side * 190 * s, cy - 100 * s), (90 * s, 150 * s), (90, 61, 31))
        eyes_y, eye_dx, eye_r, nose_y = cy - 25 * s, 75 * s, 25 * s, cy + 105 * s
        _ellipse(image, (cx, nose_y), (40 * s, 35 * s), dark)
        mouth_drop = 50
    elif kind == "cat":
        fur = fur or (150, 150, 150)
        for side in (-1, 1):
            ear = np.array([[cx + side * 60 * s, cy - 120 * s], [cx + side * 200 * s, cy - 40 * s],
                            [cx + side * 190 * s, cy - 250 * s]], np.int32)
            cv2.fillPoly(image, [ear], fur, cv2.LINE_AA)
        _ellipse(image, (cx, cy + 40 * s), (230 * s, 190 * s), fur)
        eyes_y, eye_dx, eye_r, nose_y = cy + 10 * s, 90 * s, 32 * s, cy + 100 * s
        nose = np.array([[cx - 22 * s, nose_y - 12 * s], [cx + 22 * s, nose_y - 12 * s], [cx, nose_y + 12 * s]],
                        np.int32)
        cv2.fillPoly(image, [nose], (200, 110, 130), cv2.LINE_AA)
        for side in (-1, 1):
            for k in (-1, 0, 1):
                cv2.line(image, (int(cx + side * 60 * s), int(nose_y + 20 * s + k * 12 * s)),
                         (int(cx + side * 260 * s), int(nose_y + 5 * s + k * 40 * s)), dark, max(1, int(3 * s)),
                         cv2.LINE_AA)
    elif kind == "bear":
        fur = fur or (110, 70, 40)
        for side in (-1, 1):
            _ellipse(image, (cx + side * 170 * s, cy - 150 * s), (70 * s, 70 * s), fur)
            _ellipse(image, (cx + side * 170 * s, cy - 150 * s), (38 * s, 38 * s), (170, 120, 80))
        _ellipse(image, (cx, cy + 20 * s), (230 * s, 215 * s), fur)
        _ellipse(image, (cx, cy + 110 * s), (95 * s, 75 * s), (200, 160, 120))
        eyes_y, eye_dx, eye_r, nose_y = cy - 10 * s, 85 * s, 20 * s, cy + 80 * s
        _ellipse(image, (cx, nose_y), (35 * s, 24 * s), dark)
    elif kind == "rabbit":
        fur = fur or (235, 235, 230)
        for side in (-1, 1):
            _ellipse(image, (cx + side * 80 * s, cy - 260 * s), (50 * s, 170 * s), fur, side * 8)
            _ellipse(image, (cx + side * 80 * s, cy - 260 * s), (24 * s, 130 * s), (240, 180, 190), side * 8)
        _ellipse(image, (cx, cy + 40 * s), (190 * s, 180 * s), fur)
        eyes_y, eye_dx, eye_r, nose_y = cy + 10 * s, 75 * s, 22 * s, cy + 95 * s
        _ellipse(image, (cx, nose_y), (20 * s, 14 * s), (230, 120, 140))
    elif kind == "pig":
        fur = fur or (240, 170, 180)
        for side in (-1, 1):
            ear = np.array([[cx + side * 80 * s, cy - 150 * s], [cx + side * 210 * s, cy - 110 * s],
                            [cx + side * 200 * s, cy - 250 * s]], np.int32)
            cv2.fillPoly(image, [ear], (220, 140, 150), cv2.LINE_AA)
        _ellipse(image, (cx, cy + 20 * s), (220 * s, 200 * s), fur)
        eyes_y, eye_dx, eye_r, nose_y = cy - 30 * s, 80 * s, 18 * s, cy + 80 * s
        _ellipse(image, (cx, nose_y), (75 * s, 55 * s), (225, 130, 145))
        mouth_drop = 75
        for side in (-1, 1):
            _ellipse(image, (cx + side * 25 * s, nose_y), (10 * s, 18 * s), (120, 50, 60))
    elif kind == "mouse":
        fur = fur or (160, 160, 170)
        for side in (-1, 1):
            _ellipse(image, (cx + side * 190 * s, cy - 140 * s), (120 * s, 120 * s), fur)
            _ellipse(image, (cx + side * 190 * s, cy - 140 * s), (80 * s, 80 * s), (235, 180, 190))
        _ellipse(image, (cx, cy + 40 * s), (170 * s, 190 * s), fur)
        eyes_y, eye_dx, eye_r, nose_y = cy + 10 * s, 65 * s, 22 * s, cy + 150 * s
        _ellipse(image, (cx, nose_y), (22 * s, 18 * s), (230, 120, 140))
    else:
        raise ValueError(kind)
    for side in (-1, 1):
        _ellipse(image, (cx + side * eye_dx, eyes_y), (eye_r, eye_r), (0, 0, 0))
        if highlights:
            _ellipse(image, (cx + side * eye_dx + eye_r * 0.3, eyes_y - eye_r * 0.3), (eye_r * 0.25, eye_r * 0.25),
                     (255, 255, 255))
    if mouth:
        _mouth(image, cx, nose_y + mouth_drop * s, 45 * s, dark, max(2, int(5 * s)))
    return image
