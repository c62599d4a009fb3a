"""Scene kinds. Importing this package registers every kind that ships with Bayard."""

from . import photograph, quiz, title  # noqa: F401  (imported for their registration)
from .base import SCENE_KINDS, Scene, SceneContext, register_scene

__all__ = ["SCENE_KINDS", "Scene", "SceneContext", "register_scene"]
