#!/usr/bin/env bash
# Turn a Debian 12 or Ubuntu 24.04 PC, or a Raspberry Pi with Raspberry Pi OS (bookworm),
# into a Bayard kiosk; update it; or take it off again. Run as root from a checkout:
#
#   sudo deploy/setup-kiosk.sh --show /srv/bayard/show [--user bayard] [--nightly-restart 04:30]
#   sudo deploy/setup-kiosk.sh --uninstall [--purge]
#
# What it does (docs/deploy.md explains every step):
#   1. installs X, Python, libpam-systemd and small tools with apt
#   2. creates the kiosk user (no password) in the video/input/render/audio groups
#   3. builds a virtual environment in /opt/bayard/venv and installs Bayard into it
#   4. auto-login on tty1 -> X with no cursor and no blanking -> ~/.xinitrc; the text
#      console never blanks (GRUB, or cmdline.txt on a Raspberry Pi)
#   5. installs bayard.service (Type=notify, watchdog, restarts forever) and enables it
#   6. caps journald, masks sleep/suspend, optionally enables a nightly restart timer
#
# Run it again to update or to change an option: the options given are the ones that count
# (one left out is undone, except that torch stays as it is without --with-models or
# --with-gpu-models), a file setup wrote that was edited by hand is kept aside and named,
# and the show folder is never written. It records what it did in /etc/bayard/setup;
# --uninstall takes that back and keeps the show folder and its state (--purge: the state too).
#
# --render-only DIR stands DIR for /: it writes there what it would install, edits the
# copies of system files found there, and prints the commands it would run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
KIOSK_USER="bayard"
SHOW=""
STATE=""
VENV="/opt/bayard/venv"
RESTART_AT=""
MEMORY_MAX="75%"
MODELS=""   # cpu or cuda: the torch build asked for; empty: leave torch as it is
RENDER_ONLY=""
UNINSTALL=0
PURGE=0

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    cat <<USAGE

Options:
  --show DIR              the show folder (install.toml, scenes/, content/, models/)  [required]
  --state DIR             the show's state folder; only a check: the show writes where
                          install.toml's [show] state says (default var/), and setup refuses
                          a --state that differs
  --user NAME             kiosk user to create and log in automatically (default: bayard)
  --venv DIR              virtual environment (default: /opt/bayard/venv)
  --nightly-restart HH:MM restart the show every night at this time (when the museum is closed)
  --memory-max VALUE      memory ceiling for the show, e.g. 75% or 6G (default: 75%)
  --with-models           torch's CPU build for the portrait and quiz models (replaces a CUDA build)
  --with-gpu-models       torch's CUDA build (several GB; x86-64 with an NVIDIA GPU and its
                          driver; replaces a CPU build); loads nvidia-uvm at every boot
                          (neither: torch stays as it is)
  --uninstall             take off what setup installed; keeps the show folder, the state,
                          the logs and the kiosk user, and says where they are
  --purge                 with --uninstall: also delete the state, the logs and the kiosk
                          user if setup created it (never the show folder)
  --render-only DIR       do it all under DIR instead of /, and only print the commands
USAGE
}

die() { echo "setup-kiosk: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --show) SHOW="${2:?--show needs a folder}"; shift 2 ;;
        --state) STATE="${2:?--state needs a folder}"; shift 2 ;;
        --user) KIOSK_USER="${2:?--user needs a name}"; shift 2 ;;
        --venv) VENV="${2:?--venv needs a folder}"; shift 2 ;;
        --nightly-restart) RESTART_AT="${2:?--nightly-restart needs HH:MM}"; shift 2 ;;
        --memory-max) MEMORY_MAX="${2:?--memory-max needs a value}"; shift 2 ;;
        --with-models) MODELS=cpu; shift ;;
        --with-gpu-models) MODELS=cuda; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --purge) PURGE=1; shift ;;
        --render-only) RENDER_ONLY="${2:?--render-only needs a folder}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

