"""The `[osc]` section of install.toml: where the show listens, who may talk to it, and
where it pushes events. The lead nests `OscConfig` in the show schema."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

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


class Passcodes(BaseModel):
    """QLab-like tiers. A sender sends `/bayard/connect <passcode>` once; the tier is
    remembered for its address. With no passcodes at all, every allowed sender has control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    view: str | None = Field(
        default=None,
        min_length=1,
        description="passcode that lets a sender query (status, ping, info, subscribe); "
        "omitted means querying needs no passcode",
    )
    control: str | None = Field(
        default=None,
        min_length=1,
        description="passcode that lets a sender change the show (next, goto, blackout, reload, ...)",
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


class OscConfig(BaseModel):
    """Remote control and monitoring over OSC (UDP, optionally TCP with SLIP framing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.allow]

    def push_targets(self) -> list[tuple[str, int]]:
        return [split_host_port(p) for p in self.push]
