"""`bayard fomm verify`: the operator's check of a checkpoint file before the show."""

from __future__ import annotations

import argparse

import pytest

from installation.models.motion.fomm.cli import add_commands
from installation.models.motion.fomm.files import KNOWN_MD5, md5sum


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="bayard")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_verify_without_a_checkpoint_names_the_files(tmp_path, capsys):
    code, out, err = _run(["fomm", "verify", "--models", str(tmp_path)], capsys)
    assert code == 1 and not out
    assert err.startswith("error: no checkpoint") and "vox-cpk.pth.tar" in err and err.count("\n") == 1


def test_verify_rejects_a_wrong_file_in_one_paragraph(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    from installation.models.motion.fomm.checkpoint import save_networks
    from installation.models.motion.fomm.networks import TINY, build

    (tmp_path / "fomm").mkdir()
    save_networks(tmp_path / "fomm" / "vox-cpk.pth.tar", *build(TINY))
    torch.set_num_threads(1)
    code, out, err = _run(["fomm", "verify", "--models", str(tmp_path)], capsys)
    assert code == 1 and not out
    assert "does not match the First Order Motion Model vox-256 layout" in err
    assert "shape mismatch" in err and err.count("\n") == 1


@pytest.mark.slow
def test_verify_accepts_a_vox256_file(tmp_path, capsys):
    pytest.importorskip("torch")
    from installation.models.motion.fomm.checkpoint import save_networks
    from installation.models.motion.fomm.networks import VOX_256, build

    path = tmp_path / "fomm" / "vox-adv-cpk.pth.tar"
    path.parent.mkdir()
    save_networks(path, *build(VOX_256))
    code, out, err = _run(["fomm", "verify", str(path)], capsys)
    assert code == 0 and not err
    assert "ok:" in out and "59.79 M parameters" in out and "not a checksum we know" in out
    assert "fomm backend here:" in out


def test_md5_and_known_checksums(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"abc")
    assert md5sum(path) == "900150983cd24fb0d6963f7d28e17f72"
    assert all(len(k) == 32 for k in KNOWN_MD5)
