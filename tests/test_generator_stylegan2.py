"""The StyleGAN2 generator loads the stylegan2-pytorch `.pt` layout: key set and shapes,
round trip, forward pass, truncation towards latent_avg, clear errors for wrong files."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from installation.models.generator.base import CheckpointError, load_generator  # noqa: E402
from installation.models.generator.stylegan2 import (  # noqa: E402
    StyleGAN2,
    StyleGAN2Config,
    build_generator,
    save_checkpoint,
    upfirdn2d,
)

torch.set_num_threads(1)
TINY = StyleGAN2Config(size=32, style_dim=32, n_mlp=2, channel_multiplier=1, max_channels=32)


def test_key_layout_of_a_256px_checkpoint_matches_the_port():
    # Facts read from rosinality/stylegan2-pytorch (a 256 px, channel_multiplier 2 g_ema
    # has 135 entries); our own module names must reproduce them exactly.
    with torch.device("meta"):
        sd = build_generator(StyleGAN2Config(size=256, channel_multiplier=2)).state_dict()
    assert len(sd) == 135
    groups: dict[str, int] = {}
    for key in sd:
        groups[key.split(".")[0]] = groups.get(key.split(".")[0], 0) + 1
    assert groups == {
        "style": 16,
        "input": 1,
        "conv1": 5,
        "to_rgb1": 4,
        "convs": 66,
        "to_rgbs": 30,
        "noises": 13,
    }
    expected = {
        "style.1.weight": (512, 512),
        "style.8.bias": (512,),
        "input.input": (1, 512, 4, 4),
        "conv1.conv.weight": (1, 512, 512, 3, 3),
        "conv1.conv.modulation.weight": (512, 512),
        "conv1.noise.weight": (1,),
        "conv1.activate.bias": (512,),
        "to_rgb1.conv.weight": (1, 3, 512, 1, 1),
        "to_rgb1.bias": (1, 3, 1, 1),
        "convs.0.conv.blur.kernel": (4, 4),
        "convs.10.conv.weight": (1, 128, 256, 3, 3),
        "convs.11.conv.modulation.weight": (128, 512),
        "to_rgbs.5.conv.weight": (1, 3, 128, 1, 1),
        "to_rgbs.5.upsample.kernel": (4, 4),
        "noises.noise_0": (1, 1, 4, 4),
        "noises.noise_12": (1, 1, 256, 256),
    }
    for key, shape in expected.items():
        assert tuple(sd[key].shape) == shape, key
    assert "style.0.weight" not in sd  # PixelNorm has no weights
    assert "convs.1.conv.blur.kernel" not in sd  # only the up-sampling convolutions blur
    params = sum(
        math.prod(v.shape) for k, v in sd.items() if not k.startswith("noises.") and "kernel" not in k
    )
    assert params == 30_034_338


def test_save_load_round_trip_reproduces_the_images(tmp_path):
    torch.manual_seed(0)
    net = build_generator(TINY)
    for p in net.parameters():  # the port initialises noise strengths to 0; exercise them
        p.data.normal_(0, 0.2)
    latent_avg = net.mapping(torch.randn(64, TINY.style_dim)).mean(0)
    path = tmp_path / "tiny.pt"
    save_checkpoint(net, path, latent_avg)
    gen = load_generator(path)
    assert isinstance(gen, StyleGAN2)
    assert (gen.size, gen.latent_dim) == (32, 32)
    assert gen.config.n_mlp == 2 and gen.config.max_channels == 32
    z = torch.randn(3, TINY.style_dim)
    with torch.no_grad():
        before = net(z, truncation=0.7, latent_avg=latent_avg, noise_mode="const")
        after = gen.synthesize(z)
    assert torch.allclose(before, after, atol=1e-5)
    images = gen.generate(z.numpy())
    assert images.shape == (3, 32, 32, 3) and images.dtype.name == "uint8"
    assert images.std() > 1  # not a flat colour


def test_truncation_pulls_every_face_to_the_average_face():
    torch.manual_seed(1)
    net = build_generator(TINY)
    latent_avg = net.mapping(torch.randn(64, TINY.style_dim)).mean(0)
    z = torch.randn(4, TINY.style_dim)
    with torch.no_grad():
        mean_face = net.synthesis(latent_avg.expand(4, -1), "const")
        free = net(z, truncation=1.0, latent_avg=latent_avg, noise_mode="const")
        half = net(z, truncation=0.5, latent_avg=latent_avg, noise_mode="const")
        zero = net(z, truncation=0.0, latent_avg=latent_avg, noise_mode="const")
    assert torch.allclose(zero, mean_face, atol=1e-5)
    assert (half - mean_face).abs().mean() < (free - mean_face).abs().mean()


def test_random_noise_changes_details_and_const_noise_does_not():
    torch.manual_seed(2)
    net = build_generator(TINY)
    for conv in [net.conv1, *net.convs]:
        conv.noise.weight.data.fill_(0.5)
    z = torch.randn(1, TINY.style_dim)
    with torch.no_grad():
        a, b = net(z, noise_mode="const"), net(z, noise_mode="const")
        c = net(z, noise_mode="random")
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)


def test_upfirdn2d_upsample_keeps_a_constant_image_constant():
    # The blur kernel times factor**2 after zero insertion must preserve flat regions.
    from installation.models.generator.stylegan2 import blur_kernel_2d

    x = torch.ones(1, 2, 8, 8)
    up = upfirdn2d(x, blur_kernel_2d(gain=4), up=2, pad=(2, 1))
    assert up.shape == (1, 2, 16, 16)
    assert torch.allclose(up[:, :, 2:-2, 2:-2], torch.ones(1, 2, 12, 12))


def test_wrong_files_give_one_clear_error(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="junk.pt: not a loadable PyTorch checkpoint"):
        load_generator(junk)
    with pytest.raises(CheckpointError, match="no such file"):
        load_generator(tmp_path / "missing.pt")
    pkl = tmp_path / "ffhq.pkl"
    pkl.write_bytes(b"x")
    with pytest.raises(CheckpointError, match="NVIDIA"):
        load_generator(pkl)
    other = tmp_path / "other.pt"
    torch.save({"model": {"w": torch.zeros(1)}}, other)
    with pytest.raises(CheckpointError, match="not a generator checkpoint"):
        load_generator(other)
    # A StyleGAN2 state dict with a layer missing: names the missing key.
    net = build_generator(TINY)
    sd = net.state_dict()
    del sd["to_rgbs.0.bias"]
    broken = tmp_path / "broken.pt"
    torch.save({"g_ema": sd, "latent_avg": None}, broken)
    with pytest.raises(CheckpointError, match="to_rgbs.0.bias"):
        load_generator(broken)


def test_loading_refuses_pickled_code(tmp_path):
    # weights_only: a file that would run code on load is rejected, not executed.
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "evil.pt"
    torch.save({"g_ema": Evil()}, path)
    with pytest.raises(CheckpointError, match="not a loadable PyTorch checkpoint"):
        load_generator(path)


def test_a_training_checkpoint_with_its_options_namespace_loads(tmp_path):
    import argparse

    net = build_generator(TINY)
    path = tmp_path / "train.pt"
    torch.save({"g_ema": net.state_dict(), "args": argparse.Namespace(size=32), "latent_avg": None}, path)
    assert load_generator(path).size == 32
