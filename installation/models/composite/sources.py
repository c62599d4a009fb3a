"""Source portraits for composites: read, checked against their recorded checksums, measured
with the face mesh, and laid into one canonical frame.

A source list is a TSV (`file`, `sha256`, then any provenance columns) relative to a
corpus folder that stays outside the repository. Each usable face is turned into:
- `grey`: the picture's luminance, brightness and contrast matched inside the face
  (old prints range from pale albumen to dark halftones; unmatched, the darkest would
  dominate every blend), aligned by a similarity so the eyes and mouth sit at fixed
  places in a side x side frame;
- `mask`: the person-mask model's estimate of where the sitter is, in the same frame
  (composites keep the sitters and replace each studio's backdrop with one plain wall);
- `points`: the 468 mesh landmarks in that frame.

Aligned sources are cached in a work folder (never committed) keyed by the file's
checksum and the frame size, so a re-render measures nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .descreen import descreen

# The canonical frame, as fractions of its side: a head-and-shoulders portrait with the
# eyes a little above the middle (FFHQ's eye-to-mouth proportion at a looser framing).
EYE_LEFT = (0.405, 0.45)
EYE_RIGHT = (0.595, 0.45)
MOUTH = (0.5, 0.66)
FACE_MEAN, FACE_STD = 0.5, 0.17  # the face region's grey level after matching (0..1)

# A usable source: nearly frontal, mouth closed, eyes open, a face the mesh is sure of,
# and large enough not to be enlarged much into the frame.
MAX_YAW, MAX_PITCH = 20.0, 18.0
MAX_MOUTH = 0.03
MIN_EYES = 0.16
MIN_PRESENCE = 0.9
MIN_EYE_DISTANCE = 48.0  # px between eye centres in the source picture
MIN_CROWN = 0.5  # mean person mask just above the brow (hair or hat)
PAPER = 0.93  # grey level above which a region touching the picture's edge is blank paper
# A sitter's mask fades out over this much of the side before the edge of its picture
# (the source's edge or the blank paper around the print): the books' portraits end just
# below the shoulders, each at another height, and a mask cut off there put one hard edge
# per source into the composite (a ragged band of horizontal smears).
EDGE_FADE = 0.05
CACHE_VERSION = 3  # bumped whenever an aligned source's content changes (2: the edge fade, 3: the face too)


class SourceError(Exception):
    """A source list or corpus that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class SourceEntry:
    file: str
    sha256: str


@dataclass
class Source:
    file: str
    sha256: str
    points: np.ndarray  # (468, 2) float32 in the canonical frame
    yaw: float
    pitch: float
    _cache: Path | None = None
    _grey: np.ndarray | None = None
    _mask: np.ndarray | None = None
    _screenless: np.ndarray | None = None

    def pictures(self) -> tuple[np.ndarray, np.ndarray]:
        """(grey, mask), float32 0..1. Read from the cache once and kept as uint8 (0.5 MB a
        source at 512 px): composites, morphs and distances read them many times."""
        if self._grey is None:
            with np.load(self._cache) as data:
                self._grey, self._mask = data["grey"], data["mask"]
        return self._grey.astype(np.float32) / 255.0, self._mask.astype(np.float32) / 255.0

    def descreened(self) -> tuple[np.ndarray, np.ndarray]:
        """pictures() with the grey's halftone screen taken out (`descreen.py`); computed
        once and kept (1 MB a source at 512 px): benches blend each source many times."""
        grey, mask = self.pictures()
        if self._screenless is None:
            self._screenless = descreen(grey)
        return self._screenless, mask


