"""Writing asset files and manifests: a file is placed only once its size and checksum
match (written as `<name>.part`, verified, flushed and renamed, so the show never sees
half a file); a checksum is pinned into its manifest entry keeping the file's comments;
a new file is added to a manifest. Shared by fetching and importing (asset_fetch.py).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pydantic import ValidationError

from .asset_manifest import PART_SUFFIX, AssetEntry, AssetError, Manifest, load_manifest, sha256_file
from .files import fsync_dir, read_text

log = logging.getLogger("bayard.runtime.assets")


# -- placing a verified file -----------------------------------------------------------
def _place(part: Path, target: Path) -> None:
    with open(part, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(part, target)
    fsync_dir(target.parent)


def _verify_part(entry: AssetEntry, part: Path, origin: str) -> None:
    """Reject a file whose size or SHA-256 differs from the manifest (an entry without a
    checksum is only accepted when pinning, which records the checksum it has)."""
    size = part.stat().st_size
    if entry.size is not None and size != entry.size:
        part.unlink(missing_ok=True)
        raise AssetError(
            f"{entry.id}: {origin} gave {size} bytes but the manifest says {entry.size}; "
            "the file was not installed (check the URL or the manifest's size)"
        )
    if not entry.sha256:
        return
    actual = sha256_file(part)
    if actual != entry.sha256:
        part.unlink(missing_ok=True)
        raise AssetError(
            f"{entry.id}: checksum mismatch from {origin}: got SHA-256 {actual}, the manifest expects "
            f"{entry.sha256}; the file was rejected and not installed (it may be a different version: "
            "fix the URL or, if the new file is right, update sha256 in the manifest)"
        )


def _progress(total: int | None, initial: int, desc: str, quiet: bool):
    from tqdm import tqdm  # only the CLI draws progress

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                disable=quiet, leave=False)


def _refuse_undecodable(entry: AssetEntry, part: Path, target: Path, origin: str) -> None:
    """Before a checksum is pinned, the file must decode, all of it: a half-copied JPEG was
    pinned, and so was a film cut off part-way whose first frame decodes (a faststart MP4);
    from then on `assets status` vouched for it as installed and verified."""
    from ..config.media_check import probe_media
    from ..media.whole import COPY_AGAIN

    problem = probe_media(part, suffix=target.suffix)
    if problem is not None:
        part.unlink(missing_ok=True)
        # A cut-short film's problem ends with the fix the playing show gives; the one below
        # covers it (and says "then pin it"): said twice, it read as two faults.
        problem = problem.removesuffix(f": {COPY_AGAIN}")
        raise AssetError(f"{entry.id}: {origin} {problem}; nothing was installed or pinned: copy or download "
                         "it again, whole, then pin it")


def _require_checksum(manifest: Manifest, entry: AssetEntry, pin: bool) -> None:
    if not entry.sha256 and not pin:
        raise AssetError(
            f"{entry.id}: {manifest.path} gives no sha256, so the file cannot be verified; add it, or "
            f"accept the file you get once and record its checksum with `--pin` (e.g. `bayard assets fetch "
            f"{entry.id} --pin`)"
        )


def pin_entry(manifest_path: Path, ident: str, file: Path) -> str:
    """Write the SHA-256 (and size) of an installed file into its manifest entry, keeping
    the rest of the file (comments, order) as it was. Returns the checksum."""
    import re

    from .files import atomic_write_text

    digest, size = sha256_file(file), file.stat().st_size
    text = read_text(Path(manifest_path))
    blocks = re.split(r"(?m)^(?=\[\[asset\]\])", text)
    for number, block in enumerate(blocks):
        if re.search(rf'(?m)^id\s*=\s*["\']{re.escape(ident)}["\']\s*$', block):
            block, count = re.subn(r'(?m)^sha256\s*=.*$', f'sha256 = "{digest}"', block)
            if not count:
                block = block.rstrip("\n") + f'\nsha256 = "{digest}"\n'
            if re.search(r"(?m)^size\s*=", block):
                block = re.sub(r"(?m)^size\s*=.*$", f"size = {size}", block)
            else:
                block = block.rstrip("\n") + f"\nsize = {size}\n"
            if not block.endswith("\n\n") and number < len(blocks) - 1:
                block += "\n"
            blocks[number] = block
            atomic_write_text(Path(manifest_path), "".join(blocks))
            load_manifest(Path(manifest_path))  # the edited file must still be valid
            log.warning("%s: pinned sha256 %s (%d bytes) in %s", ident, digest, size, manifest_path)
            return digest
    raise AssetError(f"{manifest_path}: no [[asset]] with id '{ident}' to pin")


# -- adding a file to a manifest --------------------------------------------------
def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def add_entry(manifest_path: Path, file: Path, ident: str, licence: str, credit: str = "", url: str = "",
              dest: str | None = None, required: bool = True, description: str = "") -> AssetEntry:
    """Copy `file` into the manifest's folder (if not already there) and append its entry."""
    manifest_path = Path(manifest_path)
    root = manifest_path.parent
    file = Path(file)
    if not file.is_file():
        raise AssetError(f"{file}: no such file")
    existing = load_manifest(manifest_path) if manifest_path.exists() else Manifest(manifest_path, ())
    if any(e.id == ident for e in existing.entries):
        raise AssetError(f"{manifest_path}: id '{ident}' already exists; choose another --id")
    if dest is None:
        resolved = file.resolve()
        dest = resolved.relative_to(root.resolve()).as_posix() if resolved.is_relative_to(root.resolve()) else file.name
    try:
        entry = AssetEntry(id=ident, path=dest, url=url, sha256=sha256_file(file), size=file.stat().st_size,
                           licence=licence, credit=credit, required=required, description=description)
    except ValidationError as error:  # (a pydantic dump with a link to its docs, before)
        problems = "; ".join(f"--{'.'.join(str(p) for p in e['loc']).replace('ident', 'id')}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in error.errors(include_url=False))
        raise AssetError(f"{manifest_path}: cannot add this entry: {problems}") from None
    target = root / entry.path
    if target.resolve() != file.resolve():
        if target.exists():
            raise AssetError(f"{target} already exists; pass --path to place the file elsewhere")
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + PART_SUFFIX)
        shutil.copyfile(file, part)
        _place(part, target)
    lines = ["", "[[asset]]"]
    for key in ("id", "path", "url", "sha256"):
        lines.append(f"{key} = {_toml_string(getattr(entry, key))}")
    lines.append(f"size = {entry.size}")
    for key in ("licence", "credit"):
        lines.append(f"{key} = {_toml_string(getattr(entry, key))}")
    lines.append(f"required = {'true' if required else 'false'}")
    if description:
        lines.append(f"description = {_toml_string(description)}")
    previous = read_text(manifest_path) if manifest_path.exists() else ""
    from .files import atomic_write_text

    atomic_write_text(manifest_path, previous.rstrip("\n") + "\n".join(lines) + "\n")
    load_manifest(manifest_path)  # prove the file we wrote still parses
    return entry
