"""A technician's tier lapses after a quiet time; status says who is connected and until when."""

from __future__ import annotations

import json

import pytest

from installation.inputs.osc import Peer, wire

from .test_osc_dispatch import LOCAL, Rig

CONTROL = "drive-the-show"
VIEW = "look-at-the-show"
LAPTOP = Peer("127.0.0.5", 50_000)


def errors(rig: Rig) -> list[str]:
    return [args[0] for address, args in rig.replies() if address == "/bayard/error"]


def test_a_connected_laptop_left_quiet_loses_control_and_is_told_to_connect_again():
    """Once connected, an address kept control until the show restarted: a laptop left on the
    gallery network could still drive the show months later."""
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})  # default: lapses after 60 min
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.clock.advance(59 * 60)
    rig.feed("/bayard/next", peer=LAPTOP)  # used within the hour: the quiet time starts again
    rig.clock.advance(59 * 60)
    rig.feed("/bayard/next", peer=LAPTOP)
    assert rig.names() == [("next", ()), ("next", ())]
    for _ in range(30):  # pings prove a program runs, not that someone is there
        rig.clock.advance(2 * 60)
        rig.feed("/bayard/ping", peer=LAPTOP)
    rig.feed("/bayard/next", peer=LAPTOP)
    rig.feed("/bayard/status", peer=LAPTOP)
    assert len(rig.commands) == 2
    assert errors(rig)[-2:] == ["/bayard/next: session lapsed; send /bayard/connect again",
                                "/bayard/status: session lapsed; send /bayard/connect again"]
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/next", peer=LAPTOP)
    assert len(rig.commands) == 3


def test_the_quiet_time_is_set_in_install_toml_and_zero_keeps_a_tier():
    rig = Rig(passcodes={"control": CONTROL}, session_idle_min=5)
    rig.feed("/bayard/connect", CONTROL)
    rig.clock.advance(5 * 60 + 1)
    rig.feed("/bayard/goto", "intro")
    assert rig.commands == [] and "lapsed" in errors(rig)[-1]
    rig.feed("/bayard/status")  # querying needs no passcode here: still answered
    assert rig.names() == [("status", ())]

    forever = Rig(passcodes={"control": CONTROL}, session_idle_min=0)
    forever.feed("/bayard/connect", CONTROL)
    forever.clock.advance(90 * 24 * 3600)
    forever.feed("/bayard/next")
    assert forever.names() == [("next", ())]


def test_a_desk_that_cues_rarely_connects_in_the_same_bundle_as_its_cue():
    rig = Rig(passcodes={"control": CONTROL})
    rig.feed("/bayard/connect", CONTROL)
    rig.clock.advance(24 * 3600)
    cue = wire.encode_bundle(wire.IMMEDIATELY, wire.encode_message("/bayard/connect", CONTROL),
                             wire.encode_message("/bayard/goto", "intro"))
    rig.d.feed(cue, LOCAL)
    assert rig.names() == [("goto", ("intro",))]


def test_a_sender_that_never_connected_is_not_told_it_lapsed():
    rig = Rig(passcodes={"control": CONTROL})
    rig.feed("/bayard/next")
    assert errors(rig) == ["/bayard/next needs control: send /bayard/connect"]


@pytest.mark.parametrize("address", ["/bayard/next", "/bayard/prev", "/bayard/status", "/bayard/info",
                                     "/bayard/pause"])
def test_the_lapsed_reply_fits_the_allowance_of_a_short_udp_request(address):
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})
    rig.feed("/bayard/connect", CONTROL)
    rig.clock.advance(61 * 60)
    rig.feed(address)
    said = errors(rig)
    assert said and "lapsed" in said[-1] and "too large" not in said[-1]


