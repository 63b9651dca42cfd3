"""HTML to article text: trafilatura finds the article body (no navigation, related links, sign-up
boxes, footers or comments) and the page's title, author, date, site name and canonical URL."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class HtmlArticle:
    title: str
    paragraphs: list[str]
    metadata: dict[str, str] = field(default_factory=dict)    # author, date, publisher, url


def _extract(html: str):
    import trafilatura   # here: a quarter second of every start, and only HTML needs it

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        include_images=False, deduplicate=False)
    if found is None and not re.search(r"<(?:html|body)\b", html[:5000], re.IGNORECASE):
        # a fragment ("<p>…</p>") has no body for trafilatura to look in
        found = trafilatura.bare_extraction(f"<html><body>{html}</body></html>", with_metadata=True,
                                            include_comments=False, include_images=False)
    return found


def read_html(html: str) -> HtmlArticle:
    """The article's paragraphs (one per extracted line, the headline among them) and its facts."""
    found = _extract(html)
    if found is None:
        return HtmlArticle("", [])
    title = " ".join((found.title or "").split())
    lines = [" ".join(line.split()) for line in (found.text or "").split("\n")]
    paragraphs = [line for line in lines if line]
    facts = {"author": found.author, "date": found.date, "publisher": found.sitename, "url": found.url}
    return HtmlArticle(title, paragraphs, {k: " ".join(v.split()) for k, v in facts.items() if v and v.strip()})
