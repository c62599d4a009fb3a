"""Loading First Order Motion Model checkpoints safely, with errors an operator can act on.

The official `vox-cpk.pth.tar` / `vox-adv-cpk.pth.tar` are not tar archives but
`torch.save` pickles of a dict holding `generator` and `kp_detector` state dicts (and,
in full training checkpoints, the discriminator and optimiser states, which we ignore).

Safety: files are read with `torch.load(weights_only=True)`, which refuses to run code
from the pickle. A file that needs full unpickling is refused unless the caller passes
`trust=True` explicitly; there is no silent fallback.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .configs import VOX_256, FommConfig
from .files import INSTALL_HINT, CheckpointError, sniff
from .networks import KPDetector, OcclusionAwareGenerator, build

PARTS = ("kp_detector", "generator")
EXAMPLES = 3  # how many key names an error message quotes

StateDicts = dict[str, dict[str, torch.Tensor]]
FilterFn = Callable[[Mapping[str, Any]], StateDicts]

__all__ = ["CheckpointError", "fomm_filter", "load_into", "load_networks", "read_checkpoint", "save_networks"]


def read_checkpoint(path: Path | str, *, trust: bool = False) -> Mapping[str, Any]:
    """The unpickled object in the file, loaded to the CPU."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file; {INSTALL_HINT}.")
    problem = sniff(path)
    if problem:
        raise CheckpointError(f"{path} {problem}; {INSTALL_HINT}.")
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        if "weights only load failed" not in str(e).lower():
            raise _corrupt(path, e) from None
        if not trust:
            found = re.search(r"GLOBAL ([\w.]+)", str(e))
            what = f" ({found.group(1)})" if found else ""
            raise CheckpointError(
                f"{path} contains Python objects{what} besides tensors, and unpickling them could "
                "run arbitrary code, so it was not loaded. If you trust where the file came from, "
                "load it with trust enabled (bayard: --trust); better, re-save only its `generator` "
                "and `kp_detector` state dicts with torch.save on a trusted machine."
            ) from None
        try:
            raw = torch.load(path, map_location="cpu", weights_only=False)
        except Exception as e2:  # any failure here means an unusable file, said in one line
            raise _corrupt(path, e2) from None
    except (RuntimeError, EOFError, ValueError, OSError, MemoryError) as e:
        raise _corrupt(path, e) from None
    if not isinstance(raw, Mapping):
        raise CheckpointError(
            f"{path} holds a {type(raw).__name__}, not a dict of state dicts; {INSTALL_HINT}."
        )
    return raw


def _corrupt(path: Path, error: BaseException) -> CheckpointError:
    size = path.stat().st_size if path.exists() else 0
    detail = str(error).split("\n")[0].strip() or type(error).__name__
    return CheckpointError(
        f"{path} ({size:,} bytes) is truncated or corrupt and could not be read ({detail[:160]}). "
        "A complete vox-256 inference checkpoint is about 239 MB (a full training one about 751 MB); "
        f"copy it again and compare its checksum (docs/fomm.md). Do not unpack it: despite the name "
        f"it is not a tar archive. Then {INSTALL_HINT}."
    )


