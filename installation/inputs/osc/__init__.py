"""OSC remote control for the show technician: an address table under /bayard, access
control with view/control tiers, UDP and TCP+SLIP transport, pushed events.

`OscServer(config, queue.post).start()` is all the engine needs; `server.push(...)`
sends events and `server.stats()` feeds the status reply."""

from .addresses import ADDRESSES, Address
from .binding import OscStartError
from .config import OscConfig, Passcodes
from .dispatch import Dispatcher, Peer
from .pattern import matches, scene_matches
from .server import OscServer

__all__ = [
    "ADDRESSES",
    "Address",
    "Dispatcher",
    "OscConfig",
    "OscServer",
    "OscStartError",
    "Passcodes",
    "Peer",
    "matches",
    "scene_matches",
]
