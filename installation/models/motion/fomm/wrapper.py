"""Device, precision and per-portrait caches around the FOMM networks.

Tensor in, tensor out, plus the conversions between the contract's RGB uint8 crops and
the networks' float tensors. The `fomm` backend delegates here; benchmarks use it too.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ...device import pick_device
from .blocks import fold_batch_norm_
from .configs import VOX_256, FommConfig
from .geometry import Keypoints
from .networks import KPDetector, OcclusionAwareGenerator, SourceEncoding
from .relative import movement_scale, relative_keypoints

PRECISIONS = ("auto", "fp32", "fp16")


class FommWrapper:
    """Relative-mode FOMM on one device: set a source, calibrate, render driver frames."""

    def __init__(
        self,
        kp_detector: KPDetector,
        generator: OcclusionAwareGenerator,
        *,
        config: FommConfig = VOX_256,
        device: str | None = None,
        precision: str = "auto",
        adapt_movement_scale: bool = True,
        fold_bn: bool = True,
        channels_last: bool | None = None,
    ) -> None:
        """Takes ownership of the two networks: they are moved, cast and (with `fold_bn`)
        have their batch norms folded into the convolutions in place. `channels_last`
        (NHWC convolutions) defaults to on: 7% faster on a CPU, and on an H200 the model step
        took 4.17 ms against 4.96 in fp16 (4.05 against 5.22 in fp32). Live, the worker's part
        is the same either way (camera-to-ready p50 25-27 ms, `bench/fomm_gpu.py --live
        --layout`, two alternating rounds); camera-to-screen moved by 10 ms either way
        between rounds with the wait for the display's refresh."""
        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r}: use one of {', '.join(PRECISIONS)}")
        self.device = pick_device(device)
        if precision == "auto":
            # Half precision pays off on CUDA tensor cores; on a CPU it is slower, not faster.
            precision = "fp16" if self.device.type == "cuda" else "fp32"
        self.precision = precision
        self.dtype = torch.float16 if precision == "fp16" else torch.float32
        self.config = config
        self.size = config.image_size
        self.adapt_movement_scale = adapt_movement_scale
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed input sizes: pick the fastest kernels once
        # The whole modules move to the working dtype, buffers (the anti-alias kernels,
        # batch-norm statistics) included; keypoint geometry is float32 in the networks.
        if fold_bn:  # same outputs, fewer passes over memory and fewer GPU kernel launches
            fold_batch_norm_(kp_detector.eval())
            fold_batch_norm_(generator.eval())
        self.kp_detector = kp_detector.eval().to(self.device, self.dtype)
        self.generator = generator.eval().to(self.device, self.dtype)
        self.channels_last = True if channels_last is None else channels_last
        if self.channels_last:
            self.kp_detector.to(memory_format=torch.channels_last)
            self.generator.to(memory_format=torch.channels_last)
        self.source_hw: tuple[int, int] | None = None
        self.kp_source: Keypoints | None = None
        self.encoding: SourceEncoding | None = None
        self.kp_initial: Keypoints | None = None
        self.scale = 1.0

    # ------------------------------------------------------------------ conversions

    def to_tensor(self, image: np.ndarray, what: str = "image") -> torch.Tensor:
        """RGB uint8 (H, W, 3) -> (1, 3, size, size) in [0, 1] on the device, working dtype."""
        if (
            not isinstance(image, np.ndarray)
            or image.dtype != np.uint8
            or image.ndim != 3
            or image.shape[2] != 3
        ):
            got = f"{image.dtype} {image.shape}" if isinstance(image, np.ndarray) else type(image).__name__
            raise ValueError(f"fomm: {what} must be an RGB uint8 array of shape (H, W, 3), got {got}")
        t = torch.from_numpy(np.ascontiguousarray(image)).to(self.device)
        t = t.permute(2, 0, 1)[None].float() / 255.0
        if t.shape[2:] != (self.size, self.size):
            t = F.interpolate(
                t, size=(self.size, self.size), mode="bilinear", antialias=True, align_corners=False
            )
        return t.to(self.dtype)

    def to_image(self, t: torch.Tensor) -> np.ndarray:
        """(1, 3, size, size) in [0, 1] -> RGB uint8 at the portrait crop's size."""
        t = t.float()
        if self.source_hw is not None and t.shape[2:] != self.source_hw:
            t = F.interpolate(t, size=self.source_hw, mode="bicubic", align_corners=False)
        t = (torch.nan_to_num(t, nan=0.0).clamp(0.0, 1.0) * 255.0 + 0.5).to(torch.uint8)
        return t[0].permute(1, 2, 0).contiguous().cpu().numpy()

    # ------------------------------------------------------------------ stages

    @torch.inference_mode()
    def set_source(self, source: np.ndarray) -> None:
        """Keypoints and encoder features of the portrait, computed once."""
        image = self.to_tensor(source, "the portrait crop")
        self.source_hw = (source.shape[0], source.shape[1])
        self.kp_source = self.kp_detector(image)
        self.encoding = self.generator.encode_source(image)
        self._update_scale()

    @torch.inference_mode()
    def calibrate(self, driver: np.ndarray) -> None:
        """The driver's neutral frame: later motion is measured from its keypoints."""
        self.kp_initial = self.kp_detector(self.to_tensor(driver, "the driver crop"))
        self._update_scale()

    def _update_scale(self) -> None:
        if self.adapt_movement_scale and self.kp_source is not None and self.kp_initial is not None:
            self.scale = movement_scale(self.kp_source, self.kp_initial)
        else:
            self.scale = 1.0

    @torch.inference_mode()
    def animate(self, driver: np.ndarray) -> np.ndarray:
        """The portrait moved as the driver moved since calibration (uint8 in, uint8 out).

        Without a calibration the first driver frame becomes the reference, so a caller
        that forgets to calibrate gets a still portrait rather than a distorted one.
        """
        if self.encoding is None or self.kp_source is None:
            raise RuntimeError("fomm: set_source(portrait) must come before animate()")
        kp_driving = self.kp_detector(self.to_tensor(driver, "the driver crop"))
        if self.kp_initial is None:
            self.kp_initial = kp_driving
            self._update_scale()
        return self.to_image(self.render(kp_driving))

    def driven_keypoints(self, kp_driving: Keypoints) -> Keypoints:
        """Relative mode: the keypoints that move the portrait for these driver keypoints."""
        if self.kp_source is None or self.kp_initial is None:
            raise RuntimeError("fomm: set_source() and calibrate() come before driven_keypoints()")
        return relative_keypoints(self.kp_source, kp_driving, self.kp_initial, self.scale)

    def render(self, kp_driving: Keypoints) -> torch.Tensor:
        """(1, 3, size, size) prediction in [0, 1] for these driver keypoints."""
        if self.encoding is None or self.kp_source is None:
            raise RuntimeError("fomm: set_source(portrait) must come before render()")
        kp = self.driven_keypoints(kp_driving)
        return self.generator.decode(self.encoding, kp, self.kp_source)["prediction"]
