"""What the operator overlay's status panel says, as text: no pygame here.

The overlay (overlay.py) wraps these blocks to its width and draws them; tests and
anything else that wants the technician's view of status can read them directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Block:
    words: list[str]
    style: str  # "title", "alert", "warning", "fact", "text" or "ok"
    sep: str = " "
    max_lines: int = 99
    wrap: bool = True


def status_blocks(status: dict[str, Any], idle_close_s: float, max_errors: int) -> list[Block]:
    """The panel's text from top to bottom: scene, alerts, facts, recent errors."""
    blocks = []
    if status.get("show"):
        blocks.append(Block([f"Show: {status['show']}"], "fact", wrap=False))
    scene = status.get("scene") or status.get("current") or "-"
    if isinstance(scene, dict):
        scene = scene.get("id", "-")
    title = status.get("title")  # the scene file's human title, as its description promises
    blocks.append(Block([f"Scene: {scene}" + (f" - {title}" if title and title != scene else "")], "title",
                        wrap=False))
    last_good = status.get("last_good")
    if isinstance(last_good, dict):
        blocks.append(Block(f"Playing the LAST GOOD show (saved {last_good.get('saved', '?')}): "
                            f"{last_good.get('show_file', 'the show file')} has errors".split(" "), "alert"))
    # A motion backend lost mid-show stays named while it is passed over: the error line
    # that told of it scrolls away with later errors.
    models = status.get("models")
    failed = models.get("failed_backends") if isinstance(models, dict) else None
    for name, why in (failed or {}).items():
        lost = f"Motion backend {name} LOST mid-show ({why}); a restart tries it again"
        blocks.append(Block(lost.split(" "), "alert", max_lines=2))
    facts = facts_of(status)
    osc = status.get("osc")
    if isinstance(osc, dict):
        counts = (f"{k} {osc[k]}" for k in ("received", "refused", "malformed") if k in osc)
        facts.append("OSC " + ", ".join(counts))
    blocks.append(Block(facts or ["no status yet"], "fact", sep="   "))
    # What holds until it is mended comes before the show's files' problems: the panel is cut
    # from its end where it is short of room, and at 800x480 eight long missing-file lines
    # pushed "Until it is mended:" off it entirely (the files' list is in status whole).
    standing = status.get("standing") or []
    standing = [s for s in standing if isinstance(s, dict)] if isinstance(standing, (list, tuple)) else []
    blocks += standing_blocks(standing, max_errors)
    # What is wrong in the show's files now (a scene file a reload refused, with its fix).
    # Status leaves these out of "errors" (the reply must fit a UDP packet), and the panel,
    # which read "errors" alone, said "No recent errors." over a broken scene file.
    problems = status.get("problems") or []
    if isinstance(problems, (list, tuple)) and problems:
        count = status.get("problem_count") or len(problems)
        blocks.append(Block([f"Wrong in the show's files now ({count}):"], "alert", wrap=False))
        shown = list(problems)[:max_errors]
        for problem in shown:
            blocks.append(Block(str(problem).split(" "), "text", max_lines=3))  # (3: room for its fix)
        if count > len(shown):
            # The heading's count alone left a technician who fixed the five listed wondering
            # why the count had not fallen to 0: where the rest are said.
            more = f"… and {count - len(shown)} more (see the log / bayard check)"
            blocks.append(Block(more.split(" "), "fact", max_lines=2))
    errors = status.get("errors") or status.get("last_errors") or []
    errors = list(errors) if isinstance(errors, (list, tuple)) else []
    blocks += recent_blocks(errors, max_errors)
    if not errors and not problems and not standing:
        blocks.append(Block(["No recent errors."], "ok", wrap=False))
    blocks += portrait_blocks(status) + quiz_blocks(status) + film_cache_blocks(status)
    blocks.append(Block([f"Closes by itself after {idle_close_s:.0f} s untouched."], "fact", wrap=False))
    return blocks


