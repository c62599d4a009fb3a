"""The OSC session index (by tier, by quiet) must always say what a plain scan of the
sessions says: random connects, uses, disconnects, lapses and crowding-out, checked after
each step. A stale index would keep a lapsed laptop's control, or its subscription
(lapses are found through the index only), or end the wrong session to make room."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from installation.inputs.osc.access import Tiers
from installation.inputs.osc.config import Passcodes
from installation.inputs.osc.senders import Peer

CONTROL = "drive-the-show"
VIEW = "look-at-the-show"
SIZE = 4  # a small table, so that crowding out happens often
IDLE_S = 600.0
HOSTS = [f"127.9.0.{n}" for n in range(1, 8)]


class SessionsAgainstAScan(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0
        self.tiers = Tiers(Passcodes(view=VIEW, control=CONTROL), self.now, SIZE, IDLE_S)
        self.table = self.tiers._earned
        self.told_ended: set[str] = set()

    def scan(self) -> dict[str, object]:
        """Every session, found by walking the tables, not through the index."""
        return {host: session for table in self.table._by_tier.values() for host, session in table.items()}

    @rule(host=st.sampled_from(HOSTS), code=st.sampled_from([CONTROL, VIEW, "a-wrong-guess"]),
          tcp=st.booleans())
    def connect(self, host, code, tcp):
        before = self.scan()
        held = before.get(host)
        lapsed = held is not None and self.now - held.heard >= IDLE_S
        answer = self.tiers.connect(Peer(host, 9000, "tcp" if tcp else "udp"), code, self.now, self.now)
        after = self.scan()
        if answer == "ok:view" and held is not None and not lapsed:
            assert held.tier == "view", "a view connect lowered a control session"
        if answer.startswith("ok:"):
            assert after[host].tier == answer[3:] and after[host].heard == self.now
            ended = set(before) - set(after)
            assert len(ended) <= 1 + sum(self.now - s.heard >= IDLE_S for s in before.values())
            crowded = {h for h in ended if self.now - before[h].heard < IDLE_S}
            if crowded and answer == "ok:view":
                (gone,) = crowded
                views = [h for h, s in before.items() if s.tier == "view" and self.now - s.heard < IDLE_S]
                # A view newcomer ends a view session while there is one: the least recently used.
                if views:
                    assert before[gone].tier == "view"

    @rule(host=st.sampled_from(HOSTS), code=st.sampled_from([CONTROL, VIEW]))
    def disconnect(self, host, code):
        self.tiers.disconnect(Peer(host, 9000, "tcp"), code, self.now)

    @rule(host=st.sampled_from(HOSTS))
    def use(self, host):
        self.tiers.heard(host, self.now)

    @rule(host=st.sampled_from(HOSTS))
    def ask_tier(self, host):
        session = self.scan().get(host)
        tier = self.tiers.of(host, self.now)
        if session is None or self.now - session.heard >= IDLE_S:
            assert tier == "none"
        else:
            assert tier == session.tier

    @rule(seconds=st.sampled_from([0.0, 0.2, 5.0, IDLE_S / 2, IDLE_S - 0.5, IDLE_S, IDLE_S + 1]))
    def wait(self, seconds):
        self.now += seconds

    @rule()
    def send_a_packet(self):
        """Before each packet sent the dispatcher asks which sessions ended: lapses are found
        through the by-quiet index alone, so a stale one kept a lapsed subscriber listening."""
        due = {h for h, s in self.scan().items() if self.now - s.heard >= IDLE_S}
        ended = self.tiers.ended(self.now)
        assert due <= set(ended), f"lapsed but not found: {due - set(ended)}"
        assert all(self.now - s.heard < IDLE_S for s in self.scan().values())

    @rule()
    def read_status(self):
        listed = self.tiers.sessions(self.now, self.now)
        live = {h for h, s in self.scan().items()}
        assert {s["address"] for s in listed} <= live
        assert all(s["lapses_in_s"] >= 0 for s in listed)  # (0.0: lapses within 50 ms)

    @invariant()
    def index_agrees_with_a_scan(self):
        sessions = self.scan()
        table = self.table
        assert len(sessions) <= SIZE
        assert set(table._tier_of) == set(sessions) == set(table._by_heard)
        for host, session in sessions.items():
            assert table._tier_of[host] == session.tier and host in table._by_tier[session.tier]
        for tier, tab in table._by_tier.items():
            uses = [s.used for s in tab.values()]
            assert uses == sorted(uses) and len(set(uses)) == len(uses), f"{tier} not in order of use"
            assert all(s.tier == tier for s in tab.values())
        heard = [sessions[h].heard for h in table._by_heard]
        assert heard == sorted(heard), "the by-quiet index is out of order"
        for before in {self.now - IDLE_S, self.now - 1.0, self.now}:
            plain = sorted((s.heard, h) for h, s in sessions.items() if s.heard <= before)
            assert table.quiet_since(before) == [h for _, h in sorted(plain, key=lambda item: (
                item[0], list(table._by_heard).index(item[1])))]
        for tier in (None, "view", "control"):
            candidates = [(s.used, h) for h, s in sessions.items() if tier in (None, s.tier)]
            assert table.oldest(tier) == (min(candidates)[1] if candidates else None)
        assert table.members() == [h for _, h in sorted((s.used, h) for h, s in sessions.items())]


# (The same 300 runs each time: a failure the suite finds is found again.)
SessionsAgainstAScan.TestCase.settings = settings(max_examples=300, stateful_step_count=60, deadline=None,
                                                  derandomize=True, suppress_health_check=[HealthCheck.too_slow])
test_the_session_index_agrees_with_a_plain_scan = SessionsAgainstAScan.TestCase
