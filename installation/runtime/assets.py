"""Content and model packs: what the show needs, where it comes from, and who to credit.

A manifest (`content/manifest.toml`, `models/manifest.toml`) lists files by id with a
download URL, a SHA-256, a size, a licence and a credit. `bayard assets fetch` downloads
them (progress, resume of an interrupted download, checksum check, atomic placement);
`bayard assets import DIR` finds them in a folder or USB stick for galleries without
internet. The show itself never downloads anything: it only reads what is installed and
asks `credits_for()` what to print under a picture.

A file is placed only after its checksum matches: it is written to `<name>.part`,
verified, flushed to disk and renamed, so the show never sees half a file.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import shutil
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .files import fsync_dir, read_text

log = logging.getLogger("bayard.runtime.assets")

MANIFEST_NAME = "manifest.toml"
CHUNK = 1 << 20
PART_SUFFIX = ".part"


class AssetError(Exception):
    """An expected failure with a message that names the file and the fix."""


# -- the manifest ----------------------------------------------------------------
class AssetEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="a short unique name, e.g. 'bayard-1840'")
    title: str = Field(default="", description="a human name for the file, shown by `bayard check` and status")
    path: str = Field(description="where the file goes, relative to the folder holding the manifest")
    url: str = Field(default="", description="http(s) address to download from; empty: import only")
    sha256: str = Field(
        default="", pattern=r"^([0-9a-fA-F]{64})?$",
        description="SHA-256 of the file, 64 hex digits; empty until pinned with `bayard assets fetch --pin`",
    )
    size: int | None = Field(default=None, ge=0, description="size in bytes (lets resume and import skip early)")
    licence: str = Field(description="the licence, e.g. 'Public domain' or 'CC BY 4.0'")
    credit: str = Field(default="", description="the credit line to show with the media, as the licence asks")
    required: bool = Field(default=True, description="false: the show runs without it (a placeholder is shown)")
    description: str = Field(default="", description="what the file is, for the technician")

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str) -> str:
        pure = PurePosixPath(value)
        if not value or pure.is_absolute() or ".." in pure.parts or "\\" in value:
            raise ValueError(
                f"'{value}' must be a relative path inside the manifest's folder (no leading '/', no '..')"
            )
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value

    @field_validator("sha256")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class ManifestFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    asset: list[AssetEntry] = Field(default_factory=list, description="one [[asset]] table per file")


@dataclass(frozen=True)
class Manifest:
    path: Path  # the manifest file
    entries: tuple[AssetEntry, ...]

    @property
    def root(self) -> Path:
        return self.path.parent

    def target(self, entry: AssetEntry) -> Path:
        return self.root / entry.path


def load_manifest(path: Path) -> Manifest:
    """Read and validate one manifest; errors name the file, the entry and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(read_text(path))
    except FileNotFoundError:
        raise AssetError(f"{path}: no such manifest; create it or pass --manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AssetError(f"{path}: cannot read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise AssetError(f"{path}: not valid TOML ({error}); fix the line it names") from None
    try:
        parsed = ManifestFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        entries = data.get("asset") if isinstance(data, dict) else None
        loc = first["loc"]
        if loc and loc[0] == "asset" and len(loc) > 1 and isinstance(loc[1], int) and isinstance(entries, list):
            ident = entries[loc[1]].get("id", "?") if isinstance(entries[loc[1]], dict) else "?"
            where = f"[[asset]] #{loc[1] + 1} (id '{ident}') key '{'.'.join(str(p) for p in loc[2:])}'"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise AssetError(f"{path}: {where}: {first['msg']}{more}") from None
    seen: dict[str, int] = {}
    for number, entry in enumerate(parsed.asset, 1):
        if entry.id in seen:
            raise AssetError(f"{path}: [[asset]] #{number}: id '{entry.id}' is already used by #{seen[entry.id]}")
        seen[entry.id] = number
    return Manifest(path, tuple(parsed.asset))


def default_manifests(show_dir: Path) -> list[Path]:
    """The manifests a show has: content/manifest.toml and models/manifest.toml, if present."""
    return [p for p in (show_dir / "content" / MANIFEST_NAME, show_dir / "models" / MANIFEST_NAME) if p.is_file()]


# -- checking what is installed ---------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


State = Literal["installed", "missing", "corrupt", "partial"]


@dataclass(frozen=True)
class AssetStatus:
    entry: AssetEntry
    manifest: Manifest
    state: State
    detail: str = ""

    @property
    def target(self) -> Path:
        return self.manifest.target(self.entry)


def check(manifest: Manifest, entry: AssetEntry, verify: bool = True) -> AssetStatus:
    target = manifest.target(entry)
    part = target.with_name(target.name + PART_SUFFIX)
    if not target.is_file():
        if part.is_file():
            return AssetStatus(entry, manifest, "partial", f"{part.stat().st_size} bytes downloaded so far")
        return AssetStatus(entry, manifest, "missing")
    size = target.stat().st_size
    if entry.size is not None and size != entry.size:
        return AssetStatus(entry, manifest, "corrupt", f"size {size} bytes, expected {entry.size}")
    if not entry.sha256:
        return AssetStatus(entry, manifest, "installed", "not verified: the manifest has no sha256 (use --pin)")
    if verify:
        actual = sha256_file(target)
        if actual != entry.sha256:
            return AssetStatus(entry, manifest, "corrupt", f"SHA-256 {actual[:12]}..., expected {entry.sha256[:12]}...")
    return AssetStatus(entry, manifest, "installed")


def statuses(manifests: Iterable[Manifest], verify: bool = True) -> list[AssetStatus]:
    return [check(m, e, verify) for m in manifests for e in m.entries]


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


# -- download --------------------------------------------------------------------
def _progress(total: int | None, initial: int, desc: str, quiet: bool):
    from tqdm import tqdm  # only the CLI draws progress

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                disable=quiet, leave=False)


