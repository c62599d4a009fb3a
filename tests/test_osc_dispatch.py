"""Raw packet bytes into the dispatcher, no sockets: every address, patterns, bundles,
tiers, refused senders and garbage."""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

import pytest
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder

from installation.clock import FakeClock
from installation.commands import Command
from installation.inputs.osc import ADDRESSES, Dispatcher, OscConfig, Peer, scene_matches, wire
from installation.inputs.osc.addresses import doc_section, markdown_table
from installation.inputs.osc.pattern import matches

LOCAL = Peer("127.0.0.1", 50_000)
STRANGER = Peer("192.168.1.77", 50_000)


class Rig:
    def __init__(self, **config) -> None:
        self.clock = FakeClock()
        self.commands: list[Command] = []
        self.sent: list[tuple[Peer, wire.Message]] = []
        self.d = Dispatcher(OscConfig(**config), self.commands.append, self._send, self.clock)

    def _send(self, peer: Peer, data: bytes) -> None:
        self.sent.append((peer, wire.decode(data)))

    def feed(self, address: str, *args, peer: Peer = LOCAL) -> None:
        self.d.feed(wire.encode_message(address, *args), peer)

    def names(self) -> list[tuple]:
        return [(c.name, c.args) for c in self.commands]

    def replies(self) -> list[tuple[str, tuple]]:
        return [(m.address, m.args) for _, m in self.sent]