def read_list(path: Path) -> list[SourceEntry]:
    """The `file` and `sha256` columns of a source list (TSV with a header line)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the source list ({exc.strerror})") from None
    out = []
    for line, row in enumerate(rows, start=2):
        if not row.get("file") or len(row.get("sha256") or "") != 64:
            raise SourceError(f"{path}, line {line}: needs a 'file' and a 64-digit 'sha256' column")
        out.append(SourceEntry(row["file"], row["sha256"].lower()))
    if not out:
        raise SourceError(f"{path}: lists no sources")
    return out


def frame_matrix(landmarks: np.ndarray, side: int) -> np.ndarray:
    """2x3 similarity from the picture to the canonical frame (eye centres and mouth)."""
    left = landmarks[[33, 133], :2].mean(0)
    right = landmarks[[362, 263], :2].mean(0)
    mouth = landmarks[[61, 291], :2].mean(0)
    src = np.array([left, right, mouth], np.float64)
    dst = np.array([EYE_LEFT, EYE_RIGHT, MOUTH], np.float64) * side
    # Least squares over the three points; the eyes weigh twice (they anchor the blend).
    src, dst = np.vstack([src, src[:2]]), np.vstack([dst, dst[:2]])
    m, _ = cv2.estimateAffinePartial2D(src, dst, method=cv2.LMEDS)
    if m is None:
        raise ValueError("eyes and mouth are degenerate")
    return m


def face_hull(points: np.ndarray, side: int, grow: float = 0.0) -> np.ndarray:
    """float32 mask of the mesh's outline (optionally grown by `grow` of the side)."""
    mask = np.zeros((side, side), np.uint8)
    hull = cv2.convexHull(np.round(points[:, :2] * 16).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, 255, shift=4)
    if grow > 0:
        k = max(3, int(side * grow) | 1)
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return mask.astype(np.float32) / 255.0


