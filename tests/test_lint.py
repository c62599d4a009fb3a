"""The code keeps to the lint rules in pyproject.toml ([tool.ruff]): unused imports and
variables, shadowed names, zip without strict, files opened without being closed, lines
past 120 characters. Run `ruff check --fix` for the ones it can mend itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_code_passes_the_projects_lint_rules():
    try:
        import ruff  # noqa: F401

        command = [sys.executable, "-m", "ruff"]
    except ImportError:
        if shutil.which("ruff") is None:
            pytest.skip("ruff is not installed (./setup --test installs it)")
        command = [shutil.which("ruff")]
    done = subprocess.run([*command, "check", "--no-cache", "--output-format", "concise", "installation", "tests",
                           "bench"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
