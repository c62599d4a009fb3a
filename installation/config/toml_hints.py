"""What a curator most likely typed where a show file is not TOML, and the line to write
instead. TOML's own words ("Invalid value", "Expected newline or end of document after a
statement", "Unclosed array") say nothing of the mistakes people make in a text editor: `=`
typed twice, text without quotes, a comma at a line's end as in a list, curly quotes from a
word processor, a bracket left open. Each hint names the mistake and gives the line as it
should read, so "scenes/x.toml:3: TOML syntax: Invalid value" becomes something a
technician can mend without knowing TOML.
"""

from __future__ import annotations

import re

CURLY_DOUBLE = "\u201c\u201d\u201e\u00ab\u00bb"
CURLY_SINGLE = "\u2018\u2019"
CURLY_QUOTES = CURLY_DOUBLE + CURLY_SINGLE
_CLOSER = {"[": "]", "{": "}"}
# `key = = value` or `key == value`: the key, and the value after the equals signs
_DOUBLED_EQUALS = re.compile(r"^(\s*[^=\s][^=]*?)\s*=\s*=+\s*(.*)$")


def write(line: str) -> str:
    """`line` as the hint gives it to copy: without its indentation, in backquotes."""
    return f"write `{line.strip()}`"


def syntax_hint(lines: list[str], line: int | None, message: str) -> tuple[int | None, str]:
    """(the line to mend, '; what was typed: write `the line as it should read`') for TOML's
    `message` about `line` (1-based) of a file whose lines are `lines`; ('' where no common
    mistake fits, and the line as TOML gave it). A bracket left open is named at the line
    that opened it, where TOML only notices it at the next key, or at the file's end."""
    said = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if "Unterminated string" in message:
        opened = _open_text(lines)
        if opened is not None:
            return opened, ('; the text begun with """ on this line is not closed: end it with """ after its last '
                            "line (TOML read the rest of the file as part of it)")
    if "Cannot overwrite a value" in message:
        twice = _key_twice(lines, line)
        if twice is not None:
            at, first, key, header = twice
            another = f" (another {header} block starts with its own {header} line)" if header.startswith("[[") else ""
            return at, f"; {key} is given twice in one block, here and on line {first}: keep one{another}"
    if "Unclosed array" in message or "Unclosed inline table" in message or (
            "Invalid value" in message and line is not None and _open_bracket(said)):
        opened = _opening_line(lines, line)
        if opened is not None:
            last = _last_value_line(lines, opened, line)
            if last != opened:  # a list written over several lines: its ] goes after its last value
                fixed = lines[last - 1].split("#")[0].rstrip().rstrip(",") + _unbalanced(
                    "\n".join(lines[opened - 1:last]).partition("=")[2])
                return last, (f"; the list begun on line {opened} is not closed: end it after its last value, "
                              f"{write(fixed)}")
            return opened, _unclosed(lines[opened - 1])
    return line, _line_hint(said, message)


def _line_hint(line: str, message: str) -> str:
    key, equals, value = line.partition("=")
    value = value.strip()
    stripped = line.strip()
    if ("at the end of a table declaration" in message or "at the end of an array declaration" in message) \
            and stripped.startswith("["):
        double = stripped.startswith("[[")
        name = stripped.strip("[] \t")
        fixed = f"[[{name}]]" if double else f"[{name}]"
        return f"; a table's name is closed with {']]' if double else ']'}: {write(fixed)}"
    if not equals:
        return ""
    doubled = _DOUBLED_EQUALS.match(line)
    if doubled and "Invalid value" in message:
        return f"; the = sign is typed twice: {write(f'{doubled.group(1).strip()} = {doubled.group(2).strip()}')}"
    if any(c in CURLY_QUOTES for c in value[:1] + value[-1:]):
        text = value.strip(CURLY_QUOTES + '"')
        return ("; the text is in curly quotes (\u201c \u201d), which a word processor or TextEdit types: "
                f"in a plain-text editor, {write(_quoted(key, text))} with straight quotes")
    inside = _quote_inside(key, value) if "Expected newline or end of document" in message else ""
    if inside:
        return inside
    if "Expected newline or end of document" in message and value.endswith(","):
        fixed = f"{key.strip()} = {value.rstrip(',').rstrip()}"
        return f"; a line ends after its value, with no comma (commas go between the values of a list): {write(fixed)}"
    if "\\" in value and ("Unescaped '\\'" in message or "Invalid hex value" in message or (
            "Illegal character" in message and value.endswith('\\"'))):
        # A path typed as Windows writes it ("photos\letter.jpg", "C:\Users\..."): in double
        # quotes a backslash starts an escape, and TOML's words say nothing of folders; a folder
        # ending in one ("photos\") escapes its closing quote: "Illegal character '\n'".
        return ("; a \\ between double quotes starts an escape (\\n is a new line): separate folders with /, "
                f"{write(_slashed(key, value))}")
    if value.count('"') % 2 == 1 and not value.startswith('"""'):
        return f'; a quote is not closed on this line: end the text with ": {write(line.rstrip() + chr(34))}'
    if "Invalid value" in message and value.split()[:1] in (["True"], ["False"], ["TRUE"], ["FALSE"]):
        return f"; write true or false in small letters: {write(f'{key.strip()} = {value.lower()}')}"
    if "Invalid value" in message and value[:1].isalpha() and value.split()[0] not in ("true", "false"):
        return (f"; text goes between quotes: {write(_quoted(key, value))} (a number goes without them, in "
                "figures, as in duration = 10; true and false too)")
    if "Expected '='" in message and any(c.isalpha() and not c.isascii() for c in key):
        return ("; a key is written in plain letters, digits, - and _ (no accents or spaces): "
                "the keys each scene type knows are in docs/reference.md")
    return ""


