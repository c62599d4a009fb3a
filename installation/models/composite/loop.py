"""A seamless loop of composites morphing one into the next, from a recipe file.

    bayard generator composite --recipe content/loop/recipe.toml --corpus /path/to/pd-corpus

The recipe names the source list (with checksums), how the composites are grouped, the
timing and the encoding, and the checksums of the result: `--check` renders again and
compares, so the loop is reproducible byte for byte from its sources. Every shown face
(each composite, and every fourth frame of each morph) is measured against all sources
(`distance.py`); one too close to a source stops the render with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...runtime.files import read_text
from .blend import Atlas, Composite, finish, pick_groups
from .distance import IdentitySpace, Nearest
from .sources import SourceError, load_sources, read_list

MEASURE_EVERY = 4  # morph frames between distance checks (in-betweens change slowly)


@dataclass
class Recipe:
    sources: Path  # the source list (TSV), relative to the recipe
    pools: dict[str, int]  # pool name (the list's `pool` column) -> composites made from it
    faces: int = 8  # sources per composite
    seed: int = 0
    side: int = 512  # working resolution of the canonical frame
    size: int = 512  # output pixels
    fps: float = 25.0
    hold: float = 1.5  # seconds resting on each composite
    morph: float = 2.5  # seconds from one composite to the next
    crf: int = 24
    min_distance: float = 0.75  # nearest-source distance below which a face is refused
    frames_sha256: str = ""
    video_sha256: str = ""
    path: Path = field(default=Path("recipe.toml"))

    @classmethod
    def read(cls, path: Path) -> Recipe:
        try:
            data = tomllib.loads(read_text(Path(path)))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SourceError(f"{path}: cannot read the recipe ({exc})") from None
        known = set(cls.__dataclass_fields__) - {"path"}
        unknown = set(data) - known
        if unknown:
            raise SourceError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        if "sources" not in data or "pools" not in data:
            raise SourceError(f"{path}: needs 'sources' (the source list) and 'pools' (composites per pool)")
        recipe = cls(**data, path=Path(path))
        recipe.sources = Path(path).parent / recipe.sources
        if recipe.faces < 2:
            raise SourceError(f"{path}: faces = {recipe.faces}; a composite needs at least 2 sources")
        return recipe

    @property
    def frames(self) -> int:
        return round(sum(self.pools.values()) * (self.hold + self.morph) * self.fps)


def ease(t: float) -> float:
    return t * t * (3 - 2 * t)


@dataclass
class LoopResult:
    frames: int
    composites: list[Composite]
    nearest: list[Nearest]  # per composite
    nearest_between: Nearest | None  # the closest in-between frame's
    refused: list[str]
    frames_sha256: str
    video_sha256: str
    seconds: float
    left_out: dict[str, str]


def make_composites(recipe: Recipe, corpus: Path, work: Path, log=print):
    entries = read_list(recipe.sources)
    pools = _pools(recipe.sources)
    sources, left_out = load_sources(entries, corpus, work, recipe.side, log=log)
    atlas = Atlas(sources, recipe.side)
    groups_by_pool = {}
    for k, (pool, count) in enumerate(recipe.pools.items()):
        members = [s for s in sources if pools.get(s.file) == pool]
        groups_by_pool[pool] = pick_groups(members, count, recipe.faces, recipe.seed + k, recipe.side)
    # One pool after the other: a morph within a pool moves features; one between pools
    # (a woman into a bearded man) mostly cross-dissolves hair, so only two morphs do.
    order = [group for groups in groups_by_pool.values() for group in groups]
    return atlas, sources, [atlas.composite(g) for g in order], left_out


def _pools(path: Path) -> dict[str, str]:
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        return {row["file"]: row.get("pool", "") for row in csv.DictReader(f, delimiter="\t")}


def render_loop(recipe: Recipe, corpus: Path, work: Path, output: Path | None, log=print) -> LoopResult:
    """Render (or, with output None, only compute and hash) the loop."""
    from ...video import h264_writer

    started = time.monotonic()
    atlas, sources, comps, left_out = make_composites(recipe, corpus, work, log)
    space = IdentitySpace(atlas, sources)
    nearest = [space.nearest(c.grey, c.shape) for c in comps]
    refused = [f"composite {i + 1}: {why}" for i, n in enumerate(nearest) if (why := refuses(n, recipe))]
    if refused:  # no frame is made of a face that is someone
        return LoopResult(recipe.frames, comps, nearest, None, refused, "", "",
                          time.monotonic() - started, left_out)
    hold, morph = round(recipe.hold * recipe.fps), round(recipe.morph * recipe.fps)
    digest = hashlib.sha256()
    between: Nearest | None = None
    with contextlib.ExitStack() as stack:
        send = None
        if output is not None:
            # One encoder thread and bit-exact flags: x264's output depends on its thread
            # count, and the loop must come out byte for byte the same on any machine.
            extra = ("-threads", "1", "-flags", "+bitexact", "-fflags", "+bitexact",
                     "-map_metadata", "-1", "-movflags", "+faststart")
            send = stack.enter_context(h264_writer(output, (recipe.size, recipe.size), recipe.fps,
                                                   crf=recipe.crf, preset="slow", extra=extra,
                                                   macro_block_size=16))
        for i, a in enumerate(comps):
            b = comps[(i + 1) % len(comps)]
            still = finish(a.grey, recipe.size)
            for _ in range(hold):
                digest.update(still.tobytes())
                if send:
                    send(still)
            for f in range(morph):
                t = ease((f + 1) / (morph + 1))
                grey = atlas.morph(a, b, t)
                frame = finish(grey, recipe.size)
                digest.update(frame.tobytes())
                if send:
                    send(frame)
                if f % MEASURE_EVERY == MEASURE_EVERY // 2:
                    shape = ((1 - t) * a.shape + t * b.shape).astype(np.float32)
                    n = space.nearest(grey, shape)
                    if between is None or min(n.geometry, n.appearance) < min(between.geometry,
                                                                               between.appearance):
                        between = n
                    if why := refuses(n, recipe):
                        refused.append(f"morph {i + 1}->{(i + 1) % len(comps) + 1} at {t:.2f}: {why}")
    video = hashlib.sha256(output.read_bytes()).hexdigest() if output is not None and output.exists() else ""
    return LoopResult(recipe.frames, comps, nearest, between, refused, digest.hexdigest(), video,
                      time.monotonic() - started, left_out)


def refuses(nearest: Nearest, recipe: Recipe) -> str:
    if nearest.appearance < recipe.min_distance:
        return f"looks like {nearest.appearance_source} (appearance {nearest.appearance:.3f} < {recipe.min_distance})"
    if nearest.geometry < recipe.min_distance:
        return f"shaped like {nearest.geometry_source} (geometry {nearest.geometry:.3f} < {recipe.min_distance})"
    return ""