def test_status_lists_who_holds_a_tier_and_when_it_lapses():
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=30)
    start = rig.clock.wall()
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.clock.advance(600)
    rig.feed("/bayard/connect", VIEW)
    rig.clock.advance(60)
    (laptop, monitor) = rig.d.sessions()
    assert laptop == {"address": "127.0.0.5", "tier": "control", "connected": start, "idle_s": 660.0,
                      "lapses_in_s": 1140.0, "lapses_at": start + 1800, "subscriptions": 0}
    assert (monitor["address"], monitor["tier"], monitor["lapses_in_s"]) == ("127.0.0.1", "view", 1740.0)
    rig.clock.advance(1140)
    assert [s["address"] for s in rig.d.sessions()] == ["127.0.0.1"]
    rig.feed("/bayard/disconnect", VIEW)
    assert rig.d.sessions() == []


def test_the_live_status_reply_shows_the_sessions(tmp_path):
    from installation.harness import run_test
    from installation.inputs.osc.service import attach

    from .conftest import title_scene, write_show

    show = write_show(tmp_path, {"a": title_scene("a")},
                      extra='[osc]\nsession_idle_min = 10\npasscodes = { control = "drive-the-show" }\n')
    with run_test(show) as pilot:
        attach(pilot.engine, start=False)
        pilot.osc("/bayard/connect", CONTROL)
        pilot.advance(2.0)
        pilot.osc("/bayard/status")
        (_, (text,)) = [r for r in pilot.replies if r[0] == "/bayard/status"][-1]
        (session,) = json.loads(text)["services"]["osc"]["sessions"]
        # (The status query itself counts as use.)
        assert session["tier"] == "control" and session["lapses_in_s"] == 600.0
        pilot.advance(601.0)
        pilot.osc("/bayard/next")
        assert pilot.replies[-1] == ("/bayard/error", ("/bayard/next: session lapsed; send /bayard/connect again",))


def test_a_tier_holder_reconnecting_keeps_when_it_first_connected():
    rig = Rig(passcodes={"control": CONTROL})
    start = rig.clock.wall()
    rig.feed("/bayard/connect", CONTROL)
    rig.clock.advance(100)
    rig.feed("/bayard/connect", CONTROL)
    (session,) = rig.d.sessions()
    assert session["connected"] == start and session["idle_s"] == 0.0


def pushed_to(rig: Rig, peer: Peer) -> list[tuple]:
    return [m.args for p, m in rig.sent if p.host == peer.host and m.address == "/bayard/event/scene"]


def test_a_subscription_ends_with_the_tier_that_allowed_it_and_the_subscriber_is_told():
    """A laptop subscribed over UDP with control went on receiving every event after its
    tier lapsed (until the show restarted): the subscription outlived what allowed it."""
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=10)
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/subscribe", 1, peer=LAPTOP)
    (session,) = rig.d.sessions()
    assert session["subscriptions"] == 1
    rig.d.push("/bayard/event/scene", "a")
    assert pushed_to(rig, LAPTOP) == [("a",)]
    rig.clock.advance(10 * 60 + 1)  # quiet: the laptop only listens
    rig.d.push("/bayard/event/scene", "b")
    assert pushed_to(rig, LAPTOP) == [("a",)]
    told = [(m.address, m.args) for p, m in rig.sent if p == LAPTOP][-2:]
    assert told == [("/bayard/subscribe", (0,)), ("/bayard/error", (
        "subscription ended: session lapsed; send /bayard/connect, then /bayard/subscribe 1",))]
    assert rig.d.subscribers() == [] and rig.d.counters["unsubscribed"] == 1 and rig.d.sessions() == []


def test_a_view_monitor_over_tcp_keeps_its_subscription_while_its_pings_keep_its_tier():
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=10)
    monitor = Peer("127.0.0.6", 41_000, "tcp", conn=7)
    rig.feed("/bayard/connect", VIEW, peer=monitor)
    rig.feed("/bayard/subscribe", 1, peer=monitor)
    for _ in range(6):
        rig.clock.advance(5 * 60)
        rig.feed("/bayard/ping", peer=monitor)
    rig.d.push("/bayard/event/scene", "a")
    assert pushed_to(rig, monitor) == [("a",)]
    rig.clock.advance(11 * 60)  # the pings stop
    rig.d.push("/bayard/event/scene", "b")
    assert pushed_to(rig, monitor) == [("a",)] and rig.d.subscribers() == []


