"""The one table of OSC addresses. It drives dispatch, the `/bayard/info` reply and the
address section of docs/osc.md (a test keeps the document in step with this table;
`python -m installation.inputs.osc docs/osc.md` rewrites that section)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Tier = Literal["open", "view", "control"]
TIER_RANK = {"none": 0, "open": 0, "view": 1, "control": 2}

SCENE_PREFIX = "/bayard/scene"


@dataclass(frozen=True)
class Address:
    path: str
    args: str  # as a technician types them; [..] optional
    tier: Tier  # the least a sender needs: open (anyone allowed), view (may query), control
    handled_by: Literal["engine", "osc"]  # osc: answered in the OSC layer, never queued
    command: str | None  # the Command name the engine receives
    reply: str  # what comes back to the sender, "" for nothing
    description: str


ADDRESSES: tuple[Address, ...] = (
    Address("/bayard/next", "", "control", "engine", "next", "", "advance to the next scene in the playlist"),
    Address("/bayard/prev", "", "control", "engine", "prev", "", "go back one scene"),
    Address(
        "/bayard/goto",
        "<scene id or position>",
        "control",
        "engine",
        "goto",
        "",
        "jump to a scene by its id (string) or its playlist position (integer, counted from 0 "
        "like `position` in the status; negative counts from the end: -1 is the last scene)",
    ),
    Address(
        "/bayard/pause",
        "",
        "control",
        "engine",
        "pause",
        "",
        "freeze the playlist clock; the scene keeps showing",
    ),
    Address("/bayard/resume", "", "control", "engine", "resume", "", "let the playlist clock run again"),
    Address(
        "/bayard/hours",
        "<open|closed|auto> [HH:MM]",
        "control",
        "engine",
        "hours",
        "/bayard/reply/hours <json>",
        "force the show open or closed until HH:MM (the show's local time) or, without one, open until "
        "midnight (or the schedule's opening, if sooner) and closed until the schedule next changes; "
        "never more than [hours] override_max_h (12 h unless set; the reply says when it cut one); "
        "auto follows the schedule again. Send HH:MM as a string (\"22:30\"); "
        "a whole number is read as HHMM (2230: 22:30; a reply port goes after it), other numbers are "
        "refused",
    ),
    Address(
        "/bayard/blackout",
        "<0|1>",
        "control",
        "engine",
        "blackout",
        "",
        "1 fades the screen to black, 0 brings the show back",
    ),
    Address(
        "/bayard/reload",
        "",
        "control",
        "engine",
        "reload",
        "/bayard/reply/reload <json>",
        "re-read install.toml and scenes/ now (validated first; a broken install.toml keeps the old show: "
        "status error; a broken scene file keeps that scene's last good version: status warning, with the "
        "problems). A live show answers at the frame the reload lands, once its files are read; files slow to "
        "answer (a failing USB stick) are answered `waiting` after half a second, and again with the result "
        "when they answer",
    ),
    Address(
        "/bayard/screenshot",
        "[reply port]",
        "control",
        "engine",
        "screenshot",
        "/bayard/screenshot <path>",
        "save a PNG of the current frame in the screenshots folder and reply with its path (at most one a "
        "second: requests closer together share it; the newest 200 are kept)",
    ),
    Address(
        "/bayard/status",
        "[reply port]",
        "view",
        "engine",
        "status",
        "/bayard/status <json>",
        "reply with the show's state: scene, elapsed time, playlist position, paused, blackout, fps, "
        "uptime, last errors, where the models run and any motion backend lost mid-show",
    ),
    Address(
        "/bayard/ping",
        "[reply port]",
        "open",
        "osc",
        None,
        "/bayard/pong [<open|closed> <scene> <problems> <version>]",
        "heartbeat: answered at once by the OSC layer while the show draws frames; silent once the screen "
        "has stopped for 3 s (a frozen show must not look alive). To a sender that may query (view or "
        "control) the pong carries the opening-hours state, the scene showing (empty while closed, "
        "safe-mode in safe mode), "
        "how many problems there are now (errors in the show's files, scenes that faulted, and each "
        "condition status lists as `standing`; status's problem_count also counts the files' warnings) "
        "and the software's version; bare to others, and when "
        "that would not fit 4x a UDP ping",
    ),
    Address(
        "/bayard/info",
        "[reply port]",
        "view",
        "osc",
        None,
        "/bayard/info <json>",
        "reply with this address table as JSON",
    ),
    Address(
        "/bayard/subscribe",
        "<0|1> [reply port]",
        "view",
        "osc",
        None,
        "/bayard/subscribe <0|1>",
        "1 sends this sender every pushed /bayard/event/...; 0 stops it. It ends with the tier that "
        "allowed it (lapsed or given up): the subscriber then gets `/bayard/subscribe 0` and "
        "`/bayard/error \"subscription ended: session lapsed; ...\"`",
    ),
    Address(
        "/bayard/connect",
        "<passcode> [reply port]",
        "open",
        "osc",
        None,
        "/bayard/connect ok:view|ok:control|badpass",
        "claim a tier with a passcode; remembered for the sender's address until it disconnects, the "
        "show restarts, or it lapses after [osc] session_idle_min (60) without a message but pings (a view "
        "tier's pings keep it) (then: `session lapsed; send /bayard/connect again`); a view passcode "
        "never lowers an address that has control",
    ),
    Address(
        "/bayard/disconnect",
        "<passcode> [reply port]",
        "open",
        "osc",
        None,
        "/bayard/disconnect ok|badpass",
        "give up the tier this address holds, with that tier's passcode (a forged packet cannot take it away)",
    ),
    Address(
        SCENE_PREFIX + "/<id>/<verb>",
        "[args...]",
        "control",
        "engine",
        "<verb>",
        "",
        "routed to the scene <id> if it is showing, as its own command <verb>: the verbs each scene kind "
        "takes are listed below (quiz and portrait buttons); <id> may be a pattern such as *",
    ),
)

EVENTS: tuple[tuple[str, str], ...] = (
    ("/bayard/event/scene <id>", "a scene started showing (to subscribers and push targets)"),
    (
        "/bayard/event/error <where> <message>",
        "a scene failed or a reload was refused (to subscribers and push targets)",
    ),
    (
        "/bayard/event/warning <where> <message>",
        "advice while the show plays as meant, such as a camera that seems mounted turned, "
        "with the setting to change (to subscribers and push targets)",
    ),
    (
        "/bayard/event/control <what> <value> <who>",
        "someone changed the show's state: blackout 0|1, pause 0|1, hours open|closed|auto; who is "
        "the sender's address or the input (overlay, key) (to subscribers and push targets)",
    ),
    (
        "/bayard/reply/<command> <json>",
        "the engine could not carry out a command, e.g. goto an unknown scene: "
        "{address, status: error, data}",
    ),
    (
        "/bayard/error <text>",
        "sent back to a sender whose message could not be carried out "
        "(unknown address, missing argument, tier too low)",
    ),
)

# Trigger addresses ignore a numeric 0 argument: TouchOSC-style buttons send 1 on press
# and 0 on release, and a release must not advance the show twice.
TRIGGERS = frozenset({"next", "prev", "pause", "resume", "reload", "screenshot"})


_BOOL_WORDS = {"1": 1, "0": 0, "on": 1, "off": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def as_switch(value: Any) -> int | None:
    """An on/off argument as 1 or 0 (numbers, booleans, words like "on"); None if neither."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return 1 if value else 0
    if isinstance(value, str):
        return _BOOL_WORDS.get(value.strip().lower())
    return None


