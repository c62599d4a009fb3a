"""The CNNDetection-compatible ResNet-50, with random weights (no checkpoint ships)."""

from __future__ import annotations

import argparse
import copy

import numpy as np
import pytest

from installation.models.detector import DetectorUnavailable
from installation.models.detector.cnn import CNNDetector, build_resnet50, load_checkpoint

torch = pytest.importorskip("torch")
torch.set_num_threads(1)


def _expected_keys() -> set[str]:
    """torchvision's resnet50 state-dict names, written out from its structure."""
    bn = ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
    keys = {"conv1.weight", "fc.weight", "fc.bias"} | {f"bn1.{p}" for p in bn}
    for layer, blocks in enumerate((3, 4, 6, 3), start=1):
        for block in range(blocks):
            prefix = f"layer{layer}.{block}"
            for i in (1, 2, 3):
                keys.add(f"{prefix}.conv{i}.weight")
                keys |= {f"{prefix}.bn{i}.{p}" for p in bn}
            if block == 0:
                keys.add(f"{prefix}.downsample.0.weight")
                keys |= {f"{prefix}.downsample.1.{p}" for p in bn}
    return keys


def test_key_set_matches_resnet50_with_one_output():
    state = build_resnet50().state_dict()
    assert len(state) == 320  # 53 batch norms x 5 entries + 53 convs + fc weight and bias
    assert set(state) == _expected_keys()
    assert tuple(state["fc.weight"].shape) == (1, 2048)
    assert tuple(state["layer4.0.downsample.0.weight"].shape) == (2048, 1024, 1, 1)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    model = build_resnet50()
    path = tmp_path_factory.mktemp("cnn") / "cnndetection.pth"
    # The published files are {"model": state_dict, "optimizer": ..., "total_steps": ...}.
    torch.save({"model": model.state_dict(), "total_steps": 1}, path)
    return path, model


def test_round_trip_and_forward(checkpoint):
    path, original = checkpoint
    loaded, threshold = load_checkpoint(path)
    assert threshold == 0.5
    for key, value in original.state_dict().items():
        assert torch.equal(value, loaded.state_dict()[key]), key
    detector = CNNDetector(path)
    image = (np.random.default_rng(0).random((300, 300, 3)) * 255).astype(np.uint8)
    verdict = detector.score(image)
    assert 0.0 <= verdict.probability <= 1.0
    with torch.inference_mode():
        x = detector.tensor(image)
        assert tuple(x.shape) == (1, 3, 224, 224)
        assert x.device == next(detector.model.parameters()).device  # a GPU where there is one
        reference = copy.deepcopy(original).eval().to(x.device)
        assert float(torch.sigmoid(reference(x))[0, 0]) == pytest.approx(verdict.probability, abs=1e-5)


def test_the_device_is_chosen_like_every_model_s_and_a_bad_choice_says_where_it_came_from(
    checkpoint, monkeypatch
):
    path, _ = checkpoint
    monkeypatch.setenv("BAYARD_DEVICE", "cpu")
    assert CNNDetector(path).device.type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("BAYARD_DEVICE", "cuda")
    with pytest.raises(DetectorUnavailable, match="BAYARD_DEVICE=cuda was requested but .* no CUDA device"):
        CNNDetector(path)
    monkeypatch.delenv("BAYARD_DEVICE")
    assert CNNDetector(path).device.type == "cpu"


def test_module_prefix_is_accepted(tmp_path, checkpoint):
    _, model = checkpoint
    path = tmp_path / "dp.pth"
    torch.save({"model": {f"module.{k}": v for k, v in model.state_dict().items()}}, path)
    loaded, _ = load_checkpoint(path)
    assert torch.equal(loaded.state_dict()["fc.bias"], model.state_dict()["fc.bias"])


