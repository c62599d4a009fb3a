"""What each First Order Motion Model variant looks like: layer widths and depths per
network, and the image size it expects. Torch-free, so the backend can name a variant
without importing torch; the networks themselves are in `networks.py`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KPDetectorConfig:
    block_expansion: int = 32
    max_features: int = 1024
    num_blocks: int = 5
    temperature: float = 0.1
    scale_factor: float = 0.25
    pad: int = 0  # the 7x7 heads are unpadded in vox-256: 64x64 features give 58x58 heatmaps


@dataclass(frozen=True)
class DenseMotionConfig:
    block_expansion: int = 64
    max_features: int = 1024
    num_blocks: int = 5
    scale_factor: float = 0.25
    kp_variance: float = 0.01


@dataclass(frozen=True)
class GeneratorConfig:
    block_expansion: int = 64
    max_features: int = 512
    num_down_blocks: int = 2
    num_bottleneck_blocks: int = 6
    estimate_occlusion_map: bool = True
    dense_motion: DenseMotionConfig = field(default_factory=DenseMotionConfig)


@dataclass(frozen=True)
class FommConfig:
    """One FOMM variant: what the networks look like and the image size they expect."""

    name: str
    image_size: int = 256
    num_kp: int = 10
    num_channels: int = 3
    estimate_jacobian: bool = True
    kp_detector: KPDetectorConfig = field(default_factory=KPDetectorConfig)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)


# The official VoxCeleb model at 256x256 (config/vox-256.yaml upstream); vox-adv-256 only
# differs in training, so both checkpoints load into this.
VOX_256 = FommConfig(name="vox-256")

# Same topology, a few thousand parameters: for CPU tests of layout-independent behaviour.
TINY = FommConfig(
    name="tiny",
    image_size=64,
    kp_detector=KPDetectorConfig(block_expansion=4, max_features=16, num_blocks=3),
    generator=GeneratorConfig(
        block_expansion=4,
        max_features=16,
        num_down_blocks=2,
        num_bottleneck_blocks=2,
        dense_motion=DenseMotionConfig(block_expansion=4, max_features=16, num_blocks=3),
    ),
)
