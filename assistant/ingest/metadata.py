"""Facts about an article that its text carries in fixed places: the byline ("By Jane Doe"), the
dateline ("NAIROBI, March 3 (AP) --") and a date line ("Published: March 3, 2016"). Each finder
returns the value and its span in the stored text, so an answer about the document can quote it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Span

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|bin|al|and)){0,5}"
BYLINE = re.compile(
    rf"^\s*(?:[Bb]y|BY|Written by|Reported by|Words by)\s+(?P<value>{_NAME})\s*(?:[(,|\-–—].*)?$")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
DATE = (rf"(?:{_DAY}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|{_DAY}\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?"
        r"|\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2})")
DATE_LINE = re.compile(
    rf"^\s*(?:(?:Published|Posted|Updated|Last updated|Date|Dated|First published)\s*(?:on|:)?\s*)?"
    rf"(?P<value>{DATE})(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?\s*$",
    re.IGNORECASE)
# "LAGOS --", "NAIROBI, Kenya, March 3 (AP) —", "Lima (Reuters) --": a place in capitals, or a
# capitalised place with an agency in brackets, then a dash, at the start of the first paragraph.
DATELINE = re.compile(
    rf"^(?P<value>(?:[A-Z][A-Z.'’-]{{2,}}(?:\s+[A-Z][A-Z.'’-]+){{0,3}}(?:,\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?"
    rf"(?:,?\s+{DATE})?(?:\s*\([^()\n]{{2,40}}\))?)|(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,2}}"
    rf"(?:,?\s+{DATE})?\s*\([^()\n]{{2,40}}\)))\s*(?:--|—|–|-|:)\s+")


@dataclass(frozen=True)
class Found:
    value: str
    span: Span          # where the whole line (byline, date line) or dateline sits in the text


def _lines(text: str):
    """(line without its outer whitespace, its start offset) for each non-empty line."""
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group(0).strip()
        if stripped:
            yield stripped, m.start() + len(m.group(0)) - len(m.group(0).lstrip())


def find_byline(text: str) -> Found | None:
    for line, start in _lines(text):
        b = BYLINE.match(line)
        if b and len(line) < 80:
            return Found(b.group("value").strip(), Span(start, start + len(line)))
    return None


def find_date_line(text: str) -> Found | None:
    for line, start in _lines(text):
        d = DATE_LINE.match(line)
        if d and len(line) <= 60:
            return Found(d.group("value").strip(" ,"), Span(start, start + len(line)))
    return None


def find_dateline(text: str) -> Found | None:
    """The dateline of the first paragraph that is not a headline, byline or date line."""
    for line, start in _lines(text):
        if BYLINE.match(line) or DATE_LINE.match(line):
            continue
        d = DATELINE.match(line)
        if d:
            value = d.group("value").strip()
            return Found(value, Span(start, start + len(value)))
        if line[-1:] in ".!?\"”’":   # the first sentence-ending line has no dateline
            return None
    return None


def dateline_place(dateline: str) -> str:
    """"NAIROBI, Kenya, March 3 (AP)" -> "Nairobi, Kenya"."""
    place = re.sub(r"\s*\([^)]*\)$", "", dateline)
    place = re.sub(rf",?\s+{DATE}$", "", place)
    return ", ".join(p.title() if p.isupper() else p for p in (x.strip() for x in place.split(",")) if p)


def dateline_date(dateline: str) -> str:
    m = re.search(DATE, dateline)
    return m.group(0) if m else ""


def unindexed_spans(text: str) -> list[Span]:
    """Lines kept in the text but not indexed as sentences: byline and date line."""
    return [f.span for f in (find_byline(text), find_date_line(text)) if f]