def test_clear_errors(tmp_path, checkpoint):
    _, model = checkpoint
    with pytest.raises(DetectorUnavailable, match="no CNNDetection checkpoint"):
        load_checkpoint(tmp_path / "absent.pth")
    wrong = tmp_path / "wrong.pth"
    state = dict(model.state_dict())
    state.pop("fc.bias")
    torch.save({"model": state}, wrong)
    with pytest.raises(DetectorUnavailable, match="missing 1"):
        load_checkpoint(wrong)
    shaped = tmp_path / "shaped.pth"
    state = dict(model.state_dict())
    state["fc.weight"] = torch.zeros(2, 2048)
    state["fc.bias"] = torch.zeros(2)
    torch.save({"model": state}, shaped)
    with pytest.raises(DetectorUnavailable, match="shapes"):
        load_checkpoint(shaped)
    other = tmp_path / "other.pth"
    torch.save({"net": 1}, other)
    with pytest.raises(DetectorUnavailable, match="not a CNNDetection checkpoint"):
        load_checkpoint(other)

    evil = tmp_path / "evil.pth"
    # An arbitrary pickled object: weights-only loading must refuse it, not run it.
    torch.save({"model": argparse.Namespace(payload=1)}, evil)
    with pytest.raises(DetectorUnavailable, match="weights-only"):
        load_checkpoint(evil)


def test_availability_without_checkpoint(tmp_path):
    availability = CNNDetector.availability(tmp_path)
    assert not availability.ok and "cnndetection.pth" in availability.reason


def test_a_verdict_kept_on_the_cpu_is_not_reused_by_the_same_weights_on_a_gpu(checkpoint, tmp_path, monkeypatch):
    from installation.scenes.quiz_verdicts import KeptVerdicts

    path, _ = checkpoint
    on_cpu = CNNDetector(path, device="cpu")
    kept = KeptVerdicts(tmp_path, on_cpu)
    kept.keep("picture", on_cpu.explain(np.full((240, 240, 3), 128, np.uint8)))
    assert KeptVerdicts(tmp_path, CNNDetector(path, device="cpu")).recall("picture") is not None
    # The same weights on a GPU (this machine may have none: the detector is told it runs on
    # one, which is all its identity reads) score a little apart: the picture is judged again.
    on_gpu = CNNDetector(path, device="cpu")
    on_gpu.device = torch.device("cuda", 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "NVIDIA H100 80GB HBM3")
    assert KeptVerdicts(tmp_path, on_gpu).recall("picture") is None


def test_a_gpu_whose_name_cannot_be_asked_keeps_verdicts_of_its_own_and_never_faults(checkpoint, tmp_path,
                                                                                     monkeypatch):
    """The quiz keys its kept verdicts on the detector's identity while it prepares: a driver
    that raised when asked its GPU's name faulted the quiz there. It is a device of its own."""
    from installation.scenes.quiz_verdicts import KeptVerdicts

    path, _ = checkpoint
    on_cpu = CNNDetector(path, device="cpu")
    KeptVerdicts(tmp_path, on_cpu).keep("picture", on_cpu.explain(np.full((240, 240, 3), 128, np.uint8)))

    def driver_in_a_bad_state(device=None):
        raise RuntimeError("CUDA error: unspecified launch failure")

    on_gpu = CNNDetector(path, device="cpu")
    on_gpu.device = torch.device("cuda", 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", driver_in_a_bad_state)
    kept = KeptVerdicts(tmp_path, on_gpu)
    assert kept.recall("picture") is None  # not the CPU's verdict
    kept.keep("picture", on_cpu.explain(np.full((240, 240, 3), 128, np.uint8)))
    assert KeptVerdicts(tmp_path, on_gpu).recall("picture") is not None  # its own, kept and found


def test_a_verdict_kept_under_one_torch_is_judged_again_under_another(checkpoint, tmp_path, monkeypatch):
    """Another torch release brings other kernels, and a picture's score shifts a little with
    them: a kiosk updated in place judges its quiz again rather than show an old score."""
    from installation.scenes.quiz_verdicts import KeptVerdicts

    path, _ = checkpoint
    detector = CNNDetector(path, device="cpu")
    KeptVerdicts(tmp_path, detector).keep("picture", detector.explain(np.full((240, 240, 3), 128, np.uint8)))
    assert KeptVerdicts(tmp_path, detector).recall("picture") is not None
    monkeypatch.setattr(torch, "__version__", "9.9.9+other")
    assert KeptVerdicts(tmp_path, detector).recall("picture") is None
