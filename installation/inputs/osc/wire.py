"""OSC 1.0 bytes on the wire: decoding messages and bundles, encoding replies, SLIP
framing for TCP (OSC 1.1) and the plain-text form technicians type into `nc`.

Our own decoder rather than python-osc's: every length read from the packet is checked
against what is left, bundles nest at most `MAX_BUNDLE_DEPTH` deep and arrays are
bounded, so no packet can make the receive thread loop, recurse or allocate without
limit. Anything wrong raises `Malformed`, which the dispatcher counts and ignores.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Any

MAX_BUNDLE_DEPTH = 8
MAX_ARRAY_DEPTH = 8
# The OSC time tag that means "now" (seconds 0, fraction 1).
IMMEDIATELY = 1
# Seconds between the NTP epoch (1900) that OSC time tags count from and the Unix epoch.
NTP_UNIX_OFFSET_S = 2_208_988_800

_BUNDLE_PREFIX = b"#bundle\x00"


class Malformed(ValueError):
    """The bytes are not a valid OSC packet (the reason says where)."""


@dataclass(frozen=True)
class Message:
    address: str
    args: tuple[Any, ...] = ()
    # Types as sent ("i", "f", "s", ...), so the dispatcher can tell an integer reply
    # port from a float button value.
    tags: str = ""


@dataclass(frozen=True)
class Bundle:
    timetag: int  # raw 64-bit NTP time tag; IMMEDIATELY means now
    elements: tuple[Message | Bundle, ...] = field(default_factory=tuple)

    def due_unix(self) -> float | None:
        """Unix seconds when the bundle is due, or None for "immediately"."""
        if self.timetag == IMMEDIATELY:
            return None
        seconds, fraction = divmod(self.timetag, 1 << 32)
        return seconds - NTP_UNIX_OFFSET_S + fraction / (1 << 32)


# -- decoding -----------------------------------------------------------------------------------


def _string(data: bytes, i: int) -> tuple[str, int]:
    end = data.find(b"\x00", i)
    if end < 0:
        raise Malformed(f"string at byte {i} has no terminating NUL")
    text = data[i:end].decode("utf-8", errors="replace")
    nxt = (end + 4) & ~3
    if nxt > len(data):
        raise Malformed(f"string at byte {i} is not padded to 4 bytes")
    return text, nxt


def _take(data: bytes, i: int, n: int) -> tuple[bytes, int]:
    if n < 0 or i + n > len(data):
        raise Malformed(f"needs {n} bytes at byte {i}, packet has {len(data) - i}")
    return data[i : i + n], i + n


def _args(data: bytes, i: int, tags: str) -> tuple[tuple[Any, ...], int]:
    stack: list[list[Any]] = [[]]
    for tag in tags:
        out = stack[-1]
        if tag == "i":
            raw, i = _take(data, i, 4)
            out.append(struct.unpack(">i", raw)[0])
        elif tag == "f":
            raw, i = _take(data, i, 4)
            out.append(struct.unpack(">f", raw)[0])
        elif tag in "sS":
            text, i = _string(data, i)
            out.append(text)
        elif tag == "b":
            raw, i = _take(data, i, 4)
            size = struct.unpack(">i", raw)[0]
            blob, i = _take(data, i, size)
            i = (i + 3) & ~3
            if i > len(data):
                raise Malformed("blob is not padded to 4 bytes")
            out.append(blob)
        elif tag == "h":
            raw, i = _take(data, i, 8)
            out.append(struct.unpack(">q", raw)[0])
        elif tag == "t":
            raw, i = _take(data, i, 8)
            out.append(struct.unpack(">Q", raw)[0])
        elif tag == "d":
            raw, i = _take(data, i, 8)
            out.append(struct.unpack(">d", raw)[0])
        elif tag == "c":
            raw, i = _take(data, i, 4)
            out.append(chr(struct.unpack(">I", raw)[0] & 0x10FFFF))
        elif tag in "rm":
            raw, i = _take(data, i, 4)
            out.append(struct.unpack(">I", raw)[0] if tag == "r" else tuple(raw))
        elif tag == "T":
            out.append(True)
        elif tag == "F":
            out.append(False)
        elif tag == "N":
            out.append(None)
        elif tag == "I":
            out.append(math.inf)
        elif tag == "[":
            if len(stack) > MAX_ARRAY_DEPTH:
                raise Malformed("arrays nested too deep")
            inner: list[Any] = []
            out.append(inner)
            stack.append(inner)
        elif tag == "]":
            if len(stack) == 1:
                raise Malformed("']' without '['")
            stack.pop()
        else:
            raise Malformed(f"unknown type tag {tag!r}")
    if len(stack) != 1:
        raise Malformed("'[' without ']'")
    return tuple(stack[0]), i


def decode_message(data: bytes) -> Message:
    if not data.startswith(b"/"):
        raise Malformed("an OSC message starts with '/'")
    address, i = _string(data, 0)
    if i >= len(data):
        # OSC 1.0 allows old senders to omit the type tag string: no arguments.
        return Message(address)
    tagstr, i = _string(data, i)
    if not tagstr.startswith(","):
        raise Malformed("type tag string does not start with ','")
    tags = tagstr[1:]
    args, _ = _args(data, i, tags)
    return Message(address, args, tags)


def decode(data: bytes, depth: int = 0) -> Message | Bundle:
    """One packet (a UDP datagram, a SLIP frame) into a Message or Bundle."""
    if data.startswith(_BUNDLE_PREFIX):
        if depth >= MAX_BUNDLE_DEPTH:
            raise Malformed("bundles nested too deep")
        raw, i = _take(data, len(_BUNDLE_PREFIX), 8)
        timetag = struct.unpack(">Q", raw)[0]
        elements: list[Message | Bundle] = []
        while i < len(data):
            raw, i = _take(data, i, 4)
            size = struct.unpack(">i", raw)[0]
            if size <= 0 or size % 4:
                raise Malformed(f"bundle element size {size} is not a positive multiple of 4")
            body, i = _take(data, i, size)
            elements.append(decode(body, depth + 1))
        return Bundle(timetag, tuple(elements))
    if data.startswith(b"/"):
        if b"\x00" not in data:
            return decode_text(data)
        return decode_message(data)
    raise Malformed("neither an OSC message nor a bundle")


def decode_text(data: bytes) -> Message:
    """The plain-text form `/bayard/goto intro` (one message per line), for `nc` tests.

    Words that read as integers become ints, then floats, else strings; a word in
    double quotes stays a string."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed("plain-text message is not UTF-8") from exc
    line = text.strip().splitlines()[0] if text.strip() else ""
    words = line.split()
    if not words or not words[0].startswith("/"):
        raise Malformed("plain-text message must start with an address")
    args: list[Any] = []
    tags = ""
    for word in words[1:]:
        if len(word) >= 2 and word[0] == word[-1] == '"':
            args.append(word[1:-1])
            tags += "s"
            continue
        try:
            args.append(int(word))
            tags += "i"
            continue
        except ValueError:
            pass
        try:
            value = float(word)
            if math.isfinite(value):
                args.append(value)
                tags += "f"
                continue
        except ValueError:
            pass
        args.append(word)
        tags += "s"
    return Message(words[0], tuple(args), tags)


