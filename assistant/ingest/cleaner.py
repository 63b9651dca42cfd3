"""Turn raw article text into clean paragraphs, a title and an author.

Web copies of news articles carry navigation lines ("Back To Top"): those are dropped. Bylines,
sometimes cut off ("By Jane Doe ("), date lines and datelines stay in the text and also become
metadata (author, date, place).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .metadata import dateline_date, dateline_place, find_byline, find_date_line, find_dateline
from .readers import html_meta, html_to_text

BOILERPLATE = re.compile(
    r"^(back\s+to\s+top|top|share( this( article| story)?)?|print|e-?mail|advertisement|"
    r"subscribe( now)?|sign\s+(up|in)|log\s*in|related( articles| stories)?|read\s+more|"
    r"click here.*|follow us.*|(all rights reserved|copyright|©).*|menu|skip to (main )?content|"
    r"tweet|facebook|twitter|whatsapp|linkedin|comments?( \(\d+\))?|next|previous|home)[\s.:!|>»]*$",
    re.IGNORECASE,
)
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_MARKUP = re.compile(r"(\*\*|__|`)|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")
TERMINAL = ".!?\"”’:;)"


@dataclass
class CleanArticle:
    title: str
    text: str                     # paragraphs separated by blank lines; quotes are slices of this
    metadata: dict = field(default_factory=dict)


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", line).strip()


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_normalise_line(x) for x in block.split("\n")]
        lines = [x for x in lines if x]
        current: list[str] = []
        for line in lines:
            # A line ending a sentence next to a line starting one is two paragraphs (one per line
            # sources); a hard-wrapped line is joined to the next.
            starts_sentence = line[:1].isupper() or line[:1] in "\"“‘'"
            if current and current[-1][-1:] in TERMINAL and starts_sentence:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def clean_article(raw: str, fmt: str = "text", title: str | None = None) -> CleanArticle:
    """Drop boilerplate, pull out title and byline, return the text that will be stored."""
    metadata: dict = {}
    found_title = ""
    if fmt == "html":
        metadata.update(html_meta(raw))
        found_title, raw = html_to_text(raw)
    paragraphs: list[str] = []
    for para in _paragraphs(raw):
        if fmt == "markdown":
            heading = MD_HEADING.match(para)
            if heading:
                if not found_title:
                    found_title = heading.group(1)
                    continue
                para = heading.group(1)
            para = MD_MARKUP.sub(lambda m: m.group(2) or "", para).strip()
            if not para or set(para) <= set("-*_= "):
                continue
        if BOILERPLATE.match(para):
            continue
        paragraphs.append(para)
    # A first short line without closing punctuation is the headline of a plain-text article.
    if not found_title and len(paragraphs) > 1:
        first = paragraphs[0]
        if len(first) <= 200 and first[-1:] not in ".!?:;\"”" and not (find_byline(first) or find_date_line(first)):
            found_title = first
            paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    # The byline and date line stay in the text (an answer about the document quotes them) but are
    # not indexed as sentences (`metadata.unindexed_spans`).
    for key, found in (("author", find_byline(text)), ("date", find_date_line(text))):
        if found:
            metadata.setdefault(key, found.value)
    dateline = find_dateline(text)
    if dateline:
        metadata["place"] = dateline_place(dateline.value)
        metadata.setdefault("date", dateline_date(dateline.value) or None)
    return CleanArticle(title=title or found_title, text=text,
                        metadata={k: v for k, v in metadata.items() if v})