def standing_blocks(standing: list[dict[str, Any]], max_errors: int) -> list[Block]:
    """What holds now and is listed until it clears (status's `standing`: a last good copy that
    fails, a camera the portrait cannot use), under a heading of its own above the recent
    errors, where newer errors pushed it off the panel while it still held."""
    if not standing:
        return []
    failing = any(s.get("severity") != "warning" for s in standing)
    blocks = [Block(["Until it is mended:"], "alert" if failing else "warning", wrap=False)]
    shown = standing[:max_errors]
    for condition in shown:
        said = f"{condition.get('where', '?')} · {condition.get('message', '')}"
        seen = condition.get("last_seen")
        if isinstance(seen, (int, float)) and seen > 0:
            # (A camera stays listed while other scenes show: when its portrait last found it failing.)
            said += f" (last seen failing {time.strftime('%H:%M', time.localtime(seen))})"
        blocks.append(Block(said.split(" "), "text", max_lines=3))  # (3: room for its fix)
    if len(standing) > len(shown):
        # Past the five listed the rest went unsaid: a technician who mended those five saw the
        # heading stay and nothing under it to mend. Where the others are said (each is logged
        # when found; status lists them all).
        more = f"… and {len(standing) - len(shown)} more (in the log and /bayard/status)"
        blocks.append(Block(more.split(" "), "fact", max_lines=2))
    return blocks


def recent_blocks(errors: list[Any], max_errors: int) -> list[Block]:
    """Status's recent errors and warnings, each under its own heading (as their `severity`
    says): a camera's advice listed under the red "Recent errors:" made a kiosk with nothing
    broken look broken. Errors come first; warnings get what is left of `max_errors`, and their
    newest at least, so none goes unsaid."""
    warned = [e for e in errors if isinstance(e, dict) and e.get("severity") == "warning"]
    failed = [e for e in errors if not (isinstance(e, dict) and e.get("severity") == "warning")]
    blocks = []
    said = describe_errors(failed)[-max_errors:] if failed else []
    if said:
        blocks.append(Block(["Recent errors:"], "alert", wrap=False))
        blocks += [Block(error.split(" "), "text", max_lines=2) for error in said]
    if warned:
        blocks.append(Block(["Recent warnings:"], "warning", wrap=False))
        room = max(1, max_errors - len(said))
        blocks += [Block(line.split(" "), "text", max_lines=2)
                   for line in describe_errors(warned, severity_said=False)[-room:]]
    return blocks


def portrait_blocks(status: dict[str, Any]) -> list[Block]:
    """The animated portrait's state while it shows (its motion backend, the visitor's state,
    whether their neutral face is taken, how many portraits a second it makes, its camera) and
    its last failure: the screen alone cannot tell a slow backend from a still visitor."""
    scene = status.get("scene_status")
    if not isinstance(scene, dict) or "backend" not in scene or "calibrated" not in scene:
        return []
    fps = scene.get("fps")
    facts = [f"Portrait: {scene.get('backend') or 'no'} backend,", f"{scene.get('state', '?')},",
             "calibrated," if scene.get("calibrated") else "not calibrated,",
             f"{fps:.0f} portraits/s," if isinstance(fps, (int, float)) else "portraits/s not measured yet,",
             f"camera {scene.get('camera', 'none')}"]
    blocks = [Block(facts, "fact", max_lines=2)]
    fault = scene.get("animator_error") or scene.get("problem")
    if fault:
        blocks.append(Block(f"Portrait's last fault: {fault}".split(" "), "alert", max_lines=2))
    return blocks


def quiz_blocks(status: dict[str, Any]) -> list[Block]:
    """The quiz while it shows: whether the machine plays, and where its verdicts came from at
    this showing's start (read back from the files kept on disk, judged anew, or still in
    memory from an earlier showing). A quiz whose start card comes late after each restart
    judged every picture again: "0 read back from disk" says so without a terminal."""
    scene = status.get("scene_status")
    if not isinstance(scene, dict) or "machine_playing" not in scene or "verdicts" not in scene:
        return []
    if not scene.get("machine_playing"):
        said = f"Quiz: the machine is not playing: {scene.get('detector_note') or 'no detector is set'}"
        blocks = [Block(said.split(" "), "alert", max_lines=2)]
    else:
        verdicts = scene.get("verdicts") if isinstance(scene.get("verdicts"), dict) else {}
        counts = [f"{verdicts.get('read back', 0)} read back from disk,", f"{verdicts.get('judged', 0)} judged"]
        if verdicts.get("remembered"):
            counts[-1] += ","
            counts.append(f"{verdicts['remembered']} remembered from an earlier showing")
        said = ["Quiz: the machine plays; its verdicts at this showing:"] + counts
        blocks = [Block(" ".join(said).split(" "), "fact", max_lines=2)]
    if scene.get("problem"):
        blocks.append(Block(f"Quiz: {scene['problem']}".split(" "), "alert", max_lines=2))
    return blocks


