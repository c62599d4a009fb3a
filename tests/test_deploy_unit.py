"""The sandbox of deploy/bayard.service, checked statically (issue 12 item 14): each
directive that keeps the show contained is there with its reason, none that would break a
kiosk is, the first frame does not wait for a network, and setup-kiosk.sh neither opens X to
every user nor hands the whole show folder to the kiosk user. Where systemd-analyze exists,
its offline security score must be 4.5 or better."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .test_runtime_deploy import DEPLOY, rendered, unit  # noqa: F401  (fixture)

SANDBOX = {
    "NoNewPrivileges": "yes",
    "CapabilityBoundingSet": "",
    "ProtectSystem": "strict",
    "ProtectHome": "read-only",
    "PrivateTmp": "yes",
    "DevicePolicy": "closed",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "ProtectClock": "yes",
    "ProtectHostname": "yes",
    "ProtectProc": "invisible",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "SystemCallArchitectures": "native",
    "UMask": "0077",
}
# Each scores well and breaks a kiosk (see the unit's comments).
FORBIDDEN = {
    "MemoryDenyWriteExecute": "Mesa's JIT",
    "PrivateDevices": "the camera and the GPU",
    "PrivateUsers": "the video/render/audio groups",
    "PrivateNetwork": "OSC",
    "PrivateIPC": "X's MIT-SHM",
    "ProcSubset": "/proc/cpuinfo",
}


def directives(text: str) -> list[tuple[int, str, str]]:
    """(line number, key, value) of every active directive, repeated keys included."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^([A-Za-z]+)=(.*)$", line)
        if match:
            out.append((number, match.group(1), match.group(2).strip()))
    return out


def test_the_unit_is_sandboxed_and_says_why():
    text = (DEPLOY / "bayard.service").read_text()
    lines = text.splitlines()
    found = directives(text)
    values = {key: value for _, key, value in found}
    for key, value in SANDBOX.items():
        assert values.get(key) == value, f"{key}={value} missing from deploy/bayard.service"
    for key, why in FORBIDDEN.items():
        assert key not in values, f"{key} breaks the kiosk ({why})"
    sandbox_start = next(i for i, line in enumerate(lines) if "Sandbox" in line)
    sandbox_end = lines.index("[Install]")
    for number, key, _ in found:
        if not sandbox_start < number - 1 < sandbox_end:
            continue
        # Every directive in the sandbox block has a comment above it (its reason),
        # possibly shared with the directives right after it.
        above = number - 2
        while above > sandbox_start and re.match(r"^[A-Za-z]+=", lines[above]):
            above -= 1
        assert lines[above].startswith("#"), f"line {number}: {key}= has no comment giving its reason"


def test_the_show_can_still_reach_what_it_needs():
    found = directives((DEPLOY / "bayard.service").read_text())
    allowed = {value.split()[0] for _, key, value in found if key == "DeviceAllow"}
    assert {"char-drm", "char-video4linux", "char-alsa"} <= allowed  # display, camera, sound
    assert "char-nvidia*" in allowed  # CUDA: /dev/nvidia*, nvidiactl, nvidia-uvm (a glob of groups)
    families = next(value for _, key, value in found if key == "RestrictAddressFamilies").split()
    assert {"AF_UNIX", "AF_NETLINK", "AF_INET", "AF_INET6"} <= set(families)
    keys = [key for _, key, _ in found]
    assert "ReadWritePaths" in keys and "StateDirectory" in keys  # its state folders
    assert any(key == "BindPaths" and "/tmp/.X11-unix" in value for _, key, value in found)
    assert any(key == "SystemCallErrorNumber" for key in keys)  # a refused call fails softly


def test_no_network_wait_before_the_first_frame(rendered):  # noqa: F811
    service = unit(rendered / "etc/systemd/system/bayard.service")
    assert "network-online.target" not in service["Unit"].get("Wants", "")
    assert "network-online.target" not in service["Unit"].get("After", "")


def test_rendered_unit_writes_only_the_state_folder(rendered, tmp_path):  # noqa: F811
    service = (rendered / "etc/systemd/system/bayard.service").read_text()
    assert f"ReadWritePaths={tmp_path}/show/var" in service
    assert "@STATE@" not in service


def test_setup_script_keeps_x_and_the_show_folder_closed():
    script = (DEPLOY / "setup-kiosk.sh").read_text() + (DEPLOY / "kiosk-files.sh").read_text()
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert "allowed_users=anybody" not in code
    assert "allowed_users=console" in code
    assert not re.search(r'chown\s+-R\s+[^\n]*"\$SHOW"', code), "the whole show folder is chowned"
    assert re.search(r'install -d [^\n]*-o "\$KIOSK_USER"[^\n]*"\$STATE"', code)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize("name, worst", [("bayard.service", 4.5), ("bayard-nightly-restart.service", 2.0)])
def test_systemd_analyze_rates_each_unit_safe(rendered, name, worst):  # noqa: F811
    # A technician scores every unit setup-kiosk.sh installs; the nightly restart runs as root
    # and only asks systemd for a restart, so it may keep nothing else (it scored 9.6 UNSAFE).
    path = rendered / "etc/systemd/system" / name
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout + result.stderr)
    if match is None:
        pytest.skip(f"this systemd-analyze has no offline security check: {result.stderr.strip()[:200]}")
    assert float(match.group(1)) <= worst, result.stdout


def test_the_nightly_restart_still_reaches_systemd():
    # Sandboxed, it must keep what `systemctl try-restart` needs: root (only root may restart a
    # system unit) and local sockets (systemd's own, /run/systemd/private).
    fields = {key: value for _, key, value in directives((DEPLOY / "bayard-nightly-restart.service").read_text())}
    assert fields["ExecStart"].endswith("systemctl --no-block try-restart bayard.service")
    assert "User" not in fields and "DynamicUser" not in fields and "PrivateUsers" not in fields
    assert "AF_UNIX" in fields["RestrictAddressFamilies"].split()
    assert fields["NoNewPrivileges"] == "yes" and fields["ProtectSystem"] == "strict"
