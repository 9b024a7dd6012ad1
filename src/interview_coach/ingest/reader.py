"""Read a document's bytes and decode them: BOMs, UTF-8, then a maintained detector.

Legacy Chinese encodings (GB18030/GBK, Big5) are what charset-normalizer usually
finds; when it cannot decide (short files), both are tried strictly and the decoding
whose Chinese is consistently one script wins.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from ..errors import BinaryFile, EmptyFile, FileMissing, FileTooLarge, Undecodable
from ..text.script import script_evidence

MAX_BYTES = 20 * 1024 * 1024
_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b < 32 and b != 27)
TEXT_SUFFIXES = (".md", ".markdown", ".txt")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    text: str
    encoding: str
    sha256: str
    size: int

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


def _consistency(text: str) -> float:
    trad, simp = script_evidence(text[:20000])
    return abs(trad - simp) / (trad + simp + 1)


def decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc + ("-sig" if enc == "utf-8" else "")
            except UnicodeDecodeError as e:
                raise Undecodable(path, f"has a {enc} byte-order mark but invalid {enc} at byte {e.start}") from e
    if _looks_binary(data):
        raise BinaryFile(path, "is a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8", "ascii"):
        enc = codecs.lookup(best.encoding).name
        if enc in ("gbk", "gb2312", "hz"):
            enc = "gb18030"  # a superset: never loses a character GBK would read
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    tried: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        tried.append((_consistency(text), enc, text))
    if not tried:
        raise Undecodable(path, "is not valid UTF-8, GB18030 or Big5 and no encoding could be detected")
    _, enc, text = max(tried)
    return text, enc


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    name = str(path)
    if not path.exists():
        raise FileMissing(name, "does not exist")
    if path.is_dir():
        raise FileMissing(name, "is a folder, not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(name, f"is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit")
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFile(name, "is empty")
    text, encoding = decode(data, name)
    if not text.strip():
        raise EmptyFile(name, "contains only whitespace")
    return Document(name, text, encoding, content_hash(data), size)
