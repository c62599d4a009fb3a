"""`loop`: "This person doesn't exist." Generated faces, one after another, for ever.

Items are images and/or videos (a folder glob, a list with per-item captions and
credits, or both), shown in order or shuffled without immediate repeats, with a
crossfade or a cut between them. Some items may be marked `real = true`: their
caption first says the person doesn't exist, then turns into the reveal, "This
person does exist." (the twist of the exhibition: generators learn from real people).

Decoding and scaling run ahead on worker threads (installation.media); the next item
is opened a few seconds before it is due, so a change never shows black. A single
video loops seamlessly (the decoder runs across the loop point). A bad file is
skipped with one log line; when nothing is left to show, a designed placeholder says
so. Instead of files, the scene can run a generator: live on a GPU, and on a CPU the
pre-rendered `fallback` loop (reported by `bayard check` and in status).

Here: the loop's life, and when one item gives way to the next. Its keys are in loop_config.py,
its items and their order (and a file skipped) in loop_playlist.py, how a generator runs here in
loop_generator.py, the morph's pictures in loop_morph.py, what it draws in loop_draw.py, and how
its folder is looked at again (off the render thread) in loop_rescan.py.
"""

from __future__ import annotations

import math
import random
import threading
from pathlib import Path
from typing import Any

import pygame

from .. import faults
from ..media import GeneratorSource
from ..media.folder_looks import LOOK_DEADLINE_S, FolderLooks
from .base import Scene, register_scene
from .layout import GRID_SHARE, giving_way, layout_key, overrun_message
from .loop_check import check_loop_folder, places_in_scene_file
from .loop_config import GeneratorSpec, LoopConfig, LoopItem
from .loop_draw import LoopDrawing
from .loop_generator import decide_generator_mode, describe
from .loop_morph import morph_frames
from .loop_playlist import LoopPlaylist, Slot
from .loop_rescan import RESCAN_S, FolderRescans
from .style import rgb

# Names other modules and tests import from here (`bayard check` describes loops with
# describe(); tests replace morph_frames, which _start_morph looks up in this module).
__all__ = ["RESCAN_S", "GeneratorSpec", "LoopConfig", "LoopItem", "LoopScene", "decide_generator_mode",
           "describe", "morph_frames"]

PRELOAD_S = 3.0  # open the next item this long before it is due
MORPH_FRAMES = 24  # distinct in-between pictures of a morph (computed ahead, at half size)
# A loop with nothing to play shows its placeholder card this long (time to read it), then lets
# the show go on where it has another scene that may show something (LoopScene.finished): its film
# missing, visitors looked at the card for the scene's whole duration (45 s). The overlay and the
# log name the missing file meanwhile.
PLACEHOLDER_SHOWN_S = 5.0


