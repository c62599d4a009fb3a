"""The `[osc]` section of install.toml: where the show listens, who may talk to it, and
where it pushes events. The lead nests `OscConfig` in the show schema."""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...runtime.files import read_text

DEFAULT_PORT = 9000
# Large enough for a 1,000-message burst of small packets. Linux caps it at
# net.core.rmem_max; the server logs what it really got.
DEFAULT_RECV_BUFFER = 4 * 1024 * 1024


def _network(value: str) -> str:
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError as exc:
        raise ValueError(
            f'\'{value}\' is not a network; write one like "192.168.1.0/24" or a single address "10.0.0.5"'
        ) from exc
    return value.strip()


def split_host_port(value: str) -> tuple[str, int]:
    """'desk.local:8000', '10.0.0.9:53000' or '[::1]:9001' -> (host, port)."""
    text = value.strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, sep, port_text = text.rpartition(":")
    if not host or not sep or not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"'{value}' is not host:port; write one like \"10.0.0.9:53000\"")
    return host, int(port_text)


def _push_target(value: str) -> str:
    split_host_port(value)
    return value.strip()


Network = Annotated[str, AfterValidator(_network)]
PushTarget = Annotated[str, AfterValidator(_push_target)]

# Passcode checks are limited to about ten a second across all senders (limits.py); at
# that rate 8 random letters and digits hold out for centuries, 4 digits for 17 minutes.
MIN_PASSCODE = 8
_COMMON = ("password", "passcode", "bayard", "qwerty", "letmein", "admin", "1234", "abcd", "museum")


def _passcode(value: str | None) -> str | None:
    if value is not None and len(value) < MIN_PASSCODE:
        raise ValueError(
            f"a passcode needs at least {MIN_PASSCODE} characters (this one has {len(value)}); "
            'a short one is guessed in minutes. Choose one like "tide-lantern-42"'
        )
    return value


Passcode = Annotated[str | None, AfterValidator(_passcode)]


def weakness(passcode: str) -> str | None:
    """Why a passcode that passed validation is still easy to guess, or None."""
    lowered = passcode.lower()
    if passcode.isdigit():
        return "only digits"
    if len(set(passcode)) <= 3:
        return "three or fewer different characters"
    for word in _COMMON:
        if word in lowered:
            return f"contains '{word}'"
    return None


class Passcodes(BaseModel):
    """QLab-like tiers. A sender sends `/bayard/connect <passcode>` once; the tier is
    remembered for its address. With no passcodes at all, every allowed sender has control."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan

    view: Passcode = Field(
        default=None,
        description="passcode that lets a sender query (status, ping, info, subscribe); "
        f"omitted means querying needs no passcode; at least {MIN_PASSCODE} characters",
    )
    control: Passcode = Field(
        default=None,
        description="passcode that lets a sender change the show (next, goto, blackout, reload, ...); "
        f"at least {MIN_PASSCODE} characters",
    )

    @model_validator(mode="after")
    def _tiers_make_sense(self) -> Passcodes:
        if self.view is not None and self.control is None:
            raise ValueError(
                "a view passcode without a control passcode would leave control open to everyone; "
                'set control = "..." too'
            )
        if self.view is not None and self.view == self.control:
            raise ValueError("view and control passcodes are the same; choose two different ones")
        return self

    def weaknesses(self) -> list[str]:
        """One line per weak passcode, for the start-up log."""
        out = []
        for tier in ("view", "control"):
            code = getattr(self, tier)
            why = weakness(code) if code else None
            if why:
                out.append(f"the {tier} passcode is weak ({why}); choose a longer phrase of unrelated words")
        return out


class PasscodeFileError(ValueError):
    """The passcodes file cannot be used; the message names the file and the fix."""


def read_passcodes_file(path: Path) -> tuple[Passcodes, str | None]:
    """Passcodes from their own TOML file (`view = "..."`, `control = "..."`), and a
    warning when others than the service's user may read it."""
    try:
        info = path.stat()
        data = tomllib.loads(read_text(path))
    except FileNotFoundError as exc:
        raise PasscodeFileError(
            f"{path}: passcodes file not found; create it or fix [osc] passcodes_file"
        ) from exc
    except PermissionError as exc:
        raise PasscodeFileError(
            f"{path}: cannot read the passcodes file (permission denied); make it readable by the "
            "show's user: chown bayard and chmod 600, or pass it with LoadCredential= (docs/deploy.md)"
        ) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PasscodeFileError(f"{path}: {exc}; write it as view = \"...\" and control = \"...\"") from exc
    try:
        codes = Passcodes.model_validate(data)
    except ValidationError as exc:
        # Each problem by key and reason only: pydantic's own text repeats the value, here a passcode.
        said = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise PasscodeFileError(
            f"{path}: {said}; write it as view = \"...\" and control = \"...\" (in quotes)") from None
    warning = None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        warning = f"{path}: the passcodes file may be read by other users; chmod 600 {path}"
    return codes, warning


