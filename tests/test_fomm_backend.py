"""The `fomm` motion backend: registration, availability, relative mode, crops in and out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from installation.models.motion.base import MOTION_BACKENDS
from installation.models.motion.fomm import CheckpointError, FommBackend

ROOT = Path(__file__).resolve().parents[1]


def test_registered_and_importing_it_does_not_import_torch():
    """The default show must run without torch: only using the backend may import it."""
    code = (
        "import sys, json\n"
        "import installation.models.motion, installation.models.motion.fomm\n"
        "from installation.models.motion.base import MOTION_BACKENDS\n"
        "a = MOTION_BACKENDS.get('fomm').availability('/nonexistent-models')\n"
        "print(json.dumps(['torch' in sys.modules, a.ok, a.reason]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    torch_loaded, ok, reason = json.loads(out.stdout)
    assert not torch_loaded
    assert not ok and "vox-cpk.pth.tar" in reason and "vox-adv-cpk.pth.tar" in reason
    assert MOTION_BACKENDS.get("fomm") is FommBackend


def test_availability_names_the_missing_thing(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.delenv("BAYARD_DEVICE", raising=False)
    a = FommBackend.availability(tmp_path)
    assert not a.ok and str(tmp_path / "fomm") in a.reason and "\n" not in a.reason
    (tmp_path / "fomm").mkdir()
    page = tmp_path / "fomm" / "vox-cpk.pth.tar"
    page.write_bytes(b"<html><body>Google Drive - quota exceeded</body></html>")
    a = FommBackend.availability(tmp_path)
    assert not a.ok and "web page" in a.reason and str(page) in a.reason
    page.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # plausible header: the GPU decides
    import installation.models.device as device

    monkeypatch.setattr(device, "cuda_present", lambda: False)
    a = FommBackend.availability(tmp_path)
    assert not a.ok and "no CUDA device" in a.reason
    monkeypatch.setattr(device, "cuda_present", lambda: True)
    monkeypatch.setattr(device, "cuda_name", lambda: "Test GPU")
    a = FommBackend.availability(tmp_path)
    assert a.ok and "vox-cpk.pth.tar" in a.reason and "Test GPU" in a.reason
    monkeypatch.setenv("BAYARD_DEVICE", "cpu")  # the operator keeps models off the GPU
    a = FommBackend.availability(tmp_path)
    assert not a.ok and "BAYARD_DEVICE=cpu" in a.reason
    monkeypatch.delenv("BAYARD_DEVICE")
    monkeypatch.setattr(device, "_show_device", "cpu")  # install.toml's [models] device = "cpu"
    a = FommBackend.availability(tmp_path)
    assert not a.ok and '[models] device = "cpu" in install.toml keeps FOMM off the GPU' in a.reason


def test_constructor_without_checkpoint_raises_the_install_hint(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint: put vox-adv-cpk.pth.tar or vox-cpk.pth.tar"):
        FommBackend(tmp_path)


# ----------------------------------------------------------------------------- with torch

torch = pytest.importorskip("torch")
from installation.models.motion.fomm.checkpoint import save_networks  # noqa: E402
from installation.models.motion.fomm.networks import TINY, VOX_256, build, perturb_  # noqa: E402
from installation.models.motion.fomm.wrapper import pick_device  # noqa: E402

torch.set_num_threads(1)


def _face(seed: int, size: int = 256, shift: int = 0) -> np.ndarray:
    """A smooth synthetic crop: an ellipse 'face' with two 'eyes' on a gradient."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    rng = np.random.default_rng(seed)
    img = np.stack([xx, yy, 0.5 * (xx + yy)], -1) * 120 + rng.uniform(30, 60, 3)
    cx = 0.5 + shift / size
    face = ((xx - cx) / 0.3) ** 2 + ((yy - 0.5) / 0.38) ** 2 < 1
    img[face] = rng.uniform(150, 220, 3)
    for ex in (cx - 0.1, cx + 0.1):
        img[((xx - ex) ** 2 + (yy - 0.42) ** 2) < 0.0012] = 20
    return img.clip(0, 255).astype(np.uint8)


@pytest.fixture
def backend():
    kp_detector, generator = build(TINY)
    perturb_(kp_detector, 21)
    perturb_(generator, 22)
    return FommBackend.from_networks(kp_detector, generator, config=TINY, device="cpu")


