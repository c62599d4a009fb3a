"""Rendering loops: the latent walk closes on itself smoothly, and the CLI writes a
playable mp4 with the frames asked for."""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.generator.render import loop_path

torch = pytest.importorskip("torch")
torch.set_num_threads(1)


def test_walk_loops_without_a_jump():
    keys = np.random.default_rng(0).standard_normal((5, 64))
    path = loop_path(keys, 200)
    steps = np.linalg.norm(np.diff(np.vstack([path, path[:1]]), axis=0), axis=1)
    # The wrap-around step (last frame -> first) is no bigger than the walk's usual steps.
    assert steps[-1] <= np.percentile(steps, 95) + 1e-9
    assert steps.max() < 3 * np.median(steps[steps > 0]) + 0.5
    # It passes through every key face (on the latent sphere) and stays on that sphere.
    radius = np.sqrt(64)
    assert np.allclose(np.linalg.norm(path, axis=1), radius)
    for i in range(5):
        key = keys[i] / np.linalg.norm(keys[i]) * radius
        assert np.allclose(path[i * 40], key)


def test_walk_rejects_degenerate_requests():
    with pytest.raises(ValueError):
        loop_path(np.zeros((1, 8)), 10)


def _tiny_checkpoint(tmp_path):
    from installation.models.generator.stylegan2 import StyleGAN2Config, build_generator, save_checkpoint

    torch.manual_seed(0)
    net = build_generator(StyleGAN2Config(size=32, style_dim=32, n_mlp=2, max_channels=32))
    path = tmp_path / "g.pt"
    save_checkpoint(net, path, net.mapping(torch.randn(32, 32)).mean(0))
    return path


def _read_frames(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    frames = [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader]
    return meta, frames


def test_render_cli_writes_a_seamless_walk(tmp_path, capsys):
    from installation import cli

    ckpt = _tiny_checkpoint(tmp_path)
    out = tmp_path / "loop.mp4"
    code = cli.main(
        [
            "generator",
            "render",
            "--checkpoint",
            str(ckpt),
            "--frames",
            "30",
            "--walk",
            "--size",
            "64",
            "--fps",
            "10",
            "--seconds-per-face",
            "1",
            "-o",
            str(out),
            "--device",
            "cpu",
        ]
    )
    assert code == 0, capsys.readouterr().err
    meta, frames = _read_frames(out)
    assert meta["size"] == (64, 64) and len(frames) == 30
    pairs = zip(frames, frames[1:] + frames[:1], strict=True)
    diffs = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in pairs]
    assert max(diffs) > 0.1  # it moves
    assert diffs[-1] <= np.percentile(diffs, 90) + 2  # the wrap-around is not a cut


def test_render_cli_errors(tmp_path, capsys, monkeypatch):
    from installation import cli

    ckpt = _tiny_checkpoint(tmp_path)
    assert (
        cli.main(
            [
                "generator",
                "render",
                "--checkpoint",
                str(ckpt),
                "--frames",
                "3",
                "--size",
                "50",
                "-o",
                str(tmp_path / "x.mp4"),
            ]
        )
        == 2
    )
    assert "multiple of 16" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "generator",
                "render",
                "--checkpoint",
                str(tmp_path / "none.pt"),
                "--frames",
                "3",
                "-o",
                str(tmp_path / "x.mp4"),
            ]
        )
        == 2
    )
    assert "no such file" in capsys.readouterr().err
    # A GPU asked for where there is none: one line naming where it was asked, no traceback.
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("BAYARD_DEVICE", "cuda")
    assert cli.main(["generator", "render", "--checkpoint", str(ckpt), "--frames", "3",
                     "-o", str(tmp_path / "x.mp4")]) == 2
    assert "BAYARD_DEVICE=cuda was requested but this machine has no CUDA device" in capsys.readouterr().err