def test_a_lapsed_tier_keeps_a_subscription_the_open_tier_still_allows():
    """With only a control passcode every sender may view: a TCP subscriber whose control
    lapsed is still allowed to listen, so nothing ends."""
    rig = Rig(passcodes={"control": CONTROL}, session_idle_min=10)
    desk = Peer("127.0.0.7", 41_000, "tcp", conn=8)
    rig.feed("/bayard/connect", CONTROL, peer=desk)
    rig.feed("/bayard/subscribe", 1, peer=desk)
    rig.clock.advance(11 * 60)
    rig.d.push("/bayard/event/scene", "a")
    assert pushed_to(rig, desk) == [("a",)] and rig.d.counters["unsubscribed"] == 0


def test_giving_up_control_ends_a_udp_subscription_too():
    rig = Rig(passcodes={"control": CONTROL})
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/subscribe", 1, peer=LAPTOP)
    rig.feed("/bayard/disconnect", CONTROL, peer=LAPTOP)
    assert rig.d.push("/bayard/event/scene", "a") == 0
    assert "subscription ended: disconnected" in errors(rig)[-1]


def test_a_session_crowded_out_by_a_flood_of_connects_ends_its_subscription_and_is_logged_once(caplog):
    """Past 1,024 connected addresses the oldest session was forgotten without a word, and its
    UDP subscription went on receiving every event (its address no longer held the tier that
    allowed it). A flood of rotating senders knowing a passcode must not log a line each (here
    the control one: a view flood displaces only view sessions, tested below)."""
    from installation.inputs.osc.dispatch import MAX_SOURCES

    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/subscribe", 1, peer=LAPTOP)
    caplog.set_level("INFO", logger="bayard.osc")
    flood = [Peer(f"127.1.{n // 250}.{n % 250 + 1}", 40_000 + n) for n in range(MAX_SOURCES + 99)]
    for sender in flood[:MAX_SOURCES - 1]:  # the table fills: nobody gives way yet
        rig.clock.advance(0.1)  # within the passcode checks' rate
        rig.feed("/bayard/connect", CONTROL, peer=sender)
    rig.d.push("/bayard/event/scene", "a")
    assert pushed_to(rig, LAPTOP) == [("a",)]
    for sender in flood[MAX_SOURCES - 1:]:
        rig.clock.advance(0.1)
        rig.feed("/bayard/connect", CONTROL, peer=sender)
    assert ("/bayard/connect", ("ok:control",)) in [(m.address, m.args) for p, m in rig.sent if p == flood[-1]]
    rig.d.push("/bayard/event/scene", "b")
    assert pushed_to(rig, LAPTOP) == [("a",)]  # the laptop's session gave way first: it hears no more
    told = [(m.address, m.args) for p, m in rig.sent if p == LAPTOP][-2:]
    assert told == [("/bayard/subscribe", (0,)), ("/bayard/error", (
        "subscription ended: session ended to make room for another address; send /bayard/connect, "
        "then /bayard/subscribe 1",))]
    assert rig.d.subscribers() == [] and rig.d.counters["unsubscribed"] == 1
    assert rig.d.crowded_out() == 100 and len(rig.d.sessions()) == MAX_SOURCES
    rig.feed("/bayard/next", peer=LAPTOP)
    assert errors(rig)[-1] == "/bayard/next: session lapsed; send /bayard/connect again"
    # 100 sessions ended within 10 s: one warning naming the first, then one line counting the rest.
    rig.clock.advance(61)
    rig.d.release_due()
    said = [r.getMessage() for r in caplog.records if "addresses connected" in r.getMessage()]
    assert len(said) == 2, said
    assert said[0].startswith(f"OSC: more than {MAX_SOURCES} addresses connected: {LAPTOP.host}'s control session")
    assert said[1].startswith("OSC: 99 more session(s) ended in the last 60 s to make room")
    # Nor a line for each of the flood's connects: the first minute's 20, then a count.
    connects = [r.getMessage() for r in caplog.records if "connected with the" in r.getMessage()
                or "connect(s)" in r.getMessage()]
    assert len(connects) < 100, connects[-3:]


