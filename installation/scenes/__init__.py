"""Scene kinds. Importing this package registers every kind that ships with Bayard."""

from . import loop, photograph, portrait, quiz, title, video  # noqa: F401  (imported for their registration)
from .base import SCENE_KINDS, Scene, SceneContext, register_scene

__all__ = ["SCENE_KINDS", "Scene", "SceneContext", "register_scene"]
