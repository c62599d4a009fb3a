"""Composite portraits: the warp moves features where the mesh says, a composite of many
sources is nobody while a face dominated by one source is refused, the shipped loop never
flashes and shows a face in nearly every frame, and its recipe reproduces it exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.media.flashes import most_flashes_per_second
from installation.models.composite.blend import Atlas, finish
from installation.models.composite.distance import IdentitySpace
from installation.models.composite.sources import Source
from installation.models.composite.warp import ShapeRaster, frame_points, triangulate

REPO = Path(__file__).resolve().parents[1]
LOOP = REPO / "content" / "loop" / "faces.mp4"
SIDE = 128


def checker(side=SIDE, cell=8):
    ys, xs = np.mgrid[0:side, 0:side]
    return (((xs // cell + ys // cell) % 2) * 0.8 + 0.1).astype(np.float32)


def test_the_warp_moves_a_picture_exactly_as_its_points_move():
    rng = np.random.default_rng(0)
    points = rng.uniform(20, SIDE - 20, (40, 2)).astype(np.float32)
    full = np.vstack([points, frame_points(SIDE)])
    triangles = triangulate(full, SIDE)
    image = checker()
    same = ShapeRaster(triangles, full, SIDE).warp(image, full)
    assert np.abs(same - image).max() < 1e-4  # the identity warp changes nothing
    moved = full.copy()
    moved[:40] += (5.0, 3.0)  # the inner points shift; the frame stays put
    out = ShapeRaster(triangles, moved, SIDE).warp(image, full)
    # Deep inside the moved points' hull, the picture has shifted by the same amount.
    y0, x0 = (points.min(0) + 15).astype(int)[::-1]
    y1, x1 = (points.max(0) - 15).astype(int)[::-1]
    assert np.abs(out[y0 + 3 : y1, x0 + 5 : x1] - image[y0:y1 - 3, x0:x1 - 5]).mean() < 0.02


def test_every_pixel_of_the_frame_belongs_to_a_triangle():
    rng = np.random.default_rng(1)
    full = np.vstack([rng.uniform(10, SIDE - 10, (60, 2)), frame_points(SIDE)])
    raster = ShapeRaster(triangulate(full, SIDE), full, SIDE)
    assert not raster.outside.any()


def fake_sources(n, seed=0):
    """n 'sitters': one shared face layout, each with its own shape and features."""
    rng = np.random.default_rng(seed)
    base = np.stack(np.meshgrid(np.linspace(35, 93, 22), np.linspace(30, 100, 22)), -1).reshape(-1, 2)[:468]
    out = []
    for i in range(n):
        shape = base + rng.normal(0, 1.5, 2) + rng.normal(0, 1.2, base.shape) * (base - 64) / 30
        grey = cv2.GaussianBlur(rng.uniform(0, 1, (SIDE, SIDE)).astype(np.float32), (0, 0), 3)
        grey = np.clip((grey - grey.mean()) * 4 + 0.5, 0, 1)
        source = Source(f"sitter{i}.png", "0" * 64, shape.astype(np.float32), 0.0, 0.0)
        source._grey = np.round(grey * 255).astype(np.uint8)
        source._mask = np.full((SIDE, SIDE), 255, np.uint8)
        out.append(source)
    return out


def test_a_composite_of_many_is_nobody_and_a_face_ruled_by_one_is_refused():
    sources = fake_sources(40)
    atlas = Atlas(sources, SIDE)
    space = IdentitySpace(atlas, sources)
    itself = space.nearest(sources[3].pictures()[0], sources[3].points)
    assert itself.appearance < 0.05 and itself.geometry < 0.05  # a source is 0 from itself
    many = atlas.composite(sources[:8])
    near = space.nearest(many.grey, many.shape)
    assert min(near.geometry, near.appearance) > 0.75  # eight unrelated faces: nobody
    ruled = atlas.composite(sources[:8], weights=[0.93] + [0.01] * 7)
    near = space.nearest(ruled.grey, ruled.shape)
    assert near.appearance < 0.75 and near.appearance_source == "sitter0.png"


def test_composites_are_neutral_grey_and_morphs_are_smooth():
    sources = fake_sources(16, seed=2)
    atlas = Atlas(sources, SIDE)
    a, b = atlas.composite(sources[:8]), atlas.composite(sources[8:])
    frames = [finish(atlas.morph(a, b, t), SIDE) for t in np.linspace(0, 1, 26)]
    assert all((f[..., 0] == f[..., 1]).all() and (f[..., 1] == f[..., 2]).all() for f in frames)
    steps = [np.abs(x.astype(int) - y).mean() for x, y in zip(frames, frames[1:], strict=False)]
    assert max(steps) < 3 * np.mean(steps) + 1  # no jump anywhere in the morph


def test_the_flash_counter_sees_a_strobe_and_passes_a_dissolve():
    black, white = np.zeros((90, 120, 3), np.uint8), np.full((90, 120, 3), 255, np.uint8)
    strobe = [white if (i // 3) % 2 else black for i in range(60)]  # 5 flashes a second at 30 fps
    assert most_flashes_per_second(strobe, 30) > 3
    dissolve = [np.full((90, 120, 3), round(255 * i / 45), np.uint8) for i in range(46)]
    assert most_flashes_per_second(dissolve + dissolve[::-1], 30) <= 1


def loop_frames():
    if not LOOP.is_file():
        pytest.skip(f"{LOOP} is not installed")
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(LOOP))
    meta = next(reader)
    w, h = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader], meta["fps"]


def test_the_shipped_loop_never_flashes_and_has_no_colour_cast():
    frames, fps = loop_frames()
    assert frames[0].shape[0] >= 256 and frames[0].shape[1] >= 256
    assert most_flashes_per_second(frames, fps) <= 3
    # Across the seam too: the last frame flows into the first.
    assert most_flashes_per_second(frames[-40:] + frames[:40], fps) <= 3
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() < 4
    assert all(np.abs(f[..., 0].astype(int) - f[..., 2]).max() <= 2 for f in frames[::20])


def test_the_face_detector_finds_one_face_in_the_loop():
    from installation.models.face import FaceStack, FaceStackUnavailable

    frames, _ = loop_frames()
    try:
        stack = FaceStack.open()
    except FaceStackUnavailable as exc:
        pytest.skip(str(exc))
    picks = np.linspace(0, len(frames) - 1, 20).round().astype(int)
    assert sum(len(stack.detect(frames[i])) == 1 for i in picks) >= 18


def test_a_crossfade_in_the_loop_scene_never_flashes(tmp_path):
    import pygame

    from installation.harness import run_test

    from .conftest import write_show

    (tmp_path / "content" / "faces").mkdir(parents=True)
    cv2.imwrite(str(tmp_path / "content" / "faces" / "a.png"), np.zeros((120, 120, 3), np.uint8))
    cv2.imwrite(str(tmp_path / "content" / "faces" / "b.png"), np.full((120, 120, 3), 255, np.uint8))
    show = write_show(tmp_path, {"faces": """
        type = "loop"
        id = "faces"
        duration = 600
        folder = "faces/*"
        item_duration = 2
        change_duration = 1.0
        """})
    frames = []
    with run_test(show, fps=30) as pilot:
        for _ in range(240):
            pilot.step()
            frames.append(pygame.surfarray.array3d(pilot.frame()).swapaxes(0, 1).copy())
    assert most_flashes_per_second(frames, 30) <= 3


@pytest.mark.skipif(not os.environ.get("BAYARD_PD_CORPUS"), reason="set BAYARD_PD_CORPUS to the source corpus")
def test_the_recipe_reproduces_the_loop_byte_for_byte(tmp_path):
    out = tmp_path / "faces.mp4"
    done = subprocess.run(
        [sys.executable, "-m", "installation", "generator", "composite", "--corpus", os.environ["BAYARD_PD_CORPUS"],
         "-o", str(out), "--check"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes() == LOOP.read_bytes()


def test_check_without_a_video_compares_the_frames_only(monkeypatch, capsys):
    """`generator composite --dry-run --check` writes no video, so only the frames'
    checksum is compared (it once stopped with a NameError instead)."""
    import argparse
    from types import SimpleNamespace

    from installation.models.composite import cli, loop

    recipe = SimpleNamespace(frames_sha256="abc", video_sha256="def", faces=4, fps=25.0, size=256)
    result = SimpleNamespace(composites=[], nearest=[], nearest_between=None, frames=50, seconds=1.0,
                             frames_sha256="abc", video_sha256=None, refused=[])
    monkeypatch.setattr(loop.Recipe, "read", staticmethod(lambda path: recipe))
    monkeypatch.setattr(loop, "render_loop", lambda *a, **k: result)
    args = argparse.Namespace(recipe=Path("r.toml"), corpus=Path("c"), work=Path("w"), output=Path("o.mp4"),
                              dry_run=True, check=True, write_checksums=False, members=None)
    assert cli.cmd_composite(args) == 0
    assert "checksums match" in capsys.readouterr().out
    result.frames_sha256 = "changed"
    assert cli.cmd_composite(args) == 1
    assert "frames checksum differs" in capsys.readouterr().err


def halftone(grey, period, angle):
    """`grey` printed as a book's halftone: a screen of dots at `period` px and `angle`
    degrees whose depth follows the tone, as on the loop's yearbook portraits."""
    side = grey.shape[0]
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    a = np.radians(angle)
    u, v = xs * np.cos(a) + ys * np.sin(a), -xs * np.sin(a) + ys * np.cos(a)
    dots = np.cos(2 * np.pi * u / period) * np.cos(2 * np.pi * v / period)
    return np.clip(grey + 0.35 * dots, 0, 1).astype(np.float32)


def test_halftone_screens_do_not_beat_into_a_weave_in_a_composite():
    """Eight sources printed with slightly different screens (as the yearbook's cut-outs,
    each scaled and turned a little by the alignment) must blend into the composite of the
    same faces without screens; a blur that spared the eyes left the screens' beat (moire)."""
    from installation.models.composite.descreen import descreen, find_screen

    clean = fake_sources(8, seed=4)
    printed = fake_sources(8, seed=4)
    for k, source in enumerate(printed):
        grey = source.pictures()[0]
        source._grey = np.round(halftone(grey, 3.0 + 0.06 * k, 40 + 2.5 * k) * 255).astype(np.uint8)
    screen = find_screen(printed[0].pictures()[0])  # (its strongest peak may be a harmonic, at 3 / sqrt 2)
    assert screen is not None and 2.0 <= screen.period <= 3.1 and screen.strength > 100
    photo = clean[0].pictures()[0]
    assert find_screen(photo) is None and descreen(photo) is photo  # no screen: untouched
    atlas = Atlas(clean + printed, SIDE)
    want = atlas.composite(clean).grey
    got = atlas.composite(printed).grey
    face = face_hull_of(clean[0].points)
    left = np.sqrt(np.mean((got - want)[face] ** 2)) * 255
    assert left < 4.0, f"the screens left {left:.1f} grey levels (RMS) of weave on the composite"