def python_osc(address: str, *args) -> bytes:
    builder = OscMessageBuilder(address=address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


@pytest.mark.parametrize(
    ("address", "args", "expected"),
    [
        ("/bayard/next", (), ("next", ())),
        ("/bayard/prev", (), ("prev", ())),
        ("/bayard/goto", ("intro",), ("goto", ("intro",))),
        ("/bayard/goto", (3,), ("goto", (3,))),
        ("/bayard/goto", (3.0,), ("goto", (3,))),
        ("/bayard/pause", (), ("pause", ())),
        ("/bayard/resume", (), ("resume", ())),
        ("/bayard/blackout", (1,), ("blackout", (1,))),
        ("/bayard/blackout", (0.0,), ("blackout", (0,))),
        ("/bayard/blackout", ("on",), ("blackout", (1,))),
        ("/bayard/reload", (), ("reload", ())),
        ("/bayard/screenshot", (), ("screenshot", ())),
        ("/bayard/status", (), ("status", ())),
    ],
)
def test_engine_addresses_become_commands(address, args, expected):
    rig = Rig()
    rig.d.feed(python_osc(address, *args), LOCAL)
    assert rig.names() == [expected]
    command = rig.commands[0]
    assert command.source == "osc"
    assert rig.d.counters["malformed"] == 0


def test_status_reply_goes_to_sender_or_reply_port():
    rig = Rig()
    rig.feed("/bayard/status")
    rig.commands[0].reply("/bayard/status", (json.dumps({"scene": "intro"}),))
    rig.feed("/bayard/status", 9001)
    rig.commands[1].reply("/bayard/status", ("{}",))
    (peer1, msg1), (peer2, _) = rig.sent
    assert (peer1.host, peer1.port) == ("127.0.0.1", 50_000)
    assert json.loads(msg1.args[0]) == {"scene": "intro"}
    assert (peer2.host, peer2.port) == ("127.0.0.1", 9001)
    assert rig.commands[1].args == ()  # the reply port is not passed on as an argument


def test_ping_info_connect_answered_here_without_commands():
    rig = Rig()
    rig.feed("/bayard/ping")
    rig.feed("/bayard/info", 9100)
    rig.feed("/bayard/connect", "anything")
    assert rig.commands == []
    (p1, pong), (p2, info), (_, connect) = rig.sent
    assert pong.address == "/bayard/pong" and p1.port == 50_000
    assert p2.port == 9100
    table = json.loads(info.args[0])["addresses"]
    assert [a["path"] for a in table] == [a.path for a in ADDRESSES]
    assert connect.args == ("ok:control",)  # no passcodes: everyone allowed has control


def test_button_release_does_not_fire_twice():
    rig = Rig()
    rig.feed("/bayard/next", 1.0)
    rig.feed("/bayard/next", 0.0)
    assert rig.names() == [("next", ())]


def test_scene_addresses_route_to_scene_with_verb():
    rig = Rig()
    rig.feed("/bayard/scene/quiz/answer", "fake", 2)
    rig.feed("/bayard/scene/*/reset")
    (answer, reset) = rig.commands
    assert (answer.name, answer.args, answer.scene) == ("answer", ("fake", 2), "quiz")
    assert reset.scene == "*" and scene_matches(reset.scene, "portrait")
    assert scene_matches("{quiz,portrait}", "quiz") and not scene_matches("quiz", "quiz2")


@pytest.mark.parametrize(
    ("pattern", "names"),
    [
        ("/bayard/{next,prev}", ["next", "prev"]),
        ("/bayard/p[a-r]*", ["prev", "pause"]),
        ("/bayard/n?xt", ["next"]),
        ("/bayard/[!n]ext", []),
        ("/*/next", ["next"]),
        ("/BAYARD/Next", ["next"]),
        ("/bayard/re*", ["resume", "reload"]),
    ],
)
def test_address_patterns(pattern, names):
    rig = Rig()
    rig.feed(pattern)
    assert sorted(n for n, _ in rig.names()) == sorted(names)


def test_pattern_matcher_is_linear_on_hostile_patterns():
    assert not matches("/" + "*a" * 200 + "b", "/" + "a" * 400)
    assert matches("/a*b?c[x-z]{d,e}", "/aQQbQcyd")


def test_bundles_dispatch_every_element_in_order():
    rig = Rig()
    builder = OscBundleBuilder(wire.IMMEDIATELY)
    for address in ("/bayard/pause", "/bayard/next", "/bayard/resume"):
        builder.add_content(OscMessageBuilder(address).build())
    rig.d.feed(builder.build().dgram, LOCAL)
    assert [n for n, _ in rig.names()] == ["pause", "next", "resume"]


def test_future_bundle_waits_without_blocking_and_runs_when_due():
    rig = Rig()
    due = rig.clock.wall() + 2.0
    packet = wire.encode_bundle(wire.unix_to_timetag(due), wire.encode_message("/bayard/next"))
    rig.d.feed(packet, LOCAL)
    rig.feed("/bayard/prev")  # arrives later, runs first: the receiver was not stalled
    assert rig.names() == [("prev", ())]
    assert rig.d.release_due() == pytest.approx(2.0, abs=1e-3)
    rig.clock.advance(2.01)
    rig.d.release_due()
    assert rig.names() == [("prev", ()), ("next", ())]


def test_a_bundle_due_in_30_s_runs_in_30_s_when_the_wall_clock_steps_back():
    """NTP stepping the wall clock back an hour made a bundle due in 30 s wait 61 minutes."""
    rig = Rig()
    due = rig.clock.wall() + 30.0
    rig.d.feed(wire.encode_bundle(wire.unix_to_timetag(due), wire.encode_message("/bayard/blackout", 1)), LOCAL)
    rig.clock.jump_wall(-3600)
    rig.clock.advance(29.0)
    rig.d.release_due()
    assert rig.names() == []
    rig.clock.advance(1.5)
    rig.d.release_due()
    assert [name for name, _ in rig.names()] == ["blackout"]


def test_bundle_far_in_future_runs_now():
    rig = Rig()
    packet = wire.encode_bundle(
        wire.unix_to_timetag(rig.clock.wall() + 3600), wire.encode_message("/bayard/next")
    )
    rig.d.feed(packet, LOCAL)
    assert rig.names() == [("next", ())]


def test_refused_sender_changes_nothing_and_is_logged_once_a_minute(caplog):
    rig = Rig()
    with caplog.at_level("WARNING", logger="bayard.osc"):
        for _ in range(50):
            rig.feed("/bayard/next", peer=STRANGER)
            rig.feed("/bayard/ping", peer=STRANGER)
        rig.clock.advance(61)
        rig.feed("/bayard/next", peer=STRANGER)
    assert rig.commands == [] and rig.sent == []
    assert rig.d.counters["refused"] == 101
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2
    assert "192.168.1.0/24" in refusals[0].getMessage()


def test_allow_list_lets_the_gallery_lan_in():
    rig = Rig(allow=["127.0.0.0/8", "192.168.1.0/24"])
    rig.feed("/bayard/next", peer=STRANGER)
    rig.feed("/bayard/next", peer=Peer("::ffff:192.168.1.9", 1))  # dual-stack socket form
    assert len(rig.commands) == 2


def test_a_refused_sender_is_told_the_list_it_would_need(caplog):
    """The hint offered allow = ["127.0.0.0/8", ...] whatever the show's own list held."""
    import logging

    rig = Rig(allow=["127.0.0.0/8", "10.0.5.0/24"])
    with caplog.at_level(logging.WARNING):
        rig.feed("/bayard/next", peer=Peer("192.168.7.20", 1))
    said = " ".join(r.getMessage() for r in caplog.records)
    assert 'allow = ["127.0.0.0/8", "10.0.5.0/24", "192.168.7.0/24"]' in said, said


def test_view_and_control_tiers():
    rig = Rig(passcodes={"view": "looking-glass", "control": "drive-the-show"})
    rig.feed("/bayard/next")
    rig.feed("/bayard/status")
    rig.feed("/bayard/ping")  # always open
    assert rig.commands == []
    assert rig.d.counters["denied"] == 2
    assert rig.replies()[-1] == ("/bayard/pong", ())

    rig.feed("/bayard/connect", "wrong")
    rig.feed("/bayard/connect", "looking-glass")
    rig.feed("/bayard/status")
    rig.feed("/bayard/next")
    rig.feed("/bayard/subscribe", 1)
    assert rig.names() == [("status", ())]
    connects = [args for address, args in rig.replies() if address == "/bayard/connect"]
    assert connects == [("badpass",), ("ok:view",)]

    rig.feed("/bayard/connect", "drive-the-show")
    rig.feed("/bayard/next")
    assert rig.names()[-1] == ("next", ())
    # Another machine on the same allowed network is not connected.
    rig.feed("/bayard/next", peer=Peer("127.0.0.2", 1))
    assert len(rig.commands) == 2


def test_a_view_passcode_never_takes_control_away_from_an_address():
    rig = Rig(passcodes={"view": "look-at-the-show", "control": "drive-the-show"})
    rig.feed("/bayard/connect", "drive-the-show")
    rig.feed("/bayard/connect", "look-at-the-show")
    rig.feed("/bayard/next")
    connects = [args for address, args in rig.replies() if address == "/bayard/connect"]
    assert connects == [("ok:control",), ("ok:control",)] and rig.names()[-1] == ("next", ())


def test_control_passcode_only_leaves_querying_open():
    rig = Rig(passcodes={"control": "drive-the-show"})
    rig.feed("/bayard/status")
    rig.feed("/bayard/goto", "x")
    assert rig.names() == [("status", ())]
    assert "needs control" in rig.replies()[-1][1][0]


@pytest.mark.parametrize("address", ["/bayard/status", "/bayard/next", "/bayard/prev", "/bayard/info",
                                     "/bayard/resume", "/bayard/reload", "/bayard/screenshot"])
def test_a_sender_not_connected_is_told_to_connect_even_over_udp(address):
    """The refusal was over the 4x reply allowance of a short request, so the sender got
    "too large for this request; use TCP" instead of what to do."""
    rig = Rig(passcodes={"view": "look-at-the-show", "control": "drive-the-show"})
    rig.feed(address)
    said = [args[0] for name, args in rig.replies() if name == "/bayard/error"]
    assert said and "needs " in said[-1] and "/bayard/connect" in said[-1] and "too large" not in said[-1]


def test_passcode_guessing_is_throttled():
    rig = Rig(passcodes={"control": "drive-the-show"})
    for i in range(12):
        rig.feed("/bayard/connect", f"guess{i}")
    rig.feed("/bayard/connect", "drive-the-show")
    # Refused unchecked: even the right passcode learns nothing while throttled.
    assert rig.replies()[-1] == ("/bayard/connect", ("throttled",))
    rig.clock.advance(61)
    rig.feed("/bayard/connect", "drive-the-show")
    assert rig.replies()[-1] == ("/bayard/connect", ("ok:control",))


def test_subscribe_push_and_unsubscribe():
    rig = Rig(push=["10.0.0.9:53000"])
    rig.feed("/bayard/subscribe", 1, 9200)
    assert rig.d.push("/bayard/event/scene", "intro") == 2
    pushed = [(p.host, p.port, m.args) for p, m in rig.sent if m.address == "/bayard/event/scene"]
    assert pushed == [("127.0.0.1", 9200, ("intro",)), ("10.0.0.9", 53000, ("intro",))]
    rig.feed("/bayard/subscribe", 0, 9200)
    assert rig.d.push("/bayard/event/scene", "next") == 1


def test_errors_are_answered_not_crashed():
    rig = Rig()
    rig.feed("/bayard/nxet")
    rig.feed("/bayard/goto")
    rig.feed("/bayard/blackout", "maybe")
    rig.feed("/bayard/scene/quiz")  # no verb: not a scene address
    assert rig.commands == []
    errors = [args[0] for address, args in rig.replies() if address == "/bayard/error"]
    assert "did you mean /bayard/next" in errors[0]
    assert "needs <scene id or position>" in errors[1]
    assert "needs 0 or 1" in errors[2]
    assert len(errors) == 4


def test_plain_text_packets_for_nc():
    rig = Rig()
    rig.d.feed(b"/bayard/goto intro\n", LOCAL)
    rig.d.feed(b"/bayard/goto 2", LOCAL)
    assert rig.names() == [("goto", ("intro",)), ("goto", (2,))]


def test_liblo_style_types_decode():
    # Hand-built: /x ,ihdTFNbsc[i] - every OSC 1.0/1.1 type a real client may send.
    body = (
        struct.pack(">i", -5)
        + struct.pack(">q", 2**40)
        + struct.pack(">d", 0.25)
        + struct.pack(">i", 3)
        + b"abc\x00"
        + b"hi\x00\x00"
        + struct.pack(">I", 65)
        + struct.pack(">i", 7)
    )
    packet = b"/x\x00\x00" + b",ihdTFNbsc[i]\x00\x00\x00" + body
    message = wire.decode(packet)
    assert message.args == (-5, 2**40, 0.25, True, False, None, b"abc", "hi", "A", [7])


@pytest.mark.parametrize(
    "packet",
    [
        b"",
        b"/",
        b"/bayard/next",  # no NUL: read as plain text, fine
        b"/bayard/next\x00\x00\x00\x00,i\x00\x00",  # missing int
        b"/bayard/next\x00\x00\x00\x00,b\x00\x00\x7f\xff\xff\xff",  # huge blob
        b"/bayard/next\x00\x00\x00\x00,[[[[[[[[[[[[\x00\x00\x00",
        b"#bundle\x00" + b"\x00" * 8 + struct.pack(">i", -4) + b"/a\x00\x00",
        b"#bundle\x00" + b"\x00" * 7,
        (b"#bundle\x00" + b"\x00" * 8 + struct.pack(">i", 1_000)),
        b"/bayard/{a,b\x00\x00\x00\x00",
        b"/bayard/[a\x00\x00\x00",
        b"/" + b"{a,b}" * 30 + b"\x00\x00\x00",
        b"\xff\xfe/\x00",
    ],
)
def test_malformed_packets_are_counted_and_ignored(packet):
    rig = Rig()
    rig.d.feed(packet, LOCAL)
    rig.feed("/bayard/next")
    assert rig.names()[-1] == ("next", ())  # still working afterwards


def test_deeply_nested_bundle_is_refused():
    packet = wire.encode_message("/bayard/next")
    for _ in range(40):
        packet = wire.encode_bundle(wire.IMMEDIATELY, packet)
    rig = Rig()
    rig.d.feed(packet, LOCAL)
    assert rig.commands == [] and rig.d.counters["malformed"] == 1


def test_ten_thousand_random_packets_crash_nothing():
    rng = random.Random(20260101)
    rig = Rig()
    seeds = [
        wire.encode_message("/bayard/goto", "intro", 3),
        python_osc("/bayard/blackout", 1.0),
        wire.encode_bundle(wire.IMMEDIATELY, wire.encode_message("/bayard/next")),
        b"#bundle\x00",
    ]
    for i in range(10_000):
        if i % 2:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 96)))
        else:  # mutations of valid packets get much further into the decoder
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randint(1, 4)):
                if data:
                    data[rng.randrange(len(data))] = rng.getrandbits(8)
            data = bytes(data[: rng.randint(0, len(data))]) + bytes(
                rng.getrandbits(8) for _ in range(rng.randint(0, 8))
            )
        rig.d.feed(data, LOCAL)
    counters = rig.d.counters
    assert counters["received"] == 10_000
    assert counters["malformed"] > 5_000
    for command in rig.commands:
        assert isinstance(command, Command) and command.source == "osc"
    rig.feed("/bayard/next")
    assert rig.names()[-1] == ("next", ())