def film_cache_blocks(status: dict[str, Any]) -> list[Block]:
    """The film cache as `bayard check` tells it: films on a USB stick copied to the show's disk
    (what it holds, showings played from the drive, which then cannot be pulled), or why it is off."""
    runtime = (status.get("services") or {}).get("runtime")
    cache = runtime.get("film_cache") if isinstance(runtime, dict) else None
    if not isinstance(cache, dict):
        return []
    if cache.get("off"):
        return [Block(f"Film cache off: {cache['off']}".split(" "), "fact", max_lines=2)]
    films, from_drive = cache.get("films", 0), cache.get("from_drive", 0)
    said = (f"Film cache: {films} film{'s' if films != 1 else ''} copied off their drive "
            f"({cache.get('mb', 0):g} of {cache.get('limit_mb', 0):g} MB)")
    if from_drive:
        said += f"; {from_drive} showing{'s' if from_drive != 1 else ''} played from the drive itself"
    blocks = [Block(said.split(" "), "fact", max_lines=2)]
    if cache.get("too_small"):
        blocks.append(Block(f"Film cache too small: {cache['too_small']}".split(" "), "alert", max_lines=2))
    return blocks


def facts_of(status: dict[str, Any]) -> list[str]:
    """Status in a technician's words: "scene 2 of 5" counts as the 1-9 keys do (status's
    `position` counts from 0), and states are named only when on (not "paused: False")."""
    facts = []
    position, playlist = status.get("position"), status.get("playlist")
    if isinstance(position, int) and position >= 0:
        facts.append(f"scene {position + 1}" + (f" of {len(playlist)}" if isinstance(playlist, list) else ""))
    if isinstance(status.get("elapsed"), (int, float)):
        facts.append(f"{status['elapsed']:.0f} s in")
    facts += [key.upper() for key in ("paused", "blackout") if status.get(key) is True]
    if isinstance(status.get("fps"), (int, float)):
        facts.append(f"{status['fps']:.0f} fps")
    if isinstance(status.get("uptime"), (int, float)):
        minutes = int(status["uptime"] // 60)
        facts.append(f"up {minutes // 60} h {minutes % 60:02d} min")
    return facts


def describe_errors(errors: list[Any], severity_said: bool = True) -> list[str]:
    """Recent problems as a technician reads them: local time, scene, "warning" for advice
    (unless `severity_said` is False: under a warnings heading), the sentence, and how often it
    happened ("14:02 · portrait · the camera stopped (3 times)"), the same problem once however
    often it repeated, newest last."""
    grouped: dict[tuple[str, str, bool], list[Any]] = {}
    for error in errors:
        if not isinstance(error, dict):
            grouped.setdefault(("", str(error), False), [0.0, 0])
            grouped[("", str(error), False)][1] += 1
            continue
        # Advice (a setting to change while the show plays as meant) is told apart from
        # what is missing or broken.
        key = (str(error.get("where", "")), str(error.get("message", "")).strip(),
               error.get("severity") == "warning")
        entry = grouped.setdefault(key, [0.0, 0])
        entry[0] = max(entry[0], float(error.get("time") or 0.0))
        entry[1] += 1
    out = []
    for (where, message, advice), (when, count) in sorted(grouped.items(), key=lambda kv: kv[1][0]):
        parts = [time.strftime("%H:%M", time.localtime(when))] if when else []
        parts += [where] if where else []
        parts += ["warning"] if advice and severity_said else []
        parts.append(message if message.endswith((".", "!", "?")) else message + ".")
        out.append(" · ".join(parts) + (f" ({count} times)" if count > 1 else ""))
    return out
