"""OSC 1.0 address patterns: `?`, `*`, `[abc]`, `[a-z]`, `[!abc]` and `{foo,bar}`.

Matched part by part (a wildcard never crosses '/') with a table-driven match that is
linear in pattern times address length, never a backtracking regex, so a sender cannot
stall the receive thread with a pattern like `*a*a*a*a*a*b`. Braces expand to at most
`MAX_ALTERNATIVES` alternatives per part; more is `PatternError`.
"""

from __future__ import annotations

from functools import lru_cache

MAX_ALTERNATIVES = 64
MAX_PATTERN_LENGTH = 512
PATTERN_CHARS = frozenset("*?[]{}")


class PatternError(ValueError):
    pass


def is_pattern(text: str) -> bool:
    return any(c in PATTERN_CHARS for c in text)


def _expand_braces(part: str) -> list[str]:
    start = part.find("{")
    if start < 0:
        if "}" in part:
            raise PatternError("'}' without '{'")
        return [part]
    end = part.find("}", start)
    if end < 0:
        raise PatternError("'{' without '}'")
    if "{" in part[start + 1 : end]:
        raise PatternError("nested '{' is not OSC 1.0")
    head, choices, tail = part[:start], part[start + 1 : end].split(","), part[end + 1 :]
    out: list[str] = []
    for rest in _expand_braces(tail):
        for choice in choices:
            out.append(head + choice + rest)
            if len(out) > MAX_ALTERNATIVES:
                raise PatternError(f"more than {MAX_ALTERNATIVES} alternatives")
    return out


def _tokens(alt: str) -> list[tuple[str, object]]:
    """('*', None), ('?', None), ('set', (negated, ranges)), ('lit', char)."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "*":
            if not out or out[-1][0] != "*":  # '**' means '*'
                out.append(("*", None))
            i += 1
        elif c == "?":
            out.append(("?", None))
            i += 1
        elif c == "[":
            end = alt.find("]", i + 1)
            if end < 0:
                raise PatternError("'[' without ']'")
            body = alt[i + 1 : end]
            negated = body.startswith("!")
            if negated:
                body = body[1:]
            ranges: list[tuple[str, str]] = []
            j = 0
            while j < len(body):
                if j + 2 < len(body) and body[j + 1] == "-":
                    lo, hi = body[j], body[j + 2]
                    ranges.append((min(lo, hi), max(lo, hi)))
                    j += 3
                else:
                    ranges.append((body[j], body[j]))
                    j += 1
            out.append(("set", (negated, tuple(ranges))))
            i = end + 1
        elif c == "]":
            raise PatternError("']' without '['")
        else:
            out.append(("lit", c))
            i += 1
    return out


def _match_tokens(tokens: list[tuple[str, object]], text: str) -> bool:
    # states[k]: the first k tokens can match the text read so far. A '*' at index k,
    # once reached, stays "open": states[k + 1] true means it may take more characters.
    n = len(tokens)

    def close(states: list[bool]) -> None:
        for k, (kind, _) in enumerate(tokens):
            if kind == "*" and states[k]:
                states[k + 1] = True  # '*' may match nothing

    states = [True] + [False] * n
    close(states)
    for ch in text:
        nxt = [False] * (n + 1)
        for k, (kind, value) in enumerate(tokens):
            if kind == "*":
                ok = states[k + 1]
            elif not states[k]:
                continue
            elif kind == "?":
                ok = True
            elif kind == "lit":
                ok = ch == value
            else:
                negated, ranges = value  # type: ignore[misc]
                ok = any(lo <= ch <= hi for lo, hi in ranges) != negated
            if ok:
                nxt[k + 1] = True
        close(nxt)
        states = nxt
        if not any(states):
            return False
    return states[n]


@lru_cache(maxsize=1024)
def _compile_part(part: str) -> tuple[tuple[tuple[str, object], ...], ...]:
    return tuple(tuple(_tokens(alt)) for alt in _expand_braces(part))


def compile_parts(pattern: str) -> list[tuple[tuple[tuple[str, object], ...], ...]]:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"address longer than {MAX_PATTERN_LENGTH} characters")
    if not pattern.startswith("/"):
        raise PatternError("an address starts with '/'")
    return [_compile_part(part) for part in pattern[1:].split("/")]


def part_matches(compiled_part: tuple[tuple[tuple[str, object], ...], ...], text: str) -> bool:
    if len(compiled_part) == 1 and all(kind == "lit" for kind, _ in compiled_part[0]):
        literal = "".join(str(v) for _, v in compiled_part[0])
        return literal == text  # no wildcard in this part: a plain comparison
    return any(_match_tokens(list(alt), text) for alt in compiled_part)


def matches(pattern: str, address: str) -> bool:
    """Does the OSC pattern match the concrete address? Raises PatternError when the
    pattern itself is malformed."""
    parts = compile_parts(pattern)
    names = address[1:].split("/")
    if len(parts) != len(names):
        return False
    return all(part_matches(p, n) for p, n in zip(parts, names, strict=True))


def scene_matches(scene_pattern: str, scene_id: str) -> bool:
    """For the engine: does the scene part of `/bayard/scene/<id>/...` (which may be a
    pattern such as `*` or `{quiz,portrait}`) name this scene? A malformed pattern
    names nothing."""
    if not is_pattern(scene_pattern):
        return scene_pattern == scene_id
    try:
        return matches("/" + scene_pattern, "/" + scene_id)
    except PatternError:
        return False
