"""The `mesh` motion backend: MediaPipe's face mesh drives the portrait's own mesh."""

from .animator import MeshAnimator
from .portrait_face import PortraitProblem, find_portrait_face

__all__ = ["MeshAnimator", "PortraitProblem", "find_portrait_face"]
