"""The pong carries what a monitoring script needs at a glance, without breaking senders
that only look for /bayard/pong."""

from __future__ import annotations

import pytest

from installation import __version__
from installation.harness import run_test
from installation.inputs.osc import Peer, wire
from installation.inputs.osc.service import attach

from .conftest import title_scene, write_show
from .probe import probe
from .test_osc_dispatch import LOCAL, Rig

CONTROL = "drive-the-show"
VIEW = "look-at-the-show"


def pongs(replies) -> list[tuple]:
    return [args for address, args in replies if address == "/bayard/pong"]


@pytest.mark.injects_faults
def test_the_pong_says_open_or_closed_the_scene_problems_and_version(tmp_path):
    """It carried nothing: a monitor learnt the show was alive, not whether it was closed, what
    was showing, or that a scene had failed, without a status request (too big for UDP)."""
    show = write_show(tmp_path, {"intro": title_scene("intro", duration=30),
                                 "broken": probe("broken", fail_in="draw", duration=30)})
    with run_test(show, raise_faults=False) as pilot:
        attach(pilot.engine, start=False)
        pilot.osc("/bayard/ping")
        assert pongs(pilot.replies)[-1] == ("open", "intro", 0, __version__)
        pilot.osc("/bayard/goto", "broken")
        pilot.advance(2.0)  # it fails as it draws: the show goes on without it
        pilot.osc("/bayard/ping")
        state, scene, problems, _ = pongs(pilot.replies)[-1]
        assert (state, problems) == ("open", 1) and scene != "broken"


def test_the_pong_says_closed_while_the_hours_keep_the_show_dark(tmp_path):
    from installation.runtime.attach import attach as attach_runtime
    from installation.runtime.service import RuntimeConfig

    show = write_show(tmp_path, {"intro": title_scene("intro", duration=30)})
    with run_test(show) as pilot:
        attach_runtime(pilot.engine, env={}, config=RuntimeConfig(watch=False))
        attach(pilot.engine, start=False)
        pilot.osc("/bayard/hours", "closed")
        pilot.advance(1.0)
        pilot.osc("/bayard/ping")
        assert pongs(pilot.replies)[-1][0] == "closed"
        pilot.osc("/bayard/hours", "auto")
        pilot.advance(1.0)
        pilot.osc("/bayard/ping")
        assert pongs(pilot.replies)[-1][0] == "open"


def state_rig(**config) -> Rig:
    rig = Rig(**config)
    rig.d.summary = lambda: ("open", "intro", 0, __version__)
    return rig


def test_a_sender_that_may_not_query_gets_the_bare_pong():
    rig = state_rig(passcodes={"view": VIEW, "control": CONTROL})
    rig.feed("/bayard/ping")
    rig.feed("/bayard/connect", VIEW)
    rig.feed("/bayard/ping")
    assert pongs(rig.replies()) == [(), ("open", "intro", 0, __version__)]


def test_a_state_too_big_for_a_udp_ping_still_gets_its_sign_of_life():
    rig = state_rig(passcodes={"control": CONTROL})  # everyone may query, nobody controls
    rig.d.summary = lambda: ("open", "a-scene-with-a-rather-long-identifier", 3, __version__)
    rig.feed("/bayard/ping")  # 20 bytes: 80 bytes of replies
    rig.d.feed(wire.encode_message("/bayard/ping"), Peer("127.0.0.1", 41_000, "tcp", conn=3))
    (udp, tcp) = pongs(rig.replies())
    assert udp == () and tcp[1] == "a-scene-with-a-rather-long-identifier"
    assert rig.d.counters["withheld"] == 0


def test_python_osc_reads_the_pong_and_its_state():
    """A sender that only looks at the address still finds /bayard/pong; python-osc (as a
    monitoring script uses it) decodes the state."""
    from pythonosc.osc_message import OscMessage

    rig = state_rig()
    rig.d.feed(wire.encode_message("/bayard/ping", 9001), LOCAL)
    (peer, message), = rig.sent
    decoded = OscMessage(wire.encode_message(message.address, *message.args))
    assert peer.port == 9001 and decoded.address == "/bayard/pong"
    assert decoded.params == ["open", "intro", 0, __version__]


def test_a_monitor_that_only_pings_keeps_the_view_it_connected_for():
    """A dashboard connects with the view passcode and then only pings: an hour on its
    session lapsed and its pong went bare, with no word why. (Pings never keep control:
    tests/test_osc_sessions.py.)"""
    rig = state_rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=1)
    rig.feed("/bayard/connect", VIEW)
    for _ in range(6):
        rig.feed("/bayard/ping")
        rig.clock.advance(30)
    got = pongs(rig.replies())
    assert len(got) == 6 and all(g == ("open", "intro", 0, __version__) for g in got), got
