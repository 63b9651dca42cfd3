"""Read a file or raw bytes into text, refusing what is not a text article."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidDocumentError

SUPPORTED = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def decode_text(data: bytes, name: str = "document") -> str:
    """Decode UTF-8 bytes, refusing empty, binary and non-UTF-8 input with a clear message."""
    if not data.strip():
        raise InvalidDocumentError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        raise InvalidDocumentError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidDocumentError(
            f"{name} is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from None
    check_text(text, name)
    return text


def check_text(text: str, name: str = "document") -> None:
    if not text or not text.strip():
        raise InvalidDocumentError(f"{name} is empty")
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in sample or control > max(8, len(sample) // 100):
        raise InvalidDocumentError(f"{name} looks like a binary file, not text")
    if re.search(r"[\ud800-\udfff]", text):
        raise InvalidDocumentError(f"{name} is not valid Unicode text (it holds lone UTF-16 surrogates)")


def read_file(path: str | Path, max_bytes: int = 20_000_000) -> tuple[str, str]:
    """Return (text, format) of a .txt, .md or .html file; format is 'text', 'markdown' or 'html'."""
    path = Path(path)
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise InvalidDocumentError(
            f"{shown_name(path.name)}: unsupported file type {path.suffix[:20] or '(none)'}; use .txt, .md or .html")
    name = shown_name(path.name)
    try:
        if not path.is_file():
            raise InvalidDocumentError(f"{shown_name(str(path))}: no such file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidDocumentError(f"{name} is {size:,} bytes; the limit is {max_bytes:,}")
        data = path.read_bytes()
    except OSError as exc:      # a name too long for the file system, no permission, a device
        raise InvalidDocumentError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    return decode_text(data, name), fmt


def shown_name(name: str, limit: int = 120) -> str:
    """A file name short enough for a one-line message."""
    return name if len(name) <= limit else name[: limit - 12] + "…" + name[-11:]


def read_sidecar(path: Path) -> dict:
    """Metadata from `name.json` beside `name.txt` (title, author, date, url, ...), if there is one."""
    import json

    sidecar = path.with_suffix(".json")
    try:
        if sidecar == path or not sidecar.is_file():
            return {}
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidDocumentError(f"{sidecar.name}: not a readable JSON object ({exc})"[:300]) from None
    if not isinstance(meta, dict):
        raise InvalidDocumentError(f"{sidecar.name}: expected a JSON object")
    return meta
