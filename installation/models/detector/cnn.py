"""An optional ResNet-50 detector whose state dict matches the public CNNDetection
checkpoints (Wang et al., CVPR 2020): torchvision's resnet50 layout with an `fc` of one
output, saved as a dict whose "model" entry is the state dict. The operator installs a
checkpoint as models/detector/cnndetection.pth; nothing is downloaded. torch is imported
only when this backend is built, so the default show runs without it.

The network is written here (no torchvision needed). Preprocessing follows the
checkpoints: RGB in [0, 1], ImageNet mean/std, the centre 224x224 crop of the prepared
image (the published evaluation crops 224 px); output sigmoid = probability of fake.
Its threshold is 0.5 unless the checkpoint carries a calibrated one (CNNDetection's
accuracy suffers from an uncalibrated 0.5, so `bayard detector eval` reports the best
cut on a gallery's own material).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .base import DEFAULT_MODELS_DIR, DETECTORS, Availability, Detector, DetectorUnavailable, Verdict
from .preprocess import prepare

DEFAULT_CHECKPOINT = "cnndetection.pth"
CROP = 224
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
LAYERS = (3, 4, 6, 3)  # bottleneck blocks per stage in ResNet-50


def build_resnet50(num_outputs: int = 1):
    """ResNet-50 (bottleneck v1.5: stride on the 3x3 conv) with torchvision's parameter names."""
    import torch
    from torch import nn

    class Bottleneck(nn.Module):
        expansion = 4

        def __init__(self, inplanes: int, planes: int, stride: int, downsample: nn.Module | None) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
            self.bn3 = nn.BatchNorm2d(planes * 4)
            self.relu = nn.ReLU(inplace=True)
            self.downsample = downsample

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            return self.relu(out + identity)

    class ResNet50(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
            inplanes = 64
            for index, (planes, blocks) in enumerate(zip((64, 128, 256, 512), LAYERS, strict=True), start=1):
                stride = 1 if index == 1 else 2
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(planes * 4)
                )
                layer = [Bottleneck(inplanes, planes, stride, downsample)]
                inplanes = planes * 4
                layer += [Bottleneck(inplanes, planes, 1, None) for _ in range(blocks - 1)]
                setattr(self, f"layer{index}", nn.Sequential(*layer))
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(2048, num_outputs)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return ResNet50()


def checkpoint_filter(checkpoint: Any, path: Path) -> dict[str, Any]:
    """The state dict inside a CNNDetection file: {"model": state_dict, ...}, or a bare
    state dict; a "module." prefix (saved from DataParallel) is removed."""
    if isinstance(checkpoint, dict) and "model" in checkpoint and isinstance(checkpoint["model"], dict):
        state = checkpoint["model"]
    elif isinstance(checkpoint, dict) and "fc.weight" in {k.removeprefix("module.") for k in checkpoint}:
        state = checkpoint
    else:
        keys = ", ".join(list(checkpoint)[:5]) if isinstance(checkpoint, dict) else type(checkpoint).__name__
        raise DetectorUnavailable(
            f"{path}: not a CNNDetection checkpoint (expected a dict with a 'model' entry, found {keys})"
        )
    return {k.removeprefix("module."): v for k, v in state.items()}


def load_checkpoint(path: Path):
    import torch

    if not path.is_file():
        raise DetectorUnavailable(
            f"{path}: no CNNDetection checkpoint; copy one there (e.g. blur_jpg_prob0.1.pth)"
        )
    try:
        # weights_only: unpickling a full object could run code; a checkpoint is data.
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for corrupt or unsafe files
        raise DetectorUnavailable(f"{path}: cannot be read as a weights-only checkpoint ({error})") from None
    state = checkpoint_filter(checkpoint, path)
    model = build_resnet50()
    expected = set(model.state_dict())
    missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
    if missing or unexpected:
        raise DetectorUnavailable(
            f"{path}: keys do not match a ResNet-50 with one output "
            f"(missing {len(missing)}: {missing[:3]}; unexpected {len(unexpected)}: {unexpected[:3]})"
        )
    try:
        model.load_state_dict(state)
    except RuntimeError as error:
        raise DetectorUnavailable(
            f"{path}: tensor shapes do not match ResNet-50 ({str(error).splitlines()[0]})"
        ) from None
    threshold = checkpoint.get("threshold", 0.5) if isinstance(checkpoint, dict) else 0.5
    return model.eval(), float(threshold)


@DETECTORS.register("cnn")
class CNNDetector(Detector):
    name = "cnn"

    def __init__(
        self,
        weights: str | Path | None = None,
        models_dir: Path = DEFAULT_MODELS_DIR,
        device: str | None = None,
    ) -> None:
        """`device`: cpu, cuda or cuda:N; by default as every torch model chooses ($BAYARD_DEVICE,
        install.toml's [models] device, else a CUDA GPU where there is one, where a ResNet-50
        scores a picture in milliseconds, else the CPU)."""
        path = Path(weights) if weights is not None else Path(models_dir) / DEFAULT_CHECKPOINT
        try:
            import torch
        except ImportError:
            raise DetectorUnavailable("the cnn detector needs torch; install the 'models' extra") from None
        from ..device import pick_device

        self.torch = torch
        try:
            self.device = pick_device(device)
        except ValueError as error:
            raise DetectorUnavailable(f"cnn detector: {error}") from None
        self.model, self.threshold = load_checkpoint(path)
        self.model.to(self.device)
        self.path = path

    def identity(self) -> dict | None:
        """The weights, and what they run on: a GPU's arithmetic (its convolutions in TF32 on
        recent cards, other kernels) scores a picture a little apart from the CPU's, so a
        verdict kept on disk by one is not taken for the other's (a kiosk whose GPU failed
        and runs on the CPU, or one given a new card, judges its quiz again once). The torch
        and CUDA versions too: a new torch brings other kernels, and scores shift with them.
        A GPU whose name cannot be asked (a driver in a bad state) is a device of its own
        ("cuda, name unknown"), never a fault: this runs in the quiz's prepare."""
        own = super().identity()
        if own is None:
            return None
        device = self.device
        own = own | {"torch": str(self.torch.__version__), "cuda": str(self.torch.version.cuda)}
        if device.type == "cuda":
            try:
                name = str(self.torch.cuda.get_device_name(device))
            except Exception:  # boundary: whatever the driver raises, the quiz plays on
                name = "name unknown"
            return own | {"device": f"cuda {name}"}
        return own | {"device": device.type}

    @classmethod
    def availability(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> Availability:
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            return Availability(False, "torch is not installed (the 'models' extra)")
        path = Path(models_dir) / DEFAULT_CHECKPOINT
        if not path.is_file():
            return Availability(False, f"no {path}; an operator installs a CNNDetection checkpoint there")
        return Availability(True, f"checkpoint {path}")

    def tensor(self, image: np.ndarray):
        prepared = prepare(image).astype(np.float32) / 255.0
        h, w = prepared.shape[:2]
        top, left = (h - CROP) // 2, (w - CROP) // 2
        crop = (prepared[top : top + CROP, left : left + CROP] - MEAN) / STD
        return self.torch.from_numpy(np.ascontiguousarray(crop.transpose(2, 0, 1)))[None].to(self.device)

    def score(self, image: np.ndarray) -> Verdict:
        with self.torch.inference_mode():
            logit = self.model(self.tensor(image))
        return Verdict(float(self.torch.sigmoid(logit)[0, 0]), self.threshold, float(logit[0, 0]))
