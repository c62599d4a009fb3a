"""EnvironmentFile= files read as systemd.exec(5) reads them (quotes, escapes, continued
lines, comments), for units.py."""

from __future__ import annotations

import re

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_env_file(text: str) -> dict[str, str]:
    r"""KEY=VALUE lines as systemd.exec(5) reads an EnvironmentFile=: "#" and ";" lines and lines
    without "=" ignored; an unquoted value keeps its inner blanks and a backslash keeps the
    character after it (at a line's end it joins the next line); single quotes keep everything
    verbatim and double quotes unescape \\ \" \` \$, both across lines."""
    found: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        end = text.find("\n", i)
        end = n if end < 0 else end
        line = text[i:end].lstrip(" \t\r")
        if not line or line[0] in "#;" or "=" not in line:
            i = end + 1
            continue
        name = line[:line.index("=")].strip(" \t\r")
        i += len(text[i:end]) - len(line) + line.index("=") + 1  # past the "="
        value, i = _env_value(text, i)
        if _NAME.fullmatch(name):
            found[name] = value
    return found


def _env_value(text: str, i: int) -> tuple[str, int]:
    """The value starting at text[i] (just past "="), and where the next line starts."""
    n = len(text)
    while i < n and text[i] in " \t\r":
        i += 1
    out: list[str] = []
    if i < n and text[i] in "'\"":
        quote, i = text[i], i + 1
        while i < n and text[i] != quote:
            if quote == '"' and text[i] == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "\n":
                    i += 2
                    continue
                out.append(nxt if nxt in '"\\`$' else "\\" + nxt)
                i += 2
                continue
            out.append(text[i])
            i += 1
        end = text.find("\n", i)  # anything after the closing quote, to the line's end, is dropped
        return "".join(out), (n if end < 0 else end) + 1
    while i < n and text[i] != "\n":
        if text[i] == "\\" and i + 1 < n:
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out).rstrip(" \t\r"), i + 1
