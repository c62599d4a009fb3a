"""The face stack (wrapper layer): detection, mesh, iris, pose and person mask behind one
object that the portrait, `animate`, the fomm crop, the detector and the quiz all use.

    stack = FaceStack.open(models_dir)           # raises FaceStackUnavailable with a fix
    faces = stack.faces(rgb)                     # best first, each with 468 landmarks
    eyes = stack.eyes(rgb, faces[0].landmarks)   # lids and irises
    mask = stack.person_mask(rgb)                # float32, 1 = person

Models load on first use. One FaceStack per thread: LiteRT interpreters are not
thread-safe, and each holds its own (small) buffers. The faces it returns (`Face`) and how
faces found together are told apart are in faces.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

from .detect import FULL_RANGE, SHORT_RANGE, Detection, FaceDetector
from .faces import Face, covers, one_per_place
from .geometry import Region
from .landmarks import Eye, FaceMesh, IrisModel, presence_of, region_from_detection, region_from_landmarks
from .runtime import FaceStackUnavailable, load, models_folder

# A mesh whose presence falls below this has lost the face (MediaPipe's own threshold).
PRESENCE_MIN = 0.5
# The detectors' score threshold on the second, light-evened look (mesh-confirmed).
RETRY_MIN_SCORE = 0.35
# A mesh found from a detection must be about the detection's size and place (face height
# over the detection's side, and its centre's distance in sides): see fits_detection.
FIT_HEIGHT = (0.6, 2.0)
FIT_OFFSET = 0.35
# At most this many detections are meshed when looking for faces.
MAX_CANDIDATES = 8
# A detection the mesh doubts gets more looks, upright, this much wider.
WIDER_LOOKS = (1.2, 1.4, 1.6)
# A face the detector took the wrong way up gets at most this many looks more, each from
# the last one's mesh, for its crop to settle.
TURNED_SETTLE_LOOKS = 4
# The mesh's log-odds for a crop turned half round over those for the detector's own crop,
# above which the face is upside down whatever the detector says (see _right_way_up).
SURE_TURN_LOGITS = 8.0


class FaceStack:
    def __init__(self, models_dir: Path | None = None, threads: int | None = None) -> None:
        self.models_dir = models_dir
        self.folder = models_folder(models_dir)
        self.threads = threads
        self._short: FaceDetector | None = None
        self._full: FaceDetector | None = None
        self._mesh: FaceMesh | None = None
        self._iris: IrisModel | None = None
        self._segment = None

    @classmethod
    def open(cls, models_dir: Path | None = None, threads: int | None = None) -> FaceStack:
        """A stack whose detector and mesh have loaded (fails now, not mid-visit)."""
        stack = cls(models_dir, threads)
        stack.mesh_model  # noqa: B018 - load now so a broken install is reported at once
        stack.short_range  # noqa: B018
        return stack

    # -- models, loaded on first use ---------------------------------------------
    def _load(self, name: str):
        return load(name, self.models_dir, self.threads)

    @property
    def short_range(self) -> FaceDetector:
        if self._short is None:
            self._short = FaceDetector(self._load("detect_short"), SHORT_RANGE)
        return self._short

    @property
    def full_range(self) -> FaceDetector:
        if self._full is None:
            self._full = FaceDetector(self._load("detect_full"), FULL_RANGE)
        return self._full

    @property
    def mesh_model(self) -> FaceMesh:
        if self._mesh is None:
            self._mesh = FaceMesh(self._load("mesh"))
        return self._mesh

    @property
    def iris_model(self) -> IrisModel:
        if self._iris is None:
            self._iris = IrisModel(self._load("iris"))
        return self._iris

    # -- the API -----------------------------------------------------------------
    def detect(self, image: np.ndarray, full_range: bool | None = None, thorough: bool = True) -> list[Detection]:
        """Faces in an RGB frame, best first. full_range None: short range first, the
        full-range model when it finds nothing (a visitor far away, a small face), then,
        when `thorough`, slower last looks (light evened, the centre enlarged). A tracker
        facing an empty frame every frame asks for those only now and then."""
        image = as_rgb(image)
        if full_range is not None:
            return (self.full_range if full_range else self.short_range).detect(image)
        found = self.short_range.detect(image) or self.full_range.detect(image)
        if not found and thorough:
            found = self._slower_looks(image)
        return found

    def _confirmed(self, image: np.ndarray, candidates: list[Detection]) -> list[Detection]:
        return [d for d in candidates if self.mesh(image, d) is not None]

    def _slower_looks(self, image: np.ndarray) -> list[Detection]:
        """Weaker candidates, each confirmed by the mesh's presence score before anyone
        treats it as a face; one model at a time, so one face is never counted twice."""
        # A low-contrast scan, a face half in shadow under a head covering (a turbaned
        # sitter scored 0.40 and the mesh was 91% sure of his face).
        for model in (self.short_range, self.full_range):
            if found := self._confirmed(image, model.detect(image, RETRY_MIN_SCORE)):
                return found
        # A face against a bright window or in a dim corner: once more with the light
        # evened out (the bench found backlit darker skin missed most often).
        evened = even_light(image)
        for model in (self.short_range, self.full_range):
            if found := self._confirmed(image, model.detect(evened, RETRY_MIN_SCORE)):
                return found
        return self._detect_centre_zoomed(image)

    def _detect_centre_zoomed(self, image: np.ndarray) -> list[Detection]:
        """A last look at the middle half of the frame, twice as large: where a visitor
        stands, too far away for the detectors' small inputs (darker faces far from the
        camera were missed most, bench/portrait.py showed). Mesh-confirmed, in frame pixels."""
        h, w = image.shape[:2]
        if min(h, w) < 64:
            return []
        x0, y0 = w // 4, h // 4
        zoomed = cv2.resize(image[y0:y0 + h // 2, x0:x0 + w // 2], None, fx=2, fy=2,
                            interpolation=cv2.INTER_CUBIC)
        found = (self.short_range.detect(zoomed, RETRY_MIN_SCORE)
                 or self.full_range.detect(even_light(zoomed), RETRY_MIN_SCORE))
        back = [Detection((d.box[0] / 2 + x0, d.box[1] / 2 + y0, d.box[2] / 2 + x0, d.box[3] / 2 + y0),
                          d.keypoints / 2 + np.array([x0, y0], np.float32), d.score) for d in found]
        return self._confirmed(image, back)

    def mesh(self, image: np.ndarray, start: Detection | Region | np.ndarray) -> Face | None:
        """The mesh of the face at a detection, a region, or last frame's landmarks."""
        image = as_rgb(image)
        detection = start if isinstance(start, Detection) else None
        if isinstance(start, Detection):
            region = region_from_detection(start)
        elif isinstance(start, Region):
            region = start
        else:
            region = region_from_landmarks(np.asarray(start))
        if region.width < 8 or not math.isfinite(region.width):
            return None
        if detection is not None:
            landmarks, presence, region, detection = self._right_way_up(image, detection, region)
        else:
            landmarks, presence = self.mesh_model.run(image, region)
        if presence < PRESENCE_MIN:
            # Backlit or dim faces (darker skin most of all, the bench showed) are often
            # found by the detector and then doubted by the mesh: look again, light evened.
            landmarks, presence = self.mesh_model.run(image, region, even=even_light)
        if presence < PRESENCE_MIN and detection is not None:
            # Darker faces under head coverings in old photographs were found by the
            # detector and doubted by the mesh (presence near 0): the detector's eye points,
            # which set the crop's tilt, were off by up to 20 degrees, and the mesh's
            # verdict on a face in shadow swung with the crop's size (0.01 at 1.2x the
            # usual side, 0.82 at 1.3x, 0.47 at 1.5x). So: upright, at a few wider sizes,
            # the surest look.
            looks = [Region(region.cx, region.cy, region.width * k, region.height * k, 0.0)
                     for k in WIDER_LOOKS]
            runs = [(self.mesh_model.run(image, look), look) for look in looks]
            (landmarks, presence), region = max(runs, key=lambda run: run[0][1])
        # A mesh with a NaN or infinite point (or presence) is no face: passed on, the portrait's
        # motion failed in an SVD that does not converge (the worker logged a failure and froze
        # the still portrait); as a frame with no face the tracker simply looks again.
        if not presence >= PRESENCE_MIN or not np.isfinite(landmarks).all():
            return None
        face = Face(landmarks.astype(np.float32), presence, region, detection)
        if detection is not None and not fits_detection(face, detection):
            return None
        return face

    def _right_way_up(self, image: np.ndarray, detection: Detection,
                      region: Region) -> tuple[np.ndarray, float, Region, Detection]:
        """The mesh of a detected face the right way up: its landmarks, presence, crop and
        the detection that placed it.

        The detectors learned upright faces. On a face upside down (a camera mounted that
        way, a visitor bending over) they still fire, but place the eyes as if it were
        upright, and the mesh, given that crop, fitted an upright face to it (sure at 0.98),
        so every expression read from it was wrong. So the mesh also looks at the crop
        turned half round: the right way up it is surer by 15-22 log-odds on the shared
        drivers. If that wins, the face is also looked for in the picture turned half
        round, where it is upright and its box is placed rightly (a small face's box was
        half a face off), and the surest of all the looks is taken if it is a turned one
        and the detector or a wide margin agrees.
        Faces that are not turned are found exactly as before. (Turned a quarter, the
        detectors place the eyes rightly.) Tracking then keeps the turn: the next crop
        follows the mesh's own eye line. `region`: the detection's crop."""
        looks = self._both_ways(image, region, detection)
        upright = looks[0]
        best = max(looks, key=lambda look: look[1])
        if best is upright:
            # (A face the mesh doubts either way, a profile or a poster behind the visitors,
            # is not looked for again: on the tracker's path that would run every frame.)
            return upright[0], presence_of(upright[1]), region, detection
        # The turned look also wins, narrowly, on some small, dim or three-quarter faces
        # that are upright (by up to 5.5 log-odds on 63 portraits in four lights; a face
        # upside down wins by 15 in the median). So it is taken only if the detector, too,
        # is surer of the face in the picture turned half round, or the mesh is very sure.
        again = self._detected_upside_down(image, detection)
        if not ((again is not None and again.score > detection.score)
                or best[1] - upright[1] >= SURE_TURN_LOGITS):
            return upright[0], presence_of(upright[1]), region, detection
        if again is not None:
            best = max(looks + self._both_ways(image, region_from_detection(again), again),
                       key=lambda look: look[1])
        if abs(math.remainder(best[2].angle - region.angle, math.tau)) < math.pi / 2:
            # Not turned: the detector's own crop, as before (mesh() gives a face it doubts
            # more looks), so that upright faces are found exactly as they always were.
            return upright[0], presence_of(upright[1]), region, detection
        landmarks, logit, chosen, detection = best
        for _ in range(TURNED_SETTLE_LOOKS):
            # A crop from a box placed as if the face were upright can be a fifth of a face
            # off: more looks from the mesh's own crop, as tracking takes them frame by
            # frame, until the crop stays put (the first frame's mouth read 0.10 open for a
            # closed 0.01 after none). Taken while the mesh is still sure: its log-odds say
            # face or no face, not how well the points fit (often lower once they do).
            settled = region_from_landmarks(landmarks)
            refined, refined_logit = self.mesh_model.run_logit(image, settled)
            if presence_of(refined_logit) < PRESENCE_MIN:
                break
            moved = math.hypot(settled.cx - chosen.cx, settled.cy - chosen.cy)
            landmarks, logit, chosen = refined, refined_logit, settled
            if moved < 0.02 * settled.width:
                break
        return landmarks, presence_of(logit), chosen, detection

    def _both_ways(self, image: np.ndarray, region: Region, detection: Detection) -> list:
        """The mesh at a crop and at the crop turned half round: (landmarks, log-odds, crop,
        detection) each."""
        turned = Region(region.cx, region.cy, region.width, region.height, region.angle + math.pi)
        return [(*self.mesh_model.run_logit(image, look), look, detection) for look in (region, turned)]

    def _detected_upside_down(self, image: np.ndarray, near: Detection) -> Detection | None:
        """The face at `near`, detected in the picture turned half round (where a face
        upside down is upright), in this picture's pixels; None if it is not there."""
        h, w = image.shape[:2]
        half_turned = np.ascontiguousarray(image[::-1, ::-1])
        for found in self.short_range.detect(half_turned) or self.full_range.detect(half_turned):
            x0, y0, x1, y1 = found.box
            back = Detection((w - 1 - x1, h - 1 - y1, w - 1 - x0, h - 1 - y0),
                             np.array([w - 1, h - 1], np.float32) - found.keypoints, found.score)
            cx, cy = back.centre
            if math.hypot(cx - near.centre[0], cy - near.centre[1]) < max(back.size, near.size):
                return back
        return None

    def faces(self, image: np.ndarray, max_faces: int = 4, full_range: bool | None = None) -> list[Face]:
        """Detect, then mesh each face (largest first), up to `max_faces` the mesh confirms.
        Candidates the mesh rejects do not count: a larger false detection (a bright window
        frame, a shadow) once hid the real face behind it when only one face was asked for."""
        image = as_rgb(image)
        candidates = self.detect(image, full_range)
        faces = self._meshed(image, candidates, max_faces)
        if not faces and candidates and full_range is None:
            # Every candidate was refused: the slower looks, as for an empty frame (with no
            # candidates at all, detect() has taken them already). But not a small "face"
            # inside a refused one (a profile's ear, once): it is part of what the detector
            # saw and the mesh refused.
            later = self._meshed(image, self._slower_looks(image), max_faces)
            faces = [f for f in later if not any(_part_of(f, d) for d in candidates)]
        return faces

    def _meshed(self, image: np.ndarray, candidates: list[Detection], max_faces: int) -> list[Face]:
        faces: list[Face] = []
        for detection in sorted(candidates, key=lambda d: -d.size)[:MAX_CANDIDATES]:
            enough = len(one_per_place(faces)) >= max_faces
            if enough and not any(covers(face.box, detection.centre) for face in faces):
                break  # (a smaller candidate on a face already found may still be the surer one)
            face = self.mesh(image, detection)
            if face is not None:
                faces.append(face)
        return one_per_place(faces)[:max_faces]

    def eyes(self, image: np.ndarray, landmarks: np.ndarray) -> tuple[Eye, Eye]:
        """Lids and irises, image-left eye first."""
        return self.iris_model.run(as_rgb(image), landmarks)

    def person_mask(self, image: np.ndarray) -> np.ndarray:
        """Probability that each pixel belongs to a person (float32, the image's size)."""
        if self._segment is None:
            self._segment = self._load("segment")
        image = as_rgb(image)
        h, w = image.shape[:2]
        small = cv2.resize(image, (256, 256), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
        mask = next(o for o in self._segment(small[None]) if o.shape[-1] == 1).reshape(256, 256)
        return cv2.resize(np.clip(mask, 0.0, 1.0), (w, h), interpolation=cv2.INTER_LINEAR)


def fits_detection(face: Face, detection: Detection) -> bool:
    """Whether a mesh found from a detection is that detection's face. The mesh, given a
    wide crop, can be sure of a small "face" elsewhere in it (an ear in a profile once):
    on 104 portraits its face height was 0.92-1.45 of the detection's side and its centre
    within 0.11 of it, so a mesh far outside that is not the face that was detected."""
    x0, y0, x1, y1 = detection.box
    side = max(x1 - x0, y1 - y0, 1e-6)
    offset = math.hypot(face.centre[0] - (x0 + x1) / 2, face.centre[1] - (y0 + y1) / 2) / side
    return FIT_HEIGHT[0] <= face.height / side <= FIT_HEIGHT[1] and offset <= FIT_OFFSET


def _part_of(face: Face, detection: Detection) -> bool:
    """Whether a face lies inside a detection and is much smaller than it."""
    x0, y0, x1, y1 = detection.box
    return covers(detection.box, face.centre) and face.height < FIT_HEIGHT[0] * max(x1 - x0, y1 - y0)


def even_light(image: np.ndarray) -> np.ndarray:
    """Contrast-limited histogram equalisation of the lightness only (colours kept)."""
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    tiles = max(2, min(8, min(image.shape[:2]) // 64))
    lab[..., 0] = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(tiles, tiles)).apply(lab[..., 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


def as_rgb(image: np.ndarray) -> np.ndarray:
    """uint8 RGB from grey, RGB or RGBA input."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        return image[..., :3]
    return image


def try_open(models_dir: Path | None = None) -> tuple[FaceStack | None, str]:
    """The stack, or None and the reason (for `check`, status and the fallbacks)."""
    try:
        return FaceStack.open(models_dir), ""
    except FaceStackUnavailable as error:
        return None, str(error)
