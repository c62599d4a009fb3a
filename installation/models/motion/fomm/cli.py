"""`bayard fomm verify`: tell an operator whether a FOMM checkpoint will work, before the show.

Loads the file the way the backend will (weights_only unless --trust), checks it against
the vox-256 layout, and says which file it is when its checksum is known.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from .backend import FommBackend, missing_checkpoint_reason
from .files import KNOWN_MD5, CheckpointError, find_checkpoint, md5sum


def add_commands(subparsers) -> None:
    fomm = subparsers.add_parser("fomm", help="First Order Motion Model checkpoint tools")
    commands = fomm.add_subparsers(dest="fomm_command", required=True)
    verify = commands.add_parser(
        "verify", help="check that a checkpoint loads into the vox-256 networks the fomm backend uses"
    )
    verify.add_argument(
        "file", nargs="?", type=Path, help="the checkpoint (default: the one in MODELS/fomm/)"
    )
    verify.add_argument("--models", type=Path, default=Path("models"), help="models folder (default: models)")
    verify.add_argument(
        "--trust",
        action="store_true",
        help="allow full unpickling of a file that needs it (runs code from the file: trusted files only)",
    )
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    path = args.file or find_checkpoint(args.models)
    if path is None:
        print(f"error: {missing_checkpoint_reason(args.models)}", file=sys.stderr)
        return 1
    if importlib.util.find_spec("torch") is None:
        print("error: torch is not installed; install it with: pip install 'bayard[models]'", file=sys.stderr)
        return 1
    from .checkpoint import load_networks

    try:
        kp_detector, generator = load_networks(path, trust=args.trust)
    except CheckpointError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    params = sum(p.numel() for m in (kp_detector, generator) for p in m.parameters())
    digest = md5sum(path)
    known = KNOWN_MD5.get(digest)
    print(f"ok: {path} loads into the FOMM vox-256 networks ({params / 1e6:.2f} M parameters)")
    print(f"md5 {digest}: " + (f"matches {known}" if known else "not a checksum we know (fine: it loads)"))
    print(f"fomm backend here: {FommBackend.availability(Path(path).parent.parent).reason}")
    return 0