def test_a_subscriber_that_gives_way_to_newer_ones_is_told_and_a_flood_is_logged_once(caplog):
    """Past 64 subscribers the oldest was dropped with a warning per subscribe (a flood of
    senders wrote one line each) and was never told: it waited for events that never came."""
    from installation.inputs.osc.subscriptions import MAX_SUBSCRIBERS

    rig = Rig()  # no passcodes: every sender has control
    caplog.set_level("INFO", logger="bayard.osc")
    senders = [Peer(f"127.2.0.{n + 1}", 41_000 + n) for n in range(MAX_SUBSCRIBERS + 30)]
    for sender in senders:
        rig.feed("/bayard/subscribe", 1, peer=sender)
    assert len(rig.d.subscribers()) == MAX_SUBSCRIBERS and rig.d.counters["unsubscribed"] == 30
    assert rig.d.push("/bayard/event/scene", "a") == MAX_SUBSCRIBERS
    assert pushed_to(rig, senders[0]) == [] and pushed_to(rig, senders[-1]) == [("a",)]
    told = [(m.address, m.args) for p, m in rig.sent if p == senders[0]][-2:]
    assert told == [("/bayard/subscribe", (0,)), ("/bayard/error", (
        f"subscription ended: more than {MAX_SUBSCRIBERS} subscribers; send /bayard/subscribe 1 again",))]
    rig.clock.advance(61)
    rig.d.release_due()
    said = [r.getMessage() for r in caplog.records if "subscriber" in r.getMessage() and "OSC: more than" in
            r.getMessage() or "gave way" in r.getMessage()]
    assert len(said) == 2 and said[1].startswith("OSC: 29 more subscriber(s) gave way in the last 60 s"), said


def test_guesses_from_rotating_senders_are_counted_not_logged_one_by_one(caplog):
    """Ten wrong passcodes a second (the rate checks allow) from ever new addresses wrote a
    warning each: 36,000 lines an hour, rotating the start-up lines out of the log."""
    rig = Rig(passcodes={"control": CONTROL})
    caplog.set_level("INFO", logger="bayard.osc")
    for n in range(600):  # a minute of guessing
        rig.clock.advance(0.1)
        rig.feed("/bayard/connect", f"guess-{n:04d}", peer=Peer(f"127.3.{n // 250}.{n % 250 + 1}", 40_000))
    rig.clock.advance(1)
    rig.d.release_due()
    said = [r.getMessage() for r in caplog.records if "wrong passcode" in r.getMessage()]
    assert rig.d.passcode_checks()["checked"] > 300  # they were checked, and refused
    assert 2 <= len(said) <= 25 and said[-1].startswith("OSC: ") and "more wrong passcode(s)" in said[-1], said[-3:]


