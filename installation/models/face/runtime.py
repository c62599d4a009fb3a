"""Loading MediaPipe's face models and running them with LiteRT (networks layer).

The `.tflite` files ship in `models/face/` with their checksums in `models/manifest.toml`.
`ai-edge-litert` (Google's LiteRT interpreter; wheels for x86-64 and aarch64) runs them in
a few milliseconds on one core. Every interpreter gets a fixed thread count so that the
portrait worker, the camera thread and the quiz's scoring don't fight over a small
machine's cores (`BAYARD_FACE_THREADS`, default 1).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path

import numpy as np

MODEL_FILES = {
    "detect_short": "face_detection_short_range.tflite",
    "detect_full": "face_detection_full_range.tflite",
    "mesh": "face_landmark.tflite",
    "iris": "iris_landmark.tflite",
    "segment": "selfie_segmentation.tflite",
}

# The repository's own copy, used when a show's models folder has none.
BUNDLED_DIR = Path(__file__).resolve().parents[3] / "models" / "face"


# LiteRT's C++ core announces its CPU delegate on the process's stderr, once, when the first
# interpreter is made ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU."). It has
# no Python switch; in `bayard check` it stood above the report like a message. Only that
# line is dropped: anything else written meanwhile is passed on.
_BANNER = b"INFO: Created TensorFlow Lite XNNPACK delegate"
_banner_done = False


@contextlib.contextmanager
def _without_delegate_banner():
    """Hold back LiteRT's one-time delegate line from file descriptor 2."""
    global _banner_done
    if _banner_done:
        yield
        return
    _banner_done = True
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        read_end, write_end = os.pipe()
    except OSError:  # no stderr to speak of: nothing to hold back
        yield
        return
    held: list[bytes] = []

    def drain() -> None:  # read as it is written: a full pipe must never block a writer
        with contextlib.suppress(OSError):
            while chunk := os.read(read_end, 65536):
                held.append(chunk)

    reader = threading.Thread(target=drain, name="litert-stderr", daemon=True)
    reader.start()
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield
    finally:
        os.dup2(saved, 2)  # closes the pipe's last write end: the reader sees its end
        os.close(saved)
        reader.join(timeout=1.0)
        if not reader.is_alive():
            os.close(read_end)
        lines = b"".join(held).splitlines(keepends=True)
        kept = b"".join(line for line in lines if not line.startswith(_BANNER))
        if kept:
            os.write(2, kept)


class FaceStackUnavailable(RuntimeError):
    """The face models cannot run here; the message says why and what to do."""


def face_threads() -> int:
    try:
        return max(1, int(os.environ.get("BAYARD_FACE_THREADS", "1")))
    except ValueError:
        return 1


def models_folder(models_dir: Path | None = None) -> Path:
    """`<show models>/face` when it holds the detector, else the repository's copy."""
    if models_dir is not None:
        candidate = Path(models_dir) / "face"
        if (candidate / MODEL_FILES["detect_short"]).is_file():
            return candidate
    return BUNDLED_DIR


def _interpreter_class():
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError as error:
        raise FaceStackUnavailable(
            f"ai-edge-litert is not installed ({error}); run ./setup again, or "
            "`.venv/bin/pip install ai-edge-litert`"
        ) from None
    return Interpreter


class TFLiteModel:
    """One `.tflite` model: float32 NHWC in, its output tensors out. Not thread-safe:
    each worker thread holds its own FaceStack."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        if not path.is_file():
            raise FaceStackUnavailable(
                f"{path}: the face model is missing; restore models/face/ from the repository "
                "(`git checkout models/face`) or `bayard assets import` it")
        interpreter_class = _interpreter_class()
        try:
            with _without_delegate_banner():
                self.interpreter = interpreter_class(model_path=str(path), num_threads=threads or face_threads())
                self.interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as error:
            raise FaceStackUnavailable(
                f"{path}: LiteRT cannot load it ({error}); the file may be damaged: compare its "
                "SHA-256 with models/manifest.toml (`bayard assets status`)") from None
        self.path = path
        inputs = self.interpreter.get_input_details()
        self._input = inputs[0]["index"]
        self.input_shape = tuple(int(v) for v in inputs[0]["shape"])
        self._outputs = [d["index"] for d in self.interpreter.get_output_details()]

    def __call__(self, batch: np.ndarray) -> list[np.ndarray]:
        self.interpreter.set_tensor(self._input, np.ascontiguousarray(batch, dtype=np.float32))
        self.interpreter.invoke()
        # get_tensor already returns a copy the caller owns.
        return [self.interpreter.get_tensor(index) for index in self._outputs]


def load(name: str, models_dir: Path | None = None, threads: int | None = None) -> TFLiteModel:
    return TFLiteModel(models_folder(models_dir) / MODEL_FILES[name], threads)
