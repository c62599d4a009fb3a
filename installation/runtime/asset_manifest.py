"""Asset manifests and what they say: the schema of an [[asset]] entry, reading a
manifest with errors that name the file, entry and key, whether each file is installed
(missing, partial, corrupt) and the credit lines the show prints under a picture.

Reading only: downloading and importing are in asset_fetch.py, writing files and
manifests in asset_files.py; installation.runtime.assets gathers all three.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .files import read_text

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
