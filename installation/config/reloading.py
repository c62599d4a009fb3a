"""What a reload of install.toml can change while the show plays, and what waits for a restart.

Scenes, playlist, content, camera, models and attract settings are read as each scene
starts, so a reload brings them in at the next scene. Opening hours, the overlay's PIN, the
log level and the film cache's limit are applied by their owners at once (Engine.reload_hooks).
The rest is set up once, when the show starts: the window, the input devices, the unattended runtime's
logs, metrics and watchdog. A reload that changed one of those used to say "show
reloaded" while nothing changed; now it says which key waits for a restart.
"""

from __future__ import annotations

from typing import Any

# Sections (or section.key) read only when the show starts.
START_ONLY = ("display", "inputs.keyboard", "inputs.touch", "runtime", "show.state")
# ...less these, which their owners apply at once (the film cache's limit: runtime/attach.py).
AT_ONCE = ("runtime.film_cache_mb",)

RESTART_HINT = "sudo systemctl restart bayard, or quit and start `bayard run` again"


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix: data}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        flat.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def changed_keys(before: Any, after: Any, section: str) -> list[str]:
    """Dotted keys under `section` whose values differ between two ShowConfigs."""
    old = _flat(getattr(before, section).model_dump(mode="json"), section)
    new = _flat(getattr(after, section).model_dump(mode="json"), section)
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def start_only_changes(before: Any, after: Any) -> list[str]:
    """Keys a reload changed that take effect only when the show starts again."""
    found: list[str] = []
    for entry in START_ONLY:
        section = entry.split(".", 1)[0]
        found += [key for key in changed_keys(before, after, section)
                  if (key == entry or key.startswith(entry + ".")) and key not in AT_ONCE]
    return found