def _strip_prefix(state: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    if state and all(k.startswith(prefix) for k in state):
        return {k[len(prefix) :]: v for k, v in state.items()}
    return dict(state)


def fomm_filter(raw: Mapping[str, Any]) -> StateDicts:
    """Recognise the layouts FOMM checkpoints come in and return {part: state dict}.

    - the official dict with `generator` and `kp_detector` (extra entries ignored);
    - either part wrapped as {"state_dict": ...};
    - a single flat dict with `generator.` / `kp_detector.` prefixes;
    - keys saved from `nn.DataParallel` (`module.` prefix).
    """
    if all(part in raw for part in PARTS):
        parts = {part: raw[part] for part in PARTS}
    else:
        flat = _strip_prefix(raw, "module.")
        parts = {
            part: {k[len(part) + 1 :]: v for k, v in flat.items() if k.startswith(part + ".")}
            for part in PARTS
        }
        if not all(parts.values()):
            shown = ", ".join(sorted(map(str, raw))[:8]) or "nothing"
            raise CheckpointError(f"has no `generator` and `kp_detector` entries (top-level keys: {shown})")
    out: StateDicts = {}
    for part, state in parts.items():
        if isinstance(state, Mapping) and "state_dict" in state and isinstance(state["state_dict"], Mapping):
            state = state["state_dict"]
        if not isinstance(state, Mapping):
            raise CheckpointError(f"has a `{part}` entry that is a {type(state).__name__}, not a state dict")
        out[part] = _strip_prefix(state, "module.")
    return out


def mismatches(module: nn.Module, state: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(missing keys, unexpected keys, "key: file shape vs model shape") against module."""
    expected = module.state_dict()
    # Checkpoints from PyTorch < 0.4.1 lack the batch-norm counters; eval never uses them.
    missing = [k for k in expected if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in expected]
    shapes = []
    for k, v in state.items():
        if k in expected:
            if not isinstance(v, torch.Tensor):
                shapes.append(f"{k}: file has a {type(v).__name__}")
            elif v.shape != expected[k].shape:
                shapes.append(f"{k}: file {tuple(v.shape)} vs model {tuple(expected[k].shape)}")
    return missing, unexpected, shapes


def _describe(part: str, missing: list[str], unexpected: list[str], shapes: list[str]) -> str:
    bits = []
    for count_of, items in (
        ("missing key", missing),
        ("unexpected key", unexpected),
        ("shape mismatch", shapes),
    ):
        if items:
            plural = "es" if count_of.endswith("h") else "s"
            noun = count_of + (plural if len(items) != 1 else "")
            more = ", ..." if len(items) > EXAMPLES else ""
            bits.append(f"{len(items)} {noun} ({', '.join(items[:EXAMPLES])}{more})")
    return f"{part}: " + ", ".join(bits)


def load_into(
    path: Path | str,
    kp_detector: KPDetector,
    generator: OcclusionAwareGenerator,
    *,
    trust: bool = False,
    filter_fn: FilterFn = fomm_filter,
    config_name: str = VOX_256.name,
) -> None:
    """Fill both networks from the file, or raise CheckpointError leaving them untouched."""
    path = Path(path)
    raw = read_checkpoint(path, trust=trust)
    try:
        states = filter_fn(raw)
    except CheckpointError as e:
        raise CheckpointError(f"{path} {e}; {INSTALL_HINT}.") from None
    modules = {"kp_detector": kp_detector, "generator": generator}
    problems = []
    for part, module in modules.items():
        missing, unexpected, shapes = mismatches(module, states.get(part, {}))
        if missing or unexpected or shapes:
            problems.append(_describe(part, missing, unexpected, shapes))
    if problems:
        raise CheckpointError(
            f"{path} does not match the First Order Motion Model {config_name} layout: "
            + "; ".join(problems)
            + f". It is another model or another configuration; {INSTALL_HINT}."
        )
    for part, module in modules.items():
        # strict=False only tolerates the missing batch-norm counters checked above.
        module.load_state_dict(states[part], strict=False)


def load_networks(
    path: Path | str,
    config: FommConfig = VOX_256,
    *,
    trust: bool = False,
    filter_fn: FilterFn = fomm_filter,
) -> tuple[KPDetector, OcclusionAwareGenerator]:
    """Both networks built for `config` with the file's weights, on the CPU, in eval mode."""
    kp_detector, generator = build(config)
    load_into(path, kp_detector, generator, trust=trust, filter_fn=filter_fn, config_name=config.name)
    return kp_detector, generator


def save_networks(path: Path | str, kp_detector: nn.Module, generator: nn.Module) -> None:
    """Write an inference checkpoint in the official layout (loads with weights_only)."""
    torch.save({"kp_detector": kp_detector.state_dict(), "generator": generator.state_dict()}, Path(path))