@register_scene("loop")
class LoopScene(LoopPlaylist, FolderRescans, LoopDrawing, Scene):
    Config = LoopConfig
    config: LoopConfig
    check_content = staticmethod(check_loop_folder)  # `bayard check`: the files its folder matches

    def __init__(self, config: LoopConfig, context) -> None:
        super().__init__(config, context)
        self.t = 0.0
        self.items: list[LoopItem] = []
        self._scanned_at = -math.inf
        self._order: list[int] = []
        self._last_index: int | None = None
        self._rng = random.Random(config.seed)
        self.current: Slot | None = None
        self.next: Slot | None = None
        self.fading_out: Slot | None = None  # the item fading out during a crossfade
        self.mode = "files"  # files | live | fallback | placeholder
        self._placeholder_since: float | None = None  # (scene time the placeholder came on)
        self._told_resting: bool | None = None  # (what the show was last told: context.resting)
        self.mode_reason = ""
        self.skipped: list[str] = []
        self._skipped_at: dict[str, int] = {}  # (real time each was skipped: loop_rescan._look_at_skipped)
        self._places: dict[str, str] = {}  # (read in prepare: see loop_check.places_in_scene_file)
        self._looks: FolderLooks | None = None  # the folder's looks, off the render thread (_look_again)
        self._first_look: list[str] | None = None  # (the files prepare's look found)
        self._folder_items: dict[str, LoopItem] = {}  # (the folder's files as items, by file: _scan)
        self._found: list[str] = []  # (the files the folder's last look found: _scan)
        self._said_hung = False  # (the technician was told the folder's drive does not answer)
        width, height = context.size
        if config.layout == "full":
            self.frame_rect = self.column = pygame.Rect(0, 0, width, height)
        else:  # until warm() (or enter) has measured the words: see _settle_layout
            self.frame_rect, self.column = self._frame_and_column(GRID_SHARE)
        self._laid_out = config.layout == "full" or context.fonts is None
        self.words_overrun = 0  # pixels the words need beyond their column (see _settle_layout)
        # Tests and offline renders wait for the decoder: exact frames. A live show never
        # blocks the render loop: a late frame is held and counted.
        self.block = context.deterministic

    # -- life cycle -----------------------------------------------------------------
    def prepare(self) -> None:
        # Where the scene file names its files, for what is said of one it skips (_skip).
        context = self.context
        scenes = (Path(context.show_root) / context.show_config.show.scenes
                  if context.show_root is not None and context.show_config is not None else None)
        self._places = places_in_scene_file(self.config, context.scene_file, context.show_root, context.state_dir,
                                            scenes)
        spec = self.config.generator
        if spec is None:
            if self.config.folder:  # the first look, here on the loading thread, not at enter
                looks = self._folder_looks()
                looks.begin()
                self._first_look = looks.wait(LOOK_DEADLINE_S)
            return
        self.mode, self.mode_reason = decide_generator_mode(spec, self._checkpoint_path(spec))

    def _checkpoint_path(self, spec: GeneratorSpec) -> Path:
        show_root = self.context.show_root or self.context.content_root.parent
        return Path(show_root) / spec.checkpoint

    def _settle_layout(self) -> None:
        """The frame gives way where the words would not fit beside it (layout.giving_way):
        measured on the main thread, before the first item is opened at the frame's size,
        never in the constructor (which must stay cheap). Without fonts (a context that only
        plays, never draws) there are no words to make room for."""
        if self._laid_out:
            return
        self._laid_out = True
        size = self.context.size
        key = layout_key("loop", self.config, self.context.fonts, size)
        self.frame_rect, self.column, overrun = giving_way(self._frame_and_column, GRID_SHARE, self._words_need,
                                                           key=key)
        if overrun:
            self.context.report(overrun_message(overrun, size, "the caption, body and credit"), severity="warning")
        self.words_overrun = overrun

    def check_words(self) -> str:
        """`bayard check`: what to shorten when the words cannot fit this screen, else ''."""
        self._settle_layout()
        what = "the caption, body and credit"
        return overrun_message(self.words_overrun, self.context.size, what) if self.words_overrun else ""

    def warm(self):
        self._settle_layout()
        yield

    def enter(self) -> None:
        self._settle_layout()
        spec = self.config.generator
        if spec is not None and self.mode == "files":
            self.prepare()
        if self.current is None:
            self._start_first()

    def _start_first(self) -> None:
        spec = self.config.generator
        if spec is not None and self.mode == "live":
            from ..models.generator import load_generator

            path, device = (
                self._checkpoint_path(spec),
                "cuda" if self.mode_reason.startswith("CUDA") else "cpu",
            )

            def make():
                generator = load_generator(path, device)
                if hasattr(generator, "truncation"):
                    generator.truncation = spec.truncation
                return generator

            side = min(self.frame_rect.size)
            source = GeneratorSource(
                make,
                (side, side),
                fps=spec.fps,
                seconds_per_face=spec.seconds_per_face,
                faces=spec.faces,
                seed=spec.seed,
            ).start()
            self.current = Slot(LoopItem(file=spec.checkpoint, duration=3600), source, self.t)
            return
        if spec is not None and self.mode == "fallback" and spec.fallback:
            self.items = [LoopItem(file=spec.fallback, caption=None)]
        elif spec is None and (self._first_look is not None or not self.config.folder):
            self._rescan(self._first_look or [])
        elif spec is None and (self.block or self._looks is None):
            self._rescan()  # (never prepared: a scene built by hand, or an offline render)
        self.current = self._open_next(self.t)
        if self.current is None:
            self.mode = "placeholder"

    def exit(self) -> None:
        for slot in (self.current, self.next, self.fading_out):
            if slot is not None:
                slot.source.close()
        self.current = self.next = self.fading_out = None

    def natural_duration(self) -> float | None:
        n = max(1, len(self.config.items))
        return max(30.0, n * (self.config.item_duration + self.config.change_duration))

    # -- time -----------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        """Its placeholder shown long enough to be read, where the show has another scene that
        may show something (context.another_to_show). The only scene keeps its card (never a
        black screen, and files copied into its folder are played when it looks again); so does a
        loop whose other scenes had nothing to play either, for its duration (two loops with their
        films missing took turns every 5 s)."""
        since = self._placeholder_since
        if since is None or self.t - since < PLACEHOLDER_SHOWN_S:
            return False
        return self.context.another_to_show()

    def update(self, dt: float) -> None:
        self.t += dt
        resting = self.mode == "placeholder"
        if resting is not self._told_resting:
            self._told_resting = resting
            self._placeholder_since = self.t if resting else None
            self.context.resting(resting)
        if self.mode == "live":
            return
        if self.config.folder and self.mode != "fallback":
            self._look_again()
            if not self.items and self.current is not None and self._scanned_at == self.t:
                self.log.warning("nothing left to play in '%s'; showing the placeholder", self.config.folder)
                self.exit()
                self.mode = "placeholder"
        if self.config.generator is None:
            self._look_at_skipped()  # (a file it skipped, replaced or copied back, is played again)
        if self.current is None:
            if self.items and self._scanned_at == self.t:  # files appeared: play again
                self.current = self._open_next(self.t)
                self.mode = "files" if self.current is not None else "placeholder"
            return
        cur = self.current
        # (a film whose reads stopped after it played ends with its reason too: its last frame
        # would stay frozen, the only item looping on it for ever, and nothing said why)
        if cur.source.failed or (cur.source.error is not None and cur.source.ended):
            self._skip(cur)
            replacement, self.next = self.next, None
            self.current = replacement or self._open_next(self.t)
            if self.current is not None:
                self.current.start = self.t
            else:
                self.mode = "placeholder"
            return
        if len(self.items) <= 1 and (not self.items or self.items[0].file == cur.item.file):
            return  # the only item loops on its own, seamlessly: nothing to change to
        duration = cur.duration(self.config.item_duration)
        fade_s = self.config.change_duration if self.config.change != "cut" else 0.0
        change_at = cur.start + max(duration - fade_s, 0.5)
        if self.next is None and self.t >= change_at - PRELOAD_S:
            self.next = self._open_next(change_at)
            if self.next is not None and self.config.change == "morph" and fade_s > 0:
                self._start_morph(cur, self.next)
        if self.next is not None and self.t >= change_at:
            if self.block and self.next.morph_thread is not None:
                self.next.morph_thread.join()
            if self.next.source.failed:
                self._skip(self.next)
                self.next = None
                return
            if self.fading_out is not None:
                self.fading_out.source.close()
            self.fading_out, self.current, self.next = cur, self.next, None
            self.current.start = change_at
        if self.fading_out is not None and self.t >= self.current.start + fade_s:
            self.fading_out.source.close()
            self.fading_out = None

    def _start_morph(self, a: Slot, b: Slot) -> None:
        """Compute the in-between pictures on a worker while the current image is still up.

        Only between still images: their pictures at the change are known in advance."""
        if a.source.kind != "image" or b.source.kind != "image":
            return
        size = self.frame_rect.size
        background = rgb(self.config.background)

        def work() -> None:
            try:
                if not (a.source.wait_ready(5) and b.source.wait_ready(5)):
                    return
                fa, fb = a.source.frame_at(0.0), b.source.frame_at(0.0)
                if fa is None or fb is None:
                    return
                b.morph = morph_frames(fa.image, fb.image, size, background, MORPH_FRAMES)
            except Exception as exc:  # worker boundary: a failed morph is a crossfade
                self.log.warning("morph into %s failed (%s); crossfading", b.item.file, exc)
                faults.report(self.id, "morph", exc)  # a crossfade on screen, a failure in a test

        b.morph_thread = threading.Thread(target=work, name="morph", daemon=True)
        b.morph_thread.start()

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mode": self.mode, "items": len(self.items), "skipped": list(self.skipped)}
        if self.mode_reason:
            out["reason"] = self.mode_reason
        if self.current is not None:
            out["playing"] = self.current.item.file
            out["frames"] = self.current.source.stats.as_dict()
        return out