def test_relative_mode_is_the_identity_when_the_driver_does_not_move(backend):
    w = backend.wrapper
    source, neutral = _face(1), _face(2, shift=20)
    backend.set_source(source)
    backend.calibrate(neutral)
    assert w.scale != 1.0  # adapt_movement_scale is on and the faces differ in keypoint spread
    with torch.no_grad():
        kp_neutral = w.kp_detector(w.to_tensor(neutral))
        kp = w.driven_keypoints(kp_neutral)
        assert torch.equal(kp.value, w.kp_source.value)
        assert torch.allclose(kp.jacobian, w.kp_source.jacobian, atol=1e-5)
        assert not torch.allclose(w.kp_source.jacobian, torch.eye(2).expand_as(kp.jacobian), atol=1e-3)
        still = w.to_image(w.generator.decode(w.encoding, w.kp_source, w.kp_source)["prediction"])
    out = backend.animate(neutral)
    assert out.shape == source.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - still).max() <= 1


def test_calibrating_before_choosing_the_portrait_works_too(backend):
    """The scene may recalibrate, then swipe to another portrait: order does not matter."""
    neutral = _face(2, shift=20)
    backend.calibrate(neutral)
    backend.set_source(_face(1))
    w = backend.wrapper
    assert w.scale != 1.0
    with torch.no_grad():
        still = w.to_image(w.generator.decode(w.encoding, w.kp_source, w.kp_source)["prediction"])
    assert np.abs(backend.animate(neutral).astype(int) - still).max() <= 1
    backend.set_source(_face(5))  # another portrait: its own still image, same calibration
    with torch.no_grad():
        still = w.to_image(w.generator.decode(w.encoding, w.kp_source, w.kp_source)["prediction"])
    assert np.abs(backend.animate(neutral).astype(int) - still).max() <= 1


def test_moving_driver_moves_the_keypoints_by_the_scaled_displacement(backend):
    w = backend.wrapper
    backend.set_source(_face(1))
    neutral, moved = _face(2), _face(2, shift=30)
    backend.calibrate(neutral)
    with torch.no_grad():
        k0, k1 = w.kp_detector(w.to_tensor(neutral)), w.kp_detector(w.to_tensor(moved))
        kp = w.driven_keypoints(k1)
    assert torch.allclose(kp.value, w.kp_source.value + (k1.value - k0.value) * w.scale)
    assert not torch.allclose(kp.value, w.kp_source.value)
    assert not np.array_equal(backend.animate(moved), backend.animate(neutral))


def test_adapt_movement_scale_can_be_switched_off():
    kp_detector, generator = build(TINY)
    b = FommBackend.from_networks(
        perturb_(kp_detector, 1),
        perturb_(generator, 2),
        config=TINY,
        device="cpu",
        adapt_movement_scale=False,
    )
    b.set_source(_face(1))
    b.calibrate(_face(2, shift=20))
    assert b.wrapper.scale == 1.0


def test_uncalibrated_animate_takes_the_first_frame_as_neutral(backend):
    backend.set_source(_face(1))
    assert not backend.calibrated
    first = backend.animate(_face(3))
    assert backend.calibrated
    w = backend.wrapper
    with torch.no_grad():
        still = w.to_image(w.generator.decode(w.encoding, w.kp_source, w.kp_source)["prediction"])
    assert np.abs(first.astype(int) - still).max() <= 1


def test_crops_of_other_sizes_are_resized_and_returned_at_the_portrait_size(backend):
    backend.set_source(_face(1, size=300))
    backend.calibrate(_face(2, size=128))
    out = backend.animate(_face(2, size=200))
    assert out.shape == (300, 300, 3) and out.dtype == np.uint8
    assert out.std() > 0


def test_bad_input_gets_a_clear_error(backend):
    with pytest.raises(RuntimeError, match="set_source"):
        backend.animate(_face(1))
    with pytest.raises(ValueError, match=r"RGB uint8 array of shape \(H, W, 3\), got float64"):
        backend.set_source(_face(1).astype(float))
    with pytest.raises(ValueError, match="got uint8 \\(256, 256\\)"):
        backend.set_source(_face(1)[..., 0])


def test_status_reports_device_and_precision(backend):
    backend.set_source(_face(1))
    backend.calibrate(_face(2))
    s = backend.status()
    assert s["device"] == "cpu" and s["precision"] == "fp32" and s["calibrated"] is True
    assert s["movement_scale"] == pytest.approx(backend.wrapper.scale, abs=1e-3)


