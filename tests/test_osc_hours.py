"""`/bayard/hours open|closed <time>` with the time sent as a number: read as HHMM, or refused
with the form to send, never taken for a reply port."""

from __future__ import annotations

import json

import pytest

from installation.harness import run_test
from installation.inputs.osc.service import attach
from installation.runtime.attach import attach as attach_runtime
from installation.runtime.service import RuntimeConfig

from .conftest import title_scene, write_show
from .test_osc_dispatch import Rig


def test_a_number_after_open_or_closed_is_the_time_not_a_reply_port():
    """`/bayard/hours open 2230` forced the show open until midnight and sent the answer to
    port 2230: the number was read as a reply port."""
    rig = Rig()
    rig.feed("/bayard/hours", "open", 2230)
    rig.feed("/bayard/hours", "closed", 2230, 9001)  # the time, then a reply port
    rig.feed("/bayard/hours", "closed", 9001)  # not a time: a reply port, as before
    rig.feed("/bayard/hours", "auto", 2000)  # auto takes no time: a reply port
    assert [c.args for c in rig.commands] == [("open", 2230), ("closed", 2230), ("closed",), ("auto",)]
    for command in rig.commands:
        command.reply("/bayard/reply/hours", ("{}",))
    assert [p.port for p, _ in rig.sent] == [50_000, 9001, 9001, 2000]


@pytest.mark.parametrize(("sent", "read"), [("22:30", "22:30"), (2230, "22:30"), (930, "09:30"), (0, "00:00"),
                                            (2230.0, "22:30")])
def test_times_read_from_text_or_a_whole_number(sent, read):
    from installation.runtime.hours import time_text

    assert time_text(sent) == read


@pytest.mark.parametrize("sent", [22.5, 22.3, 2290, 2400, -5, True])
def test_other_numbers_are_refused_with_the_form_to_send(sent):
    from installation.runtime.hours import time_text

    with pytest.raises(ValueError, match='send the time as text, e.g. "22:30"'):
        time_text(sent)


def hours_reply(pilot) -> dict:
    said, (payload,) = pilot.replies[-1]
    assert said == "/bayard/reply/hours"
    return json.loads(payload)


def test_a_technician_sending_the_time_as_a_number_gets_what_they_meant(tmp_path):
    with run_test(write_show(tmp_path, {"intro": title_scene("intro")})) as pilot:
        attach(pilot.engine, start=False)
        runtime = attach_runtime(pilot.engine, env={}, config=RuntimeConfig(watch=False))
        try:
            pilot.clock.jump_wall(20 * 3600)  # 20:00 UTC, the show's time zone
            pilot.osc("/bayard/hours", "closed", 2230)
            reply = hours_reply(pilot)
            assert reply["status"] == "ok" and reply["data"]["override_until_local"].endswith("22:30 UTC")
            assert pilot.engine.dark_reason == "closed"
            pilot.osc("/bayard/hours", "auto")
            pilot.osc("/bayard/hours", "closed", 22.5)
            reply = hours_reply(pilot)
            assert reply["status"] == "error" and 'send the time as text, e.g. "22:30"' in reply["data"]
            assert pilot.engine.dark_reason is None  # refused: nothing changed
        finally:
            runtime.close()


def test_an_override_cut_by_the_cap_says_so_in_the_reply_and_the_log(tmp_path, caplog):
    """Sent at 01:00, `open 00:30` (23.5 h away) ended at 13:00 and the reply and the log
    named only 13:00: the technician could not tell the show had cut what they asked for."""
    with run_test(write_show(tmp_path, {"intro": title_scene("intro")})) as pilot:
        attach(pilot.engine, start=False)
        runtime = attach_runtime(pilot.engine, env={}, config=RuntimeConfig(watch=False))
        try:
            pilot.clock.jump_wall(3600)  # 01:00 UTC
            caplog.set_level("WARNING", logger="bayard.runtime")
            pilot.osc("/bayard/hours", "open", "00:30")
            data = hours_reply(pilot)["data"]
            assert data["override_until_local"].endswith("13:00 UTC")
            assert data["override_cut_from_local"].endswith("00:30 UTC")
            said = [r.getMessage() for r in caplog.records if "overridden" in r.getMessage()]
            assert "no override lasts more than 12 h ([hours] override_max_h)" in said[-1], said
        finally:
            runtime.close()
