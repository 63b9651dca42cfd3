"""Read a file or raw bytes into text, refusing what is not a text article."""
from __future__ import annotations

import re
from html.parser import HTMLParser
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


class _HTMLText(HTMLParser):
    """Collects the title and the text of block elements, skipping scripts, navigation and footers."""

    SKIP = {"script", "style", "nav", "footer", "header", "aside", "form", "noscript", "svg", "button"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "br", "tr", "section",
             "article", "pre", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self._in_title = False
        self._in_h1 = False
        self._skip = 0
        self.blocks: list[str] = []
        self._buf: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append(text)
        self._buf = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCK:
            self._flush()
            self._in_h1 = tag == "h1" and not self.h1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            if self._in_h1:
                self.h1 = " ".join("".join(self._buf).split())
                self._in_h1 = False
            self._flush()

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, text) where text has one block per paragraph, separated by blank lines."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    title = " ".join((parser.h1 or parser.title).split())
    blocks = parser.blocks
    if blocks and title and blocks[0] == title:
        blocks = blocks[1:]
    return title, "\n\n".join(blocks)


class _HTMLMeta(HTMLParser):
    """`<meta>` and canonical-link facts about the page: author, date, publisher, URL."""

    KEYS = {"author": "author", "article:author": "author", "dc.creator": "author", "byl": "author",
            "article:published_time": "date", "date": "date", "pubdate": "date", "dc.date": "date",
            "datepublished": "date", "og:site_name": "publisher", "og:url": "url"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = self.KEYS.get((a.get("name") or a.get("property") or a.get("itemprop") or "").lower())
            value = " ".join(a.get("content", "").split())
            is_link = value.startswith(("http://", "https://"))
            if key and value and (key == "url" or not is_link):   # article:author is often a profile link
                self.found.setdefault(key, value)
        elif tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.found.setdefault("url", a["href"])


def html_meta(html: str) -> dict[str, str]:
    parser = _HTMLMeta()
    parser.feed(html)
    parser.close()
    found = {k: v for k, v in parser.found.items() if v}
    if re.match(r"^\d{4}-\d{2}-\d{2}T", found.get("date", "")):
        found["date"] = found["date"][:10]     # an ISO timestamp: the day is what a reader asks for
    return found


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