def messages(packet: Message | Bundle) -> list[Message]:
    """Every message in a packet, bundles flattened in order."""
    if isinstance(packet, Message):
        return [packet]
    out: list[Message] = []
    for element in packet.elements:
        out.extend(messages(element))
    return out


# -- encoding -----------------------------------------------------------------------------------


def _pad_string(text: str) -> bytes:
    raw = text.encode("utf-8") + b"\x00"
    return raw + b"\x00" * (-len(raw) % 4)


def encode_message(address: str, *args: Any) -> bytes:
    tags = ","
    body = b""
    for arg in args:
        if arg is True:
            tags += "T"
        elif arg is False:
            tags += "F"
        elif arg is None:
            tags += "N"
        elif isinstance(arg, int):
            if -(2**31) <= arg < 2**31:
                tags += "i"
                body += struct.pack(">i", arg)
            else:
                tags += "h"
                body += struct.pack(">q", arg)
        elif isinstance(arg, float):
            tags += "f"
            body += struct.pack(">f", arg)
        elif isinstance(arg, (bytes, bytearray)):
            tags += "b"
            body += struct.pack(">i", len(arg)) + bytes(arg) + b"\x00" * (-len(arg) % 4)
        else:
            tags += "s"
            body += _pad_string(str(arg))
    return _pad_string(address) + _pad_string(tags) + body


