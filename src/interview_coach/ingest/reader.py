"""Read a document's bytes and decode them: BOMs, UTF-8, then a maintained detector.

Legacy Chinese encodings (GB18030/GBK, Big5) are tried strictly first and the decoding
whose characters are typical Chinese wins (charset-normalizer confuses them on short
texts, e.g. an English bank with one Chinese gloss); other encodings are left to
charset-normalizer. Two damaged cases are decided here, with a notice instead of a
silent guess: UTF-8 text with a few stray invalid bytes (kept as UTF-8, the bytes become
U+FFFD), and ASCII text with a few Windows-1252 bytes (smart quotes, accents), which
charset-normalizer tends to read as some other single-byte code page.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from ..errors import BinaryFile, EmptyFile, FileMissing, FileTooLarge, Undecodable
from ..text.charfreq import typicality

MAX_BYTES = 20 * 1024 * 1024
# Mean log-frequency of characters above which a decoding reads as real Chinese. Measured on
# the sample banks: right decodings score about -7 to -8, wrong GB/Big5 cross-decodings
# below -11.
TYPICAL_CHINESE = -10.0
_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b < 32 and b != 27)
TEXT_SUFFIXES = (".md", ".markdown", ".mdx", ".txt")
READ_ATTEMPTS = 4  # a file that changes while it is read is read again, this many times at most
SETTLE = 0.05  # seconds before reading again a file that changed while it was read

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# At most this many invalid bytes per 100 non-ASCII characters make "UTF-8 with damage".
DAMAGED_UTF8_PER_100 = 2
# At most this share of non-ASCII bytes makes "ASCII with a few Windows-1252 bytes".
MOSTLY_ASCII = 0.02


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    text: str
    encoding: str
    sha256: str
    size: int
    notices: tuple[tuple[int, str], ...] = ()  # (line, message) about the decoding
    stamp: tuple[int, int] | None = None  # size and mtime of the file it was read from

    @property
    def lines(self) -> list[str]:
        return split_lines(self.text)


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only CR, LF and CRLF end a line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > len(head) * 0.05


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of byte `offset` (CR, LF and CRLF end a line, as in `split_lines`)."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _damaged_utf8(data: bytes, first_bad: int) -> tuple[str, tuple[int, str]] | None:
    """UTF-8 text with a few invalid bytes (the first at offset `first_bad`): (text with
    U+FFFD for them, notice), else None."""
    first = _line_at(data, first_bad)
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - text.count("\ufffd")
    if good <= 0 or bad * 100 > good * DAMAGED_UTF8_PER_100:
        return None
    what = "byte that is" if bad == 1 else "bytes that are"
    return text, (first, f"{bad} {what} not valid UTF-8 replaced by \ufffd (first on line {first})")


def _mostly_ascii(data: bytes) -> str | None:
    """ASCII text with a few Windows-1252 bytes (smart quotes, accented letters), else None."""
    if sum(1 for b in data if b > 127) > len(data) * MOSTLY_ASCII:
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark: Latin text has a zero in every other byte
    (the high byte), on one side only. (text, encoding) when the bytes say so and decode."""
    if len(data) < 8 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros) and other.count(0) <= 0.02 * len(other):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    return None


def _guessed(enc: str) -> tuple[int, str]:
    return 1, f"not UTF-8: decoded as {enc} (detected); check accented letters and quotes"


