#!/usr/bin/env bash
# Turn a Debian 12 or Ubuntu 24.04 mini-PC into a Bayard kiosk. Run as root from a checkout:
#
#   sudo deploy/setup-kiosk.sh --show /srv/bayard/show [--user bayard] [--nightly-restart 04:30]
#
# What it does (each step is safe to repeat; docs/deploy.md explains every one):
#   1. installs X, Python and small tools with apt
#   2. creates the kiosk user (no password) in the video/input/render/audio groups
#   3. builds a virtual environment in /opt/bayard/venv and installs Bayard into it
#   4. auto-login on tty1 -> X with no cursor and no blanking -> ~/.xinitrc
#   5. installs bayard.service (Type=notify, watchdog, restarts forever) and enables it
#   6. caps journald, masks sleep/suspend, optionally enables a nightly restart timer
#
# --render-only DIR writes the configured files into DIR and changes nothing else
# (used by the tests and to review what would be installed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
KIOSK_USER="bayard"
SHOW=""
STATE=""
VENV="/opt/bayard/venv"
RESTART_AT=""
MEMORY_MAX="75%"
WITH_MODELS=0
RENDER_ONLY=""

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    cat <<USAGE

Options:
  --show DIR              the show folder (install.toml, scenes/, content/, models/)  [required]
  --state DIR             the show's state folder, the only one it may write ([show] state;
                          default: DIR/var)
  --user NAME             kiosk user to create and log in automatically (default: bayard)
  --venv DIR              virtual environment (default: /opt/bayard/venv)
  --nightly-restart HH:MM restart the show every night at this time (when the museum is closed)
  --memory-max VALUE      memory ceiling for the show, e.g. 75% or 6G (default: 75%)
  --with-models           also install torch (CPU build) for the portrait and quiz models
  --with-gpu-models       the same with torch's CUDA build (several GB), for a kiosk with an
                          NVIDIA GPU and its driver; loads nvidia-uvm at every boot
  --render-only DIR       only write the configured files into DIR
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
        --with-models) WITH_MODELS=1; shift ;;
        --with-gpu-models) WITH_MODELS=2; shift ;;
        --render-only) RENDER_ONLY="${2:?--render-only needs a folder}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

[ -n "$SHOW" ] || die "--show DIR is required (the folder holding install.toml)"
[[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "'$KIOSK_USER' is not a valid user name"
# The show runs sandboxed as this user: never as root or a system account.
[ "$KIOSK_USER" != root ] || die "--user root: the show must not run as root; give a user of its own (default: bayard)"
if [ -n "$RESTART_AT" ] && ! [[ "$RESTART_AT" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then
    die "--nightly-restart '$RESTART_AT' is not a time; write HH:MM, e.g. 04:30"
fi
case "$SHOW" in /*) ;; *) SHOW="$(pwd)/$SHOW" ;; esac
[ -n "$STATE" ] || STATE="$SHOW/var"
case "$STATE" in /*) ;; *) STATE="$(pwd)/$STATE" ;; esac
# The folders go into the unit's ExecStart= and ReadWritePaths=, which split on spaces and
# read % as a specifier (and sed reads & and |): such a name would leave a unit that cannot
# start, restarting every 3 s behind a dark screen.
for folder in "$SHOW" "$STATE" "$VENV"; do
    [[ "$folder" =~ ^[A-Za-z0-9/._+-]+$ ]] || die "'$folder': use a folder name of letters, digits and / . _ + - only (no spaces)"
done

# Fill the @...@ placeholders of a template.
# @HOME@ is the kiosk user's real home (getent): an existing user's may not be /home/NAME,
# and the unit's XAUTHORITY must point at the .Xauthority X really writes.
KIOSK_HOME="$(getent passwd "$KIOSK_USER" 2>/dev/null | cut -d: -f6 || true)"
[ -n "$KIOSK_HOME" ] || KIOSK_HOME="/home/$KIOSK_USER"
render() {
    sed -e "s|@USER@|$KIOSK_USER|g" -e "s|@HOME@|$KIOSK_HOME|g" -e "s|@SHOW@|$SHOW|g" -e "s|@STATE@|$STATE|g" \
        -e "s|@VENV@|$VENV|g" -e "s|@SRC@|$SRC|g" \
        -e "s|@RESTART_AT@|$RESTART_AT|g" -e "s|@MEMORY_MAX@|$MEMORY_MAX|g" "$1"
}

# Where each file goes, relative to the file system root.
write_all() {
    local root="$1" home="$2"
    install -d "$root/etc/systemd/system/getty@tty1.service.d" "$root/etc/systemd/journald.conf.d" "$home"
    render "$HERE/bayard.service" > "$root/etc/systemd/system/bayard.service"
    render "$HERE/autologin.conf" > "$root/etc/systemd/system/getty@tty1.service.d/autologin.conf"
    cp "$HERE/journald-bayard.conf" "$root/etc/systemd/journald.conf.d/bayard.conf"
    if [ -n "$RESTART_AT" ]; then
        cp "$HERE/bayard-nightly-restart.service" "$root/etc/systemd/system/"
        render "$HERE/bayard-nightly-restart.timer" > "$root/etc/systemd/system/bayard-nightly-restart.timer"
    fi
    install -m 0755 "$HERE/xinitrc" "$home/.xinitrc"
    install -m 0644 "$HERE/bash_profile" "$home/.bash_profile"
}

if [ -n "$RENDER_ONLY" ]; then
    write_all "$RENDER_ONLY" "$RENDER_ONLY/home/$KIOSK_USER"
    echo "wrote the kiosk files under $RENDER_ONLY"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root: sudo $0 $*"
command -v apt-get >/dev/null || die "this script is for Debian/Ubuntu (apt-get not found)"
# Checked before anything is installed: Bayard needs Python 3.11 (tomllib), which Debian 12
# and Ubuntu 24.04 have; Ubuntu 22.04's 3.10 failed at step 3, after the packages and the user.
command -v python3 >/dev/null && ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    && die "Python $(python3 -c 'import platform; print(platform.python_version())') is too old: Bayard needs 3.11 or newer (Debian 12, Ubuntu 24.04)"
[ -f "$SHOW/install.toml" ] || die "$SHOW has no install.toml; give --show the show folder"

echo "== 1/6 packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# unclutter may be called unclutter-xfixes on newer releases; either is fine, neither is required.
apt-get install -y -q --no-install-recommends \
    python3 python3-venv python3-pip xserver-xorg-core xserver-xorg-input-libinput \
    xserver-xorg-video-all xinit x11-xserver-utils fonts-dejavu-core ca-certificates
apt-get install -y -q --no-install-recommends unclutter || true

echo "== 2/6 kiosk user '$KIOSK_USER'"
if ! id "$KIOSK_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$KIOSK_USER"
    passwd --lock "$KIOSK_USER" >/dev/null  # no password: it only ever logs in automatically
fi
for group in video input render audio tty; do
    getent group "$group" >/dev/null && usermod -aG "$group" "$KIOSK_USER"
done
HOME_DIR="$(getent passwd "$KIOSK_USER" | cut -d: -f6)"

echo "== 3/6 virtual environment $VENV"
install -d "$(dirname "$VENV")"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
if [ "$WITH_MODELS" -eq 1 ]; then
    # The CPU build: the CUDA one is several GB and a mini-PC has no NVIDIA GPU.
    "$VENV/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu
elif [ "$WITH_MODELS" -eq 2 ]; then
    # PyPI's Linux x86-64 torch is the CUDA build. The show's sandbox may not load kernel
    # modules, and CUDA needs nvidia-uvm, so it is loaded at every boot.
    "$VENV/bin/pip" install -q torch
    echo nvidia-uvm > /etc/modules-load.d/bayard-nvidia-uvm.conf
    modprobe nvidia-uvm 2>/dev/null || echo "setup-kiosk: nvidia-uvm did not load; is the NVIDIA driver installed?" >&2
fi
"$VENV/bin/pip" install -q "$SRC[metrics]"
# Only the state folder becomes the kiosk user's. The rest of the show (install.toml,
# scenes, media, models) stays with its owner: the show never needs to rewrite it, and a
# recursive chown of a mistyped --show could hand a system folder to the kiosk user.
install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$STATE"

echo "== 4/6 kiosk session (auto-login on tty1, X without cursor or blanking)"
write_all "" "$HOME_DIR"
chown "$KIOSK_USER:$KIOSK_USER" "$HOME_DIR/.xinitrc" "$HOME_DIR/.bash_profile"
# Let the user logged in on the console (tty1, by the auto-login) start X, and nobody
# else: "anybody" would let any local account, an SSH session included, start an X server.
if [ -f /etc/X11/Xwrapper.config ] && grep -q '^allowed_users=' /etc/X11/Xwrapper.config; then
    sed -i 's/^allowed_users=.*/allowed_users=console/' /etc/X11/Xwrapper.config
else
    printf 'allowed_users=console\nneeds_root_rights=auto\n' >> /etc/X11/Xwrapper.config
fi
# The text console must not blank either (before X starts, and if X is ever down).
if [ -f /etc/default/grub ] && ! grep -q consoleblank=0 /etc/default/grub; then
    sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"/GRUB_CMDLINE_LINUX_DEFAULT="\1 consoleblank=0"/' /etc/default/grub
    command -v update-grub >/dev/null && update-grub || true
fi

echo "== 5/6 bayard.service"
systemctl daemon-reload
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /etc/systemd/system/bayard.service || echo "warning: systemd-analyze reported the lines above"
fi
systemctl enable bayard.service
systemctl set-default multi-user.target

echo "== 6/6 journald caps, no sleep, nightly restart"
systemctl restart systemd-journald
# A kiosk never suspends: a sleeping machine is a dark screen.
systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target >/dev/null
if [ -n "$RESTART_AT" ]; then
    systemctl enable --now bayard-nightly-restart.timer
else
    systemctl disable --now bayard-nightly-restart.timer 2>/dev/null || true
fi

cat <<DONE

Done. Reboot to start the kiosk:   sudo reboot
Then check:                        systemctl status bayard
                                   journalctl -u bayard -f
Install media and models first:    sudo -u $KIOSK_USER $VENV/bin/bayard assets status --show $SHOW
DONE
