# Sourced by setup-kiosk.sh: `setup-kiosk.sh --uninstall [--purge]` takes off what setup put
# on the machine, from its record in /etc/bayard/setup (kiosk-files.sh), and says what it
# kept and where. The show folder is never removed; the state (statistics, recordings, the
# last-good copy), the logs and the kiosk user are kept unless --purge.
# shellcheck shell=bash

uninstall() {
    local user show state venv path before created home kept=()
    [ -f "$ROOT$RECORD/options" ] || die "no record of a Bayard kiosk here ($RECORD/options): a kiosk set up by an older setup-kiosk.sh has none; run setup-kiosk.sh once more with its options (it records what it installs), then --uninstall"
    user="$(read_option user)"
    show="$(read_option show)"
    state="$(read_option state)"
    venv="$(read_option venv)"

    echo "== 1/4 stopping the show"
    act systemctl disable --now bayard-nightly-restart.timer || true
    act systemctl disable --now bayard.service || true

    echo "== 2/4 files setup installed (units, auto-login, journald caps, GRUB, nvidia-uvm, X session)"
    for path in $(recorded_paths); do
        take_back "$path"
    done
    if [ -n "$(recorded_sum /etc/default/grub.d/99-bayard.cfg)" ] && { [ -n "$RENDER_ONLY" ] || command -v update-grub >/dev/null; }; then
        act update-grub || true
    fi
    revert_xwrapper
    revert_pi_cmdline
    # The technician's drop-ins (systemctl edit bayard) belong to a unit that is gone: set aside.
    path=/etc/systemd/system/bayard.service.d
    if [ -d "$ROOT$path" ]; then
        install -d "$ROOT$RECORD/edited${path%/*}"
        mv "$ROOT$path" "$ROOT$RECORD/edited$path.$(date +%Y%m%d-%H%M%S)"
        say "moved your drop-ins $path to $RECORD/edited/"
    fi

    echo "== 3/4 system settings"
    before="$(read_edit masked)"
    # shellcheck disable=SC2086  # one word per target
    [ -z "$before" ] || act systemctl unmask ${before//,/ }
    before="$(read_edit default-target)"
    [ -z "$before" ] || [ "$before" = multi-user.target ] || act systemctl set-default "$before"
    act systemctl daemon-reload
    act systemctl restart systemd-journald
    if [ -n "$venv" ] && [ "$(read_edit venv-created)" = "$venv" ]; then
        act rm -rf "$venv"
    elif [ -n "$venv" ]; then
        kept+=("the virtual environment: $venv (it was there before setup; rm -r it yourself)")
    fi
    act rm -rf /var/cache/bayard

    echo "== 4/4 what is kept"
    kept+=("the show folder: $show (never removed by setup; rm -r it yourself)")
    created="$(read_edit user-created)"
    if [ "$PURGE" = 1 ]; then
        # Never the show folder, nor a folder holding it (setup refuses such a state folder;
        # a record from before that check may still name one).
        case "$(realpath -m "$show")/" in
            "$(realpath -m "$state")/"*) kept+=("the state folder: $state (it holds the show folder: not deleted)") ;;
            *) act rm -rf "$state" ;;
        esac
        act rm -rf /var/lib/bayard /var/log/bayard
        home="$(getent passwd "$user" 2>/dev/null | cut -d: -f6 || true)"
        if [ "$created" = "$user" ] && [ -n "$home" ] && [[ "$(realpath -m "$show")/" == "$(realpath -m "$home")/"* ]]; then
            act userdel "$user"
            kept+=("the home folder $home of the removed user $user: it holds the show folder")
        elif [ "$created" = "$user" ]; then
            act userdel --remove "$user"
        fi
    else
        kept+=("the state folder: $state (statistics, screenshots, recordings, the last-good copy; --purge deletes it)")
        kept+=("the restart history: /var/lib/bayard, and the show's logs: /var/log/bayard (--purge deletes them)")
    fi
    if [ "$created" != "$user" ]; then
        kept+=("the user $user: it was there before Bayard")
    elif [ "$PURGE" = 0 ]; then
        kept+=("the user $user and its home (--purge deletes them)")
    fi
    if [ -e "$ROOT/etc/bayard/passcodes.toml" ]; then
        kept+=("the OSC passcodes: /etc/bayard/passcodes.toml")
    fi
    if [ -d "$ROOT$RECORD/edited" ]; then
        kept+=("copies of files edited by hand, and your drop-ins: $RECORD/edited/")
    fi
    rm -rf "$ROOT$RECORD/installed" "$ROOT$RECORD/edits" "$ROOT$RECORD/options" "$ROOT$RECORD/original"
    rmdir "$ROOT$RECORD" "$ROOT/etc/bayard" 2>/dev/null || true
    for path in "${kept[@]}"; do
        echo "kept $path"
    done
    echo "Bayard is off this machine. Reboot to leave the kiosk session: sudo reboot"
}
