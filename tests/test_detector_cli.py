"""`bayard detector fit | eval | score` on temporary folders, including a broken file."""

from __future__ import annotations

import argparse

import cv2
import numpy as np
import pytest

from installation.models.detector import cli
from tests.detector_fixtures import natural, upsampled


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bayard")
    cli.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("gallery")
    real, fake = root / "real", root / "fake"
    real.mkdir()
    fake.mkdir()
    rng = np.random.default_rng(5)
    for i in range(12):
        cv2.imwrite(str(real / f"r{i:02d}.png"), natural(rng)[:, :, ::-1])
        cv2.imwrite(str(fake / f"f{i:02d}.jpg"), upsampled(rng)[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    (real / "broken.jpg").write_bytes(b"this is not a picture")
    return root


def test_fit_eval_score(folders, tmp_path, capsys):
    model = tmp_path / "gallery.npz"
    assert (
        _run(
            [
                "detector",
                "fit",
                "--real",
                str(folders / "real"),
                "--fake",
                str(folders / "fake"),
                "-o",
                str(model),
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert model.is_file()
    assert "broken.jpg" in out.out + out.err  # reported and skipped, not fatal
    assert "calibrated on 3 real + 3 fake" in out.out
    assert "calibrated threshold" in out.out

    assert (
        _run(
            [
                "detector",
                "eval",
                "--real",
                str(folders / "real"),
                "--fake",
                str(folders / "fake"),
                "--model",
                str(model),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    for needle in ("accuracy", "average precision", "ROC AUC", "said real", "threshold"):
        assert needle in out
    accuracy = float(out.split("accuracy: ")[1].split()[0])
    assert accuracy >= 0.9

    images = [
        str(folders / "real" / "r00.png"),
        str(folders / "fake" / "f00.jpg"),
        str(folders / "real" / "broken.jpg"),
    ]
    # The readable ones are scored; the exit status still tells a script one was not.
    assert _run(["detector", "score", *images, "--model", str(model)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 2
    path, probability, verdict = lines[0].split("\t")
    assert path.endswith("r00.png") and 0.0 <= float(probability) <= 1.0 and verdict == "real"
    assert lines[1].split("\t")[2] == "fake"
    assert "broken.jpg" in captured.err


def test_errors_are_one_line_and_nonzero(folders, tmp_path, capsys):
    assert (
        _run(
            [
                "detector",
                "fit",
                "--real",
                str(tmp_path / "nowhere"),
                "--fake",
                str(folders / "fake"),
                "-o",
                str(tmp_path / "m.npz"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err
    assert (
        _run(
            ["detector", "score", str(folders / "real" / "r00.png"), "--model", str(tmp_path / "missing.npz")]
        )
        == 2
    )
    assert "missing.npz" in capsys.readouterr().err
    assert _run(["detector", "score", str(folders / "real" / "r00.png"), "--detector", "spectrl"]) == 2
    assert "did you mean 'spectral'" in capsys.readouterr().err
    # A truncated weights file (a BadZipFile) was a traceback.
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert _run(["detector", "score", str(folders / "real" / "r00.png"), "--model", str(truncated)]) == 2
    err = capsys.readouterr().err
    assert "cut.npz" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        _run(["detector", "fit", "--quiz", str(tmp_path / "m.toml"), "--folds", "1"])
    assert "2 folds or more" in capsys.readouterr().err