def test_device_from_environment(monkeypatch):
    monkeypatch.setenv("BAYARD_DEVICE", "cpu")
    assert pick_device().type == "cpu"
    monkeypatch.setenv("BAYARD_DEVICE", "toaster")
    with pytest.raises(ValueError, match="BAYARD_DEVICE=toaster is not a torch device"):
        pick_device()
    with pytest.raises(ValueError, match="device 'gpu0' is not a torch device"):
        pick_device("gpu0")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(ValueError, match="has 1 CUDA device"):
        pick_device("cuda:3")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("BAYARD_DEVICE", "cuda")
    with pytest.raises(ValueError, match="no CUDA device"):
        pick_device()
    monkeypatch.delenv("BAYARD_DEVICE")
    assert pick_device().type == "cpu"


def test_half_precision_matches_full_precision():
    """The fp16 path (CUDA's default) keeps keypoint geometry in float32; checked on CPU."""
    results = {}
    for precision in ("fp32", "fp16"):
        kp_detector, generator = build(TINY)
        b = FommBackend.from_networks(
            perturb_(kp_detector, 5), perturb_(generator, 6), config=TINY, device="cpu", precision=precision
        )
        assert next(b.wrapper.generator.parameters()).dtype == (
            torch.float16 if precision == "fp16" else torch.float32
        )
        b.set_source(_face(1, size=64))
        b.calibrate(_face(2, size=64))
        results[precision] = b.animate(_face(2, size=64, shift=6)).astype(int)
        assert b.wrapper.kp_source.value.dtype == torch.float32
    assert np.abs(results["fp16"] - results["fp32"]).mean() < 1.0
    assert np.abs(results["fp16"] - results["fp32"]).max() <= 8


def test_backend_loads_a_checkpoint_from_the_models_folder(tmp_path):
    kp_detector, generator = build(TINY)
    perturb_(kp_detector, 7)
    perturb_(generator, 8)
    (tmp_path / "fomm").mkdir()
    save_networks(tmp_path / "fomm" / "vox-cpk.pth.tar", kp_detector, generator)
    from_file = FommBackend(tmp_path, config=TINY, device="cpu")
    in_memory = FommBackend.from_networks(kp_detector, generator, config=TINY, device="cpu")
    for b in (from_file, in_memory):
        b.set_source(_face(1))
        b.calibrate(_face(2))
    assert np.array_equal(from_file.animate(_face(2, shift=15)), in_memory.animate(_face(2, shift=15)))


@pytest.mark.slow
def test_full_vox256_checkpoint_round_trip_through_the_backend(tmp_path):
    """A file of the official size (about 239 MB) loads with weights_only and animates."""
    kp_detector, generator = build(VOX_256)
    (tmp_path / "fomm").mkdir()
    path = tmp_path / "fomm" / "vox-adv-cpk.pth.tar"
    save_networks(path, kp_detector, generator)
    assert 230e6 < path.stat().st_size < 250e6
    b = FommBackend(tmp_path, device="cpu")
    b.set_source(_face(1))
    b.calibrate(_face(2))
    out = b.animate(_face(2, shift=10))
    assert out.shape == (256, 256, 3) and out.dtype == np.uint8


@pytest.mark.gpu
def test_vox256_half_precision_on_cuda_agrees_with_float32():
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    frames = {}
    for precision in ("fp32", "fp16"):
        kp_detector, generator = build(VOX_256)
        perturb_(kp_detector, 31)
        perturb_(generator, 32)
        b = FommBackend.from_networks(kp_detector, generator, device="cuda", precision=precision)
        b.set_source(_face(1))
        b.calibrate(_face(2))
        frames[precision] = b.animate(_face(2, shift=12)).astype(int)
    assert np.abs(frames["fp16"] - frames["fp32"]).mean() < 2.0


def test_memory_layout_and_folding_do_not_change_the_frames():
    """NHWC convolutions and folded batch norms are speed choices only."""
    frames = []
    for channels_last, fold_bn in ((False, False), (True, True), (True, False)):
        kp_detector, generator = build(TINY)
        w = FommBackend.from_networks(
            perturb_(kp_detector, 41),
            perturb_(generator, 42),
            config=TINY,
            device="cpu",
            channels_last=channels_last,
            fold_bn=fold_bn,
        )
        assert w.wrapper.channels_last is channels_last
        w.set_source(_face(1))
        w.calibrate(_face(2))
        frames.append(w.animate(_face(2, shift=25)).astype(int))
    for other in frames[1:]:
        assert np.abs(other - frames[0]).max() <= 1
