"""Loading FOMM checkpoints: safe by default, and every failure explained to the operator."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from installation.models.motion.fomm.checkpoint import (  # noqa: E402
    CheckpointError,
    load_into,
    load_networks,
    read_checkpoint,
    save_networks,
)
from installation.models.motion.fomm.networks import TINY, build, perturb_  # noqa: E402

torch.set_num_threads(1)


def _trained_tiny():
    kp_detector, generator = build(TINY)
    return perturb_(kp_detector, 11), perturb_(generator, 12)


def _outputs(kp_detector, generator, seed=0):
    g = torch.Generator().manual_seed(seed)
    source, driving = torch.rand(1, 3, 64, 64, generator=g), torch.rand(1, 3, 64, 64, generator=g)
    with torch.no_grad():
        kp_s, kp_d = kp_detector(source), kp_detector(driving)
        return kp_d.value, kp_d.jacobian, generator(source, kp_d, kp_s)["prediction"]


def _load_tiny(path, **kw):
    return load_networks(path, TINY, **kw)


def test_save_load_round_trip_gives_identical_outputs(tmp_path):
    kp_detector, generator = _trained_tiny()
    path = tmp_path / "vox-cpk.pth.tar"
    save_networks(path, kp_detector, generator)
    loaded = _load_tiny(path)
    for before, after in zip(_outputs(kp_detector, generator), _outputs(*loaded), strict=True):
        assert torch.equal(before, after)
    # And it really loaded something: fresh networks give other outputs.
    assert not torch.equal(_outputs(*build(TINY))[2], _outputs(kp_detector, generator)[2])


def test_full_training_checkpoint_loads_with_weights_only(tmp_path):
    """The official file also holds the discriminator, optimiser states and the epoch."""
    kp_detector, generator = _trained_tiny()
    optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    path = tmp_path / "vox-cpk.pth.tar"
    torch.save(
        {
            "generator": generator.state_dict(),
            "kp_detector": kp_detector.state_dict(),
            "discriminator": {"down.weight": torch.zeros(3)},
            "optimizer_generator": optimizer.state_dict(),
            "epoch": 99,
        },
        path,
        _use_new_zipfile_serialization=False,  # the 2019 files predate the zip format
    )
    loaded = _load_tiny(path)
    assert torch.equal(_outputs(*loaded)[2], _outputs(kp_detector, generator)[2])


@pytest.mark.parametrize(
    "layout",
    ["module_prefix", "flat_prefixed", "wrapped_state_dict", "no_batch_counters"],
)
def test_foreign_layouts_are_recognised(tmp_path, layout):
    kp_detector, generator = _trained_tiny()
    kp_sd, gen_sd = kp_detector.state_dict(), generator.state_dict()
    if layout == "module_prefix":  # saved from nn.DataParallel
        obj = {
            "kp_detector": {f"module.{k}": v for k, v in kp_sd.items()},
            "generator": {f"module.{k}": v for k, v in gen_sd.items()},
        }
    elif layout == "flat_prefixed":
        obj = {f"kp_detector.{k}": v for k, v in kp_sd.items()} | {
            f"generator.{k}": v for k, v in gen_sd.items()
        }
    elif layout == "wrapped_state_dict":
        obj = {"kp_detector": {"state_dict": kp_sd}, "generator": {"state_dict": gen_sd}}
    else:  # PyTorch < 0.4.1 did not save num_batches_tracked
        obj = {
            "kp_detector": {k: v for k, v in kp_sd.items() if "num_batches_tracked" not in k},
            "generator": {k: v for k, v in gen_sd.items() if "num_batches_tracked" not in k},
        }
    path = tmp_path / "foreign.pth.tar"
    torch.save(obj, path)
    assert torch.equal(_outputs(*_load_tiny(path))[2], _outputs(kp_detector, generator)[2])


def test_custom_filter_function_maps_another_layout(tmp_path):
    kp_detector, generator = _trained_tiny()
    path = tmp_path / "other.pt"
    torch.save({"kp": kp_detector.state_dict(), "gen": generator.state_dict()}, path)
    with pytest.raises(CheckpointError, match=r"no `generator` and `kp_detector`.*top-level keys: gen, kp"):
        _load_tiny(path)
    loaded = load_networks(
        path, TINY, filter_fn=lambda raw: {"kp_detector": raw["kp"], "generator": raw["gen"]}
    )
    assert torch.equal(_outputs(*loaded)[2], _outputs(kp_detector, generator)[2])


def _one_paragraph(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message


def test_truncated_file_gets_a_clear_message(tmp_path):
    kp_detector, generator = _trained_tiny()
    full = tmp_path / "full.pth.tar"
    save_networks(full, kp_detector, generator)
    for legacy in (False, True):
        if legacy:
            torch.save({"kp_detector": kp_detector.state_dict()}, full, _use_new_zipfile_serialization=False)
        data = full.read_bytes()
        cut = tmp_path / f"vox-cpk-{legacy}.pth.tar"
        cut.write_bytes(data[: len(data) // 2])
        with pytest.raises(CheckpointError) as err:
            _load_tiny(cut)
        msg = str(err.value)
        _one_paragraph(msg)
        assert str(cut) in msg and "truncated or corrupt" in msg and "checksum" in msg
        assert "not a tar archive" in msg


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"<!DOCTYPE html><html><body>Quota exceeded</body></html>", "web page"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "gzip"),
        (b"hello, not a model", "not a PyTorch file"),
    ],
)
def test_files_that_are_not_checkpoints_are_named(tmp_path, content, says):
    path = tmp_path / "vox-cpk.pth.tar"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=says) as err:
        read_checkpoint(path)
    assert str(path) in str(err.value) and "models/fomm/vox-cpk.pth.tar" in str(err.value)


def test_a_tarred_checkpoint_is_named(tmp_path):
    import tarfile

    inner = tmp_path / "vox-cpk.pth.tar"
    save_networks(inner, *build(TINY))
    path = tmp_path / "models.tar"
    with tarfile.open(path, "w") as archive:
        archive.add(inner, "vox-cpk.pth.tar")
    with pytest.raises(CheckpointError, match="is a real tar archive"):
        read_checkpoint(path)


def test_a_zipped_checkpoint_is_named(tmp_path):
    import zipfile

    inner = tmp_path / "vox-adv-cpk.pth.tar"
    save_networks(inner, *build(TINY))
    path = tmp_path / "vox-cpk.pth.tar"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(inner, "vox-adv-cpk.pth.tar")
    with pytest.raises(CheckpointError, match=r"is a zip archive \(holding vox-adv-cpk.pth.tar\)"):
        read_checkpoint(path)
    assert read_checkpoint(inner)  # the torch zip format itself passes the sniff


def test_missing_file(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        read_checkpoint(tmp_path / "nope.pth.tar")


def test_wrong_keys_are_counted_with_examples(tmp_path):
    kp_detector, generator = _trained_tiny()
    kp_sd = dict(kp_detector.state_dict())
    del kp_sd["kp.weight"], kp_sd["kp.bias"]
    kp_sd["extra.weight"] = torch.zeros(1)
    gen_sd = dict(generator.state_dict())
    for k in [k for k in gen_sd if k.startswith("bottleneck.r1.")]:
        del gen_sd[k]
    path = tmp_path / "wrong.pth.tar"
    torch.save({"kp_detector": kp_sd, "generator": gen_sd}, path)
    with pytest.raises(CheckpointError) as err:
        _load_tiny(path)
    msg = str(err.value)
    _one_paragraph(msg)
    assert str(path) in msg
    assert "kp_detector: 2 missing keys (kp.weight, kp.bias), 1 unexpected key (extra.weight)" in msg
    # 14 keys per residual block, minus its 2 batch-norm counters which we tolerate.
    assert re.search(r"generator: 12 missing keys \(bottleneck\.r1\.\w+\.\w+, .*, \.\.\.\)", msg)
    assert "vox-adv-cpk.pth.tar" in msg


def test_shape_mismatch_is_named_and_leaves_networks_untouched(tmp_path):
    kp_detector, generator = _trained_tiny()
    path = tmp_path / "vox-512.pth.tar"
    kp_sd = dict(kp_detector.state_dict())
    kp_sd["kp.weight"] = torch.zeros(12, *kp_sd["kp.weight"].shape[1:])
    torch.save({"kp_detector": kp_sd, "generator": generator.state_dict()}, path)
    fresh_kp, fresh_gen = build(TINY)
    before = {k: v.clone() for k, v in fresh_gen.state_dict().items()}
    with pytest.raises(
        CheckpointError,
        match=r"1 shape mismatch \(kp\.weight: file \(12, 7, 7, 7\) vs model \(10, 7, 7, 7\)\)",
    ):
        load_into(path, fresh_kp, fresh_gen)
    assert all(torch.equal(before[k], v) for k, v in fresh_gen.state_dict().items())


# A pickle that runs code when fully unpickled: weights_only must refuse it unexecuted.
MARKER: list[Path] = []


def _leave_mark(path: str) -> str:
    Path(path).write_text("unpickling ran code")
    return "marked"


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (_leave_mark, (str(self.marker),))


def test_pickle_needing_unsafe_load_is_refused_and_runs_nothing(tmp_path):
    kp_detector, generator = _trained_tiny()
    marker = tmp_path / "marker.txt"
    path = tmp_path / "vox-cpk.pth.tar"
    torch.save(
        {
            "kp_detector": kp_detector.state_dict(),
            "generator": generator.state_dict(),
            "hook": _RunsCode(marker),
        },
        path,
    )
    with pytest.raises(CheckpointError) as err:
        _load_tiny(path)
    msg = str(err.value)
    _one_paragraph(msg)
    assert str(path) in msg and "arbitrary code" in msg and "--trust" in msg and "_leave_mark" in msg
    assert not marker.exists()
    # Only an explicit trust unpickles it fully (and then its code does run: that is the risk).
    loaded = _load_tiny(path, trust=True)
    assert marker.exists()
    assert torch.equal(_outputs(*loaded)[2], _outputs(kp_detector, generator)[2])


def test_args_namespace_in_checkpoint_is_refused_without_trust(tmp_path):
    kp_detector, generator = _trained_tiny()
    path = tmp_path / "vox-cpk.pth.tar"
    torch.save(
        {
            "kp_detector": kp_detector.state_dict(),
            "generator": generator.state_dict(),
            "args": argparse.Namespace(a=1),
        },
        path,
    )
    with pytest.raises(CheckpointError, match=r"argparse\.Namespace"):
        read_checkpoint(path)
    assert "args" in read_checkpoint(path, trust=True)


def test_non_dict_file_is_refused(tmp_path):
    path = tmp_path / "tensor.pt"
    torch.save(torch.zeros(3), path)
    with pytest.raises(CheckpointError, match="holds a Tensor, not a dict"):
        read_checkpoint(path)