def download(
    manifest: Manifest,
    entry: AssetEntry,
    timeout_s: float = 30.0,
    attempts: int = 3,
    quiet: bool = False,
    pin: bool = False,
) -> Path:
    """Download one entry to its place, resuming a `.part` file with an HTTP Range request.
    Raises AssetError with a clear message; the target is only ever a verified file
    (or, with `pin`, a file whose checksum is then written into the manifest)."""
    _require_checksum(manifest, entry, pin)
    if not entry.url:
        raise AssetError(
            f"{entry.id}: the manifest gives no url; copy the file in with `bayard assets import DIR`"
        )
    target = manifest.target(entry)
    part = target.with_name(target.name + PART_SUFFIX)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AssetError(f"{entry.id}: cannot create {target.parent} ({error})") from None
    last_error = ""
    for _attempt in range(attempts):
        have = part.stat().st_size if part.exists() else 0
        if entry.size is not None and have > entry.size:
            part.unlink()
            have = 0
        if entry.size is not None and have == entry.size:
            break  # complete already (an earlier run stopped before verifying)
        request = urllib.request.Request(entry.url, headers={"User-Agent": "bayard-assets"})
        if have:
            request.add_header("Range", f"bytes={have}-")
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                status = response.status
                if have and status == 206:
                    mode = "ab"
                else:
                    # 200 to a Range request: the server cannot resume; start again from zero.
                    mode, have = "wb", 0
                length = response.headers.get("Content-Length")
                total = have + int(length) if length and length.isdigit() else entry.size
                with open(part, mode) as out, _progress(total, have, entry.id, quiet) as bar:
                    for chunk in iter(lambda: response.read(CHUNK), b""):
                        out.write(chunk)
                        bar.update(len(chunk))
                if total is not None and part.stat().st_size < total:
                    last_error = f"connection closed after {part.stat().st_size} of {total} bytes"
                    continue
                break
        except urllib.error.HTTPError as error:
            if error.code == 416 and have:
                break  # nothing left to send: the .part is whole; verify it
            raise AssetError(
                f"{entry.id}: {entry.url} answered HTTP {error.code} {error.reason}; check the URL") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, TimeoutError) as error:
            # Keep the .part: the next attempt (or the next `fetch`) resumes it.
            reason = getattr(error, "reason", error)
            last_error = str(reason)
            if isinstance(error, OSError) and getattr(error, "errno", None) == 28:
                raise AssetError(
                    f"{entry.id}: the disk is full while writing {part}; free space and fetch again") from None
    else:
        raise AssetError(
            f"{entry.id}: download interrupted ({last_error}); {part.name} is kept, "
            "run `bayard assets fetch` again to resume"
        )
    _verify_part(entry, part, entry.url)
    if not entry.sha256:
        _refuse_undecodable(entry, part, target, entry.url)
    _place(part, target)
    if not entry.sha256:
        pin_entry(manifest.path, entry.id, target)
    return target


def _refuse_undecodable(entry: AssetEntry, part: Path, target: Path, origin: str) -> None:
    """Before a checksum is pinned, the file must decode, all of it: a half-copied JPEG was
    pinned, and so was a film cut off part-way whose first frame decodes (a faststart MP4);
    from then on `assets status` vouched for it as installed and verified."""
    from ..config.loader import probe_media

    problem = probe_media(part, suffix=target.suffix)
    if problem is not None:
        part.unlink(missing_ok=True)
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


def fetch(manifests: list[Manifest], ids: list[str] | None = None, quiet: bool = False,
          force: bool = False, pin: bool = False) -> tuple[list[AssetStatus], list[str]]:
    """Download what is missing, partial or corrupt (or the given ids). Returns the entries
    fetched and the error lines; one failure does not stop the others."""
    chosen = _select(manifests, ids)
    done: list[AssetStatus] = []
    errors: list[str] = []
    for manifest, entry in chosen:
        current = check(manifest, entry)
        if current.state == "installed" and not force:
            continue
        if current.state == "corrupt":
            log.warning("%s: installed file is corrupt (%s); downloading again", entry.id, current.detail)
        try:
            download(manifest, entry, quiet=quiet, pin=pin)
            done.append(check(manifest, entry, verify=False))
        except AssetError as error:
            errors.append(str(error))
    return done, errors


