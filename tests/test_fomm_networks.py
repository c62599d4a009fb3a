"""FOMM networks: the official vox-256 layout, and the geometry conventions it relies on."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from installation.models.motion.fomm.networks import (  # noqa: E402
    TINY,
    VOX_256,
    AntiAliasInterpolation2d,
    Keypoints,
    build,
    coordinate_grid,
    fold_batch_norm_,
    inverse_2x2,
    perturb_,
)
from installation.models.motion.fomm.relative import (  # noqa: E402
    convex_hull_area,
    movement_scale,
    relative_keypoints,
)

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def vox():
    return build(VOX_256)


def _count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_vox256_state_dicts_have_the_official_key_sets(vox):
    kp_detector, generator = vox
    kp_keys, gen_keys = set(kp_detector.state_dict()), set(generator.state_dict())
    assert len(kp_keys) == 75
    assert len(gen_keys) == 196

    def under(keys, prefix):
        return {k for k in keys if k.startswith(prefix)}

    assert len(under(kp_keys, "predictor.encoder.")) == 35
    assert len(under(kp_keys, "predictor.decoder.")) == 35
    assert {"kp.weight", "kp.bias", "jacobian.weight", "jacobian.bias", "down.weight"} <= kp_keys
    assert len(under(gen_keys, "dense_motion_network.hourglass.")) == 70
    assert len(under(gen_keys, "first.")) == 7
    assert len(under(gen_keys, "down_blocks.")) == 14
    assert len(under(gen_keys, "bottleneck.")) == 84
    assert {k.split(".")[1] for k in under(gen_keys, "bottleneck.")} == {f"r{i}" for i in range(6)}
    assert len(under(gen_keys, "up_blocks.")) == 14
    assert {
        "dense_motion_network.mask.weight",
        "dense_motion_network.occlusion.bias",
        "dense_motion_network.down.weight",
        "first.conv.weight",
        "first.norm.num_batches_tracked",
        "bottleneck.r5.norm2.running_var",
        "final.weight",
        "final.bias",
        "up_blocks.1.norm.running_mean",
    } <= gen_keys
    assert "predictor.encoder.down_blocks.4.norm.num_batches_tracked" in kp_keys
    assert "predictor.decoder.up_blocks.0.conv.weight" in kp_keys


def test_vox256_parameter_counts_and_shapes(vox):
    kp_detector, generator = vox
    assert _count(kp_detector) == 14_215_368
    assert _count(generator) == 45_575_391
    assert _count(generator.dense_motion_network) == 37_730_268
    sd = generator.state_dict()
    # 44 input channels = (K+1) slots x (heatmap + RGB); hourglass output 64 + 44 = 108.
    assert tuple(sd["dense_motion_network.hourglass.encoder.down_blocks.0.conv.weight"].shape) == (
        128,
        44,
        3,
        3,
    )
    assert tuple(sd["dense_motion_network.mask.weight"].shape) == (11, 108, 7, 7)
    assert tuple(sd["bottleneck.r0.conv1.weight"].shape) == (256, 256, 3, 3)
    kp = kp_detector.state_dict()
    assert tuple(kp["kp.weight"].shape) == (10, 35, 7, 7)
    assert tuple(kp["jacobian.weight"].shape) == (40, 35, 7, 7)
    assert tuple(kp["down.weight"].shape) == (3, 1, 13, 13)


def test_antialias_kernel_is_a_normalised_gaussian_and_downsamples_by_four():
    down = AntiAliasInterpolation2d(3, 0.25)
    kernel = down.weight
    assert torch.allclose(kernel.sum(dim=(1, 2, 3)), torch.ones(3))
    assert torch.allclose(kernel[0, 0], kernel[0, 0].T)  # separable and symmetric
    assert kernel[0, 0, 6, 6] == kernel.max()  # peak at the centre of 13x13
    flat = torch.full((1, 3, 256, 256), 0.5)
    out = down(flat)
    assert out.shape == (1, 3, 64, 64)
    # Zero padding darkens only the border; the inside of a flat image stays flat.
    assert torch.allclose(out[..., 2:-2, 2:-2], torch.full_like(out[..., 2:-2, 2:-2], 0.5), atol=1e-6)
    # Same samples as blurring everything and then taking every 4th pixel.
    image = torch.rand(1, 3, 70, 70, generator=torch.Generator().manual_seed(0))
    blurred = torch.nn.functional.conv2d(torch.nn.functional.pad(image, (6, 6, 6, 6)), kernel, groups=3)
    assert torch.allclose(down(image), blurred[:, :, ::4, ::4][:, :, :17, :17], atol=1e-6)


def test_fresh_jacobian_head_predicts_the_identity():
    kp_detector, _ = build(TINY)
    kp = kp_detector(torch.rand(2, 3, 64, 64))
    assert kp.value.shape == (2, 10, 2) and kp.jacobian.shape == (2, 10, 2, 2)
    assert torch.allclose(kp.jacobian, torch.eye(2).expand(2, 10, 2, 2), atol=1e-6)
    assert kp.value.abs().max() <= 1.0


def test_forward_pass_shapes_and_ranges():
    torch.manual_seed(0)
    kp_detector, generator = (perturb_(m, seed) for m, seed in zip(build(TINY), (1, 2), strict=True))
    source, driving = torch.rand(2, 3, 64, 64), torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        kp_s, kp_d = kp_detector(source), kp_detector(driving)
        out = generator(source, kp_d, kp_s)
    pred = out["prediction"]
    assert pred.shape == (2, 3, 64, 64)
    assert torch.isfinite(pred).all() and pred.min() >= 0 and pred.max() <= 1
    assert pred.std() > 0  # not a constant image
    assert out["mask"].shape == (2, 11, 16, 16)
    assert torch.allclose(out["mask"].sum(1), torch.ones(2, 16, 16), atol=1e-5)
    assert out["occlusion_map"].shape == (2, 1, 16, 16)
    assert out["deformation"].shape == (2, 16, 16, 2)
    # Cached encoding + decode is the same computation as the plain forward pass.
    with torch.no_grad():
        again = generator.decode(generator.encode_source(source), kp_d, kp_s)["prediction"]
    assert torch.equal(again, pred)


def test_keypoints_that_do_not_move_give_the_identity_warp():
    kp_detector, generator = (perturb_(m, seed) for m, seed in zip(build(TINY), (3, 4), strict=True))
    source = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        kp = kp_detector(source)
        encoding = generator.encode_source(source)
        motion = generator.dense_motion_network(encoding.small, kp, kp)
        grid = coordinate_grid(16, 16)
        assert torch.allclose(motion["deformation"][0], grid, atol=1e-5)
        warped = torch.nn.functional.grid_sample(encoding.features, motion["deformation"], align_corners=True)
    # align_corners=True matches the coordinate grid, so no half-pixel drift or zoom.
    assert torch.allclose(warped, encoding.features, atol=1e-4)


def test_sparse_motion_is_the_affine_map_around_each_keypoint():
    _, generator = build(TINY)
    dmn = generator.dense_motion_network
    g = torch.Generator().manual_seed(5)
    kp_d = Keypoints(
        torch.rand(1, 10, 2, generator=g) - 0.5, torch.eye(2) + 0.2 * torch.randn(1, 10, 2, 2, generator=g)
    )
    kp_s = Keypoints(
        torch.rand(1, 10, 2, generator=g) - 0.5, torch.eye(2) + 0.2 * torch.randn(1, 10, 2, 2, generator=g)
    )
    motions = dmn.sparse_motions(8, 8, kp_d, kp_s)
    assert motions.shape == (1, 11, 8, 8, 2)
    grid = coordinate_grid(8, 8)
    assert torch.equal(motions[0, 0], grid)  # slot 0: background stays put
    k, y, x = 3, 5, 2
    z = grid[y, x].double().numpy()
    js, jd = kp_s.jacobian[0, k].double().numpy(), kp_d.jacobian[0, k].double().numpy()
    expected = kp_s.value[0, k].double().numpy() + js @ np.linalg.inv(jd) @ (
        z - kp_d.value[0, k].double().numpy()
    )
    assert np.allclose(motions[0, k + 1, y, x].double().numpy(), expected, atol=1e-5)


def test_inverse_2x2_matches_linalg():
    m = torch.eye(2) + 0.3 * torch.randn(4, 10, 2, 2, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(inverse_2x2(m), torch.linalg.inv(m), atol=1e-5)


def test_inverse_2x2_of_a_collapsed_jacobian_stays_finite():
    singular = torch.tensor([[[1.0, 2.0], [2.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])
    assert torch.isfinite(inverse_2x2(singular)).all()


def test_coordinate_grid_puts_minus_one_and_one_on_border_pixel_centres():
    grid = coordinate_grid(3, 5)
    assert grid.shape == (3, 5, 2)
    assert grid[0, 0].tolist() == [-1.0, -1.0] and grid[2, 4].tolist() == [1.0, 1.0]
    assert grid[1, 2].tolist() == [0.0, 0.0]


def test_convex_hull_area():
    square = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [0.5, 1.5]])
    assert convex_hull_area(square) == pytest.approx(4.0)
    assert convex_hull_area(np.array([[0, 0], [1, 1], [2, 2]])) == 0.0  # collinear
    tri = np.array([[0, 0], [4, 0], [0, 3]])
    assert convex_hull_area(tri) == pytest.approx(6.0)


def test_movement_scale_is_the_ratio_of_face_sizes():
    square = torch.tensor([[[0, 0], [0.4, 0], [0.4, 0.4], [0, 0.4]]], dtype=torch.float32)
    big, small = Keypoints(square, None), Keypoints(square * 0.5, None)
    assert movement_scale(big, small) == pytest.approx(2.0)
    assert movement_scale(small, big) == pytest.approx(0.5)
    collapsed = Keypoints(torch.zeros(1, 4, 2), None)
    assert movement_scale(big, collapsed) == 1.0  # no measurable face: no scaling


def test_relative_keypoints_follow_the_formula():
    g = torch.Generator().manual_seed(1)

    def kp():
        return Keypoints(
            torch.rand(1, 10, 2, generator=g), torch.eye(2) + 0.2 * torch.randn(1, 10, 2, 2, generator=g)
        )

    source, initial, driving = kp(), kp(), kp()
    out = relative_keypoints(source, driving, initial, scale=0.5)
    assert torch.allclose(out.value, source.value + 0.5 * (driving.value - initial.value))
    expected = driving.jacobian @ torch.linalg.inv(initial.jacobian) @ source.jacobian
    assert torch.allclose(out.jacobian, expected, atol=1e-5)
    still = relative_keypoints(source, initial, initial, scale=3.0)
    assert torch.equal(still.value, source.value)
    assert torch.allclose(still.jacobian, source.jacobian, atol=1e-5)


def test_generator_with_still_keypoints_warps_nothing():
    """With driver keypoints equal to the source's, decode is the generator without a warp:
    this pins the sampling convention (align_corners) of both grid_sample calls."""
    kp_detector, generator = (perturb_(m, seed) for m, seed in zip(build(TINY), (8, 9), strict=True))
    source = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    seen = {}
    hook = generator.dense_motion_network.hourglass.register_forward_pre_hook(
        lambda module, args: seen.setdefault("input", args[0])
    )
    with torch.no_grad():
        kp = kp_detector(source)
        encoding = generator.encode_source(source)
        out = generator.decode(encoding, kp, kp)
        hook.remove()
        manual = encoding.features * out["occlusion_map"]
        manual = generator.bottleneck(manual)
        for block in generator.up_blocks:
            manual = block(manual)
        manual = torch.sigmoid(generator.final(manual))
    assert torch.allclose(out["prediction"], manual, atol=1e-5)
    # Every slot of the dense motion input carries the source unwarped: [heat, R, G, B] x 11.
    slots = seen["input"].view(1, 11, 4, 16, 16)
    assert torch.allclose(slots[:, :, 1:], encoding.small[:, None].expand(1, 11, 3, 16, 16), atol=1e-5)
    assert torch.allclose(slots[:, :, 0], torch.zeros(1, 11, 16, 16), atol=1e-6)


def test_folding_batch_norm_keeps_the_outputs():
    kp_detector, generator = (perturb_(m, seed) for m, seed in zip(build(TINY), (13, 14), strict=True))
    source, driving = torch.rand(2, 1, 3, 64, 64, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        kp_s, kp_d = kp_detector(source), kp_detector(driving)
        before = generator(source, kp_d, kp_s)["prediction"]
        fold_batch_norm_(kp_detector)
        fold_batch_norm_(generator)
        kp_s2, kp_d2 = kp_detector(source), kp_detector(driving)
        after = generator(source, kp_d2, kp_s2)["prediction"]

    def norms(m):
        return sum(isinstance(x, torch.nn.BatchNorm2d) for x in m.modules())

    # Only the residual blocks' pre-activation norms remain.
    assert norms(kp_detector) == 0
    assert norms(generator) == TINY.generator.num_bottleneck_blocks
    assert torch.allclose(kp_s2.value, kp_s.value, atol=1e-5)
    assert torch.allclose(kp_d2.jacobian, kp_d.jacobian, atol=1e-5)
    assert torch.allclose(after, before, atol=1e-5)


def test_a_keypoint_moved_right_carries_the_image_content_right():
    """The backward-warp direction: a driving keypoint at source + d shows the source's
    content around that keypoint at +d (one keypoint slot, identity Jacobians)."""
    _, generator = build(TINY)
    dmn = generator.dense_motion_network
    size = 33
    eye = torch.eye(2).expand(1, 10, 2, 2)
    kp_s = Keypoints(torch.zeros(1, 10, 2), eye)
    kp_d = Keypoints(torch.tensor([[0.5, -0.25]]).expand(1, 10, 2).clone(), eye)
    image = torch.zeros(1, 1, size, size)
    image[0, 0, 16, 16] = 1.0  # a dot on the source keypoint, the image centre
    motions = dmn.sparse_motions(size, size, kp_d, kp_s)
    warped = torch.nn.functional.grid_sample(image, motions[:, 1], align_corners=True)
    y, x = divmod(int(warped[0, 0].argmax()), size)
    # +0.5 in x is a quarter of the width (8 px) to the right; -0.25 in y is 4 px up.
    assert (x, y) == (24, 12)
