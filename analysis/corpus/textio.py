"""Reading article files into text, with clear errors for what is not text."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from analysis.errors import InputError

#: Files larger than this are refused: an article is a few kilobytes, and a
#: larger file is almost always an export or a dump put in the wrong place.
MAX_BYTES = 20_000_000
#: An HTML page saved with a .txt name: a doctype or <html> tag at the start, or
#: HTML tags (not other markup, such as embedded <tweet> elements) making up much
#: of the first few kilobytes.
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:a|article|body|br|div|footer|form|h[1-6]|head|header|html|iframe|img|input|li|link"
    r"|meta|nav|noscript|p|script|section|span|style|table|td|title|tr|ul)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether *text* is an HTML page rather than an article's text."""
    head = text[:5000]
    if _HTML_START.match(head):
        return True
    tags = _TAG.findall(head)
    return len(tags) >= 10 and sum(map(len, tags)) > 0.2 * len(head)


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Decode file bytes to text, returning the text and any warnings.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark
    are read as such. Text that is not valid UTF-8 is decoded as cp1252 (the
    Windows encoding that produces "smart quotes"), falling back to Latin-1,
    with a warning. The byte-order mark is dropped, so offsets index the text
    that follows it.

    Raises
    ------
    InputError
        If the file is empty, whitespace only, binary, or an HTML page.
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"has a UTF-16 byte-order mark but is not UTF-16 ({exc.reason})"
            ) from None
        warnings.append(f"{path}: decoded as UTF-16; save it as UTF-8 to silence this")
    elif b"\x00" in data:
        raise InputError(path, "is a binary file, not text; remove it from the corpus folder")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("cp1252")
                enc = "cp1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                enc = "Latin-1"
            warnings.append(
                f"{path}: not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
                f"decoded as {enc}. Save it as UTF-8 to silence this"
            )
    if not text.strip():
        raise InputError(path, "is empty (no text); remove it or add the article's text")
    if looks_like_html(text):
        raise InputError(
            path,
            "is an HTML page, not article text; save the article's text only "
            "(copy it from the browser, or use `python -m analysis import`)",
        )
    return text, warnings


def read_text(path: Path) -> tuple[str, list[str]]:
    """Read and :func:`decode` one file; size and access problems are :class:`InputError`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                path,
                f"is {size / 1e6:.0f} MB; the limit for one article is {MAX_BYTES // 10**6} MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    return decode(data, path)