def face_hull_of(points):
    from installation.models.composite.sources import face_hull

    return face_hull(points, SIDE) > 0.5


def test_a_sitters_mask_fades_out_before_the_edge_of_its_picture():
    """The books' portraits end below the shoulders at different heights: each sitter's
    mask must fade out before its picture ends, not stop in a hard line (eight hard lines
    made a ragged band of smears at the bottom of every composite)."""
    from installation.models.composite.sources import EDGE_FADE, edge_fade

    picture = np.ones((90, 128), np.float32)  # a print that ends at row 90 of the frame
    picture[:, :6] = 0.0  # blank paper along its left margin
    fade = edge_fade(picture, np.array([[1.0, 0, 0], [0, 1.0, 0]]), SIDE)
    column = fade[:, 64]
    assert column[:90 - int(EDGE_FADE * SIDE) - 1].min() > 0.99 and column[90:].max() == 0.0
    assert np.abs(np.diff(column)).max() < 0.3  # a ramp, not a step
    assert fade[40, :6].max() == 0.0 and fade[40, 6:].max() > 0.99  # paper counts as an edge
    assert fade[0, 64] > 0.99  # the frame's own edge is not the picture's


def test_a_lobe_that_few_sitters_reach_fades_into_the_wall_without_a_rim():
    """Where three of eight sitters' hair reaches past the rest, the composite shows a faint
    lobe; its outline must melt into the wall, not stand as a flat wisp with a sharp rim."""
    sources = fake_sources(8, seed=5)
    ys, xs = np.mgrid[0:SIDE, 0:SIDE]
    for k, source in enumerate(sources):
        reach = (xs > 28) & (xs < 100) & (ys > 24) & (ys < 106)
        if k < 3:  # a big hairdo: past the others' outline on the right
            reach |= (xs >= 100) & (xs < 124) & (ys > 30) & (ys < 70)
        source._mask = (reach * 255).astype(np.uint8)
        source._grey = np.full((SIDE, SIDE), 77, np.uint8)  # dark hair everywhere
    grey = Atlas(sources, SIDE).composite(sources).grey * 255
    depth = grey[50, 127] - grey[50, 112]  # how much darker than the wall the lobe is
    around = grey[20:80, 104:128]  # the lobe and its rims (top, bottom, right), off the main outline
    step = max(np.abs(np.diff(around, axis=0)).max(), np.abs(np.diff(around, axis=1)).max())
    assert depth > 10 and step < 0.5 * depth, f"a {step:.0f}-level step at the rim of a {depth:.0f}-level lobe"


