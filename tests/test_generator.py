"""The small GAN: registry, procedural training faces, training that resumes exactly,
slim export, and the CLI's one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from installation import cli  # noqa: E402  (the real `bayard` entry point)
from installation.models.generator.base import GENERATORS, load_generator  # noqa: E402
from installation.models.generator.dcgan import DCGAN  # noqa: E402
from installation.models.generator.faces import render_face, write_dataset  # noqa: E402
from installation.models.generator.train import TrainOptions, export, train  # noqa: E402
from installation.registry import UnknownName  # noqa: E402

torch.set_num_threads(1)


def test_registry_knows_both_generators_and_suggests_on_typos():
    assert {"dcgan", "stylegan2"} <= set(GENERATORS.names())
    with pytest.raises(UnknownName, match="did you mean 'stylegan2'"):
        GENERATORS.get("stylegan")


def test_procedural_faces_are_deterministic_and_varied():
    a, b, c = render_face(5), render_face(5), render_face(6)
    assert a.shape == (64, 64, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert np.abs(a.astype(int) - c.astype(int)).mean() > 10
    # A portrait: the centre (face) differs from the top corners (backdrop).
    assert np.abs(a[28:36, 28:36].mean((0, 1)) - a[:6, :6].mean((0, 1))).max() > 10


@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    write_dataset(folder, 40, size=16, progress=False)
    return folder


def _opts(faces, out, steps, device="cpu"):
    return TrainOptions(
        images=faces, output=out, size=16, width=32, steps=steps, batch=4, save_every=2, progress=False,
        device=device,
    )


def _straight_and_resumed(faces, tmp_path, device):
    straight = train(_opts(faces, tmp_path / "a.pt", 4, device))
    train(_opts(faces, tmp_path / "b.pt", 2, device))
    resumed = train(_opts(faces, tmp_path / "b.pt", 4, device))  # same command, more steps
    assert straight["step"] == resumed["step"] == 4
    return straight, resumed


def test_training_resumes_exactly_where_it_stopped(faces, tmp_path):
    # Pinned to the CPU, whose arithmetic repeats bit for bit (CUDA's does not: below).
    straight, resumed = _straight_and_resumed(faces, tmp_path, "cpu")
    for part in ("g", "g_ema", "d"):
        for key, value in straight[part].items():
            assert torch.equal(value, resumed[part][key]), (part, key)


# Two CUDA runs of the same steps differ in the last bits (convolution gradients are summed
# in no fixed order: on an H200 two straight runs differed by 1e-7, and the bitwise test
# above failed there). A resume that lost state differs far more: 7e-4 after two further
# steps with fresh Adam moments, measured on the CPU.
RESUME_TOLERANCE = 1e-6


def test_a_resume_that_lost_its_optimizer_state_is_caught_by_the_gpu_tolerance(faces, tmp_path, monkeypatch):
    """Keeps the CUDA test below honest where no GPU runs it: the tolerance is tight enough."""
    straight = train(_opts(faces, tmp_path / "a.pt", 4))
    train(_opts(faces, tmp_path / "b.pt", 2))
    monkeypatch.setattr(torch.optim.Adam, "load_state_dict", lambda self, state: None)
    forgetful = train(_opts(faces, tmp_path / "b.pt", 4))
    worst = max((straight["g"][k] - forgetful["g"][k]).abs().max().item() for k in straight["g"])
    assert worst > 10 * RESUME_TOLERANCE


@pytest.mark.gpu
def test_training_on_cuda_resumes_where_it_stopped(faces, tmp_path):
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    straight, resumed = _straight_and_resumed(faces, tmp_path, "cuda")
    for part in ("g", "g_ema", "d"):
        for key, value in straight[part].items():
            where = f"{part} {key}"
            torch.testing.assert_close(resumed[part][key], value, rtol=0, atol=RESUME_TOLERANCE, msg=where)


def test_training_changes_the_generator_and_export_plays(faces, tmp_path):
    ckpt = train(_opts(faces, tmp_path / "t.pt", 3))
    gen0 = load_generator(tmp_path / "t.pt")
    assert isinstance(gen0, DCGAN) and gen0.size == 16
    slim = tmp_path / "slim.pt"
    export(ckpt, slim)
    assert slim.stat().st_size < (tmp_path / "t.pt").stat().st_size / 2
    gen = load_generator(slim)
    z = np.random.default_rng(0).standard_normal((5, gen.latent_dim))
    faces_out = gen.generate(z)
    assert faces_out.shape == (5, 16, 16, 3)
    # Half precision storage: the same faces within a grey level or two.
    assert np.abs(faces_out.astype(int) - gen0.generate(z).astype(int)).max() <= 3
    assert np.array_equal(gen.generate(z), faces_out)  # eval mode: deterministic


def test_resuming_with_another_size_is_refused(faces, tmp_path, capsys):
    out = tmp_path / "c.pt"
    train(_opts(faces, out, 2))
    code = cli.main(
        ["generator", "train", "--images", str(faces), "-o", str(out), "--size", "32", "--steps", "3"]
    )
    assert code == 2
    assert "use the same --size" in capsys.readouterr().err


def test_train_cli_errors_are_one_line(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["generator", "train", "--images", str(empty), "-o", str(tmp_path / "x.pt")]) == 2
    err = capsys.readouterr().err
    assert "found 0 readable image(s)" in err and "Traceback" not in err
    assert (
        cli.main(["generator", "train", "--images", str(tmp_path / "nope"), "-o", str(tmp_path / "x.pt")])
        == 2
    )
    assert "not a folder" in capsys.readouterr().err


def test_a_save_cut_short_by_a_full_disk_keeps_the_last_checkpoint_and_leaves_no_partial_file(
        faces, tmp_path, monkeypatch):
    import errno
    import io

    out = tmp_path / "run" / "g.pt"
    train(_opts(faces, out, 2))  # a whole checkpoint at step 2
    real_save = torch.save

    def disk_fills(obj, target):
        # The disk fills half way through the next checkpoint.
        whole = io.BytesIO()
        real_save(obj, whole)
        half = whole.getvalue()[: len(whole.getvalue()) // 2]
        if isinstance(target, (str, bytes, type(out))):
            with open(target, "wb") as handle:
                handle.write(half)
        else:
            target.write(half)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(torch, "save", disk_fills)  # (train imports torch where it runs)
    with pytest.raises(OSError):
        train(_opts(faces, out, 4))
    monkeypatch.undo()
    # The step-2 checkpoint is whole and resumes; nothing of hundreds of MB is left beside it.
    assert sorted(p.name for p in out.parent.iterdir()) == ["g.pt"]
    assert torch.load(out, weights_only=False)["step"] == 2


def test_a_save_killed_mid_write_leaves_nothing_once_the_same_command_runs_again(faces, tmp_path):
    # The OOM killer or a power cut mid-save (no Python left to clean up): each run names its
    # temporary file for itself, so a killed run's half checkpoint, hundreds of MB on a real
    # run, was never reused nor cleared, and every such run left one more beside the last.
    from .test_runtime_files import _temps, _writer

    out = tmp_path / "run" / "g.pt"
    train(_opts(faces, out, 2))
    _writer(out, "kill").wait()  # a save of this checkpoint killed half way
    assert len(_temps(out.parent)) == 1
    assert train(_opts(faces, out, 4))["step"] == 4  # the same command again: it resumes
    assert sorted(p.name for p in out.parent.iterdir()) == ["g.pt"]