def _slashed(key: str, value: str) -> str:
    """`key = value` with each backslash of its quoted text turned into a /, comments dropped."""
    quoted = value.split('"')
    text = quoted[1] if len(quoted) > 2 else value.strip('"')
    return _quoted(key, text.replace("\\", "/"))


def _quote_inside(key: str, value: str) -> str:
    """A quote of the text's own kind inside it, which ends the text there: 'Bayard's print',
    "He said "no" to it" (TOML said only "Expected newline or end of document")."""
    if len(value) < 2 or value[0] != value[-1] or value.startswith(('"""', "'''")):
        return ""
    text = value[1:-1]
    if value[0] == "'" and "'" in text and '"' not in text:
        return f"; the apostrophe ends text begun with ': put the text in double quotes: {write(_quoted(key, text))}"
    if value[0] == '"' and text.count('"') % 2 == 0 and '"' in text:
        curly = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)  # as the show's own texts quote: “no”
        return (f"; a quote inside the text ends it: make the inner quotes curly: {write(_quoted(key, curly))}"
                f" (or put the text in single quotes: {write(f'{key.strip()} = {chr(39)}{text}{chr(39)}')})")
    return ""


def _open_text(lines: list[str]) -> int | None:
    """The line (1-based) whose triple quote opens a text that is never closed."""
    opened = None
    for at, line in enumerate(lines, 1):
        if line.count('"""') % 2:
            opened = at if opened is None else None
    return opened


def _key_twice(lines: list[str], said_at: int | None = None) -> tuple[int, int, str, str] | None:
    """(line of the second, line of the first, the key, its block's header) for the key given
    twice in one block of a file at `said_at`, TOML's line (else the first), outside texts and
    lists written over several lines: a list of inline tables has `{ file =` on each of its
    lines, and a key twice below it was named as `{ file`."""
    seen: dict[str, int] = {}
    header, in_text, open_list = "", False, ""
    found = None
    for at, line in enumerate(lines, 1):
        stripped = line.strip()
        if in_text:
            in_text = line.count('"""') % 2 == 0
            continue
        if open_list:  # (the value's text so far, while its brackets are open)
            open_list = open_list + "\n" + line if _unbalanced(open_list + "\n" + line) else ""
            continue
        if stripped.startswith("["):
            header, seen = stripped.split("#")[0].strip(), {}
            continue
        key, equals, value = stripped.partition("=")
        if not equals or stripped.startswith("#"):
            continue
        key = key.strip()
        if key in seen and found is None:
            found = at, seen[key], key, header
        if key in seen and at == said_at:
            return at, seen[key], key, header
        seen.setdefault(key, at)
        in_text = value.count('"""') % 2 == 1
        open_list = value if not in_text and _unbalanced(value) else ""
    return found


def _quoted(key: str, text: str) -> str:
    return f'{key.strip()} = "{text}"'


def _open_bracket(line: str) -> bool:
    """Whether `line` leaves a list or an inline table open after its `=`."""
    _, equals, value = line.partition("=")
    return bool(equals) and _unbalanced(value) != ""


def _unbalanced(value: str) -> str:
    """The closing brackets `value` needs, innermost first ('' where none), outside quotes."""
    stack: list[str] = []
    quote = ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in _CLOSER:
            stack.append(_CLOSER[char])
        elif stack and char == stack[-1]:
            stack.pop()
    return "".join(reversed(stack))


def _opening_line(lines: list[str], line: int | None) -> int | None:
    """The line (1-based) at or before `line` (None: the file's end) whose value opened the
    bracket still open: the nearest line with `key =` above it that leaves one open."""
    last = len(lines) if line is None else min(line, len(lines))
    for at in range(last, 0, -1):
        if _open_bracket(lines[at - 1]):
            return at
    return None


def _last_value_line(lines: list[str], opened: int, line: int | None) -> int:
    """The last line of the values that follow line `opened` (a list written over several
    lines), before the next key, table or the file's end; `opened` where none follow."""
    last = opened
    end = len(lines) if line is None else min(line, len(lines) + 1)
    for at in range(opened + 1, end + 1 if line is None else end):
        text = lines[at - 1].strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("[") and not text.startswith(('["', "['", "[[\"")) or re.match(r"^[\w.\"' -]+=", text):
            break
        last = at
    return last


def _unclosed(line: str) -> str:
    key, _, value = line.partition("=")
    body = value.split("#")[0].rstrip().rstrip(",").rstrip() if '"' not in value else value.rstrip().rstrip(",")
    closing = _unbalanced(body)
    what = "a list's [ is closed with ]" if closing[:1] == "]" else "a { table } is closed with }"
    fixed = f"{key.strip()} = {body.strip()}{' ' if closing[:1] == '}' else ''}{closing}"
    return f"; {what} on the line that opened it: {write(fixed)}"
