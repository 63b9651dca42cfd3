"""Find what in an article is article text: the title, navigation lines, the byline.

Web copies of news articles carry navigation lines ("Back To Top") and bylines, sometimes cut off
("By Jane Doe ("). They stay in the stored text but are not indexed; the byline, a date line and
the dateline also become metadata (author, date, place).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..schema import Span
from .metadata import dateline_date, dateline_place, find_byline, find_date_line, find_dateline
from .html_reader import read_html
from .splitter import paragraph_spans

BOILERPLATE = re.compile(
    r"^(back\s+to\s+top|top|share( this( article| story)?)?|print|e-?mail|advertisement|"
    r"subscribe( now)?|sign\s+(up|in)|log\s*in|related( articles| stories)?|read\s+more|"
    r"click here.*|follow us.*|(all rights reserved|copyright|©).*|menu|skip to (main )?content|"
    r"tweet|facebook|twitter|whatsapp|linkedin|comments?( \(\d+\))?|next|previous|home)[\s.:!|>»]*$",
    re.IGNORECASE,
)
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_MARKUP = re.compile(r"(\*\*|__|`)|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")


@dataclass
class CleanArticle:
    title: str
    text: str                     # what is stored; quotes are slices of it
    metadata: dict = field(default_factory=dict)
    indexed: list[Span] | None = None   # the paragraphs to index (None: all but byline and date line)


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", line).strip()


def _is_headline(line: str) -> bool:
    """A first short line without closing punctuation: the headline of a plain-text article."""
    return len(line) <= 200 and line[-1:] not in ".!?:;\"”" and not (find_byline(line) or find_date_line(line))


def _metadata(text: str, metadata: dict) -> dict:
    for key, found in (("author", find_byline(text)), ("date", find_date_line(text))):
        if found:
            metadata.setdefault(key, found.value)
    dateline = find_dateline(text)
    if dateline:
        metadata["place"] = dateline_place(dateline.value)
        metadata.setdefault("date", dateline_date(dateline.value) or None)
    return {k: v for k, v in metadata.items() if v}


def _html_article(raw: str, title: str | None) -> CleanArticle:
    """HTML: the extracted text is what is stored (and what `document(id).text` returns)."""
    page = read_html(raw)
    found_title = page.title
    paragraphs = [p for p in map(_normalise_line, page.paragraphs) if p and not BOILERPLATE.match(p)]
    if paragraphs and found_title and paragraphs[0] == found_title:    # the headline is the title
        paragraphs = paragraphs[1:]
    if not found_title and len(paragraphs) > 1 and _is_headline(paragraphs[0]):
        found_title, paragraphs = paragraphs[0], paragraphs[1:]
    text = "\n\n".join(paragraphs)
    return CleanArticle(title=title or found_title, text=text, metadata=_metadata(text, dict(page.metadata)))


def clean_article(raw: str, fmt: str = "text", title: str | None = None) -> CleanArticle:
    """Find the title, boilerplate, byline and date line. Plain text and Markdown are stored as
    given: what is not article text is left out of the index, not cut out of the text, so every
    quote's offsets point into the text the user gave."""
    if fmt == "html":
        return _html_article(raw, title)
    found_title = ""
    kept: list[Span] = []
    for span in paragraph_spans(raw):
        para = raw[span.start:span.end]
        if fmt == "markdown":
            heading = MD_HEADING.match(para)
            if heading:
                if not found_title and not kept:
                    found_title = MD_MARKUP.sub(lambda m: m.group(2) or "", heading.group(1)).strip()
                    continue
                span = Span(span.start + heading.start(1), span.start + heading.end(1))   # without the #s
                para = heading.group(1)
            if not MD_MARKUP.sub(lambda m: m.group(2) or "", para).strip() or set(para) <= set("-*_= "):
                continue
        if BOILERPLATE.match(para) or find_byline(para) or find_date_line(para):
            continue
        kept.append(span)
    if not found_title and len(kept) > 1 and _is_headline(_normalise_line(raw[kept[0].start:kept[0].end])):
        found_title = _normalise_line(raw[kept[0].start:kept[0].end])
        kept = kept[1:]
    return CleanArticle(title=title or found_title, text=raw, metadata=_metadata(raw, {}), indexed=kept)