def test_a_desk_re_subscribing_as_a_keep_alive_is_logged_once_and_a_flood_of_subscribes_is_counted(caplog):
    """Each /bayard/subscribe 1 wrote an INFO line, repeats too: a desk re-sending its subscribe
    every second as a keep-alive wrote 86,400 lines a day, and a flood of new subscribers (past
    64 giving way) one line each, rotating the start-up lines out of the log."""
    rig = Rig()  # no passcodes: every sender may subscribe
    caplog.set_level("INFO", logger="bayard.osc")
    desk = Peer("127.4.0.1", 42_000)
    for _ in range(600):  # ten minutes of keep-alives
        rig.clock.advance(1)
        rig.feed("/bayard/subscribe", 1, peer=desk)
    said = [r.getMessage() for r in caplog.records if "subscribe" in r.getMessage()]
    assert len(said) == 1 and said[0] == f"OSC: {desk} subscribed to events", said[:3]
    assert rig.d.subscribers() == [desk]
    caplog.clear()
    for n in range(600):  # a minute of ever new subscribers
        rig.clock.advance(0.1)
        rig.feed("/bayard/subscribe", 1, peer=Peer(f"127.5.{n // 250}.{n % 250 + 1}", 43_000))
    rig.clock.advance(61)
    rig.d.release_due()
    said = [r.getMessage() for r in caplog.records if "subscribe" in r.getMessage()]
    assert len(said) <= 25 and any("more subscribe(s) or unsubscribe(s)" in line for line in said), said[-3:]


def test_the_count_of_guesses_and_crowded_out_sessions_is_a_warning_as_their_first_lines_are(caplog):
    """After 20 wrong passcodes a minute (warnings) the rest were counted in an INFO line: a
    technician reading the show's warnings saw 20 guesses and not the thousands that followed."""
    from installation.inputs.osc.dispatch import MAX_SOURCES

    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})
    caplog.set_level("INFO", logger="bayard.osc")
    for n in range(600):  # a minute of guessing from rotating senders
        rig.clock.advance(0.1)
        rig.feed("/bayard/connect", f"guess-{n:04d}", peer=Peer(f"127.3.{n // 250}.{n % 250 + 1}", 40_000))
    for n in range(MAX_SOURCES + 50):  # and a flood that knows the view passcode
        rig.clock.advance(0.1)
        rig.feed("/bayard/connect", VIEW, peer=Peer(f"127.6.{n // 250}.{n % 250 + 1}", 40_000))
    rig.clock.advance(61)
    rig.d.release_due()
    counts = {r.getMessage().split(" in the last")[0]: r.levelname for r in caplog.records
              if "more wrong passcode(s)" in r.getMessage() or "more session(s) ended" in r.getMessage()}
    assert any("wrong passcode" in line for line in counts) and any("session(s)" in line for line in counts), counts
    assert set(counts.values()) == {"WARNING"}, counts


def test_a_flood_knowing_only_the_view_passcode_never_crowds_out_the_technicians_control():
    """The view passcode is known to more people than the control one (monitoring scripts).
    Past 1,024 addresses the least recently used session gave way whatever its tier, so a
    flood of senders knowing only the view passcode ended the technician's control (and
    its subscription) as soon as it was the oldest. View newcomers now displace view
    sessions; the technician keeps control and keeps hearing events."""
    from installation.inputs.osc.dispatch import MAX_SOURCES

    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/subscribe", 1, peer=LAPTOP)
    for n in range(MAX_SOURCES + 99):
        rig.clock.advance(0.1)
        rig.feed("/bayard/connect", VIEW, peer=Peer(f"127.7.{n // 250}.{n % 250 + 1}", 40_000 + n))
    assert rig.d.push("/bayard/event/scene", "a") >= 1
    assert pushed_to(rig, LAPTOP) == [("a",)]
    assert rig.d.crowded_out() == 100 and len(rig.d.sessions()) == MAX_SOURCES
    rig.feed("/bayard/next", peer=LAPTOP)  # still in control: no "session lapsed"
    assert not any("session lapsed" in e for e in errors(rig)), errors(rig)[-3:]


