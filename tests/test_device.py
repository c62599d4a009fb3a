"""Deciding that there is no GPU must not cost a torch import on a CPU kiosk."""

import subprocess
import sys

from .conftest import REPO


def test_no_gpu_is_known_without_importing_torch():
    code = ("import sys; from installation.models.device import cuda_present; "
            "print(cuda_present(), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO), "CUDA_VISIBLE_DEVICES": ""}, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr
