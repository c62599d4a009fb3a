# Sourced by setup-kiosk.sh: how it writes, edits and later takes back the files of a kiosk.
#
# Every path is written under $ROOT ("" on the kiosk, the --render-only folder otherwise),
# so the tests can run all of it on a copy of the files it edits. What setup did is kept in
# $RECORD (/etc/bayard/setup):
#   installed        "SHA256 PATH" of each file it wrote, as it wrote it
#   edits            "KEY VALUE": what an edited file held before setup first changed it
#   options          the options of the last run (a re-run says what changed, --uninstall reads them)
#   original/PATH    a file that was there before setup replaced it (raspi-config's autologin,
#                    an existing user's .bash_profile): --uninstall puts it back
#   edited/PATH.TIME a file of setup's that someone had edited by hand, kept when setup replaced it
# shellcheck shell=bash

RECORD=/etc/bayard/setup
WRITTEN=()   # the paths this run wrote: what a previous run wrote and this one did not is taken back

say() { echo "setup-kiosk: $*"; }

# Change the system, or in --render-only mode only say what would be run.
act() {
    if [ -n "$RENDER_ONLY" ]; then
        echo "would run: $*"
    else
        "$@"
    fi
}

sum_of() { sha256sum < "$1" | cut -d' ' -f1; }

recorded_sum() {
    [ -f "$ROOT$RECORD/installed" ] || return 0
    awk -v path="$1" '$2 == path { sum = $1 } END { if (sum) print sum }' "$ROOT$RECORD/installed"
}

recorded_paths() {
    [ -f "$ROOT$RECORD/installed" ] && awk '{ print $2 }' "$ROOT$RECORD/installed" || true
}

# A copy kept aside under the record: KIND is original (put back by --uninstall) or edited.
keep_aside() {
    local path="$1" kind="$2" copy
    copy="$RECORD/$kind$path"
    [ "$kind" = edited ] && copy="$copy.$(date +%Y%m%d-%H%M%S)"
    install -d "$(dirname "$ROOT$copy")"
    cp -p "$ROOT$path" "$ROOT$copy"
    echo "$copy"
}

# A file setup never shared with anything else: an earlier copy is an older setup's or a
# hand edit, never something to put back on --uninstall.
only_ours() {
    case "$1" in
        /etc/systemd/system/bayard*|/etc/systemd/journald.conf.d/bayard.conf|/etc/modules-load.d/bayard-*|/etc/default/grub.d/99-bayard.cfg) return 0 ;;
    esac
    # Written by an older setup-kiosk.sh, which kept no record.
    grep -qs -e 'setup-kiosk.sh' -e '^# Installed as /etc/systemd/system/getty@tty1' "$ROOT$1"
}

# put_file NEW PATH MODE [OWNER]: install NEW as PATH. A PATH that differs both from NEW and
# from what setup last wrote there was edited by hand (or is not setup's): it is kept aside
# and the technician is told where, never silently overwritten.
put_file() {
    local new="$1" path="$2" mode="$3" owner="${4:-}" target="$ROOT$2" current recorded copy
    if [ -e "$target" ]; then
        current="$(sum_of "$target")"
        recorded="$(recorded_sum "$path")"
        if [ "$current" != "$(sum_of "$new")" ] && [ "$current" != "$recorded" ]; then
            if [ -z "$recorded" ] && ! only_ours "$path"; then
                if [ ! -e "$ROOT$RECORD/original$path" ]; then
                    copy="$(keep_aside "$path" original)"
                    say "$path was there before Bayard: kept as $copy (--uninstall puts it back)"
                fi
            else
                copy="$(keep_aside "$path" edited)"
                say "$path had been changed by hand: that version is kept as $copy. Put local" \
                    "changes where setup does not write (docs/deploy.md, 'Local changes')."
            fi
        fi
    fi
    install -D -m "$mode" "$new" "$target"
    if [ -n "$owner" ] && [ -z "$RENDER_ONLY" ]; then
        chown "$owner:$owner" "$target"
    fi
    WRITTEN+=("$path")
}

# take_back PATH: remove a file setup wrote (keeping a hand-edited one aside) and put back
# the file that was there before setup, if any.
take_back() {
    local path="$1" target="$ROOT$1" recorded copy
    if [ -e "$target" ]; then
        recorded="$(recorded_sum "$path")"
        if [ -n "$recorded" ] && [ "$(sum_of "$target")" != "$recorded" ]; then
            copy="$(keep_aside "$path" edited)"
            say "$path had been changed by hand: that version is kept as $copy"
        fi
        rm -f "$target"
        say "removed $path"
        case "$path" in
            *.d/*) rmdir "$(dirname "$target")" 2>/dev/null || true ;;  # a drop-in folder left empty
        esac
    fi
    if [ -e "$ROOT$RECORD/original$path" ]; then
        install -d "$(dirname "$target")"
        mv "$ROOT$RECORD/original$path" "$target"
        say "put back the $path that was there before Bayard"
    fi
}

# After a run: what an earlier run wrote and this one did not (the timer after
# --nightly-restart was left out, the old user's files after --user changed) is taken back,
# and the record lists what is installed now.
settle_record() {
    local path written new_record
    for path in $(recorded_paths); do
        written=0
        for new_record in "${WRITTEN[@]}"; do [ "$new_record" = "$path" ] && written=1; done
        [ "$written" = 1 ] || take_back "$path"
    done
    new_record="$(mktemp)"
    for path in "${WRITTEN[@]}"; do
        echo "$(sum_of "$ROOT$path") $path" >> "$new_record"
    done
    install -D -m 0644 "$new_record" "$ROOT$RECORD/installed"
    rm -f "$new_record"
}

read_edit() {
    [ -f "$ROOT$RECORD/edits" ] || return 0
    awk -v key="$1" '$1 == key { $1 = ""; sub(/^ /, ""); print; exit }' "$ROOT$RECORD/edits"
}

# note_edit KEY VALUE: what a file or setting was before setup first changed it (kept once:
# a second run must not record setup's own change as the original).
note_edit() {
    [ -n "$(read_edit "$1")" ] && return 0
    install -d "$ROOT$RECORD"
    echo "$1 $2" >> "$ROOT$RECORD/edits"
}

# Only the user logged in on the console (tty1, by the auto-login) may start X. Xorg.wrap
# (package xserver-xorg-legacy) reads this file; without it X runs as the user who starts it
# and there is nothing to allow. "anybody" would let any account, SSH included, start X.
edit_xwrapper() {
    local file="$ROOT/etc/X11/Xwrapper.config" before
    [ -f "$file" ] || return 0
    if [ "$(grep -c '^allowed_users=' "$file")" = 1 ] && grep -qx 'allowed_users=console' "$file"; then
        return 0
    fi
    before="$(sed -n 's/^allowed_users=//p' "$file" | tail -n1)"
    note_edit xwrapper "${before:--}"
    xwrapper_set "$file" console
    say "/etc/X11/Xwrapper.config: allowed_users=console (was ${before:-unset})"
}

# xwrapper_set FILE VALUE: one allowed_users=VALUE where the first one was (or at the end),
# none if VALUE is -; the other lines as they were.
xwrapper_set() {
    local new
    new="$(mktemp)"
    awk -v value="$2" '/^allowed_users=/ { if (!done && value != "-") print "allowed_users=" value; done = 1; next }
        { print } END { if (!done && value != "-") print "allowed_users=" value }' "$1" > "$new"
    cat "$new" > "$1"
    rm -f "$new"
}

revert_xwrapper() {
    local file="$ROOT/etc/X11/Xwrapper.config" before
    before="$(read_edit xwrapper)"
    [ -n "$before" ] && [ -f "$file" ] || return 0
    xwrapper_set "$file" "$before"
    say "/etc/X11/Xwrapper.config: allowed_users back to ${before/#-/unset}"
}

# Raspberry Pi OS boots without GRUB: the kernel's command line is the one line of
# cmdline.txt on the boot partition (/boot/firmware since bookworm, /boot before).
pi_cmdline() {
    local path
    for path in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
        # Bookworm leaves a "DO NOT EDIT ... moved to /boot/firmware" note at the old place.
        if [ -f "$ROOT$path" ] && ! grep -qs 'DO NOT EDIT' "$ROOT$path"; then
            echo "$path"
            return 0
        fi
    done
}

# The text console must not blank (before X starts, and if X is ever down): consoleblank=0,
# once, on the first and only line; any other consoleblank= there is replaced.
edit_pi_cmdline() {
    local path file before
    path="$(pi_cmdline)"
    [ -n "$path" ] || return 0
    file="$ROOT$path"
    if [ "$(head -n1 "$file" | tr ' ' '\n' | grep -c '^consoleblank=')" = 1 ] \
        && head -n1 "$file" | tr ' ' '\n' | grep -qx 'consoleblank=0'; then
        return 0
    fi
    before="$(head -n1 "$file" | tr ' ' '\n' | sed -n 's/^consoleblank=//p' | head -n1)"
    note_edit cmdline "$path ${before:--}"
    cmdline_set "$file" 0
    say "$path: consoleblank=0 (the console never blanks)"
}

# cmdline_set FILE VALUE: the first line without its consoleblank= words, plus
# consoleblank=VALUE unless VALUE is -; every other line as it was.
cmdline_set() {
    local new
    new="$(mktemp)"
    awk -v value="$2" 'NR == 1 {
            line = ""
            for (i = 1; i <= NF; i++) if ($i !~ /^consoleblank=/) line = line (line == "" ? "" : " ") $i
            if (value != "-") line = line (line == "" ? "" : " ") "consoleblank=" value
            print line
            next
        } { print }' "$1" > "$new"
    cat "$new" > "$1"   # in place: keeps the file's owner and mode on the FAT boot partition
    rm -f "$new"
}

revert_pi_cmdline() {
    local edit path before
    edit="$(read_edit cmdline)"
    [ -n "$edit" ] || return 0
    path="${edit% *}"
    before="${edit##* }"
    [ -f "$ROOT$path" ] || return 0
    cmdline_set "$ROOT$path" "$before"
    say "$path: consoleblank ${before/#-/removed}"
}

# X needs a logind session for the kiosk user on tty1: logind hands the rootless X server the
# screen and the input devices. Its PAM module (libpam-systemd) is missing from a minimal
# Debian; without it X fails at every login and the screen stays on the console.
logind_missing() {
    local session="$ROOT/etc/pam.d/common-session"
    [ -f "$session" ] && ! grep -Eqs '^[^#]*pam_systemd\.so' "$session"
}

logind_fix() {
    echo "the kiosk user gets no logind session (/etc/pam.d/common-session does not call pam_systemd)," \
        "so X on tty1 cannot open the screen and input devices and the screen stays on the console." \
        "Install it: sudo apt-get install libpam-systemd (and, if common-session still lacks" \
        "pam_systemd: sudo pam-auth-update --enable systemd), then run this again"
}

# Which torch is in the venv: none, cpu or cuda, read from torch/version.py (no import: a
# broken CUDA setup must not stop setup from replacing it).
torch_build() {
    local version_file found=""
    for version_file in "$VENV"/lib/python3*/site-packages/torch/version.py; do
        [ -f "$version_file" ] && found="$version_file" && break
    done
    version_file="$found"
    if [ -z "$version_file" ]; then
        echo none
    elif grep -Eq '^cuda[^=]*= *None' "$version_file"; then
        echo cpu
    elif grep -Eq "^cuda[^=]*= *['\"]" "$version_file"; then
        echo cuda
    else
        echo unknown
    fi
}

# The CUDA libraries and compiler that PyPI's torch pulls in (several GB): nothing else in
# the venv uses them once the CPU build replaces it.
cuda_packages() {
    local info
    for info in "$VENV"/lib/python3*/site-packages/nvidia_*.dist-info "$VENV"/lib/python3*/site-packages/triton-*.dist-info; do
        [ -d "$info" ] || continue
        info="$(basename "$info")"
        echo "${info%%-*}"
    done
}

# install_torch cpu|cuda: the build asked for. pip keeps an installed torch whatever its
# build ("Requirement already satisfied"), so a kiosk moving between the CPU and the CUDA
# build gets the old one removed first.
install_torch() {
    local want="$1" have packages
    have="$(torch_build)"
    if [ "$have" = "$want" ]; then
        say "torch: the $want build is installed"
        return 0
    fi
    if [ "$have" != none ]; then
        say "torch: replacing the $have build with the $want build"
        act "$VENV/bin/pip" uninstall -y -q torch
        packages="$(cuda_packages | tr '\n' ' ')"
        if [ "$want" = cpu ] && [ -n "$packages" ]; then
            # shellcheck disable=SC2086  # one word per package
            act "$VENV/bin/pip" uninstall -y -q $packages
        fi
    fi
    if [ "$want" = cpu ]; then
        act "$VENV/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu
    else
        act "$VENV/bin/pip" install -q torch
    fi
}

read_option() {
    [ -f "$ROOT$RECORD/options" ] || return 0
    sed -n "s/^$1=//p" "$ROOT$RECORD/options" | tail -n1
}
