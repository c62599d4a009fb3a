"""Bayard: an exhibition installation engine for shows about synthetic media.

The package is split into rooms:

- ``engine``, ``sequencer``, ``transitions``: the render loop and what plays when.
- ``config``: the show file and scene files, validated with messages an artist can act on.
- ``scenes``: scene kinds, registered by their TOML ``type``.
- ``inputs``: keys, touch and OSC, all turned into one ``Command`` vocabulary.
- ``models``: model families (motion transfer, detectors, generators) behind registries.
- ``runtime``: unattended operation (opening hours, watchdog, hot reload, assets).
"""

import os as _os

# pygame prints a banner on import; a kiosk's logs have no use for it.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"
