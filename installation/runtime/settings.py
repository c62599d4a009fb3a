"""The [runtime] table of install.toml, and where the show's state and logs go.

Apart from service.py (the object that runs them) so the show's schema (config/show.py)
and `bayard check` read these without the runtime's machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class RuntimeConfig(BaseModel):
    """The [runtime] table of install.toml (all optional). Opening hours are [hours]."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan

    closed_display: Literal["auto", "dpms", "screen"] = Field(
        default="auto",
        description="outside hours: 'dpms' switches the monitor off, 'screen' shows a black screen with a "
                    "large clock, 'auto' tries dpms and falls back to the screen",
    )
    watch: bool = Field(default=True, description="reload the show when install.toml or scenes/ change")
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, description="serve Prometheus metrics on this port; omitted: off"
    )
    # Localhost unless configured: the figures (scenes, errors, memory) are nobody's
    # business on the gallery network until someone chooses to scrape them from it.
    metrics_bind: str = Field(
        default="127.0.0.1",
        description='address the metrics endpoint listens on; "0.0.0.0" lets the network scrape it',
    )

    @field_validator("metrics_bind")
    @classmethod
    def _an_address(cls, value: str) -> str:
        import ipaddress

        try:
            ipaddress.ip_address(value)
        except ValueError:
            # (A wrong address logged "choose another port" when the show started.)
            raise ValueError(f"'{value}' is not an IP address: use \"127.0.0.1\" (this machine only) or "
                             "\"0.0.0.0\" (any network), or the address of one of this machine's interfaces") from None
        return value
    restart_budget: int = Field(default=3, ge=1, le=100, description="starts tolerated within restart_window_min")
    restart_window_min: float = Field(default=30, gt=0, description="minutes over which starts are counted")
    safe_retry_min: float = Field(default=60, gt=0, description="minutes in safe mode before the full show is retried")
    log_max_mb: float = Field(default=1.0, gt=0, le=100, description="size of one log file before it rotates")
    log_files: int = Field(default=5, ge=1, le=50, description="rotated log files kept")
    # A film on a USB stick plays from a copy on the show's disk (media/staging.py), so the
    # stick may be unmounted while it plays; 0 plays films from where they lie.
    film_cache_mb: float = Field(
        default=4096, ge=0, le=1_000_000,
        description="room for copies of films that lie on another drive (a USB stick), copied to the show's "
                    "disk before they play so the stick can be taken out; 0: play them from the stick",
    )


def state_dirs(default_state: Path, env: Mapping[str, str]) -> tuple[Path, Path]:
    """Where state and logs go: systemd's StateDirectory/LogsDirectory when under the unit,
    else the show's state folder ([show] state) and its logs/ for development."""
    state = env.get("STATE_DIRECTORY") or env.get("BAYARD_STATE_DIR")
    logs = env.get("LOGS_DIRECTORY") or env.get("BAYARD_LOG_DIR")
    state_path = Path(state.split(":")[0]) if state else default_state
    logs_path = Path(logs.split(":")[0]) if logs else state_path / "logs"
    return state_path, logs_path
