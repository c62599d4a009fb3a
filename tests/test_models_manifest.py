"""Every weight file the repository ships is listed in models/manifest.toml with its
licence and a checksum that matches: retraining a model without updating the manifest
fails here, not on a gallery's `bayard assets status`."""

from __future__ import annotations

import tomllib

from installation.runtime.assets import sha256_file

from .conftest import REPO

MODELS = REPO / "models"
WEIGHTS = {".tflite", ".npz", ".pt", ".pth", ".onnx", ".bin"}


def test_every_shipped_weight_is_in_the_manifest_with_its_checksum():
    entries = {e["path"]: e for e in tomllib.loads((MODELS / "manifest.toml").read_text())["asset"]}
    shipped = sorted(p.relative_to(MODELS).as_posix() for p in MODELS.rglob("*") if p.suffix in WEIGHTS)
    assert shipped, "no weights found under models/"
    for path in shipped:
        assert path in entries, f"models/{path} is not listed in models/manifest.toml"
        entry = entries[path]
        assert entry.get("licence") and entry.get("credit"), f"models/{path}: licence and credit are required"
        assert entry.get("sha256") == sha256_file(MODELS / path), f"models/{path}: checksum does not match"