def required(address: Address) -> int:
    """How many arguments the address needs (those written <like this>)."""
    return address.args.count("<")


_INFO: list[str] = []  # the /bayard/info JSON, built once: it never changes while running


def info_json() -> str:
    if not _INFO:
        info = {"addresses": info_table(), "events": [{"address": a, "when": w} for a, w in EVENTS]}
        _INFO.append(json.dumps(info, separators=(",", ":")))
    return _INFO[0]


def by_path() -> dict[str, Address]:
    return {a.path: a for a in ADDRESSES if not a.path.startswith(SCENE_PREFIX + "/<")}


def info_table() -> list[dict[str, str | None]]:
    return [asdict(a) for a in ADDRESSES]


DOC_START = "<!-- addresses:start (generated from installation/inputs/osc/addresses.py) -->"
DOC_END = "<!-- addresses:end -->"


def markdown_table() -> str:
    lines = [
        DOC_START,
        "| address | arguments | tier | reply | what it does |",
        "|---|---|---|---|---|",
    ]

    def cell(text: str, code: bool = False) -> str:
        text = text.replace("|", "\\|")  # a bare | would split the markdown cell
        return f"`{text}`" if code and text else text

    for a in ADDRESSES:
        lines.append(
            f"| {cell(a.path, True)} | {cell(a.args, True)} | {a.tier} | {cell(a.reply, True)} | "
            f"{cell(a.description)} |"
        )
    lines += ["", "Sent by the show:", "", "| address | when |", "|---|---|"]
    lines += [f"| {cell(addr, True)} | {cell(when)} |" for addr, when in EVENTS]
    lines.append(DOC_END)
    return "\n".join(lines)


def doc_section(text: str, start_mark: str = DOC_START, end_mark: str = DOC_END) -> str | None:
    start, end = text.find(start_mark), text.find(end_mark)
    if start < 0 or end < 0:
        return None
    return text[start : end + len(end_mark)]


def rewrite_doc(path: Path) -> None:
    """The generated sections of docs/osc.md: the address table (here) and the verbs each
    scene kind takes (from the scene kinds, imported only now: the OSC layer needs no scene)."""
    from ...docs import VERBS_END, VERBS_START, scene_verbs_markdown

    text = path.read_text(encoding="utf-8")
    for start, end, fresh in ((DOC_START, DOC_END, markdown_table()),
                              (VERBS_START, VERBS_END, scene_verbs_markdown())):
        current = doc_section(text, start, end)
        if current is None:
            raise SystemExit(f"{path}: no '{start}' ... '{end}' section to rewrite")
        text = text.replace(current, fresh)
    path.write_text(text, encoding="utf-8")
