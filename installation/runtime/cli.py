"""`bayard assets ...`: install the show's content and model packs (never run by the show)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import assets
from .assets import AssetError


def _show_dir(value: str) -> Path:
    """--show takes the show folder or its install.toml, like `bayard run --show`."""
    path = Path(value)
    return path.parent if path.suffix == ".toml" else path


def _manifests(args: argparse.Namespace) -> list[assets.Manifest]:
    paths = [Path(p) for p in args.manifest] if args.manifest else assets.default_manifests(_show_dir(args.show))
    if not paths:
        raise AssetError(
            f"no manifest in {_show_dir(args.show).resolve()} (looked for content/manifest.toml and "
            "models/manifest.toml); pass --show DIR or --manifest FILE"
        )
    return [assets.load_manifest(p) for p in paths]


def _how_to_install(status: assets.AssetStatus) -> str:
    pin = "" if status.entry.sha256 else " --pin  (no sha256 yet: this records it)"
    if status.entry.url:
        return f"bayard assets fetch {status.entry.id}{pin}"
    return f"bayard assets import DIR (no URL: copy '{Path(status.entry.path).name}' from a folder or USB stick)"


def cmd_status(args: argparse.Namespace) -> int:
    results = assets.statuses(_manifests(args), verify=not args.quick)
    width = max((len(s.entry.id) for s in results), default=2)
    missing_required = 0
    for status in results:
        flag = "" if status.entry.required else " (optional)"
        line = f"{status.state:<9} {status.entry.id:<{width}}  {status.entry.path}{flag}"
        if status.detail:
            line += f"  [{status.detail}]"
        if status.state != "installed":
            if status.entry.title:  # what the file is, for the technician who must find it
                line += f"\n          {status.entry.title}"
            line += f"\n          -> {_how_to_install(status)}"
            missing_required += status.entry.required
        print(line)
    installed = sum(s.state == "installed" for s in results)
    missing = f"; {missing_required} required missing" if missing_required else ""
    print(f"{installed} of {len(results)} installed{missing}")
    return 1 if missing_required else 0


def _report(done: list[assets.AssetStatus], errors: list[str], verb: str) -> int:
    for status in done:
        print(f"{verb} {status.entry.id} -> {status.target}")
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if not done and not errors:
        print("nothing to do: everything listed is installed")
    return 1 if errors else 0


def cmd_fetch(args: argparse.Namespace) -> int:
    done, errors = assets.fetch(_manifests(args), args.ids or None, quiet=args.quiet, force=args.force,
                                pin=args.pin)
    return _report(done, errors, "installed")


def cmd_import(args: argparse.Namespace) -> int:
    done, problems = assets.import_folder(_manifests(args), Path(args.folder), args.ids or None, quiet=args.quiet,
                                          pin=args.pin)
    return _report(done, problems, "imported")


def cmd_add(args: argparse.Namespace) -> int:
    manifest = Path(args.manifest[0]) if args.manifest else _show_dir(args.show) / "content" / assets.MANIFEST_NAME
    entry = assets.add_entry(manifest, Path(args.file), args.id, args.licence, args.credit, args.url,
                             args.path, not args.optional, args.description)
    print(f"added {entry.id} ({entry.size} bytes, sha256 {entry.sha256[:12]}...) to {manifest}")
    return 0


def _guard(handler):
    """Expected errors are one clear line and exit status 1, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except AssetError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("interrupted; partial downloads are kept and resume next time", file=sys.stderr)
            return 130

    return run


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "assets", help="install content and model packs listed in the show's manifests",
        description="Download or import the files listed in content/manifest.toml and models/manifest.toml. "
                    "Never run by the show itself.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--show", default=".",
                        help="the show folder or its install.toml (content/ and models/ beside it); default: here")
    common.add_argument("--manifest", action="append", default=[], metavar="FILE",
                        help="a manifest to use instead of the show's own (repeatable)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="assets_command", required=True, metavar="{status,fetch,import,add}")

    status = sub.add_parser("status", parents=[common], help="what is installed, missing or corrupt")
    status.add_argument("--quick", action="store_true", help="compare sizes only, skip checksums")
    status.set_defaults(func=_guard(cmd_status))

    fetch = sub.add_parser("fetch", parents=[common], help="download missing files (resumes, verifies SHA-256)")
    fetch.add_argument("ids", nargs="*", metavar="ID", help="only these entries (default: all missing)")
    fetch.add_argument("--force", action="store_true", help="download even if installed")
    fetch.add_argument("--pin", action="store_true",
                       help="for entries without sha256: accept the downloaded file and record its checksum "
                            "(once it decodes, all of it: a picture or film cut short is refused)")
    fetch.set_defaults(func=_guard(cmd_fetch))

    imp = sub.add_parser("import", parents=[common], help="copy files from a folder or USB stick (verified)")
    imp.add_argument("folder", help="the folder to search (by file name or checksum)")
    imp.add_argument("ids", nargs="*", metavar="ID", help="only these entries")
    imp.add_argument("--pin", action="store_true",
                     help="for entries without sha256: accept the file found by name and record its checksum "
                          "(once it decodes, all of it: a picture or film cut short is refused)")
    imp.set_defaults(func=_guard(cmd_import))

    add = sub.add_parser("add", parents=[common], help="add a file to a manifest (computes size and SHA-256)")
    add.add_argument("file")
    add.add_argument("--id", required=True)
    add.add_argument("--licence", required=True, help="e.g. 'Public domain', 'CC BY 4.0'")
    add.add_argument("--credit", default="", help="the credit line shown with the media")
    add.add_argument("--url", default="", help="where `fetch` can download it")
    add.add_argument("--path", default=None, help="where it goes inside the manifest's folder (default: its name)")
    add.add_argument("--optional", action="store_true", help="the show runs without it")
    add.add_argument("--description", default="")
    add.set_defaults(func=_guard(cmd_add))