def test_where_half_the_sitters_stop_the_composite_shows_no_edge():
    """Half the sitters' pictures stop across the forehead (tight head crops, a bonnet the
    person mask left out), the rest reach up into their hair: the composite must pass from
    the eight to the four without a line a visitor can see. Each sitter's weight stopped
    at its mask's edge, and the mean of eight bright foreheads next to the mean of four
    dark hairlines stood as a pasted shape with a hard rim."""
    sources = fake_sources(8, seed=6)
    ys, xs = np.mgrid[0:SIDE, 0:SIDE]
    head = (xs > 24) & (xs < 104) & (ys > 2) & (ys < 116)
    for k, source in enumerate(sources):
        tight = k % 2 == 0
        reach = head & (ys > 40) if tight else head  # the crops stop at row 40, in the forehead
        source._mask = (reach * 255).astype(np.uint8)
        source._grey = np.full((SIDE, SIDE), 200 if tight else 70, np.uint8)  # forehead / hair
    grey = Atlas(sources, SIDE).composite(sources).grey * 255
    column = grey[20:64, 56:72].mean(axis=1)  # across the crops' edge, inside every outline
    assert column[-1] - column[0] > 20  # the forehead still reads lighter than the hair above
    depth = column.max() - column.min()
    # A pixel here is 4 of the loop's frame (128 of 512) and 17 of a 4K screen's: no pixel
    # may carry 30 % of the change (it is spread over more than 13 of the frame's pixels).
    step = np.abs(np.diff(column)).max()
    assert step < 0.3 * depth, f"a {step:.0f}-level step in one pixel of a {depth:.0f}-level change"


def test_a_face_that_every_print_cuts_off_at_the_chin_keeps_its_chin_without_an_outline():
    """Every sitter's picture ends above the bottom of the face outline (all tight crops):
    the composite must still show a face down to the chin, fading, not a hole or a line
    drawn along the face's outline."""
    from installation.models.composite.sources import face_hull

    sources = fake_sources(8, seed=7)
    atlas = Atlas(sources, SIDE)
    ys, xs = np.mgrid[0:SIDE, 0:SIDE]
    for source in sources:
        source._mask = (((xs > 20) & (xs < 108) & (ys > 10) & (ys < 84)) * 255).astype(np.uint8)
        source._grey = np.full((SIDE, SIDE), 110, np.uint8)
    comp = atlas.composite(sources)
    grey = comp.grey * 255
    hull = face_hull(comp.shape, SIDE) > 0.5
    bottom = int(np.flatnonzero(hull[:, 64]).max())  # the chin, below every print's edge (84)
    chin = grey[bottom - 14 : bottom - 8, 56:72]
    assert np.abs(chin - 110).max() < 12, "the face below the crops' edge is not the sitters'"
    # Down the middle, from the chin out across the face's outline: a ramp, not a rim.
    column = grey[bottom - 14 : bottom + 14, 60:68].mean(axis=1)
    depth = column.max() - column.min()
    step = np.abs(np.diff(column)).max()  # (as above: under 30 % of the change in one pixel)
    assert depth > 20 and step < 0.3 * depth, f"a {step:.0f}-level step in a {depth:.0f}-level change"
