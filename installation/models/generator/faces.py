"""Procedural portrait renderer: the training set the default loop's GAN learns from.

There are almost no face photographs the project may ship, so the default exhibition's
"people who don't exist" are learned from people who never existed either: parametric
head-and-shoulders portraits drawn with OpenCV. Every face is a pure function of its
seed, so the data set (and so the shipped loop) can be remade exactly.

The look aims at a studio portrait photograph: a soft graded backdrop, key light from
one side, shoulders in a garment, lens blur and sensor grain. Realism is not the goal
(the GAN would not reach it in minutes on a CPU anyway); variety is: skin tones across
the human range, hair styles and colours, eye colours, head pose, expression.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

# Skin tones from deep to light (RGB), roughly spanning the Fitzpatrick range.
SKIN_TONES = np.array(
    [
        (68, 42, 32),
        (96, 60, 42),
        (126, 82, 56),
        (152, 104, 72),
        (176, 126, 92),
        (198, 150, 114),
        (214, 170, 136),
        (228, 190, 160),
        (240, 206, 180),
        (246, 220, 200),
    ],
    dtype=np.float32,
)
HAIR_COLOURS = np.array(
    [
        (20, 16, 14),
        (40, 28, 20),
        (70, 46, 28),
        (110, 72, 40),
        (150, 104, 60),
        (196, 156, 96),
        (220, 196, 150),
        (150, 60, 30),
        (170, 170, 170),
        (230, 230, 226),
    ],
    dtype=np.float32,
)
EYE_COLOURS = np.array(
    [(60, 36, 20), (90, 60, 30), (110, 90, 50), (70, 110, 140), (80, 120, 90), (40, 30, 25)],
    dtype=np.float32,
)
HAIR_STYLES = ("short", "long", "bob", "bun", "curly", "bald", "crop")


def _colour(colour) -> tuple[float, ...]:
    return tuple(float(c) for c in np.atleast_1d(colour))


def _ellipse(img, centre, axes, angle, colour, thickness=-1):
    cv2.ellipse(
        img,
        (int(round(centre[0] * 16)), int(round(centre[1] * 16))),
        (max(1, int(round(axes[0] * 16))), max(1, int(round(axes[1] * 16)))),
        angle,
        0,
        360,
        _colour(colour),
        thickness,
        cv2.LINE_AA,
        shift=4,
    )


def _poly(img, points, colour):
    pts = (np.asarray(points, dtype=np.float64) * 16).round().astype(np.int32)
    cv2.fillPoly(img, [pts], _colour(colour), cv2.LINE_AA, shift=4)


def _mask_from(draw, shape) -> np.ndarray:
    m = np.zeros(shape[:2], np.float32)
    draw(m)
    return m


def _composite(img: np.ndarray, mask: np.ndarray, colour) -> None:
    """Paint `colour` (RGB, or an HxWx3 image) over `img` through a soft mask in 0..1."""
    m = mask[..., None]
    img *= 1.0 - m
    img += m * np.asarray(colour, np.float32)


def render_face(seed: int, size: int = 64, supersample: int = 3) -> np.ndarray:
    """One portrait, RGB uint8 (size, size, 3), fully determined by `seed`."""
    rng = np.random.default_rng(seed)
    s = size * supersample
    u = s / 64.0  # drawing unit: the layout is designed on a 64 px grid

    # Backdrop: a vertical gradient with a vignette, in a muted studio colour.
    base = rng.uniform(40, 200, 3).astype(np.float32)
    base = base * 0.55 + base.mean() * 0.45  # desaturate: studio backdrops are muted
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32) / s
    light_x = rng.uniform(-1, 1)  # key light side, shared by backdrop and face shading
    grad = 1.0 + 0.25 * (0.5 - yy) + 0.12 * light_x * (xx - 0.5)
    vignette = 1.0 - 0.35 * ((xx - 0.5) ** 2 + (yy - 0.45) ** 2) * 2
    img = base[None, None, :] * (grad * vignette)[..., None]

    skin = SKIN_TONES[rng.integers(len(SKIN_TONES))] * rng.uniform(0.92, 1.06, 3)
    hair = HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))] * rng.uniform(0.9, 1.1, 3)
    style = HAIR_STYLES[rng.integers(len(HAIR_STYLES))]
    cloth = rng.uniform(20, 200, 3).astype(np.float32)
    cloth = cloth * 0.6 + cloth.mean() * 0.4  # muted garments, as in most portraits

    cx = s / 2 + rng.normal(0, 1.5) * u
    cy = 31 * u + rng.normal(0, 1.5) * u
    scale = rng.uniform(0.9, 1.1)
    fw, fh = 16.5 * u * scale * rng.uniform(0.9, 1.08), 21.5 * u * scale * rng.uniform(0.94, 1.06)
    yaw = rng.normal(0, 0.12)  # turning the head: features shift sideways, far side narrows
    roll = rng.normal(0, 4)

    # Long hair falls behind the shoulders, so it is drawn first.
    if style in ("long", "curly"):
        m = _mask_from(lambda m: _ellipse(m, (cx, cy + 6 * u), (fw * 1.45, fh * 1.5), roll, 1.0), img.shape)
        m[: int(cy), :] *= 0  # the top of the head is drawn with the cap later
        _composite(img, cv2.GaussianBlur(m, (0, 0), 0.8 * u), hair * 0.8)

    # Neck and shoulders.
    neck = _mask_from(
        lambda m: cv2.rectangle(
            m, (int(cx - fw * 0.45), int(cy + fh * 0.5)), (int(cx + fw * 0.45), int(cy + fh * 1.6)), 1.0, -1
        ),
        img.shape,
    )
    _composite(img, cv2.GaussianBlur(neck, (0, 0), 0.6 * u), skin * 0.78)
    shoulders = _mask_from(
        lambda m: _ellipse(m, (cx, s + 4 * u), (fw * 2.3 * rng.uniform(0.9, 1.1), 14 * u), 0, 1.0), img.shape
    )
    _composite(img, cv2.GaussianBlur(shoulders, (0, 0), 0.6 * u), cloth)
    if rng.random() < 0.5:  # an open collar shows skin in a V
        _poly(img, [(cx - 4 * u, s - 15 * u), (cx + 4 * u, s - 15 * u), (cx, s - 6 * u)], skin * 0.85)

    # Ears, then the face itself with side lighting.
    for side in (-1, 1):
        _ellipse(
            img, (cx + side * fw * (0.98 - 0.15 * side * yaw), cy + 1 * u), (2.2 * u, 3.6 * u), 0, skin * 0.85
        )
    face = _mask_from(lambda m: _ellipse(m, (cx, cy), (fw, fh), roll, 1.0), img.shape)
    # Chin: narrow the lower face a little for a less egg-like outline.
    shade = 1.0 + 0.22 * light_x * ((xx * s - cx) / fw) - 0.1 * np.clip((yy * s - cy) / fh, 0, 1)
    face_colour = skin[None, None, :] * shade[..., None]
    _composite(img, cv2.GaussianBlur(face, (0, 0), 0.5 * u), face_colour)

    # Hair on top of the head.
    if style != "bald":
        hair_mask = np.zeros(img.shape[:2], np.float32)
        top = {"short": 0.55, "long": 0.6, "bob": 0.7, "bun": 0.55, "curly": 0.75, "crop": 0.4}[style]
        _ellipse(hair_mask, (cx, cy - fh * 0.3), (fw * 1.08, fh * (0.55 + top * 0.4)), roll, 1.0)
        # Cut the hairline: the forehead shows below it, parted to one side.
        part = rng.uniform(-0.4, 0.4)
        forehead = np.zeros_like(hair_mask)
        _ellipse(
            forehead, (cx + part * fw * 0.3, cy + fh * 0.25), (fw * 0.9, fh * (0.95 - top * 0.25)), roll, 1.0
        )
        hair_mask = np.clip(hair_mask - forehead, 0, 1)
        if style == "bob":
            for side in (-1, 1):
                _ellipse(hair_mask, (cx + side * fw * 0.95, cy + fh * 0.1), (fw * 0.32, fh * 0.75), 0, 1.0)
        if style == "bun":
            _ellipse(hair_mask, (cx, cy - fh * 1.02), (fw * 0.42, fh * 0.3), 0, 1.0)
        if style == "curly":
            for _ in range(14):
                a = rng.uniform(math.pi * 0.95, math.pi * 2.05)
                r = rng.uniform(0.95, 1.15)
                _ellipse(
                    hair_mask,
                    (cx + math.cos(a) * fw * r, cy - fh * 0.15 + math.sin(a) * fh * r * 0.95),
                    (fw * 0.28, fw * 0.28),
                    0,
                    1.0,
                )
        texture = 1.0 + 0.12 * cv2.GaussianBlur(
            rng.standard_normal(img.shape[:2]).astype(np.float32), (0, 0), u * 0.7
        )
        hair_img = hair[None, None, :] * (texture * (1.0 + 0.15 * light_x * (xx - 0.5)))[..., None]
        _composite(img, cv2.GaussianBlur(hair_mask, (0, 0), 0.5 * u), hair_img)

    # Features; yaw slides them towards the turned side.
    fx = cx + yaw * fw * 0.6
    eye_y = cy - fh * 0.02 + rng.normal(0, 0.5) * u
    eye_dx = fw * rng.uniform(0.36, 0.44)
    eye_w, eye_h = 3.4 * u * rng.uniform(0.85, 1.15), 1.5 * u * rng.uniform(0.8, 1.2)
    iris = EYE_COLOURS[rng.integers(len(EYE_COLOURS))]
    brow = hair * 0.7 if style != "bald" else skin * 0.5
    look = rng.normal(0, 0.3) * u
    for side in (-1, 1):
        ex = fx + side * eye_dx * (1 - 0.3 * side * yaw)
        _ellipse(img, (ex, eye_y + 0.3 * u), (eye_w * 1.2, eye_h * 1.5), 0, skin * 0.9)  # socket shadow
        _ellipse(img, (ex, eye_y), (eye_w, eye_h), 0, (232, 226, 218))
        _ellipse(img, (ex + look, eye_y), (eye_h * 0.95, eye_h * 0.95), 0, iris)
        _ellipse(img, (ex + look, eye_y), (eye_h * 0.45, eye_h * 0.45), 0, (12, 10, 10))
        _ellipse(img, (ex + look + 0.35 * u, eye_y - 0.35 * u), (0.35 * u, 0.35 * u), 0, (250, 250, 250))
        cv2.ellipse(
            img,
            (int(ex * 16), int((eye_y - eye_h * 0.1) * 16)),
            (int(eye_w * 16), int(eye_h * 16)),
            0,
            180,
            360,
            tuple(float(c) for c in skin * 0.55),
            max(1, int(0.5 * u)),
            cv2.LINE_AA,
            4,
        )
        by = eye_y - eye_h - 2.2 * u * rng.uniform(0.8, 1.2)
        _poly(
            img,
            [
                (ex - eye_w * 1.2, by + 0.8 * u),
                (ex, by - 0.6 * u),
                (ex + eye_w * 1.2, by + 0.4 * u),
                (ex, by + 0.5 * u),
            ],
            brow,
        )

    # Nose: a shadow on the side away from the light, and a tip.
    nose_y = cy + fh * 0.32
    _poly(
        img,
        [(fx - light_x * 0.8 * u, eye_y + 2 * u), (fx - light_x * 2.2 * u, nose_y), (fx, nose_y + 0.6 * u)],
        skin * 0.72,
    )
    _ellipse(img, (fx, nose_y), (2.4 * u, 1.3 * u), 0, skin * 0.82)
    for side in (-1, 1):
        _ellipse(img, (fx + side * 1.1 * u, nose_y + 0.4 * u), (0.6 * u, 0.4 * u), 0, skin * 0.45)

    # Mouth: lips, with a smile that curves the corners up.
    mouth_y = cy + fh * 0.58
    mw = fw * rng.uniform(0.34, 0.46)
    smile = rng.uniform(-0.3, 1.0)
    lip = skin * np.array([0.82, 0.55, 0.55]) if rng.random() < 0.7 else np.array([150, 40, 50])
    upper = [
        (fx - mw, mouth_y - smile * u),
        (fx, mouth_y - 1.1 * u),
        (fx + mw, mouth_y - smile * u),
        (fx, mouth_y + 0.2 * u),
    ]
    lower = [
        (fx - mw, mouth_y - smile * u),
        (fx, mouth_y + (1.4 + 0.6 * smile) * u),
        (fx + mw, mouth_y - smile * u),
        (fx, mouth_y + 0.2 * u),
    ]
    _poly(img, upper, lip * 0.85)
    _poly(img, lower, lip)
    cv2.line(
        img,
        (int((fx - mw) * 16), int((mouth_y - smile * u) * 16)),
        (int(fx * 16), int((mouth_y + 0.2 * u) * 16)),
        tuple(float(c) for c in skin * 0.35),
        max(1, int(0.4 * u)),
        cv2.LINE_AA,
        4,
    )
    cv2.line(
        img,
        (int(fx * 16), int((mouth_y + 0.2 * u) * 16)),
        (int((fx + mw) * 16), int((mouth_y - smile * u) * 16)),
        tuple(float(c) for c in skin * 0.35),
        max(1, int(0.4 * u)),
        cv2.LINE_AA,
        4,
    )

    if rng.random() < 0.18:  # a beard or stubble shadow on the jaw
        beard = np.zeros(img.shape[:2], np.float32)
        _ellipse(beard, (cx, cy + fh * 0.45), (fw * 0.95, fh * 0.6), roll, 1.0)
        beard *= face * (yy * s > mouth_y - 2.5 * u)
        strength = rng.uniform(0.3, 0.9)
        _composite(img, cv2.GaussianBlur(beard, (0, 0), 0.8 * u) * strength, hair * 0.8)
    if rng.random() < 0.2:  # glasses
        frame = tuple(float(c) for c in rng.uniform(10, 80, 3))
        for side in (-1, 1):
            ex = fx + side * eye_dx
            cv2.ellipse(
                img,
                (int(ex * 16), int(eye_y * 16)),
                (int(eye_w * 1.6 * 16), int(eye_h * 2.6 * 16)),
                0,
                0,
                360,
                frame,
                max(1, int(0.6 * u)),
                cv2.LINE_AA,
                4,
            )
        cv2.line(
            img,
            (int((fx - eye_dx + eye_w * 1.6) * 16), int(eye_y * 16)),
            (int((fx + eye_dx - eye_w * 1.6) * 16), int(eye_y * 16)),
            frame,
            max(1, int(0.5 * u)),
            cv2.LINE_AA,
            4,
        )

    # Photographic finish: lens softness, downsampling (anti-aliasing), grain, clipping.
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.35, 0.8) * supersample)
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
    img += rng.normal(0, rng.uniform(1.5, 4.0), img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_dataset(out_dir: Path, count: int, size: int = 64, seed: int = 0, progress: bool = True) -> int:
    """Write `count` portraits as PNG files (face_000000.png ...); returns how many were written."""
    from tqdm import tqdm

    out_dir.mkdir(parents=True, exist_ok=True)
    for i in tqdm(range(count), desc="rendering faces", unit="face", disable=not progress):
        rgb = render_face(seed * 1_000_003 + i, size)
        cv2.imwrite(str(out_dir / f"face_{i:06d}.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return count