def _select(manifests: list[Manifest], ids: list[str] | None) -> list[tuple[Manifest, AssetEntry]]:
    everything = [(m, e) for m in manifests for e in m.entries]
    if not ids:
        return everything
    known = {e.id for _, e in everything}
    unknown = [i for i in ids if i not in known]
    if unknown:
        import difflib

        hints = [f"'{u}'" + (f" (did you mean '{c[0]}'?)" if (c := difflib.get_close_matches(u, known, 1)) else "")
                 for u in unknown]
        raise AssetError(f"unknown asset id {', '.join(hints)}; `bayard assets status` lists them")
    return [(m, e) for m, e in everything if e.id in ids]


# -- import from a folder or USB stick ---------------------------------------------
def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder, onerror=lambda e: None):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # skip .Trashes, .Spotlight
        for name in filenames:
            if not name.startswith("._") and not name.endswith(PART_SUFFIX):
                yield Path(dirpath) / name


def find_in_folder(entry: AssetEntry, files: list[Path], hashes: dict[Path, str]) -> Path | None:
    """A file in the folder that is this entry: same name first, else same checksum.
    Sizes are compared before hashing so a big stick is not hashed whole."""
    wanted_name = PurePosixPath(entry.path).name
    by_name = [f for f in files if f.name == wanted_name]
    rest = [f for f in files if f.name != wanted_name]
    for candidate in by_name + rest:
        try:
            size = candidate.stat().st_size
        except OSError:
            continue
        if entry.size is not None and size != entry.size:
            continue
        if not entry.sha256:
            if candidate.name == wanted_name:
                return candidate  # pinning: the name is all we have to go on
            continue
        if candidate not in hashes:
            try:
                hashes[candidate] = sha256_file(candidate)
            except OSError:
                continue
        if hashes[candidate] == entry.sha256:
            return candidate
    return None


def import_folder(manifests: list[Manifest], folder: Path, ids: list[str] | None = None,
                  quiet: bool = False, pin: bool = False) -> tuple[list[AssetStatus], list[str]]:
    """Copy every missing/corrupt entry found in `folder` (by name or checksum), verified
    and placed atomically. Returns (installed, lines about what was not found)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AssetError(f"{folder}: not a folder; give the folder or USB stick that holds the files")
    files = list(_walk(folder))
    hashes: dict[Path, str] = {}
    done: list[AssetStatus] = []
    problems: list[str] = []
    for manifest, entry in _select(manifests, ids):
        if check(manifest, entry).state == "installed":
            continue
        try:
            _require_checksum(manifest, entry, pin)
        except AssetError as error:
            problems.append(str(error).replace("fetch", "import FOLDER"))
            continue
        source = find_in_folder(entry, files, hashes)
        if source is None:
            problems.append(f"{entry.id}: not found in {folder} (looked for '{PurePosixPath(entry.path).name}' "
                            "and for any file with its checksum)")
            continue
        target = manifest.target(entry)
        part = target.with_name(target.name + PART_SUFFIX)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as src, open(part, "wb") as dst, \
                    _progress(source.stat().st_size, 0, entry.id, quiet) as bar:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    dst.write(chunk)
                    bar.update(len(chunk))
            _verify_part(entry, part, str(source))  # the stick may have changed since hashing
            if not entry.sha256:
                _refuse_undecodable(entry, part, target, str(source))
            _place(part, target)
            if not entry.sha256:
                pin_entry(manifest.path, entry.id, target)
        except AssetError as error:
            problems.append(str(error))
            continue
        except OSError as error:
            part.unlink(missing_ok=True)
            problems.append(f"{entry.id}: cannot copy {source} to {target} ({error})")
            continue
        done.append(check(manifest, entry, verify=False))
    return done, problems


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


# -- credits ----------------------------------------------------------------------
def credits_for(media_path: str, manifests: Iterable[Manifest], content_root: Path | None = None) -> list[str]:
    """The credit lines to show with a media file (path relative to the content root).

    An entry matches the file itself, or a folder that contains it (a pack of frames
    credited once). Pure: reads nothing but the manifests already loaded.
    """
    wanted = PurePosixPath(media_path)
    lines: list[str] = []
    for manifest in manifests:
        if content_root is not None:
            try:
                prefix = PurePosixPath(manifest.root.resolve().relative_to(Path(content_root).resolve()).as_posix())
            except ValueError:
                continue  # a models/ manifest: nothing shown on screen
        else:
            prefix = PurePosixPath(".")
        for entry in manifest.entries:
            where = prefix / entry.path if str(prefix) != "." else PurePosixPath(entry.path)
            if wanted == where or where in wanted.parents:
                text = entry.credit.strip()
                if entry.licence and entry.licence.lower() not in text.lower():
                    text = f"{text} ({entry.licence})" if text else entry.licence
                if text and text not in lines:
                    lines.append(text)
    return lines