ROOT="$RENDER_ONLY"
case "$ROOT" in ""|/*) ;; *) ROOT="$(pwd)/$ROOT"; RENDER_ONLY="$ROOT" ;; esac
# shellcheck source=deploy/kiosk-files.sh
. "$HERE/kiosk-files.sh"
# shellcheck source=deploy/uninstall.sh
. "$HERE/uninstall.sh"

if [ -z "$RENDER_ONLY" ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root: sudo $0 $*"
fi
if [ "$UNINSTALL" = 1 ]; then
    uninstall
    exit 0
fi
[ "$PURGE" = 0 ] || die "--purge goes with --uninstall"

[ -n "$SHOW" ] || die "--show DIR is required (the folder holding install.toml)"
[[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "'$KIOSK_USER' is not a valid user name"
# The show runs sandboxed as this user: never as root or a system account.
[ "$KIOSK_USER" != root ] || die "--user root: the show must not run as root; give a user of its own (default: bayard)"
if [ -n "$RESTART_AT" ] && ! [[ "$RESTART_AT" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then
    die "--nightly-restart '$RESTART_AT' is not a time; write HH:MM, e.g. 04:30"
fi
if [ "$MODELS" = cuda ] && [ "$(uname -m)" != x86_64 ]; then
    die "--with-gpu-models installs torch's CUDA build for x86-64 PCs with an NVIDIA GPU; this is $(uname -m): use --with-models (the models run on the CPU)"
fi
case "$SHOW" in /*) ;; *) SHOW="$(pwd)/$SHOW" ;; esac
case "$STATE" in ""|/*) ;; *) STATE="$(pwd)/$STATE" ;; esac
# The folders go into the unit's ExecStart= and ReadWritePaths=, which split on spaces and
# read % as a specifier (and sed reads & and |): such a name would leave a unit that cannot
# start, restarting every 3 s behind a dark screen.
plain_folder() {
    [[ "$1" =~ ^[A-Za-z0-9/._+-]+$ ]] || die "'$1'$2: use a folder name of letters, digits and / . _ + - only (no spaces)"
}
for folder in "$SHOW" "$STATE" "$VENV"; do
    [ -z "$folder" ] || plain_folder "$folder" ""
done

if [ -z "$RENDER_ONLY" ]; then
    command -v apt-get >/dev/null || die "this script is for Debian, Ubuntu and Raspberry Pi OS (apt-get not found)"
    [ -f "$SHOW/install.toml" ] || die "$SHOW has no install.toml; give --show the show folder"
    if ! command -v python3 >/dev/null; then
        # A minimal Debian has none, and install.toml must be read before anything else.
        say "installing python3 first, to read $SHOW/install.toml"
        apt-get update -q && apt-get install -y -q --no-install-recommends python3
    fi
    # Checked before anything else is installed: Bayard needs Python 3.11 (tomllib), which
    # Debian 12, Ubuntu 24.04 and Raspberry Pi OS bookworm have; Ubuntu 22.04's 3.10 failed at step 3.
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "Python $(python3 -c 'import platform; print(platform.python_version())') is too old: Bayard needs 3.11 or newer (Debian 12, Ubuntu 24.04, Raspberry Pi OS bookworm)"
fi

# The state folder is the show's: install.toml's [show] state, resolved as the show resolves
# it. --state only confirms it; the unit opens that one folder for writing.
toml_state() {
    python3 - "$SHOW/install.toml" <<'PY'
import sys
import tomllib
from pathlib import Path

path = Path(sys.argv[1]).resolve()
try:
    with open(path, "rb") as file:
        state = tomllib.load(file).get("show", {}).get("state", "var")
except FileNotFoundError:
    sys.exit(3)
except (OSError, ValueError, AttributeError) as error:
    sys.exit(f"{path}: {error}")
if not isinstance(state, str):
    sys.exit(f"{path}: [show] state must be a folder name in quotes")
print((path.parent / state).resolve())
PY
}
status=0
SHOW_STATE="$(toml_state)" || status=$?
if [ "$status" = 3 ]; then
    [ -n "$RENDER_ONLY" ] || die "$SHOW has no install.toml; give --show the show folder"
    SHOW_STATE="${STATE:-$SHOW/var}"   # a preview without a show: what the show's default would be
elif [ "$status" != 0 ]; then
    die "cannot read [show] state from $SHOW/install.toml (above); 'bayard check --show $SHOW' says what to fix"
fi
plain_folder "$SHOW_STATE" " ([show] state in $SHOW/install.toml)"
if [ -n "$STATE" ] && [ "$(realpath -m "$STATE")" != "$SHOW_STATE" ]; then
    die "--state $STATE is not the show's state folder: $SHOW/install.toml's [show] state is $SHOW_STATE, and the show writes only there. Set state = \"$STATE\" under [show] in install.toml and run this again, or leave --state out."
fi
STATE="$SHOW_STATE"
# The state folder becomes the kiosk user's and --purge deletes it: it must lie apart from
# the show (state = "." handed the whole show folder to the kiosk user, and purge removed it).
show_real="$(realpath -m "$SHOW")"
case "${STATE%/}/" in
    "$show_real/"|"/"|"/usr/"*|"/etc/"*|"/bin/"*|"/boot/"*) die "[show] state in $SHOW/install.toml is $STATE: the state folder must be a folder of its own, not the show folder, a folder above it or a system folder (the default, var/ inside the show, is)" ;;
esac
case "$show_real/" in
    "${STATE%/}/"*) die "[show] state in $SHOW/install.toml is $STATE, which holds the show folder itself: give the state a folder of its own (the default, var/ inside the show, is)" ;;
esac
# The venv is removed by --uninstall only if setup made it: an existing one (a checkout's
# .venv) is the technician's. Never the show folder, nor a system folder.
venv_real="$(realpath -m "$VENV")"
case "${venv_real%/}/" in
    "$show_real/"|"/"|"/usr/"|"/opt/"|"/etc/"*|"/bin/"*|"/home/"|"$STATE/") die "--venv $VENV: give the virtual environment a folder of its own (default /opt/bayard/venv)" ;;
esac

# @HOME@ is the kiosk user's real home (getent): an existing user's may not be /home/NAME,
# and the unit's XAUTHORITY must point at the .Xauthority X really writes.
USER_EXISTED=0
KIOSK_HOME="$(getent passwd "$KIOSK_USER" 2>/dev/null | cut -d: -f6 || true)"
[ -z "$KIOSK_HOME" ] || USER_EXISTED=1
[ -n "$KIOSK_HOME" ] || KIOSK_HOME="/home/$KIOSK_USER"
render() {
    sed -e "s|@USER@|$KIOSK_USER|g" -e "s|@HOME@|$KIOSK_HOME|g" -e "s|@SHOW@|$SHOW|g" -e "s|@STATE@|$STATE|g" \
        -e "s|@VENV@|$VENV|g" -e "s|@SRC@|$SRC|g" \
        -e "s|@RESTART_AT@|$RESTART_AT|g" -e "s|@MEMORY_MAX@|$MEMORY_MAX|g" "$1"
}
# put TEMPLATE PATH [MODE [OWNER]]: the template with its placeholders filled, installed.
put() {
    local rendered
    rendered="$(mktemp)"
    render "$HERE/$1" > "$rendered"
    put_file "$rendered" "$2" "${3:-0644}" "${4:-}"
    rm -f "$rendered"
}

# A re-run says which options changed since the last one: one left out is undone.
changed_options() {
    local key old new
    while read -r key new; do
        old="$(read_option "$key")"
        [ -f "$ROOT$RECORD/options" ] && [ "$old" != "$new" ] || continue
        say "changed since the last setup: $key ${old:-(none)} -> ${new:-(none)}"
    done <<OPTIONS
show $SHOW
state $STATE
user $KIOSK_USER
venv $VENV
nightly_restart $RESTART_AT
memory_max $MEMORY_MAX
OPTIONS
}
changed_options

echo "== 1/6 packages"
export DEBIAN_FRONTEND=noninteractive
act apt-get update -q
# libpam-systemd: the logind session X needs (kiosk-files.sh, logind_missing); a minimal
# Debian lacks it, and --no-install-recommends would not bring it with X.
act apt-get install -y -q --no-install-recommends \
    python3 python3-venv python3-pip xserver-xorg-core xserver-xorg-input-libinput \
    xserver-xorg-video-all xinit x11-xserver-utils fonts-dejavu-core ca-certificates libpam-systemd
# unclutter may be called unclutter-xfixes on newer releases; either is fine, neither is required.
act apt-get install -y -q --no-install-recommends unclutter || true
if logind_missing; then
    [ -n "$RENDER_ONLY" ] || die "$(logind_fix)"
    say "warning: $(logind_fix)"
fi

echo "== 2/6 kiosk user '$KIOSK_USER'"
if [ "$USER_EXISTED" = 0 ]; then
    act useradd --create-home --shell /bin/bash "$KIOSK_USER"
    act passwd --lock "$KIOSK_USER"  # no password: it only ever logs in automatically
    [ -n "$RENDER_ONLY" ] || KIOSK_HOME="$(getent passwd "$KIOSK_USER" | cut -d: -f6)"
    note_edit user-created "$KIOSK_USER"
fi
# video: /dev/dri and cameras; render: /dev/dri/renderD*; input: touch panels the show reads
# itself; audio: the sound card. Not tty: X gets tty1 from the auto-login (the user owns it,
# and bash_profile names vt1, so X never opens /dev/tty0) and its devices from logind, while
# the tty group may write to every terminal on the machine (an administrator's SSH session
# included). Earlier setups added it; it is taken away again.
groups=""
for group in video input render audio; do
    if getent group "$group" >/dev/null; then groups="$groups${groups:+,}$group"; fi
done
act usermod -aG "$groups" "$KIOSK_USER"
if id -nG "$KIOSK_USER" 2>/dev/null | tr ' ' '\n' | grep -qx tty; then
    act gpasswd -d "$KIOSK_USER" tty
fi

echo "== 3/6 virtual environment $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    act install -d "$(dirname "$VENV")"
    act python3 -m venv "$VENV"
    note_edit venv-created "$VENV"  # (only a venv setup made is removed by --uninstall)
fi
act "$VENV/bin/pip" install -q --upgrade pip
if [ -n "$MODELS" ]; then
    install_torch "$MODELS"
    TORCH="$MODELS"
else
    TORCH="$(torch_build)"
    [ "$TORCH" = none ] || say "torch: the $TORCH build stays (--with-models or --with-gpu-models switch it)"
fi
act "$VENV/bin/pip" install -q "${SRC}[metrics]"
# Only the state folder becomes the kiosk user's. The rest of the show (install.toml,
# scenes, media, models) stays with its owner: the show never needs to rewrite it, and a
# recursive chown of a mistyped --show could hand a system folder to the kiosk user.
act install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$STATE"

echo "== 4/6 kiosk session (auto-login on tty1, X without cursor or blanking)"
put autologin.conf /etc/systemd/system/getty@tty1.service.d/autologin.conf
put xinitrc "$KIOSK_HOME/.xinitrc" 0755 "$KIOSK_USER"
put bash_profile "$KIOSK_HOME/.bash_profile" 0644 "$KIOSK_USER"
edit_xwrapper
# The text console must not blank either (before X starts, and if X is ever down). A file
# in /etc/default/grub.d/ is read after /etc/default/grub and after Ubuntu's own
# 50-cloudimg-settings.cfg, which replaces the command line that an edit of
# /etc/default/grub would have changed.
if [ -f "$ROOT/etc/default/grub" ]; then
    put grub-consoleblank.cfg /etc/default/grub.d/99-bayard.cfg
fi
edit_pi_cmdline

echo "== 5/6 bayard.service"
put bayard.service /etc/systemd/system/bayard.service
if [ -n "$RESTART_AT" ]; then
    put bayard-nightly-restart.service /etc/systemd/system/bayard-nightly-restart.service
    put bayard-nightly-restart.timer /etc/systemd/system/bayard-nightly-restart.timer
fi
if [ "$TORCH" = cuda ]; then
    # The show's sandbox may not load kernel modules, and CUDA needs nvidia-uvm: loaded at boot.
    put nvidia-uvm.conf /etc/modules-load.d/bayard-nvidia-uvm.conf
fi
put journald-bayard.conf /etc/systemd/journald.conf.d/bayard.conf
# Left out this time: off, and the files gone (also those of a setup too old to record them).
if [ -z "$RESTART_AT" ] && [ -e "$ROOT/etc/systemd/system/bayard-nightly-restart.timer" ]; then
    act systemctl disable --now bayard-nightly-restart.timer || true
fi
for path in /etc/systemd/system/bayard-nightly-restart.service /etc/systemd/system/bayard-nightly-restart.timer \
            /etc/modules-load.d/bayard-nvidia-uvm.conf; do
    if [ -e "$ROOT$path" ] && [ -z "$(recorded_sum "$path")" ] && ! printf '%s\n' "${WRITTEN[@]}" | grep -qx "$path"; then
        take_back "$path"
    fi
done
had_grub="$(recorded_sum /etc/default/grub.d/99-bayard.cfg)"
settle_record
install -D -m 0644 /dev/stdin "$ROOT$RECORD/options" <<OPTIONS
show=$SHOW
state=$STATE
user=$KIOSK_USER
venv=$VENV
nightly_restart=$RESTART_AT
memory_max=$MEMORY_MAX
torch=$TORCH
OPTIONS
if [ "$had_grub" != "$(recorded_sum /etc/default/grub.d/99-bayard.cfg)" ] && { [ -n "$RENDER_ONLY" ] || command -v update-grub >/dev/null; }; then
    act update-grub || true
fi
act systemctl daemon-reload
if [ -z "$RENDER_ONLY" ] && command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /etc/systemd/system/bayard.service || echo "warning: systemd-analyze reported the lines above"
fi
act systemctl enable bayard.service
[ -n "$RENDER_ONLY" ] || note_edit default-target "$(systemctl get-default || true)"
act systemctl set-default multi-user.target

echo "== 6/6 journald caps, no sleep, nightly restart"
act systemctl restart systemd-journald
# A kiosk never suspends: a sleeping machine is a dark screen. (--uninstall unmasks only
# the targets that were not masked before.)
masked=""
for target in sleep.target suspend.target hibernate.target hybrid-sleep.target; do
    if [ -n "$RENDER_ONLY" ] || [ "$(systemctl is-enabled "$target" 2>/dev/null || true)" != masked ]; then
        masked="$masked${masked:+,}$target"
    fi
done
[ -z "$masked" ] || note_edit masked "$masked"
act systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target
if [ -n "$RESTART_AT" ]; then
    act systemctl enable --now bayard-nightly-restart.timer
fi
[ "$TORCH" != cuda ] || [ -n "$RENDER_ONLY" ] || modprobe nvidia-uvm 2>/dev/null \
    || say "nvidia-uvm did not load; is the NVIDIA driver installed?"


if [ -n "$RENDER_ONLY" ]; then
    echo "wrote the kiosk files under $RENDER_ONLY"
    exit 0
fi
cat <<DONE

Done. Reboot to start the kiosk:   sudo reboot
(after an update, without a reboot: sudo systemctl restart bayard)
Then check:                        systemctl status bayard
                                   journalctl -u bayard -f
The show writes its state in:      $STATE
Install media and models first:    sudo $VENV/bin/bayard assets status --show $SHOW
DONE
