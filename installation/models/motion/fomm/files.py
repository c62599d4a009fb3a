"""Where the FOMM checkpoint lives and a cheap sanity check of the file.

Torch-free on purpose: backend selection asks about `fomm` on every start, and a show
without a checkpoint should not pay for importing torch to hear "no checkpoint".
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

# Where an operator puts the file (relative to the models directory), in order of preference.
CHECKPOINT_DIR = "fomm"
CHECKPOINT_NAMES = ("vox-adv-cpk.pth.tar", "vox-cpk.pth.tar")
INSTALL_HINT = (
    "install the official vox-256 checkpoint as models/fomm/vox-cpk.pth.tar or "
    "models/fomm/vox-adv-cpk.pth.tar (see docs/fomm.md)"
)

# Checksums of files known to be good (the original download links have expired, so
# operators bring copies of uncertain origin; a known checksum settles it). An unknown
# checksum is not an error: a file that loads into the vox-256 layout works.
KNOWN_MD5 = {
    "8a45a24037871c045fbb8a6a8aa95ebc": (
        "Avatarify's vox-adv-cpk.pth.tar (generator + kp_detector, 239,356,275 bytes)"
    ),
}


class CheckpointError(Exception):
    """A checkpoint that cannot be used; the message names the file and the fix."""


def find_checkpoint(models_dir: Path | str) -> Path | None:
    """The first expected checkpoint file present under models_dir/fomm/, if any."""
    folder = Path(models_dir) / CHECKPOINT_DIR
    for name in CHECKPOINT_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def sniff(path: Path) -> str | None:
    """What is obviously wrong with the file from its first bytes, or None.

    Cheap enough for availability checks. Catches what operators actually end up with:
    an empty file, the HTML page an expired download link returns, or an archive.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if not head:
        return "is empty (0 bytes)"
    text = head.lstrip()[:64].lower()
    if text.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "is a web page, not a checkpoint (an expired or rate-limited download link saves one)"
    if head.startswith(b"\x1f\x8b"):
        return "is gzip-compressed; unpack it first"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "is a real tar archive; the checkpoint is the .pth.tar file inside it"
    if head.startswith(b"PK\x03\x04"):
        return _zip_problem(path)
    if not head.startswith(b"\x80"):
        return "is not a PyTorch file (it starts with neither a zip nor a pickle header)"
    return None


def _zip_problem(path: Path) -> str | None:
    """A zip that is not a torch.save file: someone zipped the checkpoint."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None  # a damaged zip: torch.load reports it as truncated or corrupt
    if any(name.endswith("data.pkl") for name in names):
        return None
    inside = ", ".join(names[:3]) or "nothing"
    return f"is a zip archive (holding {inside}), not a PyTorch file; unzip it and install the file inside"


def md5sum(path: Path | str, chunk_bytes: int = 1 << 20) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while block := f.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()