def test_doc_table_is_in_step_with_code():
    doc = Path(__file__).resolve().parents[1] / "docs" / "osc.md"
    section = doc_section(doc.read_text(encoding="utf-8"))
    assert section is not None, "docs/osc.md lost its generated address section"
    assert section == markdown_table(), "run: python -m installation.inputs.osc docs/osc.md"


def test_config_rejects_bad_values_with_a_fix():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="192.168.1.0/24"):
        OscConfig(allow=["gallery"])
    with pytest.raises(ValidationError, match="host:port"):
        OscConfig(push=["desk"])
    with pytest.raises(ValidationError, match="control"):
        OscConfig(passcodes={"view": "looking-glass"})
    with pytest.raises(ValidationError):
        OscConfig(prot=9000)
    assert OscConfig(push=["[::1]:9001"]).push_targets() == [("::1", 9001)]
    for name, field in OscConfig.model_fields.items():
        assert field.description, name


def test_encode_decode_round_trip_property():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
    )
    arg = st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        text,
        st.binary(max_size=40),
        st.booleans(),
        st.none(),
        st.floats(width=32, allow_nan=False),
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(arg, max_size=8), st.from_regex(r"/[a-z]{1,8}(/[a-z0-9_]{1,8}){0,3}", fullmatch=True))
    def round_trip(args, address):
        message = wire.decode(wire.encode_message(address, *args))
        assert message.address == address
        assert list(message.args) == args

    round_trip()


