"""Face generators: the small GAN the project trains itself and a StyleGAN2 loader.

Importing the package registers both in `GENERATORS`; neither imports torch until a
network is built, so the show runs without torch installed.
"""

from . import dcgan, stylegan2  # noqa: F401  (registration)
from .base import GENERATORS, Availability, CheckpointError, FaceGenerator, load_generator

__all__ = ["GENERATORS", "Availability", "CheckpointError", "FaceGenerator", "load_generator"]
