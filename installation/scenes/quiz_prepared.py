"""The quiz's items made ready to show: decoded and judged by the machine on a worker
thread (numpy only), then kept as pictures at the few sizes the screens draw them. A mixin
of QuizScene (quiz.py holds the game; quiz_screens draws it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pygame

from .. import faults
from ..imaging import MediaError, surface_from_rgb
from ..media.kept import read_picture
from ..models.detector import DEFAULT_DETECTOR
from ..models.detector.preprocess import MIN_SIDE, ImageError
from . import quiz_draw as draw
from .layout import SOFT_ENLARGEMENT, picture_room
from .quiz_items import Item, ItemsError, QuizStats, left_out, load_folder, too_small, unplayable
from .quiz_kept_items import kept_file
from .quiz_machine import gallery_crossfit, judged, judged_already, load_machine
from .quiz_manifest import ItemPlaces, read_playing
from .quiz_pictures import begin_showing, screen_copy
from .quiz_verdicts import KeptVerdicts, verdicts_folder

PREVIEW_SIDE = 640  # display copies are kept at least this large where the picture has the pixels (see prepare)
_REPORTED: set[str] = set()  # broken items already logged (scenes are rebuilt on every play)


@dataclass
class Prepared:
    """One item decoded and judged, ready to show (numpy only: made on a worker thread)."""

    item: Item
    image: np.ndarray
    verdict: Any = None  # detector Verdict or None
    explanation: Any = None  # detector Explanation or None
    sized: dict[int, pygame.Surface] = field(default_factory=dict, repr=False)  # by side, see picture_of
    spectrum: pygame.Surface | None = field(default=None, repr=False)


class Preparing:
    """A mixin of QuizScene (config, context, id, log; fills items, stats, detector, detector_note,
    machine_at_chance and problem)."""

    # -- loading (worker thread: numpy only) -------------------------------------
    def prepare(self) -> None:
        c = self.config
        root, show_root = self.context.content_root, self.context.show_root  # (files named from the show's)
        try:
            if c.manifest is not None:
                # The rest still play, and what played before an edit broke it plays on;
                # the technician hears which item is wrong, and what plays meanwhile.
                kept = kept_file(Path(self.context.state_dir), self.id)  # (for a restart over a broken one)
                items, notes = read_playing(root / c.manifest, root, show_root, c.mode, self.context.clock.wall, kept)
                for note in notes:
                    self.context.report(note, severity="warning")
            else:
                items = load_folder(c.real, "real", root, show_root) + load_folder(c.fake, "fake", root, show_root)
        except ItemsError as error:
            self.problem = str(error)
            self.log.warning("%s", error)
            items = []
        name = c.detector or getattr(
            getattr(self.context.show_config, "models", None), "detector", DEFAULT_DETECTOR
        )
        set_in = "the scene file" if c.detector else "install.toml [models] detector"
        self.detector, self.detector_note = load_machine(name, self.context.models_dir, set_in)
        if self.detector is None:
            self.log.warning("quiz without a machine: %s", self.detector_note)
        crossfit, coin = gallery_crossfit(self.context.models_dir) if self.detector is not None else ({}, False)
        self.machine_at_chance = coin  # the start card says so rather than "you against the machine"
        # verdicts from earlier starts, by the picture's bytes and the detector's weights
        kept = None if self.detector is None else KeptVerdicts(verdicts_folder(self.context.state_dir), self.detector)
        places = ItemPlaces(root / c.manifest if c.manifest is not None else None, show_root)
        # Kept as large as this screen draws it, at most its own pixels: a fixed 640 px copy
        # was enlarged twice over on a 4K screen however large the picture was.
        wanted = max(PREVIEW_SIDE, picture_room(self.context.size))
        begin_showing()  # (the copies this showing makes ready are kept first: see quiz_pictures._keep)
        for item in items:
            # The picture is decoded whole only for the machine to judge it (the first
            # showing, or a changed file): resizing would wash out exactly the traces the
            # detector looks for. Else its screen copy is kept, or decoded reduced.
            to_judge = self.detector is not None and not judged_already(self.detector, item.path, kept)
            try:
                shown = screen_copy(item.path, wanted, whole=to_judge)  # (kept while its USB stick is out)
                if min(shown.own_size) < MIN_SIDE:
                    raise MediaError(f"{item.path}: {too_small(*shown.own_size)}")
            except MediaError as error:
                # (The error names the file in full; the place names it from the show folder.)
                reason = left_out(str(error).split(": ", 1)[-1], listed=c.manifest is not None)
                said = places.problem(item, reason, severity="warning")
                if str(item.path) not in _REPORTED:
                    _REPORTED.add(str(item.path))
                    self.log.warning("quiz item skipped: %s", said)
                self.context.report(f"quiz item skipped: {said}", severity="warning")
                continue
            prepared = Prepared(item, shown.image)
            if self.detector is not None:
                whole = shown.whole if shown.whole is not None else (lambda path=item.path: read_picture(path))
                try:
                    prepared.explanation, prepared.verdict = judged(
                        self.detector, item.path, whole, crossfit, coin, kept)
                except (ImageError, MediaError) as error:  # one it cannot judge (`bayard check` says so)
                    said = places.problem(item, f"the machine cannot judge it: {error}")
                    if str(item.path) not in _REPORTED:
                        _REPORTED.add(str(item.path))
                        self.log.warning("%s", said)
                    self.context.report(str(said))
                except Exception as error:  # noqa: BLE001 - a detector bug must not stop the quiz
                    # ... but it is a fault: the visitor meets this item without the machine
                    if str(item.path) not in _REPORTED:
                        _REPORTED.add(str(item.path))
                        self.log.warning("detector failed on %s: %s", item.path, error)
                        faults.report(self.id, "judging quiz items", error)
            self.items[item.key] = prepared
        if kept is not None:
            # (status says it: after a restart "read back" should be every unchanged item)
            known = sum(p.explanation is not None for p in self.items.values())
            self.verdicts = {"read back": kept.reused, "judged": kept.judged,
                             "remembered": max(0, known - kept.reused - kept.judged)}
            if kept.reused or kept.judged:  # (later showings find them in memory: nothing to say)
                kept.prune()
                self.log.info("quiz %s: %d verdicts read back from %s, %d judged", self.id, kept.reused,
                              kept.folder, kept.judged)
        stats_path = Path(self.context.state_dir) / "quiz" / f"{self.id}.json"
        self.stats = QuizStats(stats_path)
        if not self.items and not self.problem:
            self.problem = "no quiz items could be loaded; put images in the quiz folders"
        elif not self.problem and (short := unplayable([p.item for p in self.items.values()], c.mode)):
            # (A pair quiz of real pictures alone showed "Touch to play", and a touch did nothing.)
            self.problem = f"{short}; the quiz rests on its start card until it has enough"
            self.context.report(self.problem)

    def can_play(self) -> bool:
        """Whether a round can be asked of the items made ready (the start card says it
        rests otherwise, instead of offering a touch that does nothing)."""
        return bool(self.items) and unplayable([p.item for p in self.items.values()], self.config.mode) is None

    def picture_of(self, prepared: Prepared, side: int) -> pygame.Surface:
        """The item's picture at side x side, resampled once (Lanczos when enlarged, area
        when shrunk: pygame's per-frame bilinear stretch drew a soft face) and kept for the
        few sizes the screens use."""
        surface = prepared.sized.get(side)
        if surface is None:
            surface = surface_from_rgb(draw.square_crop(prepared.image, side))
            if len(prepared.sized) >= 6:  # attract, question, reveal, summary: a handful
                prepared.sized.pop(next(iter(prepared.sized)))
            prepared.sized[side] = surface
        return surface

    def largest_picture(self) -> int:
        """The largest side any quiz picture is drawn at on this screen: SOFT_ENLARGEMENT
        times the smallest picture's own pixels, for every picture alike (on a 4K screen a
        512 px face was stretched four times over; and were each drawn to its own limit, a
        picture's size could hint at whether it is real)."""
        sides = [min(p.image.shape[:2]) for p in self.items.values()]
        return round(SOFT_ENLARGEMENT * min(sides)) if sides else max(self.context.size)

    def cue_picture(self, prepared: Prepared, side: int) -> pygame.Surface:
        if prepared.spectrum is None or prepared.spectrum.get_width() != side:
            # the cue that weighed most: the face detector's map, or the spectrum
            picture = getattr(prepared.explanation, "picture", None)
            prepared.spectrum = (
                draw.picture_surface(picture, side)
                if picture is not None
                else draw.spectrum_surface(prepared.explanation, side)
            )
        return prepared.spectrum