def encode_bundle(timetag: int, *elements: bytes) -> bytes:
    out = _BUNDLE_PREFIX + struct.pack(">Q", timetag)
    for element in elements:
        out += struct.pack(">i", len(element)) + element
    return out


def unix_to_timetag(unix_s: float) -> int:
    seconds = unix_s + NTP_UNIX_OFFSET_S
    whole = int(seconds)
    return (whole << 32) | int((seconds - whole) * (1 << 32))


# -- SLIP (RFC 1055, double-END as OSC 1.1 asks) -------------------------------------------------

SLIP_END, SLIP_ESC, SLIP_ESC_END, SLIP_ESC_ESC = 0xC0, 0xDB, 0xDC, 0xDD


def slip_encode(packet: bytes) -> bytes:
    body = packet.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc")
    return b"\xc0" + body + b"\xc0"


class SlipDecoder:
    """Feed it stream chunks; it returns whole frames. A frame longer than `max_frame`
    or with a bad escape is reported as None (counted as malformed) and skipped up to the
    next END, so one bad frame never desynchronises the stream."""

    def __init__(self, max_frame: int = 65_536) -> None:
        self.max_frame = max_frame
        self._buf = bytearray()
        self._overflow = False

    def feed(self, chunk: bytes) -> list[bytes | None]:
        frames: list[bytes | None] = []
        start = 0
        while True:
            end = chunk.find(b"\xc0", start)
            if end < 0:
                self._append(chunk[start:])
                return frames
            self._append(chunk[start:end])
            frames.extend(self._finish())
            start = end + 1

    def _append(self, part: bytes) -> None:
        if self._overflow:
            return
        self._buf += part
        if len(self._buf) > 2 * self.max_frame + 2:
            self._overflow = True
            self._buf.clear()

    def _finish(self) -> list[bytes | None]:
        raw, overflow = bytes(self._buf), self._overflow
        self._buf.clear()
        self._overflow = False
        if overflow:
            return [None]
        if not raw:
            return []  # the double END of OSC 1.1 leaves empty frames: not an error
        out = bytearray()
        it = iter(raw)
        for byte in it:
            if byte == SLIP_ESC:
                nxt = next(it, None)
                if nxt == SLIP_ESC_END:
                    out.append(SLIP_END)
                elif nxt == SLIP_ESC_ESC:
                    out.append(SLIP_ESC)
                else:
                    return [None]
            else:
                out.append(byte)
        if len(out) > self.max_frame:
            return [None]
        return [bytes(out)]


class StreamDecoder:
    """A TCP stream in either framing, chosen by its first byte as liblo does: 0xC0
    starts SLIP (OSC 1.1, TouchOSC, QLab); anything else is OSC 1.0's int32 length
    prefix (liblo's own default, so `oscsend osc.tcp://...` works). `slip` tells the
    sender which framing to answer in. A length over `max_frame` cannot be resynchronised:
    `broken` becomes true and the caller closes the connection."""

    def __init__(self, max_frame: int = 65_536) -> None:
        self.max_frame = max_frame
        self.slip: bool | None = None
        self.broken = False
        self._slip = SlipDecoder(max_frame)
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> list[bytes | None]:
        if not chunk or self.broken:
            return []
        if self.slip is None:
            self.slip = chunk[0] == SLIP_END
        if self.slip:
            return self._slip.feed(chunk)
        self._buf += chunk
        frames: list[bytes | None] = []
        while len(self._buf) >= 4:
            size = struct.unpack(">i", self._buf[:4])[0]
            if size <= 0 or size > self.max_frame:
                self.broken = True
                self._buf.clear()
                return [*frames, None]
            if len(self._buf) < 4 + size:
                break
            frames.append(bytes(self._buf[4 : 4 + size]))
            del self._buf[: 4 + size]
        return frames

    def frame(self, packet: bytes) -> bytes:
        if self.slip is False:
            return struct.pack(">i", len(packet)) + packet
        return slip_encode(packet)
