"""Content and model packs: what the show needs, where it comes from, and who to credit.

A manifest (`content/manifest.toml`, `models/manifest.toml`) lists files by id with a
download URL, a SHA-256, a size, a licence and a credit. `bayard assets fetch` downloads
them (progress, resume of an interrupted download, checksum check, atomic placement);
`bayard assets import DIR` finds them in a folder or USB stick for galleries without
internet. The show itself never downloads anything: it only reads what is installed and
asks `credits_for()` what to print under a picture.

A file is placed only after its checksum matches: it is written to `<name>.part`,
verified, flushed to disk and renamed, so the show never sees half a file.

The manifest schema, installed state and credits are in asset_manifest.py, writing files
and manifests in asset_files.py, downloading and importing in asset_fetch.py. This module
gathers their public names, which the CLI, `bayard check` and tests use as
`installation.runtime.assets`.
"""

from __future__ import annotations

from .asset_fetch import download, fetch, find_in_folder, import_folder
from .asset_files import add_entry, pin_entry
from .asset_manifest import (
    CHUNK,
    MANIFEST_NAME,
    PART_SUFFIX,
    AssetEntry,
    AssetError,
    AssetStatus,
    Manifest,
    ManifestFile,
    State,
    check,
    credits_for,
    default_manifests,
    load_manifest,
    sha256_file,
    statuses,
)

__all__ = [
    "CHUNK",
    "MANIFEST_NAME",
    "PART_SUFFIX",
    "AssetEntry",
    "AssetError",
    "AssetStatus",
    "Manifest",
    "ManifestFile",
    "State",
    "add_entry",
    "check",
    "credits_for",
    "default_manifests",
    "download",
    "fetch",
    "find_in_folder",
    "import_folder",
    "load_manifest",
    "pin_entry",
    "sha256_file",
    "statuses",
]
