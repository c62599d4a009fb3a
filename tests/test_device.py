"""Where models run: deciding that there is no GPU must not cost a torch import on a CPU
kiosk, and an operator's choice (install.toml's [models] device, $BAYARD_DEVICE) is obeyed
by every torch model."""

import subprocess
import sys

import pytest

from .conftest import GENERATOR_LOOP, REPO, write_show


def test_no_gpu_is_known_without_importing_torch():
    code = ("import sys; from installation.models.device import cuda_present; "
            "print(cuda_present(), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO), "CUDA_VISIBLE_DEVICES": ""}, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


@pytest.fixture
def a_gpu(monkeypatch):
    """This machine as if it had one CUDA GPU, with install.toml's setting reset afterwards."""
    torch = pytest.importorskip("torch")
    import installation.models.device as device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(device, "cuda_present", lambda: True)
    monkeypatch.setattr(device, "cuda_name", lambda: "Test GPU")
    monkeypatch.setattr(device, "_show_device", "auto")
    monkeypatch.delenv("BAYARD_DEVICE", raising=False)
    return device


def test_the_show_s_device_setting_chooses_where_torch_models_run(a_gpu, monkeypatch):
    device = a_gpu
    assert device.pick_device().type == "cuda"
    device.use_show_device("cpu")  # a technician keeps the models off the GPU
    assert device.pick_device().type == "cpu"
    from installation.models.generator.base import pick_device as generator_device

    assert generator_device("auto") == "cpu"  # `bayard generator ... --device auto` obeys it too
    monkeypatch.setenv("BAYARD_DEVICE", "cuda")  # the variable wins over the file
    assert device.pick_device().type == "cuda"
    assert device.pick_device("cpu").type == "cpu"  # and a command's own --device over both
    monkeypatch.delenv("BAYARD_DEVICE")
    device.use_show_device("cuda")
    monkeypatch.setattr(__import__("torch").cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=r'\[models\] device = "cuda" in install.toml was requested but '
                                         "this machine has no CUDA device"):
        device.pick_device()


def test_the_live_face_loop_keeps_off_the_gpu_when_the_show_says_cpu(a_gpu, tmp_path):
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.media.testvideo import write_test_video
    from installation.services import describe_models

    (tmp_path / "content").mkdir(parents=True)
    write_test_video(tmp_path / "content" / "walk.mp4", seconds=1.0, fps=10, size=(160, 160))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "g.pt").write_bytes(b"not loaded: the loop plays its fallback")
    show = write_show(tmp_path, {"faces": GENERATOR_LOOP}, extra='\n[models]\ndevice = "cpu"\n')
    assert 'model device: cpu ([models] device = "cpu" in install.toml)' in describe_models(load_show(show))
    a_gpu.use_show_device("auto")  # the engine sets it from the show it plays
    with run_test(show, fps=10) as pilot:
        pilot.advance(1)
        status = pilot.engine.sequencer.current.scene.status()
    assert status["mode"] == "fallback" and status["playing"] == "walk.mp4"
    assert '[models] device = "cpu" in install.toml keeps live generation off the GPU' in status["reason"]


def test_check_names_a_device_setting_it_cannot_use(a_gpu, monkeypatch):
    from installation.services import _device_line

    assert _device_line("auto") == "model device: auto (CUDA device Test GPU)"
    monkeypatch.setenv("BAYARD_DEVICE", "gpu0")
    said = _device_line("auto")
    assert "BAYARD_DEVICE=gpu0 is not a device this show knows; use cpu, cuda or cuda:N" in said
    monkeypatch.setenv("BAYARD_DEVICE", "cuda:3")
    assert "BAYARD_DEVICE=cuda:3: this machine has 1 CUDA device(s)" in _device_line("auto")
    monkeypatch.setenv("BAYARD_DEVICE", "cuda")
    monkeypatch.setattr(a_gpu, "cuda_present", lambda: False)
    said = _device_line("auto")
    assert "this machine has no CUDA device" in said and 'device = "auto" or "cpu"' in said


def test_a_gpu_that_cuda_cannot_use_is_named_with_what_to_check(monkeypatch, tmp_path):
    """A kiosk's sandbox that did not list the GPU, or nvidia-uvm not loaded, looked like no
    GPU at all; where the GPU's device nodes exist, the reason says what to look at."""
    torch = pytest.importorskip("torch")
    import installation.models.device as device
    from installation.models.motion.fomm.backend import FommBackend
    from installation.services import _device_line

    monkeypatch.setattr(device.glob, "glob", lambda pattern: ["/dev/nvidia0"])
    monkeypatch.setattr(device, "cuda_present", lambda: False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device, "_show_device", "auto")
    monkeypatch.delenv("BAYARD_DEVICE", raising=False)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    why = device.no_cuda_why()
    assert "an NVIDIA GPU is here (/dev/nvidia0) but CUDA cannot use it" in why and "nvidia-uvm" in why
    assert why in _device_line("auto")
    (tmp_path / "fomm").mkdir()
    # A plausible checkpoint, so that CUDA is what decides.
    (tmp_path / "fomm" / "vox-cpk.pth.tar").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert why in FommBackend.availability(tmp_path).reason
    monkeypatch.setattr(device.glob, "glob", lambda pattern: [])
    assert device.no_cuda_why() == "no CUDA device"