def test_pushing_an_event_looks_only_at_sessions_quiet_long_enough_to_lapse(monkeypatch):
    """Before every packet it sent (each push, each reply) the show looked at all 1,024
    sessions for lapses: a flood of rotating senders holding sessions made every event cost
    a thousand look-ups on the show's threads (bench/osc_sessions.py: 2.6 us per packet sent
    with one session, 224 us with 1,024)."""
    from installation.inputs.osc.access import Tiers
    from installation.inputs.osc.dispatch import MAX_SOURCES

    rig = Rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=10)
    for n in range(MAX_SOURCES):
        rig.clock.advance(0.125)  # within the passcode checks' rate (and exact in binary)
        rig.feed("/bayard/connect", VIEW, peer=Peer(f"127.3.{n // 250}.{n % 250 + 1}", 40_000))
    looked = []
    real = Tiers._session
    monkeypatch.setattr(Tiers, "_session", lambda self, host, now, touch=True: looked.append(host)
                        or real(self, host, now, touch))
    for _ in range(100):
        rig.d.push("/bayard/event/scene", "a")
    assert looked == []
    # Past the quiet time the first hundred (quiet longest) lapse, and only they are looked at.
    rig.clock.advance(10 * 60 - MAX_SOURCES * 0.125 + 100 * 0.125)
    rig.d.push("/bayard/event/scene", "b")
    assert len(looked) == 100 and len(rig.d.sessions()) == MAX_SOURCES - 100


def test_the_session_heard_from_last_lapses_last_whatever_the_order_they_connected_in():
    """Lapses are found in the order of quiet, not of connecting: a technician who
    connected first and goes on sending cues keeps control while later ones lapse."""
    rig = Rig(passcodes={"view": VIEW, "control": CONTROL}, session_idle_min=10)
    monitor = Peer("127.0.0.8", 41_000)
    rig.feed("/bayard/connect", CONTROL, peer=LAPTOP)
    rig.feed("/bayard/subscribe", 1, peer=LAPTOP)
    rig.clock.advance(60)
    rig.feed("/bayard/connect", CONTROL, peer=monitor)
    rig.feed("/bayard/subscribe", 1, peer=monitor)
    rig.clock.advance(5 * 60)
    rig.feed("/bayard/next", peer=LAPTOP)  # the laptop is used: heard after the monitor
    rig.clock.advance(5 * 60)  # the monitor has been quiet 10 min, the laptop 5
    rig.d.push("/bayard/event/scene", "a")
    assert pushed_to(rig, LAPTOP) == [("a",)] and pushed_to(rig, monitor) == []
    assert [s["address"] for s in rig.d.sessions()] == [LAPTOP.host]
    rig.clock.advance(5 * 60)
    rig.d.push("/bayard/event/scene", "b")
    assert pushed_to(rig, LAPTOP) == [("a",)] and rig.d.sessions() == []


def test_a_view_newcomer_to_a_full_table_ends_the_least_recently_used_view_session():
    """The control sessions being the oldest, a view newcomer ends the oldest view
    session, then the next, in order of use; a view session that was used is kept."""
    from installation.inputs.osc import dispatch

    rig = Rig(passcodes={"view": VIEW, "control": CONTROL})
    peers = [Peer(f"127.4.{n // 250}.{n % 250 + 1}", 40_000) for n in range(dispatch.MAX_SOURCES)]
    for n, peer in enumerate(peers):
        rig.clock.advance(0.11)
        rig.feed("/bayard/connect", CONTROL if n < dispatch.MAX_SOURCES // 2 else VIEW, peer=peer)
    first_view = dispatch.MAX_SOURCES // 2
    rig.feed("/bayard/status", peer=peers[first_view])  # used: now the most recently used
    for n in range(2):
        rig.clock.advance(0.11)
        rig.feed("/bayard/connect", VIEW, peer=Peer(f"127.5.0.{n + 1}", 40_000))
    held = {s["address"] for s in rig.d.sessions()}
    assert peers[first_view].host in held
    assert peers[first_view + 1].host not in held and peers[first_view + 2].host not in held
    assert all(p.host in held for p in peers[:first_view])  # every control session kept