def paper(grey: np.ndarray) -> np.ndarray:
    """float32 mask of near-white regions connected to the picture's edge (margins, cut-outs)."""
    light = (grey >= PAPER).astype(np.uint8)
    n, labels = cv2.connectedComponents(light, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    edge = edge[edge > 0]
    out = np.isin(labels, edge).astype(np.uint8)
    # Grown a little: the paper's edge is a soft, slightly darker line.
    return cv2.dilate(out, np.ones((5, 5), np.uint8)).astype(np.float32)


def usable(face, eye_distance: float) -> str:
    """'' when a measured face may enter a composite, else why not."""
    pose, expression = face.pose, face.expression
    if face.presence < MIN_PRESENCE:
        return f"mesh unsure ({face.presence:.2f})"
    if abs(pose.yaw) > MAX_YAW or abs(pose.pitch) > MAX_PITCH:
        return f"turned (yaw {pose.yaw:.0f}, pitch {pose.pitch:.0f})"
    if expression.mouth > MAX_MOUTH:
        return "mouth open"
    if expression.eyes < MIN_EYES:
        return "eyes closed"
    if eye_distance < MIN_EYE_DISTANCE:
        return f"face too small ({eye_distance:.0f} px between the eyes)"
    return ""


def align_source(rgb: np.ndarray, stack, side: int) -> tuple[dict | None, str]:
    """The aligned grey picture, mask and points of the largest face, or None and why."""
    from ..face import portrait_faces

    faces = portrait_faces(rgb, stack)
    if len(faces) != 1:
        return None, f"{len(faces)} faces"
    face = faces[0]
    lm = face.landmarks
    eye_distance = float(np.linalg.norm(lm[[33, 133], :2].mean(0) - lm[[362, 263], :2].mean(0)))
    why = usable(face, eye_distance)
    if why:
        return None, why
    m = frame_matrix(lm, side)
    scale = float(np.hypot(m[0, 0], m[0, 1]))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    if scale < 0.8:  # shrinking: blur first, so halftone screens do not alias into stripes
        grey = cv2.GaussianBlur(grey, (0, 0), 0.45 / scale)
    # The person mask, less any white paper the print was mounted on or cut out onto
    # (the mask model readily calls a blank margin below the shoulders "person").
    picture = 1.0 - paper(grey)
    person = stack.person_mask(rgb) * picture
    grey = cv2.warpAffine(grey, m, (side, side), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    mask = cv2.warpAffine(person, m, (side, side), flags=cv2.INTER_LINEAR, borderValue=0.0)
    points = (lm[:, :2] @ m[:, :2].T + m[:, 2]).astype(np.float32)
    inner = face_hull(points, side) > 0.5
    mean, std = float(grey[inner].mean()), float(grey[inner].std())
    grey = np.clip((grey - mean) / max(std, 1e-3) * FACE_STD + FACE_MEAN, 0.0, 1.0)
    # The face itself always belongs to the sitter, whatever the mask model thought of it.
    mask = np.maximum(mask, face_hull(points, side, grow=0.02))
    # Above the brow there must be hair or a hat: a face cut out of its print has none.
    top, x0, x1 = points[10, 1], points[234, 0], points[454, 0]
    quarter = (x1 - x0) / 4
    above = mask[max(0, int(top - side * 0.06)) : max(1, int(top - side * 0.01)),
                 max(0, int(x0 + quarter)) : max(1, int(x1 - quarter))]
    crown = float(above.mean()) if above.size else 0.0
    if crown < MIN_CROWN:
        return None, f"a face cut out of its picture (crown {crown:.2f})"
    # The sitter weighs only where its print holds it, the face included: a tight head crop
    # that ends at the chin (or in the forehead) fades out before that edge. Kept at full
    # weight over the rows copied out from the edge, up to the mesh's hard outline, those
    # crops drew a line round every men's chin and a pasted shape on the forehead. Where
    # every print ends, the blend keeps the face whole (blend.FACE_FLOOR).
    mask *= edge_fade(picture, m, side)
    return {
        "grey": np.round(grey * 255).astype(np.uint8),
        "mask": np.round(np.clip(mask, 0, 1) * 255).astype(np.uint8),
        "points": points,
        "yaw": face.pose.yaw,
        "pitch": face.pose.pitch,
    }, ""


def edge_fade(picture: np.ndarray, m: np.ndarray, side: int) -> np.ndarray:
    """float32, 1 well inside the printed picture (`picture`: 1 there, 0 on blank paper,
    in the source's pixels), falling smoothly to 0 at its edges and at the source's edges,
    in the frame (moved by `m`); the frame's own edges do not count."""
    inked = (picture > 0.5).astype(np.uint8)
    inside = cv2.warpAffine(inked, m, (side, side), flags=cv2.INTER_NEAREST, borderValue=0)
    reach = cv2.distanceTransform(inside, cv2.DIST_L2, 5) / (EDGE_FADE * side)
    t = np.clip(reach, 0.0, 1.0)
    return (t * t * (3 - 2 * t)).astype(np.float32)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_sources(
    entries: list[SourceEntry], corpus: Path, work: Path, side: int, log=print
) -> tuple[list[Source], dict[str, str]]:
    """Every usable source (in list order), and why each other one was left out."""
    from ..face import FaceStack

    work.mkdir(parents=True, exist_ok=True)
    stack = None
    sources, left_out = [], {}
    for entry in entries:
        path = corpus / entry.file
        if not path.is_file():
            raise SourceError(f"{path}: listed source missing; point --corpus at the folder that holds it")
        digest = sha256_of(path)
        if digest != entry.sha256:
            raise SourceError(f"{path}: checksum {digest[:12]}… differs from the list's {entry.sha256[:12]}…")
        cache = work / f"{digest[:24]}-{side}-v{CACHE_VERSION}.npz"
        meta = work / f"{digest[:24]}-{side}-v{CACHE_VERSION}.json"
        if meta.is_file():
            info = json.loads(meta.read_text())
        else:
            stack = stack or FaceStack.open()
            bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if bgr is None:
                raise SourceError(f"{path}: not a readable image")
            out, why = align_source(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), stack, side)
            info = {"why": why}
            if out is not None:
                np.savez_compressed(cache, grey=out["grey"], mask=out["mask"])
                info.update(points=out["points"].round(3).tolist(), yaw=out["yaw"], pitch=out["pitch"])
            meta.write_text(json.dumps(info))
        if info["why"]:
            left_out[entry.file] = info["why"]
            continue
        sources.append(
            Source(entry.file, digest, np.array(info["points"], np.float32), info["yaw"], info["pitch"], cache)
        )
    log(f"{len(sources)} usable sources of {len(entries)} ({len(left_out)} left out)")
    return sources, left_out
