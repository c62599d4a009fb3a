"""Getting asset files in place: `bayard assets fetch` downloads what is missing,
partial or corrupt (resuming a `.part` with an HTTP Range request), and `bayard assets
import DIR` finds the files in a folder or USB stick, by name or by checksum, for
galleries without internet. Either way the file is verified before it is placed
(asset_files.py).
"""

from __future__ import annotations

import http.client
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .asset_files import _place, _progress, _refuse_undecodable, _require_checksum, _verify_part, pin_entry
from .asset_manifest import CHUNK, PART_SUFFIX, AssetEntry, AssetError, AssetStatus, Manifest, check, sha256_file

log = logging.getLogger("bayard.runtime.assets")


# -- download --------------------------------------------------------------------
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
