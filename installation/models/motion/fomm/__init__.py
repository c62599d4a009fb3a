"""First Order Motion Model, the `fomm` motion backend: our own implementation, which
loads the official vox-256 checkpoints. Importing this package registers the backend and
does not import torch (the networks, loader and wrapper import it when first used)."""

from .backend import FommBackend
from .files import CHECKPOINT_NAMES, CheckpointError, find_checkpoint

__all__ = ["CHECKPOINT_NAMES", "CheckpointError", "FommBackend", "find_checkpoint"]