def decode(data: bytes, path: str) -> tuple[str, str, list[tuple[int, str]]]:
    """(text, encoding, notices): notices say where the decoding is a guess or lost bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc + ("-sig" if enc == "utf-8" else ""), []
            except UnicodeDecodeError as e:
                raise Undecodable(path, f"has a {enc} byte-order mark but invalid {enc} at byte {e.start}") from e
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16[0], utf16[1], [(1, f"no byte-order mark: read as {utf16[1].upper()} (its bytes say so)")]
    if _looks_binary(data):
        raise BinaryFile(path, "is a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        damaged = _damaged_utf8(data, e.start)
    if damaged is not None:
        return damaged[0], "utf-8", [damaged[1]]
    # Legacy Chinese first: strict GB18030 and Big5, the more typical Chinese wins.
    chinese: list[tuple[float, int, str, str]] = []
    for order, enc in enumerate(("gb18030", "big5", "big5hkscs")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = typicality(text)
        if score is not None:
            chinese.append((score, -order, enc, text))
    if chinese:
        score, _, enc, text = max(chinese)
        if score >= TYPICAL_CHINESE:
            return text, enc, []
    western = _mostly_ascii(data)
    if western is not None:
        return western, "cp1252", [_guessed("cp1252")]
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        enc = codecs.lookup(best.encoding).name
        try:
            return data.decode(enc), enc, [_guessed(enc)]
        except (UnicodeDecodeError, LookupError):
            pass
    if chinese:
        _, _, enc, text = max(chinese)
        return text, enc, [_guessed(enc)]
    raise Undecodable(path, "is not valid UTF-8, GB18030 or Big5 and no encoding could be detected")


def human_size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode a file. Only regular files are opened (a FIFO or a device named `*.md`
    would hang or never end), and the size limit holds while reading, whatever `stat` said."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileMissing(name, "does not exist") from None
    except OSError as e:
        raise FileMissing(name, f"cannot be read: {e.strerror or e}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileMissing(name, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise BinaryFile(name, "is not a regular file (a device, pipe or socket); skipped")
    if info.st_size > max_bytes:
        raise FileTooLarge(name, f"is {human_size(info.st_size)}, over the {human_size(max_bytes)} limit (--max-mb)")
    for _ in range(READ_ATTEMPTS):
        data, changed = _read_settled(path, name, max_bytes)
        if not changed:
            doc = document_from_bytes(name, data, max_bytes)
            return dataclasses.replace(doc, stamp=(len(data), os.stat(path).st_mtime_ns))
        time.sleep(SETTLE)
    raise FileMissing(name, "kept changing while it was read (is it still being written?); try again")


def stamp_of(st: os.stat_result) -> tuple[int, int]:
    """What says a file was written: its size and modification time."""
    return st.st_size, st.st_mtime_ns


def unchanged_since(path: Path, doc: Document) -> bool:
    """The file still is what `doc` was read from (checked again just before it is stored)."""
    try:
        return doc.stamp is None or stamp_of(os.stat(path)) == doc.stamp
    except OSError:
        return False


def _read_settled(path: Path, name: str, max_bytes: int) -> tuple[bytes, bool]:
    """The file's bytes, and whether it changed while they were read (size or time)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            before = os.fstat(f.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise BinaryFile(name, "is not a regular file (a device, pipe or socket); skipped")
            data = f.read(max_bytes + 1)
            after = os.fstat(f.fileno())
            return data, stamp_of(before) != stamp_of(after) or (len(data) <= max_bytes and after.st_size != len(data))
    except PermissionError:
        raise FileMissing(name, "cannot be read: permission denied") from None
    except OSError as e:
        raise FileMissing(name, f"cannot be read: {e.strerror or e}") from None


def document_from_bytes(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> Document:
    """Decode a document's bytes (a file read, or an upload); `name` is what messages show."""
    if len(data) > max_bytes:
        raise FileTooLarge(name, f"is over the {human_size(max_bytes)} limit (--max-mb)")
    if not data.strip():
        raise EmptyFile(name, "is empty")
    text, encoding, notices = decode(data, name)
    if "\x00" in text:  # NUL characters past the binary check: never stored
        first = text[:text.index("\x00")].count("\n") + 1
        notices = [*notices, (first, f"{text.count(chr(0))} NUL character(s) removed (first on line {first})")]
        text = text.replace("\x00", "")
    if not text.strip():
        raise EmptyFile(name, "contains only whitespace")
    return Document(name, text, encoding, content_hash(data), len(data), tuple(notices))
