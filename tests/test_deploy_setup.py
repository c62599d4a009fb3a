"""deploy/setup-kiosk.sh run again and again, and taken off, as a technician does: in
--render-only mode on a copy of the files it edits (GRUB, Raspberry Pi OS's cmdline.txt,
Xwrapper.config, PAM), parsing the commands it would run. Nothing here needs root."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from .test_runtime_deploy import DEPLOY

PI_CMDLINE = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait"


def machine(tmp_path: Path, *, logind: bool = True) -> Path:
    """A copy of the system files setup edits, as a Debian PC and a Raspberry Pi have them."""
    root = tmp_path / "root"
    files = {
        "etc/default/grub": 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet consoleblank=600"\n'
                            'GRUB_CMDLINE_LINUX=""\n',
        "boot/firmware/cmdline.txt": PI_CMDLINE + " consoleblank=300\n",
        "etc/X11/Xwrapper.config": "allowed_users=anybody\nneeds_root_rights=yes\n",
        "etc/pam.d/common-session": "session required pam_unix.so\n"
                                    + ("session optional pam_systemd.so\n" if logind else ""),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def show_folder(tmp_path: Path, state: str | None = None) -> Path:
    show = tmp_path / "show"
    (show / "scenes").mkdir(parents=True, exist_ok=True)
    (show / "scenes" / "a.toml").write_text('type = "title"\nheading = "Hand-written"\n')
    extra = f'state = "{state}"\n' if state else ""
    (show / "install.toml").write_text(f'[show]\nplaylist = ["a"]\n{extra}')
    return show


def setup(tmp_path: Path, root: Path, *args: str, user: str = "kiosk", check: bool = True):
    argv = ["bash", str(DEPLOY / "setup-kiosk.sh"), "--render-only", str(root)]
    if "--uninstall" not in args:
        argv += ["--user", user, "--venv", str(tmp_path / "venv"), "--show", str(tmp_path / "show")]
    result = subprocess.run(argv + list(args), capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def commands(result) -> list[str]:
    return [line.removeprefix("would run: ") for line in result.stdout.splitlines() if line.startswith("would run: ")]


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def grub_command_line(root: Path) -> list[str]:
    """The kernel command line update-grub would write: /etc/default/grub, then grub.d/*.cfg,
    sourced in that order by sh, as grub-mkconfig does."""
    script = ('. "$1/etc/default/grub"; for x in "$1"/etc/default/grub.d/*.cfg; do [ -e "$x" ] && . "$x"; done; '
              'echo "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"')
    return subprocess.run(["sh", "-c", script, "sh", str(root)], capture_output=True, text=True,
                          check=True).stdout.split()


def test_a_second_run_duplicates_nothing_and_never_writes_the_show_folder(tmp_path):
    root = machine(tmp_path)
    show = show_folder(tmp_path)
    before = digest(show)
    setup(tmp_path, root, "--nightly-restart", "04:30")
    first = digest(root)
    again = setup(tmp_path, root, "--nightly-restart", "04:30")
    assert digest(root) == first  # the same options: not a byte changes
    assert "kept as" not in again.stdout and "changed since" not in again.stdout
    assert digest(show) == before
    # The console never blanks, said once: on a PC through GRUB ...
    assert grub_command_line(root).count("consoleblank=0") == 1
    assert grub_command_line(root)[-1] == "consoleblank=0"  # after consoleblank=600: the last one counts
    # ... and on a Raspberry Pi in its one-line cmdline.txt, whatever consoleblank it had.
    cmdline = (root / "boot/firmware/cmdline.txt").read_text().splitlines()
    assert cmdline == [PI_CMDLINE + " consoleblank=0"]
    xwrapper = (root / "etc/X11/Xwrapper.config").read_text().splitlines()
    assert sorted(xwrapper) == ["allowed_users=console", "needs_root_rights=yes"]


def test_an_older_setups_grub_edit_is_not_doubled(tmp_path):
    root = machine(tmp_path)
    grub = root / "etc/default/grub"
    grub.write_text(grub.read_text().replace("consoleblank=600", "consoleblank=0"))  # as the old script left it
    show_folder(tmp_path)
    setup(tmp_path, root)
    assert grub_command_line(root).count("consoleblank=0") == 1


def test_options_changed_on_a_rerun_take_effect(tmp_path):
    root = machine(tmp_path)
    show_folder(tmp_path)
    setup(tmp_path, root, "--nightly-restart", "04:30")
    assert (root / "etc/systemd/system/bayard-nightly-restart.timer").exists()
    second = setup(tmp_path, root, user="guide")  # no nightly restart, another kiosk user
    assert "changed since the last setup: nightly_restart 04:30 -> (none)" in second.stdout
    assert "systemctl disable --now bayard-nightly-restart.timer" in commands(second)
    assert not (root / "etc/systemd/system/bayard-nightly-restart.timer").exists()
    assert not (root / "etc/systemd/system/bayard-nightly-restart.service").exists()
    assert "--autologin guide " in (root / "etc/systemd/system/getty@tty1.service.d/autologin.conf").read_text()
    assert "User=guide" in (root / "etc/systemd/system/bayard.service").read_text()
    # The former kiosk user no longer starts X on tty1.
    assert not (root / "home/kiosk/.bash_profile").exists() and (root / "home/guide/.bash_profile").exists()


def test_hand_edits_are_kept_aside_and_named_never_lost(tmp_path):
    root = machine(tmp_path)
    show_folder(tmp_path)
    # raspi-config's console auto-login was there first (same path as setup's).
    raspi = root / "etc/systemd/system/getty@tty1.service.d/autologin.conf"
    raspi.parent.mkdir(parents=True)
    raspi.write_text("[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin pi --noclear %I $TERM\n")
    first = setup(tmp_path, root)
    assert "was there before Bayard" in first.stdout
    unit = root / "etc/systemd/system/bayard.service"
    unit.write_text(unit.read_text().replace("IPAddressAllow=localhost", "IPAddressAllow=203.0.113.0/24 localhost"))
    second = setup(tmp_path, root)
    assert "/etc/systemd/system/bayard.service had been changed by hand" in second.stdout
    assert "203.0.113.0/24" not in unit.read_text()  # the update is in force ...
    (kept,) = (root / "etc/bayard/setup/edited/etc/systemd/system").glob("bayard.service.*")
    assert "203.0.113.0/24" in kept.read_text()  # ... and the technician's version is kept
    # The documented place for local changes: a drop-in, which setup never writes ...
    drop_in = root / "etc/systemd/system/bayard.service.d/override.conf"
    drop_in.parent.mkdir()
    drop_in.write_text("[Service]\nLoadCredential=osc-passcodes:/etc/bayard/passcodes.toml\n")
    setup(tmp_path, root)
    assert "LoadCredential" in drop_in.read_text()
    # ... and taken off with the unit, kept aside; raspi-config's auto-login comes back.
    result = setup(tmp_path, root, "--uninstall")
    assert not drop_in.parent.exists()
    (moved,) = (root / "etc/bayard/setup/edited/etc/systemd/system").glob("bayard.service.d.*")
    assert "LoadCredential" in (moved / "override.conf").read_text()
    assert "kept copies of files edited by hand, and your drop-ins: /etc/bayard/setup/edited/" in result.stdout
    assert "--autologin pi " in raspi.read_text()


def test_uninstall_takes_back_what_setup_did_and_keeps_the_state(tmp_path):
    root = machine(tmp_path)
    originals = digest(root)
    show = show_folder(tmp_path, state=str(tmp_path / "state"))
    (tmp_path / "state" / "quiz").mkdir(parents=True)
    (tmp_path / "state" / "quiz" / "q.json").write_text("{}")
    setup(tmp_path, root, "--nightly-restart", "04:30", "--with-gpu-models")
    result = setup(tmp_path, root, "--uninstall")
    assert digest(root) == originals  # units, drop-ins, auto-login, journald, Xwrapper, GRUB, cmdline.txt
    ran = commands(result)
    assert "systemctl disable --now bayard.service" in ran
    assert "systemctl disable --now bayard-nightly-restart.timer" in ran
    assert f"rm -rf {tmp_path}/venv" in ran and "update-grub" in ran
    assert "systemctl unmask sleep.target suspend.target hibernate.target hybrid-sleep.target" in ran
    assert not any(command.startswith("userdel") or str(tmp_path / "state") in command for command in ran)
    kept = [line for line in result.stdout.splitlines() if line.startswith("kept ")]
    assert any(str(show) in line for line in kept)
    assert any(str(tmp_path / "state") in line and "last-good" in line for line in kept)
    assert any("/var/log/bayard" in line for line in kept)
    assert (tmp_path / "state" / "quiz" / "q.json").exists()


def test_uninstall_purge_deletes_the_state_and_the_user_setup_created(tmp_path):
    root = machine(tmp_path)
    show_folder(tmp_path)
    setup(tmp_path, root)
    ran = commands(setup(tmp_path, root, "--uninstall", "--purge"))
    assert f"rm -rf {tmp_path}/show/var" in ran and "rm -rf /var/lib/bayard /var/log/bayard" in ran
    assert "userdel --remove kiosk" in ran
    assert not any(command.startswith("rm") and command.endswith(f"{tmp_path}/show") for command in ran)


def test_uninstall_without_a_record_says_what_to_do(tmp_path):
    result = setup(tmp_path, machine(tmp_path), "--uninstall", check=False)
    assert result.returncode != 0 and "run setup-kiosk.sh once more" in result.stderr


def test_the_kiosk_user_gets_no_tty_group(tmp_path):
    """X gets tty1 from the auto-login and vt1 (no /dev/tty0), its devices from logind; the
    tty group would only let the kiosk user write to every other terminal."""
    root = machine(tmp_path)
    show_folder(tmp_path)
    (usermod,) = [c for c in commands(setup(tmp_path, root)) if c.startswith("usermod -aG")]
    assert "tty" not in usermod.split()[2].split(",")
    assert " vt1 " in (root / "home/kiosk/.bash_profile").read_text()


def test_a_missing_logind_pam_module_names_the_package(tmp_path):
    show_folder(tmp_path)
    without = setup(tmp_path, machine(tmp_path / "a", logind=False))
    assert "apt-get install libpam-systemd" in without.stdout
    with_it = setup(tmp_path, machine(tmp_path / "b"))
    assert "libpam-systemd (" not in with_it.stdout
    assert any(c.startswith("apt-get install") and "libpam-systemd" in c.split() for c in commands(with_it))


def fake_torch(venv: Path, cuda: str | None) -> None:
    """The files setup reads to tell which torch build a venv holds."""
    site = venv / "lib/python3.11/site-packages"
    (site / "torch").mkdir(parents=True)
    value = "None" if cuda is None else f"'{cuda}'"
    (site / "torch/version.py").write_text(f"__version__ = '2.5.1'\ndebug = False\ncuda: Optional[str] = {value}\n")
    if cuda:
        for info in ("nvidia_cudnn_cu12-9.1.0.70.dist-info", "triton-3.1.0.dist-info"):
            (site / info).mkdir()


def test_a_kiosk_moves_from_cuda_torch_to_cpu_torch(tmp_path):
    root = machine(tmp_path)
    show_folder(tmp_path)
    fake_torch(tmp_path / "venv", cuda="12.4")
    setup(tmp_path, root, "--with-gpu-models")  # the CUDA build is already there: nothing to change
    assert (root / "etc/modules-load.d/bayard-nvidia-uvm.conf").exists()
    ran = commands(setup(tmp_path, root, "--with-models"))  # the GPU is taken out
    pip = f"{tmp_path}/venv/bin/pip"
    uninstall = ran.index(f"{pip} uninstall -y -q torch")
    assert ran[uninstall + 1] == f"{pip} uninstall -y -q nvidia_cudnn_cu12 triton"  # the GBs of CUDA libraries
    assert ran[uninstall + 2] == f"{pip} install -q torch --index-url https://download.pytorch.org/whl/cpu"
    assert not (root / "etc/modules-load.d/bayard-nvidia-uvm.conf").exists()


def test_a_kiosk_moves_from_cpu_torch_to_cuda_torch_and_keeps_it_on_an_update(tmp_path):
    root = machine(tmp_path)
    show_folder(tmp_path)
    fake_torch(tmp_path / "venv", cuda=None)
    ran = commands(setup(tmp_path, root, "--with-gpu-models"))  # a GPU was added
    pip = f"{tmp_path}/venv/bin/pip"
    assert ran[ran.index(f"{pip} uninstall -y -q torch") + 1] == f"{pip} install -q torch"
    assert "nvidia-uvm" in (root / "etc/modules-load.d/bayard-nvidia-uvm.conf").read_text()
    same = setup(tmp_path, root)  # an update without the flag leaves torch as it is
    assert not any("torch" in c for c in commands(same)) and "torch: the cpu build stays" in same.stdout


def test_the_state_folder_is_install_tomls(tmp_path):
    root = machine(tmp_path)
    elsewhere = tmp_path / "data" / "bayard"
    show_folder(tmp_path, state=str(elsewhere))
    setup(tmp_path, root)
    unit = (root / "etc/systemd/system/bayard.service").read_text()
    assert f"ReadWritePaths={elsewhere}\n" in unit and f"BAYARD_SHOW_STATE={elsewhere}\n" in unit
    setup(tmp_path, root, "--state", str(elsewhere))  # --state agreeing with install.toml is fine
    refused = setup(tmp_path, root, "--state", str(tmp_path / "show/var"), check=False)
    assert refused.returncode != 0
    assert f"[show] state is {elsewhere}" in refused.stderr and "Set state =" in refused.stderr


@pytest.mark.parametrize("state", ["my state", "R&D"])
def test_a_state_folder_the_unit_cannot_hold_is_refused_at_its_source(tmp_path, state):
    show_folder(tmp_path, state=state)
    result = setup(tmp_path, machine(tmp_path), check=False)
    assert result.returncode != 0 and "[show] state in" in result.stderr and "no spaces" in result.stderr


def test_uninstall_removes_only_a_venv_setup_made(tmp_path):
    """An existing venv (a checkout's .venv) was reused by setup and deleted by --uninstall,
    and a slip such as --venv /usr would have reached rm -rf /usr."""
    root = machine(tmp_path)
    show_folder(tmp_path)
    theirs = tmp_path / "theirs"
    (theirs / "bin").mkdir(parents=True)
    (theirs / "bin" / "python").symlink_to("/usr/bin/python3")
    argv = ["--user", "kiosk", "--show", str(tmp_path / "show")]
    run = ["bash", str(DEPLOY / "setup-kiosk.sh"), "--render-only", str(root)]
    done = subprocess.run(run + argv + ["--venv", str(theirs)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    off = setup(tmp_path, root, "--uninstall")
    assert not any(str(theirs) in c and c.startswith("rm -rf") for c in commands(off)), commands(off)
    assert f"kept the virtual environment: {theirs}" in off.stdout
    # A venv setup makes itself goes with it.
    root = machine(tmp_path / "second")
    setup(tmp_path, root)
    off = setup(tmp_path, root, "--uninstall")
    assert f"rm -rf {tmp_path / 'venv'}" in commands(off)
    for folder in ("/usr", str(tmp_path / "show")):
        refused = subprocess.run(run + argv + ["--venv", folder], capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0 and "--venv" in refused.stderr, (folder, refused.stderr)


@pytest.mark.parametrize("state", [".", "..", "/"])
def test_a_state_folder_that_is_or_holds_the_show_is_refused(tmp_path, state):
    """state = "." handed the whole show folder to the kiosk user and opened it for writing,
    and --uninstall --purge then removed the show."""
    root = machine(tmp_path)
    show = show_folder(tmp_path, state=state)
    result = setup(tmp_path, root, check=False)
    assert result.returncode != 0
    assert "state" in result.stderr and "folder of its own" in result.stderr, result.stderr
    assert not any(str(show) == c.split()[-1] for c in commands(result))