def test_ping_goes_unanswered_while_the_show_draws_no_frames():
    """A frozen screen must not look alive to a monitor pinging the show."""
    rig = Rig()
    frozen = {"value": False}
    rig.d.drawing = lambda: not frozen["value"]
    rig.feed("/bayard/ping")
    assert rig.replies()[-1] == ("/bayard/pong", ())
    frozen["value"] = True
    before = len(rig.replies())
    rig.feed("/bayard/ping")
    assert len(rig.replies()) == before


def test_the_live_service_ties_ping_to_frames_drawn(tmp_path):
    from installation.clock import FakeClock
    from installation.config.loader import load_show
    from installation.engine import Engine, init_pygame
    from installation.inputs.osc.service import PING_STALL_S, attach

    from .conftest import title_scene, write_show

    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(write_show(tmp_path, {"a": title_scene("a")})), clock)
    server = attach(engine, start=False)
    engine.step()
    assert server.dispatcher.drawing()
    clock.advance(PING_STALL_S + 1)  # no frame drawn meanwhile
    assert not server.dispatcher.drawing()
    engine.step()
    assert server.dispatcher.drawing()
    engine.shutdown()


def test_an_address_can_give_up_its_tier_with_a_passcode():
    """Tiers were kept per address until the show restarted: a laptop that left the gallery
    handed its control to whoever got its address next."""
    rig = Rig(passcodes={"view": "look-at-the-show", "control": "drive-the-show"})
    rig.feed("/bayard/connect", "drive-the-show")
    rig.feed("/bayard/disconnect", "a guess")  # forged or mistyped: the tier stays
    rig.feed("/bayard/disconnect", "look-at-the-show")  # the view passcode cannot drop control
    rig.feed("/bayard/next")
    assert rig.names() == [("next", ())]
    rig.feed("/bayard/disconnect", "drive-the-show")
    rig.feed("/bayard/next")
    assert rig.names() == [("next", ())]  # gone
    said = [args for address, args in rig.replies() if address == "/bayard/disconnect"]
    assert said == [("badpass",), ("badpass",), ("ok",)]