class OscConfig(BaseModel):
    """Remote control and monitoring over OSC (UDP, optionally TCP with SLIP framing)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan

    enabled: bool = Field(default=True, description="listen for OSC at all")
    host: str = Field(
        default="0.0.0.0",
        description='interface address to bind ("0.0.0.0" all IPv4, "::" all IPv6, "127.0.0.1" this '
        "machine only); who may send is decided by `allow`",
    )
    port: int = Field(
        default=DEFAULT_PORT,
        ge=0,
        le=65535,
        description="UDP port (and TCP port when tcp = true); 0 picks a free one",
    )
    tcp: bool = Field(
        default=False,
        description="also accept OSC 1.1 over TCP with SLIP framing on the same port (TouchOSC, QLab)",
    )
    allow: list[Network] = Field(
        default_factory=lambda: ["127.0.0.0/8", "::1/128"],
        description="networks allowed to send (CIDR); others are refused and counted. Add the gallery LAN, "
        'for example "192.168.1.0/24"',
    )
    passcodes: Passcodes = Field(
        default_factory=Passcodes,
        description="optional passcodes for /bayard/connect; none means every allowed sender has control",
    )
    passcodes_file: str | None = Field(
        default=None,
        min_length=1,
        description="read the passcodes from this TOML file instead (view = ..., control = ...), "
        "kept readable only by the show's user; relative to install.toml; $VARIABLES are expanded, "
        "so ${CREDENTIALS_DIRECTORY}/passcodes works with systemd's LoadCredential=",
    )
    session_idle_min: float = Field(
        default=60,
        ge=0,
        le=7 * 24 * 60,
        description="minutes after which a tier claimed with /bayard/connect lapses when its address sends "
        "nothing but pings (a laptop left on the gallery network kept control until the show restarted; a "
        "view tier's pings keep it, for monitors); "
        "the sender must connect again. 0: never lapses",
    )
    push: list[PushTarget] = Field(
        default_factory=list,
        description="host:port targets that always receive pushed events (/bayard/event/...), "
        "for sound and light desks",
    )
    screenshots: str | None = Field(
        default=None,
        min_length=1,
        description="folder where /bayard/screenshot saves PNGs, relative to install.toml; "
        "omitted: screenshots/ in the [show] state folder",
    )
    recv_buffer: int = Field(
        default=DEFAULT_RECV_BUFFER,
        ge=64 * 1024,
        le=256 * 1024 * 1024,
        description="socket receive buffer in bytes; large so a burst is not lost while a frame renders",
    )

    @model_validator(mode="after")
    def _one_source_of_passcodes(self) -> OscConfig:
        if self.passcodes_file is not None and (self.passcodes.view or self.passcodes.control):
            raise ValueError("set passcodes or passcodes_file, not both; keep them in the file")
        return self

    def with_passcodes_file(self, root: Path) -> tuple[OscConfig, str | None]:
        """This config with `passcodes_file` read in (relative to `root`, the folder of
        install.toml). Raises PasscodeFileError: running with no passcodes instead would
        open control to every allowed sender."""
        if self.passcodes_file is None:
            return self, None
        path = Path(os.path.expandvars(self.passcodes_file))
        codes, warning = read_passcodes_file(path if path.is_absolute() else root / path)
        return self.model_copy(update={"passcodes": codes}), warning

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.allow]

    def push_targets(self) -> list[tuple[str, int]]:
        return [split_host_port(p) for p in self.push]
